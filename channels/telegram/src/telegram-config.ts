import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';
import { randomBytes } from 'node:crypto';

export type TelegramMode = 'webhook' | 'polling';

export interface TelegramConfig {
  botToken: string;
  mode: TelegramMode;
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call. */
  secretToken?: string;
  /** The Bot API server; tests and self-hosted Bot API servers point it elsewhere. */
  apiRoot?: string;
}

export const DEFAULT_API_ROOT = 'https://api.telegram.org';

const FIELDS = ['botToken', 'mode', 'secretToken', 'apiRoot'];
// The shape BotFather hands out: "<bot id>:<35 characters>".
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
// What setWebhook accepts for secret_token.
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export function parseTelegramConfig(raw: unknown): TelegramConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidConfig('config must be an object');
  const input = raw as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw invalidConfig(`unknown config field ${unknown.join(', ')}`);

  if (typeof input.botToken !== 'string' || !BOT_TOKEN.test(input.botToken)) {
    throw invalidConfig('config.botToken must be the bot token from @BotFather, like 123456:ABC-DEF…');
  }
  if (input.mode !== 'webhook' && input.mode !== 'polling') throw invalidConfig('config.mode must be "webhook" or "polling"');
  const config: TelegramConfig = { botToken: input.botToken, mode: input.mode };

  if (input.secretToken !== undefined && input.secretToken !== null) {
    if (typeof input.secretToken !== 'string' || !SECRET_TOKEN.test(input.secretToken)) {
      throw invalidConfig('config.secretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    }
    config.secretToken = input.secretToken;
  } else if (config.mode === 'webhook') {
    // Without it anyone who guesses the webhook URL could post messages as any customer.
    config.secretToken = randomBytes(32).toString('base64url');
  }

  if (input.apiRoot !== undefined && input.apiRoot !== null) {
    if (typeof input.apiRoot !== 'string' || !/^https?:\/\//i.test(input.apiRoot) || !URL.canParse(input.apiRoot)) {
      throw invalidConfig('config.apiRoot must be an http(s) URL');
    }
    config.apiRoot = input.apiRoot.replace(/\/+$/, '');
  }
  return config;
}

export function apiRootOf(config: TelegramConfig): string {
  return config.apiRoot ?? DEFAULT_API_ROOT;
}

function invalidConfig(message: string): ChannelsException {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}
