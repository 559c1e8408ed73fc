import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryEvent,
  formatMb,
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
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { describeGraphCode, isRejectedToken, toDeliveryError } from './graph-errors';
import { GraphApiError, GraphClient } from './graph.client';
import { parseWhatsAppConfig, WHATSAPP_SECRET_FIELDS, WhatsAppChannelConfig } from './meta-config';
import { arrayAt, assertFields, fallbackFilename, invalidPayload, mapsLink, readEntries, WhatsAppMedia, WhatsAppMessage, WhatsAppStatus, WhatsAppValue } from './meta-payload';
import { verifyMetaSignature } from './meta-signature';
import { splitText } from './split-text';

const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_TEXT_CHARS = 4096;
const MAX_CAPTION_CHARS = 1024;
const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
type MediaKind = (typeof MEDIA_KINDS)[number];
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

interface MediaInfo {
  url?: string;
  mime_type?: string;
  file_size?: number;
}

/** WhatsApp Cloud API: one business phone number; the customer is their WhatsApp id (wa_id, the number). */
@Injectable()
export class WhatsAppAdapter implements ChannelAdapter<WhatsAppChannelConfig> {
  readonly type = 'whatsapp' as const;
  readonly secretFields = WHATSAPP_SECRET_FIELDS;
  readonly replyWindowMs = SERVICE_WINDOW_MS;
  private readonly logger = new Logger(WhatsAppAdapter.name);

  constructor(
    registry: ChannelAdapterRegistry,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {
    registry.register(this);
  }

  webhookPath(channelId: string): string {
    return `/webhooks/meta/${channelId}`;
  }

  parseConfig(raw: unknown): WhatsAppChannelConfig {
    return parseWhatsAppConfig(raw);
  }

  async checkCredentials(channel: ResolvedChannel<WhatsAppChannelConfig>): Promise<void> {
    const { phoneNumberId, accessToken, graphBaseUrl } = channel.config;
    try {
      await new GraphClient(graphBaseUrl, accessToken).get(phoneNumberId, { fields: 'display_phone_number' });
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      const why = isRejectedToken(error) ? 'Meta rejected the WhatsApp access token' : `Meta refused to show phone number ${phoneNumberId}`;
      throw new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, `${why}: ${error.message}`);
    }
  }

  /** Free-form replies are allowed for 24 hours after the customer's last message; later only templates. */
  replyBlockedReason(_channel: ResolvedChannel<WhatsAppChannelConfig>, ticket: { lastCustomerMessageAt: Date | null }): string | null {
    const base = 'WhatsApp allows free-form replies only within 24 hours of the customer\'s last message';
    if (!ticket.lastCustomerMessageAt) return `${base} (the customer has not written on this ticket); a template message is needed`;
    const closesAt = new Date(ticket.lastCustomerMessageAt.getTime() + SERVICE_WINDOW_MS);
    if (closesAt.getTime() > Date.now()) return null;
    return `${base} (the window closed at ${closesAt.toISOString()}); a template message is needed`;
  }

  verifyRequest(channel: ResolvedChannel<WhatsAppChannelConfig>, request: WebhookRequest): boolean {
    return verifyMetaSignature(channel.config.appSecret, request.rawBody, request.headers['x-hub-signature-256']);
  }

  async parseInbound(channel: ResolvedChannel<WhatsAppChannelConfig>, request: WebhookRequest): Promise<InboundMessage[]> {
    const client = new GraphClient(channel.config.graphBaseUrl, channel.config.accessToken);
    const messages: InboundMessage[] = [];
    for (const { value, where } of this.values(channel, request)) {
      const names = new Map<string, string>();
      for (const contact of arrayAt<NonNullable<WhatsAppValue['contacts']>[number]>(value.contacts, `${where}.contacts`)) {
        if (contact?.wa_id && contact.profile?.name) names.set(contact.wa_id, contact.profile.name);
      }
      for (const [k, message] of arrayAt<WhatsAppMessage>(value.messages, `${where}.messages`).entries()) {
        const at = `${where}.messages[${k}]`;
        assertFields(message, at, ['id', 'from', 'type']);
        const { text, attachments } = this.read(client, message, at);
        messages.push({
          externalMessageId: message.id,
          from: { externalId: message.from, name: names.get(message.from) ?? null, phone: `+${message.from}` },
          text,
          attachments,
          sentAt: message.timestamp && /^\d+$/.test(message.timestamp) ? new Date(Number(message.timestamp) * 1000) : null,
        });
      }
    }
    return messages;
  }

  parseDeliveryEvents(channel: ResolvedChannel<WhatsAppChannelConfig>, request: WebhookRequest): DeliveryEvent[] {
    const updates: DeliveryEvent[] = [];
    for (const { value, where } of this.values(channel, request)) {
      for (const [k, status] of arrayAt<WhatsAppStatus>(value.statuses, `${where}.statuses`).entries()) {
        assertFields(status, `${where}.statuses[${k}]`, ['id', 'status']);
        // 'deleted' and 'warning' do not move a message we sent
        if (!STATUSES.has(status.status)) continue;
        updates.push({
          providerMessageId: status.id,
          status: status.status as DeliveryEvent['status'],
          ...(status.status === 'failed' ? { error: failureReason(status) } : {}),
        });
      }
    }
    return updates;
  }

  /**
   * Files are uploaded first (nothing reaches the customer if an upload fails), then sent with the
   * text as the first file's caption when it fits, so the common reply is a single message. A retry
   * after a partial failure sends the earlier parts again: delivery is at least once.
   */
  async send(channel: ResolvedChannel<WhatsAppChannelConfig>, message: OutboundMessage): Promise<SendResult> {
    const { phoneNumberId, accessToken, graphBaseUrl } = channel.config;
    const client = new GraphClient(graphBaseUrl, accessToken);
    const to = message.to.externalId;
    const ids: string[] = [];
    const post = async (body: Record<string, unknown>) => {
      const sent = await client.post<{ messages?: Array<{ id?: string }> }>(`${phoneNumberId}/messages`, { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...body });
      if (sent.messages?.[0]?.id) ids.push(sent.messages[0].id);
    };
    try {
      const media = [];
      for (const attachment of message.attachments) media.push({ kind: outboundKind(attachment.contentType), filename: attachment.filename, id: await this.upload(client, phoneNumberId, attachment) });
      const text = message.text.trim();
      const captionFits = media.length > 0 && media[0].kind !== 'audio' && text.length <= MAX_CAPTION_CHARS;
      if (!captionFits) for (const part of splitText(text, MAX_TEXT_CHARS)) await post({ type: 'text', text: { body: part, preview_url: false } });
      for (const [i, file] of media.entries()) {
        const caption = i === 0 && captionFits && text ? { caption: text } : {};
        const filename = file.kind === 'document' ? { filename: file.filename } : {};
        await post({ type: file.kind, [file.kind]: { id: file.id, ...caption, ...filename } });
      }
    } catch (error) {
      throw toDeliveryError(error, 'WhatsApp');
    }
    return { providerMessageId: ids[0] ?? null };
  }

  private async upload(client: GraphClient, phoneNumberId: string, attachment: OutboundAttachment): Promise<string> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', attachment.contentType);
    form.set('file', new Blob([await attachment.read()], { type: attachment.contentType }), attachment.filename);
    const uploaded = await client.postForm<{ id?: string }>(`${phoneNumberId}/media`, form);
    if (!uploaded.id) throw new GraphApiError('WhatsApp accepted the file upload but returned no media id', 502);
    return uploaded.id;
  }

  /** The `value` of every `messages` change addressed to this channel's phone number, in order. */
  private *values(channel: ResolvedChannel<WhatsAppChannelConfig>, request: WebhookRequest): Generator<{ value: WhatsAppValue; where: string }> {
    const entries = readEntries<{ changes?: unknown }>(request.body, ['whatsapp_business_account']);
    for (const [i, entry] of entries.entries()) {
      for (const [j, change] of arrayAt<{ field?: string; value?: WhatsAppValue }>(entry.changes, `entry[${i}].changes`).entries()) {
        const where = `entry[${i}].changes[${j}].value`;
        if (change?.field !== 'messages') continue;
        if (typeof change.value !== 'object' || change.value === null) throw invalidPayload(`${where} must be an object`);
        // One business account can hold several numbers; each is its own channel.
        const numberId = change.value.metadata?.phone_number_id;
        if (numberId !== undefined && String(numberId) !== channel.config.phoneNumberId) {
          this.logger.warn({ channelId: channel.id, phoneNumberId: numberId }, 'webhook change for another phone number ignored');
          continue;
        }
        yield { value: change.value, where };
      }
    }
  }

  private read(client: GraphClient, message: WhatsAppMessage, where: string): { text: string; attachments: InboundAttachment[] } {
    const type = message.type;
    if (type === 'text') return { text: message.text?.body ?? '', attachments: [] };
    if ((MEDIA_KINDS as readonly string[]).includes(type)) {
      const media = message[type as MediaKind];
      assertFields(media, `${where}.${type}`, ['id']);
      const text = type === 'sticker' ? '[sticker]' : (media!.caption ?? '');
      return { text, attachments: [{ fetch: () => this.downloadMedia(client, type, media!) }] };
    }
    return { text: describe(message), attachments: [] };
  }

  /** `GET /{media-id}` for a short-lived URL, then the file itself, both with the channel's token. */
  private async downloadMedia(client: GraphClient, kind: string, media: WhatsAppMedia): Promise<InboundFile | InboundLink> {
    const limit = this.appConfig.maxAttachmentBytes;
    let info: MediaInfo;
    try {
      info = await client.get<MediaInfo>(media.id);
    } catch (error) {
      const reason = `WhatsApp did not give out the file: ${(error as Error).message}`;
      const contentType = media.mime_type ?? 'application/octet-stream';
      return { filename: media.filename ?? fallbackFilename(kind, media.id, contentType), contentType, url: `whatsapp-media:${media.id}`, reason };
    }
    const contentType = (info.mime_type ?? media.mime_type ?? 'application/octet-stream').split(';')[0].trim();
    const filename = media.filename ?? fallbackFilename(kind, media.id, contentType);
    const url = info.url ?? `whatsapp-media:${media.id}`;
    if (typeof info.file_size === 'number' && info.file_size > limit) {
      return { filename, contentType, url, reason: `the file (${formatMb(info.file_size)}) is larger than the ${formatMb(limit)} attachment limit` };
    }
    if (!info.url) return { filename, contentType, url, reason: 'WhatsApp gave no download URL for the file' };
    const result = await client.download(info.url, limit, true);
    return result.ok ? { filename, contentType, content: result.content } : { filename, contentType, url, reason: result.reason };
  }
}

/** Kinds we cannot store as a file, as one readable line. */
function describe(message: WhatsAppMessage): string {
  switch (message.type) {
    case 'location': {
      const { latitude, longitude, name, address } = message.location ?? {};
      const place = [name, address].filter(Boolean).join(', ');
      return `📍 Location: ${latitude}, ${longitude}${place ? ` (${place})` : ''} ${mapsLink(Number(latitude), Number(longitude))}`;
    }
    case 'reaction':
      return message.reaction?.emoji ? `reacted ${message.reaction.emoji} to a message` : 'removed a reaction from a message';
    case 'button':
      return `Tapped "${message.button?.text || message.button?.payload || 'a button'}"`;
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return `Chose "${reply?.title || reply?.id || 'an option'}"`;
    }
    case 'contacts':
      return (message.contacts ?? [])
        .map((c) => `👤 Contact: ${[c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' ')}`)
        .join('\n') || '👤 Contact card';
    case 'unsupported':
      return `[a message type WhatsApp does not deliver to the API${message.errors?.[0]?.title ? `: ${message.errors[0].title}` : ''}]`;
    default:
      return `[${message.type} message]`;
  }
}

/** A failed status's first error in words an agent understands. */
function failureReason(status: WhatsAppStatus): string {
  const error = status.errors?.[0];
  if (!error) return 'WhatsApp could not deliver the message (no reason given)';
  const words = describeGraphCode(error.code ?? null) ?? error.error_data?.details ?? error.message ?? error.title ?? 'unknown error';
  return `WhatsApp could not deliver the message: ${words}${error.code !== undefined ? ` (error ${error.code})` : ''}`;
}

function outboundKind(contentType: string): 'image' | 'video' | 'audio' | 'document' {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  if (['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'].includes(type)) return 'audio';
  return 'document';
}
