import type { ChannelType } from './channel.entity';

/** A channel with its config merged back together (secrets decrypted). Never leaves the server. */
export interface ResolvedChannel<Config = Record<string, unknown>> {
  id: string;
  type: ChannelType;
  name: string;
  config: Config;
}

/** A provider's HTTP request to us, with the raw bytes that signatures are computed over. */
export interface WebhookRequest {
  /** The URL the provider called, as the outside world sees it (PUBLIC_URL + path). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  body: unknown;
}

/** contentId: an email's inline image, referenced from its HTML as cid:<contentId>. */
export type InboundFile = { filename: string; contentType: string; content: Buffer; contentId?: string | null };
/** Media we did not store (too large, or the provider refused it): kept as a link with the reason. */
export type InboundLink = { filename: string; contentType: string; url: string; reason: string };
/**
 * A file the provider holds, downloaded only for a message that is not stored yet: providers retry
 * deliveries (Telegram when the answer is slow, which a large download makes it), and a retry must
 * not fetch the media again.
 */
export type PendingAttachment = { fetch(): Promise<InboundFile | InboundLink> };
export type InboundAttachment = InboundFile | InboundLink | PendingAttachment;

/** What every channel's parser produces: nothing provider-specific past this point. */
export interface InboundMessage {
  /** The provider's id for this message; unique per channel. A retry carries the same id. */
  externalMessageId: string;
  from: { externalId: string; name?: string | null; email?: string | null; phone?: string | null };
  text: string;
  html?: string | null;
  subject?: string | null;
  /** Separates conversations of one customer on one channel (an email thread, an API thread). */
  threadKey?: string | null;
  sentAt?: Date | null;
  attachments?: InboundAttachment[];
  /** The provider reports an edit of a message it sent before: its text is replaced and marked edited. */
  edited?: boolean;
  /** A contact card the customer shared (Telegram): its phone joins the profile, or is offered as a merge. */
  sharedContact?: { phone: string; name?: string | null } | null;
}

export interface OutboundAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  read(): Promise<Buffer>;
}

/** An agent's reply, addressed to the customer's identity on the ticket's channel. */
export interface OutboundMessage {
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  subject: string | null;
  threadKey: string | null;
  /** The customer's latest message this answers (its provider id), for channels that thread replies (email). */
  inReplyTo: string | null;
  /** Provider ids of the ticket's earlier messages on its channel, oldest first (email's References). */
  references: string[];
  to: { externalId: string; name: string | null; email: string | null; phone: string | null };
  text: string;
  html: string | null;
  attachments: OutboundAttachment[];
  agent: { id: string; name: string } | null;
  /** Answers the customer can tap (a rating's 1–5); a channel without buttons sends the text alone. */
  quickReplies: string[];
  /** Pasokh wrote it, not an agent (a survey, an away reply): email marks it Auto-Submitted. */
  automatic: boolean;
}

export interface SendResult {
  /** The provider's id for the sent message, if it gives one; delivery callbacks refer to it. */
  providerMessageId: string | null;
}

export interface DeliveryEvent {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** For failed: the provider's reason in words an agent understands. */
  error?: string | null;
}

/**
 * The one contract every channel implements. Push channels (webhooks, the API channel) implement
 * verifyRequest + parseInbound; pull channels (IMAP, Telegram polling) run their own listener and call
 * the ingest service with the same InboundMessage. The provider's SDK client stays inside the adapter.
 */
export interface ChannelAdapter<Config = Record<string, unknown>> {
  readonly type: ChannelType;
  /** Dot paths in config that are secret: encrypted at rest, never returned. */
  readonly secretFields: readonly string[];
  /** Push channels whose provider has no signature (the API channel) get a per-channel token. */
  readonly usesInboundToken?: boolean;
  /** Where the provider calls us, relative to PUBLIC_URL. */
  webhookPath?(channelId: string): string;
  /** After the channel is created or updated (e.g. register the webhook with the provider). */
  onSaved?(channel: ResolvedChannel<Config>, webhookUrl: string | null): Promise<void>;
  /** Free-form replies are allowed only this long after the customer's last message (WhatsApp: 24 h). */
  readonly replyWindowMs?: number;
  /**
   * Why an agent may not reply now (e.g. WhatsApp's 24-hour window), checked before the reply is
   * accepted; null when a reply is fine.
   */
  replyBlockedReason?(channel: ResolvedChannel<Config>, ticket: { lastCustomerMessageAt: Date | null }): string | null;
  /** Validates a config from the API; throws ChannelsException(INVALID_CONFIG) naming the field. */
  parseConfig(raw: unknown): Config;
  /** Proves the credentials work (called on create/update); throws with a reason an admin understands. */
  checkCredentials(channel: ResolvedChannel<Config>): Promise<void>;
  /** True only for a request the provider really sent (raw bytes, constant-time compare). */
  verifyRequest?(channel: ResolvedChannel<Config>, request: WebhookRequest, inboundTokenHash: string | null): boolean;
  /** Throws ChannelsException(INVALID_PAYLOAD) with a reason for a payload it cannot read. */
  parseInbound?(channel: ResolvedChannel<Config>, request: WebhookRequest): Promise<InboundMessage[]>;
  parseDeliveryEvents?(channel: ResolvedChannel<Config>, request: WebhookRequest): DeliveryEvent[];
  send(channel: ResolvedChannel<Config>, message: OutboundMessage): Promise<SendResult>;
}

/** A send failure; `permanent` ones (blocked bot, invalid number) are not retried. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}
