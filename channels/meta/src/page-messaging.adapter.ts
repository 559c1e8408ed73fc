import { Logger } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryEvent,
  InboundAttachment,
  InboundFile,
  InboundLink,
  InboundMessage,
  OutboundAttachment,
  OutboundMessage,
  ResolvedChannel,
  SendResult,
  WebhookRequest,
} from '@pasokh/channel-core';
import { AppConfig } from '@pasokh/config';
import { isRejectedToken, toDeliveryError } from './graph-errors';
import { GraphApiError, GraphClient } from './graph.client';
import { PAGE_SECRET_FIELDS, PageChannelConfig, parsePageConfig } from './meta-config';
import { arrayAt, assertFields, fallbackFilename, mapsLink, MessagingAttachment, MessagingEvent, PageEntry, readEntries } from './meta-payload';
import { verifyMetaSignature } from './meta-signature';
import { splitText } from './split-text';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'file']);
const NAME_TTL_MS = 60 * 60 * 1000;
const NAME_CACHE_MAX = 5_000;

/**
 * Messenger and Instagram Direct speak the same Messenger Platform: `entry[].messaging[]` webhooks
 * signed with the app secret, replies through `POST /{page-id}/messages` with the Page token. The
 * two adapters differ in the webhook `object`, the profile fields and what a reply may carry.
 */
export abstract class PageMessagingAdapter implements ChannelAdapter<PageChannelConfig> {
  abstract readonly type: 'messenger' | 'instagram';
  readonly secretFields = PAGE_SECRET_FIELDS;
  protected abstract readonly provider: string;
  protected abstract readonly webhookObject: string;
  /** `GET /{user-id}?fields=…` for the sender's display name. */
  protected abstract readonly profileFields: string;
  /** Longest text one message may carry, in UTF-8 bytes. */
  protected abstract readonly maxTextBytes: number;
  protected readonly logger = new Logger(this.constructor.name);
  // Names rarely change; one lookup per sender an hour keeps us well inside Graph's rate limits.
  private readonly names = new Map<string, { name: string | null; expiresAt: number }>();

  constructor(private readonly appConfig: AppConfig) {}

  webhookPath(channelId: string): string {
    return `/webhooks/meta/${channelId}`;
  }

  parseConfig(raw: unknown): PageChannelConfig {
    return parsePageConfig(raw);
  }

  async checkCredentials(channel: ResolvedChannel<PageChannelConfig>): Promise<void> {
    const { pageId, pageAccessToken, graphBaseUrl } = channel.config;
    try {
      await new GraphClient(graphBaseUrl, pageAccessToken).get(pageId, { fields: 'id,name' });
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      const why = isRejectedToken(error) ? 'Meta rejected the Page access token' : `Meta refused to show Page ${pageId}`;
      throw new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, `${why}: ${error.message}`);
    }
  }

  verifyRequest(channel: ResolvedChannel<PageChannelConfig>, request: WebhookRequest): boolean {
    return verifyMetaSignature(channel.config.appSecret, request.rawBody, request.headers['x-hub-signature-256']);
  }

  async parseInbound(channel: ResolvedChannel<PageChannelConfig>, request: WebhookRequest): Promise<InboundMessage[]> {
    const messages: InboundMessage[] = [];
    for (const { event, where } of this.events(channel, request)) {
      const message = await this.toInbound(channel, event, where);
      if (message) messages.push(message);
    }
    return messages;
  }

  parseDeliveryEvents(channel: ResolvedChannel<PageChannelConfig>, request: WebhookRequest): DeliveryEvent[] {
    const updates: DeliveryEvent[] = [];
    for (const { event } of this.events(channel, request)) {
      for (const mid of event.delivery?.mids ?? []) if (typeof mid === 'string') updates.push({ providerMessageId: mid, status: 'delivered' });
      // Messenger's read receipt is a watermark (no id); Instagram's names the message.
      if (typeof event.read?.mid === 'string') updates.push({ providerMessageId: event.read.mid, status: 'read' });
    }
    return updates;
  }

  /**
   * Text first, then each file as its own message (the Platform has no text-with-file message). A retry
   * after a partial failure sends the earlier parts again: delivery is at least once.
   */
  async send(channel: ResolvedChannel<PageChannelConfig>, message: OutboundMessage): Promise<SendResult> {
    this.assertSendable(message);
    const { pageId, pageAccessToken, graphBaseUrl } = channel.config;
    const client = new GraphClient(graphBaseUrl, pageAccessToken);
    const ids: string[] = [];
    try {
      const parts = splitText(message.text, this.maxTextBytes);
      for (const [i, part] of parts.entries()) {
        // Quick replies go with the last part; a tap comes back as a message with the button's title.
        const quickReplies = i === parts.length - 1 && message.quickReplies.length ? { quick_replies: message.quickReplies.map((title) => ({ content_type: 'text', title, payload: title })) } : {};
        const sent = await client.post<{ message_id?: string }>(`${pageId}/messages`, {
          recipient: { id: message.to.externalId },
          messaging_type: 'RESPONSE',
          message: { text: part, ...quickReplies },
          access_token: pageAccessToken,
        });
        if (sent.message_id) ids.push(sent.message_id);
      }
      for (const attachment of message.attachments) ids.push(...(await this.sendFile(client, pageId, pageAccessToken, message.to.externalId, attachment)));
    } catch (error) {
      throw toDeliveryError(error, this.provider);
    }
    return { providerMessageId: ids[0] ?? null };
  }

  /** Throws a permanent DeliveryError for a reply this channel can never carry. */
  protected assertSendable(_message: OutboundMessage): void {}

  private async sendFile(client: GraphClient, pageId: string, token: string, to: string, attachment: OutboundAttachment): Promise<string[]> {
    const form = new FormData();
    form.set('recipient', JSON.stringify({ id: to }));
    form.set('messaging_type', 'RESPONSE');
    form.set('message', JSON.stringify({ attachment: { type: attachmentType(attachment.contentType), payload: { is_reusable: false } } }));
    form.set('access_token', token);
    form.set('filedata', new Blob([await attachment.read()], { type: attachment.contentType }), attachment.filename);
    const sent = await client.postForm<{ message_id?: string }>(`${pageId}/messages`, form);
    return sent.message_id ? [sent.message_id] : [];
  }

  /** Every messaging event for this channel, in the order Meta sent them. */
  private *events(channel: ResolvedChannel<PageChannelConfig>, request: WebhookRequest): Generator<{ event: MessagingEvent; where: string }> {
    const entries = readEntries<PageEntry>(request.body, [this.webhookObject]);
    for (const [i, entry] of entries.entries()) {
      if (!this.isForChannel(channel, entry)) {
        this.logger.warn({ channelId: channel.id, entryId: entry.id }, 'webhook entry for another Page ignored');
        continue;
      }
      for (const [j, event] of arrayAt<MessagingEvent>(entry.messaging, `entry[${i}].messaging`).entries()) {
        const where = `entry[${i}].messaging[${j}]`;
        assertFields(event, where, ['sender.id']);
        yield { event, where };
      }
    }
  }

  /** A Messenger entry is the Page's; Instagram's entry id is the Instagram account's, which config does not hold. */
  protected isForChannel(_channel: ResolvedChannel<PageChannelConfig>, _entry: PageEntry): boolean {
    return true;
  }

  private async toInbound(channel: ResolvedChannel<PageChannelConfig>, event: MessagingEvent, where: string): Promise<InboundMessage | null> {
    const sentAt = typeof event.timestamp === 'number' ? new Date(event.timestamp) : null;
    const customer = event.sender.id;
    if (event.message) {
      assertFields(event.message, `${where}.message`, ['mid']);
      // Our own replies (and the Page inbox's) come back as echoes: they are not the customer's words.
      if (event.message.is_echo || event.message.is_deleted) return null;
      const { text, attachments } = this.readMessage(channel, event.message, `${where}.message`);
      return { externalMessageId: event.message.mid, from: await this.sender(channel, customer), text, attachments, sentAt };
    }
    if (event.message_edit) {
      assertFields(event.message_edit, `${where}.message_edit`, ['mid']);
      return { externalMessageId: event.message_edit.mid, from: await this.sender(channel, customer), text: event.message_edit.text ?? '', edited: true, sentAt };
    }
    if (event.reaction) {
      assertFields(event.reaction, `${where}.reaction`, ['mid']);
      const { mid, action, emoji, reaction } = event.reaction;
      const symbol = emoji || reaction || 'a reaction';
      const text = action === 'unreact' ? `removed the reaction ${symbol} from a message` : `reacted ${symbol} to a message`;
      return { externalMessageId: `${mid}:${action ?? 'react'}:${symbol}`, from: await this.sender(channel, customer), text, sentAt };
    }
    if (event.postback) {
      const { mid, title, payload } = event.postback;
      const text = `Tapped "${title || payload || 'a button'}"`;
      const id = mid || `postback:${customer}:${event.timestamp ?? ''}:${payload ?? ''}`;
      return { externalMessageId: id, from: await this.sender(channel, customer), text, sentAt };
    }
    // delivery / read receipts and events we do not show (typing, referrals, optins)
    return null;
  }

  private readMessage(channel: ResolvedChannel<PageChannelConfig>, message: NonNullable<MessagingEvent['message']>, where: string) {
    const lines: string[] = message.text ? [message.text] : [];
    const attachments: InboundAttachment[] = [];
    const client = new GraphClient(channel.config.graphBaseUrl, channel.config.pageAccessToken);
    for (const [k, item] of arrayAt<MessagingAttachment>(message.attachments, `${where}.attachments`).entries()) {
      const url = item.payload?.url;
      if (item.payload?.sticker_id !== undefined) {
        lines.push('[sticker]');
      } else if (item.type === 'location' && item.payload?.coordinates) {
        const { lat, long } = item.payload.coordinates;
        lines.push(`📍 Location: ${lat}, ${long} ${mapsLink(Number(lat), Number(long))}`);
      } else if (MEDIA_TYPES.has(item.type) && url) {
        attachments.push({ fetch: () => this.download(client, item.type, `${message.mid}-${k}`, url) });
      } else {
        // shares, story mentions, reels, fallbacks: a readable line with the link
        const label = item.title || item.payload?.title || item.type;
        lines.push(url ? `[${label}] ${url}` : `[${label}]`);
      }
    }
    return { text: lines.join('\n'), attachments };
  }

  /** Messenger CDN URLs are public and signed: no token needed, but the limit applies. */
  private async download(client: GraphClient, kind: string, id: string, url: string): Promise<InboundFile | InboundLink> {
    const result = await client.download(url, this.appConfig.maxAttachmentBytes, false);
    const named = filenameFromUrl(url);
    if (!result.ok) return { filename: named ?? fallbackFilename(kind, id, null), contentType: 'application/octet-stream', url, reason: result.reason };
    const contentType = result.contentType?.split(';')[0].trim() || 'application/octet-stream';
    return { filename: named ?? fallbackFilename(kind, id, contentType), contentType, content: result.content };
  }

  /** The sender with a display name when Graph gives one; a failed lookup never blocks the message. */
  private async sender(channel: ResolvedChannel<PageChannelConfig>, id: string): Promise<InboundMessage['from']> {
    const key = `${channel.id}:${id}`;
    const cached = this.names.get(key);
    if (cached && cached.expiresAt > Date.now()) return { externalId: id, name: cached.name };
    let name: string | null = null;
    try {
      const profile = await new GraphClient(channel.config.graphBaseUrl, channel.config.pageAccessToken).get<{ name?: string; username?: string }>(id, { fields: this.profileFields });
      name = profile.name?.trim() || profile.username?.trim() || null;
    } catch (error) {
      this.logger.debug({ channelId: channel.id, err: (error as Error).message }, 'profile lookup failed; the message is stored without a name');
    }
    if (this.names.size >= NAME_CACHE_MAX) this.names.clear();
    this.names.set(key, { name, expiresAt: Date.now() + NAME_TTL_MS });
    return { externalId: id, name };
  }
}

function attachmentType(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const major = contentType.split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
}

function filenameFromUrl(url: string): string | null {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.[a-z0-9]{2,5}$/i.test(last) ? last : null;
  } catch {
    return null;
  }
}

