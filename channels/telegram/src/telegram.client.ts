import { downloadMedia } from '@pasokh/channel-core';
import { Telegram, TelegramError } from 'telegraf';
import type { File, Message, Update, UserFromGetMe } from 'telegraf/types';
import { apiRootOf, TelegramConfig } from './telegram-config';

export { TelegramError };

// Shorter than the delivery worker's lease, so a hung call never outlives the worker's claim.
const CALL_TIMEOUT_MS = 30_000;
// getUpdates holds the request open for `timeout` seconds; give the answer this much more.
const POLL_GRACE_MS = 10_000;

export const ALLOWED_UPDATES = ['message', 'edited_message'] as const;

export type Download = { ok: true; content: Buffer } | { ok: false; tooLarge: number | null; reason: string };

/**
 * The Bot API as the adapter uses it: telegraf's Telegram client with a timeout on every call (its
 * own is eight minutes) and an abort signal for long polling. Stays inside the channel folder.
 */
export class TelegramClient {
  private readonly telegram: Telegram;
  private readonly apiRoot: string;

  constructor(private readonly config: TelegramConfig) {
    this.apiRoot = apiRootOf(config);
    this.telegram = new Telegram(config.botToken, { apiRoot: this.apiRoot });
  }

  getMe(): Promise<UserFromGetMe> {
    return this.call('getMe', {});
  }

  setWebhook(url: string, secretToken: string): Promise<true> {
    return this.call('setWebhook', { url, secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] });
  }

  deleteWebhook(): Promise<true> {
    return this.call('deleteWebhook', {});
  }

  getUpdates(offset: number | undefined, timeoutSec: number, signal: AbortSignal): Promise<Update[]> {
    const deadline = AbortSignal.timeout(timeoutSec * 1000 + POLL_GRACE_MS);
    return this.call('getUpdates', { offset, timeout: timeoutSec, allowed_updates: [...ALLOWED_UPDATES] }, AbortSignal.any([signal, deadline]));
  }

  /** `choices`: a one-time reply keyboard whose buttons send their text back as the customer's message. */
  sendMessage(chatId: string, text: string, choices: string[] = []): Promise<Message.TextMessage> {
    const keyboard = choices.length ? { reply_markup: { keyboard: [choices.map((choice) => ({ text: choice }))], one_time_keyboard: true, resize_keyboard: true } } : {};
    return this.call('sendMessage', { chat_id: chatId, text, ...keyboard });
  }

  sendPhoto(chatId: string, content: Buffer, filename: string, caption?: string): Promise<Message.PhotoMessage> {
    return this.call('sendPhoto', { chat_id: chatId, photo: { source: content, filename }, caption });
  }

  sendDocument(chatId: string, content: Buffer, filename: string, caption?: string): Promise<Message.DocumentMessage> {
    return this.call('sendDocument', { chat_id: chatId, document: { source: content, filename }, caption });
  }

  getFile(fileId: string): Promise<File> {
    return this.call('getFile', { file_id: fileId });
  }

  /** Downloads a file by its getFile path, giving up past maxBytes without reading the rest. */
  async download(filePath: string, maxBytes: number): Promise<Download> {
    const result = await downloadMedia(new URL(`./file/bot${this.config.botToken}/${filePath}`, this.apiRoot + '/'), maxBytes);
    if (result.ok) return { ok: true, content: result.content };
    // The download URL holds the bot token: never let it into a stored reason.
    return result.tooLarge ? { ok: false, tooLarge: result.size, reason: '' } : { ok: false, tooLarge: null, reason: `download failed: ${this.redact(result.error)}` };
  }


  /** The bot token never belongs in a log line, an error shown to agents, or a stored URL. */
  redact(text: string): string {
    return text.split(this.config.botToken).join('<bot-token>');
  }

  private call<R>(method: string, payload: Record<string, unknown>, signal: AbortSignal = AbortSignal.timeout(CALL_TIMEOUT_MS)): Promise<R> {
    // callApi is typed per method; the payloads above follow the Bot API's documented shapes.
    const callApi = this.telegram.callApi.bind(this.telegram) as unknown as (m: string, p: unknown, o: { signal: unknown }) => Promise<R>;
    return callApi(method, payload, { signal }).catch((error: unknown) => {
      if (error instanceof Error) error.message = this.redact(error.message);
      throw error;
    });
  }
}
