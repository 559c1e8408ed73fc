import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryError,
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
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Message, Update } from 'telegraf/types';
import { apiRootOf, parseTelegramConfig, TelegramConfig } from './telegram-config';
import { TelegramClient, TelegramError } from './telegram.client';
import { parseTelegramUpdate, TelegramMediaRef } from './telegram-update.parser';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
// The Bot API serves bot downloads up to this size; getFile refuses larger files.
const BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
// sendPhoto takes pictures up to 10 MB; larger ones go as documents.
const PHOTO_LIMIT = 10 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

/** Telegram bots: webhook or long polling in, Bot API out. */
@Injectable()
export class TelegramAdapter implements ChannelAdapter<TelegramConfig> {
  readonly type = 'telegram' as const;
  readonly secretFields = ['botToken', 'secretToken'];
  private readonly logger = new Logger(TelegramAdapter.name);

  constructor(
    registry: ChannelAdapterRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    registry.register(this);
  }

  webhookPath(channelId: string): string {
    return `/webhooks/telegram/${channelId}`;
  }

  parseConfig(raw: unknown): TelegramConfig {
    return parseTelegramConfig(raw);
  }

  async checkCredentials(channel: ResolvedChannel<TelegramConfig>): Promise<void> {
    const client = new TelegramClient(channel.config);
    try {
      await client.getMe();
    } catch (error) {
      if (error instanceof TelegramError && (error.code === 401 || error.code === 404)) {
        throw new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, `Telegram refused the bot token (${error.description})`);
      }
      throw new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, `Telegram could not be asked about the bot token: ${client.redact(describe(error))}`);
    }
  }

  /** Webhook mode registers our URL; polling mode removes any webhook, since Telegram refuses getUpdates while one is set. */
  async onSaved(channel: ResolvedChannel<TelegramConfig>, webhookUrl: string | null): Promise<void> {
    const client = new TelegramClient(channel.config);
    if (channel.config.mode === 'webhook') {
      if (!webhookUrl || !channel.config.secretToken) throw new Error('webhook mode needs a public webhook URL and a secret token');
      await client.setWebhook(webhookUrl, channel.config.secretToken);
    } else {
      await client.deleteWebhook();
    }
  }

  verifyRequest(channel: ResolvedChannel<TelegramConfig>, request: WebhookRequest): boolean {
    const expected = channel.config.secretToken;
    const header = request.headers[SECRET_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    if (!expected || !given) return false;
    // Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
    return timingSafeEqual(sha256(given), sha256(expected));
  }

  parseInbound(channel: ResolvedChannel<TelegramConfig>, request: WebhookRequest): Promise<InboundMessage[]> {
    return this.parseUpdate(channel, request.body);
  }

  /** The one parser for both paths (webhook body, getUpdates item); media is fetched with the bot's token, on demand. */
  async parseUpdate(channel: ResolvedChannel<TelegramConfig>, update: unknown): Promise<InboundMessage[]> {
    const parsed = parseTelegramUpdate(update);
    if (parsed.kind === 'ignored') {
      this.logger.debug({ channelId: channel.id }, `ignored Telegram update: ${parsed.reason}`);
      return [];
    }
    const { message } = parsed;
    const client = new TelegramClient(channel.config);
    const attachments: InboundAttachment[] = message.media.map((media) => ({ fetch: () => this.fetchMedia(client, channel.config, media) }));
    return [
      {
        externalMessageId: message.externalMessageId,
        from: { externalId: message.from.externalId, name: message.from.name },
        text: message.text,
        threadKey: null,
        sentAt: message.sentAt,
        attachments,
        edited: message.edited,
        sharedContact: message.sharedContact,
      },
    ];
  }

  /** One long-polling round for the poller; the client stays in here. */
  fetchUpdates(channel: ResolvedChannel<TelegramConfig>, offset: number | undefined, timeoutSec: number, signal: AbortSignal): Promise<Update[]> {
    return new TelegramClient(channel.config).getUpdates(offset, timeoutSec, signal);
  }

  async send(channel: ResolvedChannel<TelegramConfig>, message: OutboundMessage): Promise<SendResult> {
    const client = new TelegramClient(channel.config);
    const chatId = message.to.externalId;
    const sent: Message[] = [];
    try {
      const text = message.text.trim();
      const [first, ...rest] = message.attachments;
      // One file with a short text reads best as a captioned file; otherwise the text goes first.
      const caption = first && rest.length === 0 && text.length <= CAPTION_LIMIT ? text : '';
      if (!caption) {
        const parts = chunks(text, TEXT_LIMIT);
        // The buttons go with the last part, under the question they answer.
        for (const [i, part] of parts.entries()) sent.push(await client.sendMessage(chatId, part, i === parts.length - 1 ? message.quickReplies : []));
      }
      for (const attachment of message.attachments) sent.push(await this.sendFile(client, chatId, attachment, attachment === first ? caption : ''));
    } catch (error) {
      throw toDeliveryError(error, client);
    }
    const firstSent = sent[0];
    return { providerMessageId: firstSent ? `${firstSent.chat.id}:${firstSent.message_id}` : null };
  }

  private async sendFile(client: TelegramClient, chatId: string, attachment: OutboundAttachment, caption: string): Promise<Message> {
    const content = await attachment.read();
    const asPhoto = PHOTO_TYPES.includes(attachment.contentType) && attachment.size <= PHOTO_LIMIT;
    return asPhoto
      ? client.sendPhoto(chatId, content, attachment.filename, caption || undefined)
      : client.sendDocument(chatId, content, attachment.filename, caption || undefined);
  }

  private async fetchMedia(client: TelegramClient, config: TelegramConfig, media: TelegramMediaRef): Promise<InboundFile | InboundLink> {
    const limit = Math.min(this.config.maxAttachmentBytes, BOT_API_DOWNLOAD_LIMIT);
    // Telegram's files are only reachable with the token, which never goes into a stored URL.
    const link = `${apiRootOf(config)}/bot/getFile?file_id=${encodeURIComponent(media.fileId)}`;
    const asLink = (reason: string): InboundLink => ({ filename: media.filename, contentType: media.contentType, url: link, reason });
    if (media.fileSize !== null && media.fileSize > limit) return asLink(this.tooLargeReason(media.fileSize));
    let filePath: string | undefined;
    try {
      filePath = (await client.getFile(media.fileId)).file_path;
    } catch (error) {
      return asLink(`download failed: ${client.redact(describe(error))}`);
    }
    if (!filePath) return asLink('download failed: Telegram gave no file path');
    const download = await client.download(filePath, limit);
    if (download.ok) return { filename: media.filename, contentType: media.contentType, content: download.content };
    return asLink(download.tooLarge !== null ? this.tooLargeReason(download.tooLarge) : download.reason);
  }

  private tooLargeReason(size: number): string {
    if (size > BOT_API_DOWNLOAD_LIMIT) return `too large to download (${formatMb(size)}): Telegram gives bots files up to 20 MB`;
    return `too large to download (${formatMb(size)}): the limit is ${formatMb(this.config.maxAttachmentBytes)}`;
  }
}

/** Telegram's refusals in words an agent understands, keeping Telegram's own words after them. */
function toDeliveryError(error: unknown, client: TelegramClient): DeliveryError {
  if (error instanceof TelegramError) {
    const said = `Telegram: ${error.code} ${error.description}`;
    const description = error.description ?? '';
    if (error.code === 403 && /blocked/i.test(description)) return new DeliveryError(`the customer blocked the bot (${said})`, true);
    if (error.code === 403) return new DeliveryError(`Telegram does not let the bot write to this customer (${said})`, true);
    if (error.code === 400 && /chat not found/i.test(description)) return new DeliveryError(`the customer's chat was not found: they may have deleted it (${said})`, true);
    if (error.code === 401) return new DeliveryError(`Telegram refused the bot token (${said})`, true);
    if (error.code === 429) return new DeliveryError(`Telegram is rate-limiting the bot, retry after ${error.parameters?.retry_after ?? '?'} s (${said})`);
    if (error.code >= 500) return new DeliveryError(`Telegram had a server error (${said})`);
    // Any other 4xx is a refusal of this message; sending it again would not change that.
    return new DeliveryError(`Telegram refused the message (${said})`, true);
  }
  return new DeliveryError(`Telegram could not be reached: ${client.redact(describe(error))}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
