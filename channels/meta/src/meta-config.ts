import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com/v21.0';

/** Messenger and Instagram Direct: a Facebook Page (Instagram accounts are reached through their Page). */
export interface PageChannelConfig {
  pageId: string;
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Graph API root including the version, e.g. https://graph.facebook.com/v21.0. */
  graphBaseUrl: string;
}

export interface WhatsAppChannelConfig {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphBaseUrl: string;
}

/** Every Meta channel signs webhooks with the app secret and verifies subscriptions with a token. */
export interface MetaWebhookConfig {
  appSecret: string;
  verifyToken: string;
}

export const PAGE_SECRET_FIELDS = ['pageAccessToken', 'appSecret', 'verifyToken'] as const;
export const WHATSAPP_SECRET_FIELDS = ['accessToken', 'appSecret', 'verifyToken'] as const;

export function parsePageConfig(raw: unknown): PageChannelConfig {
  const input = readObject(raw, ['pageId', 'pageAccessToken', 'appSecret', 'verifyToken', 'graphBaseUrl']);
  return {
    pageId: graphId(input, 'pageId'),
    pageAccessToken: requiredString(input, 'pageAccessToken'),
    appSecret: requiredString(input, 'appSecret'),
    verifyToken: requiredString(input, 'verifyToken'),
    graphBaseUrl: graphBaseUrl(input),
  };
}

export function parseWhatsAppConfig(raw: unknown): WhatsAppChannelConfig {
  const input = readObject(raw, ['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken', 'graphBaseUrl']);
  return {
    phoneNumberId: graphId(input, 'phoneNumberId'),
    accessToken: requiredString(input, 'accessToken'),
    appSecret: requiredString(input, 'appSecret'),
    verifyToken: requiredString(input, 'verifyToken'),
    graphBaseUrl: graphBaseUrl(input),
  };
}

function readObject(raw: unknown, known: string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidConfig('config must be an object');
  const input = raw as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) throw invalidConfig(`unknown config field ${unknown.join(', ')}`);
  return input;
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || !value.trim()) throw invalidConfig(`config.${field} must be a non-empty string`);
  return value.trim();
}

/** Graph object ids are numeric strings; anything else would end up in a URL path. */
function graphId(input: Record<string, unknown>, field: string): string {
  const value = typeof input[field] === 'number' ? String(input[field]) : input[field];
  if (typeof value !== 'string' || !/^\d{1,32}$/.test(value.trim())) throw invalidConfig(`config.${field} must be the numeric id Meta shows for it`);
  return value.trim();
}

function graphBaseUrl(input: Record<string, unknown>): string {
  const value = input.graphBaseUrl;
  if (value === undefined || value === null || value === '') return DEFAULT_GRAPH_BASE_URL;
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) {
    throw invalidConfig('config.graphBaseUrl must be an http(s) URL including the API version, e.g. https://graph.facebook.com/v21.0');
  }
  return value.replace(/\/+$/, '');
}

function invalidConfig(message: string) {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}
