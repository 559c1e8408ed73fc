import type { ChannelType } from '../api/types';

/** One field of a channel's config form; `path` is where it goes in `config` (dots nest). */
export interface ConfigField {
  path: string;
  kind: 'text' | 'secret' | 'number' | 'checkbox' | 'select' | 'list' | 'multiline' | 'calendar';
  required?: boolean;
  options?: string[];
  initial?: string | number | boolean;
}

/** The config fields an admin fills in per channel type (docs/API.md, "config by type"). */
export const CHANNEL_FORMS: Record<ChannelType, ConfigField[]> = {
  webchat: [
    { path: 'title', kind: 'text' },
    { path: 'greeting', kind: 'multiline' },
    { path: 'allowedOrigins', kind: 'list' },
    { path: 'calendarId', kind: 'calendar' },
    { path: 'awayMessage', kind: 'multiline' },
  ],
  api: [
    { path: 'callbackUrl', kind: 'text' },
    { path: 'secret', kind: 'secret' },
  ],
  telegram: [
    { path: 'botToken', kind: 'secret', required: true },
    { path: 'mode', kind: 'select', options: ['webhook', 'polling'], initial: 'webhook' },
    { path: 'secretToken', kind: 'secret' },
  ],
  twilio_sms: [
    { path: 'accountSid', kind: 'text', required: true },
    { path: 'authToken', kind: 'secret', required: true },
    { path: 'phoneNumber', kind: 'text' },
    { path: 'messagingServiceSid', kind: 'text' },
  ],
  whatsapp: [
    { path: 'phoneNumberId', kind: 'text', required: true },
    { path: 'accessToken', kind: 'secret', required: true },
    { path: 'appSecret', kind: 'secret', required: true },
    { path: 'verifyToken', kind: 'secret', required: true },
  ],
  messenger: [
    { path: 'pageId', kind: 'text', required: true },
    { path: 'pageAccessToken', kind: 'secret', required: true },
    { path: 'appSecret', kind: 'secret', required: true },
    { path: 'verifyToken', kind: 'secret', required: true },
  ],
  instagram: [
    { path: 'pageId', kind: 'text', required: true },
    { path: 'pageAccessToken', kind: 'secret', required: true },
    { path: 'appSecret', kind: 'secret', required: true },
    { path: 'verifyToken', kind: 'secret', required: true },
  ],
  email: [
    { path: 'fromAddress', kind: 'text', required: true },
    { path: 'fromName', kind: 'text' },
    { path: 'imap.host', kind: 'text', required: true },
    { path: 'imap.port', kind: 'number', initial: 993, required: true },
    { path: 'imap.secure', kind: 'checkbox', initial: true },
    { path: 'imap.user', kind: 'text', required: true },
    { path: 'imap.password', kind: 'secret', required: true },
    { path: 'imap.mailbox', kind: 'text' },
    { path: 'smtp.host', kind: 'text', required: true },
    { path: 'smtp.port', kind: 'number', initial: 587, required: true },
    { path: 'smtp.secure', kind: 'checkbox', initial: false },
    { path: 'smtp.user', kind: 'text' },
    { path: 'smtp.password', kind: 'secret' },
  ],
};

export type FormValues = Record<string, string | boolean>;

export function initialValues(type: ChannelType): FormValues {
  const values: FormValues = {};
  for (const field of CHANNEL_FORMS[type]) values[field.path] = field.kind === 'checkbox' ? field.initial === true : String(field.initial ?? '');
  return values;
}

/** A stored channel's config as form values; secrets are never returned, so they start empty. */
export function valuesFrom(type: ChannelType, config: Record<string, unknown>): FormValues {
  const values = initialValues(type);
  for (const field of CHANNEL_FORMS[type]) {
    if (field.kind === 'secret') continue;
    const value = field.path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
    if (value === undefined || value === null) continue;
    values[field.path] = field.kind === 'checkbox' ? value === true : Array.isArray(value) ? value.join(' ') : String(value);
  }
  return values;
}

/** The config object the API takes: empty optional fields left out, numbers as numbers, lists split. */
export function toConfig(type: ChannelType, values: FormValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of CHANNEL_FORMS[type]) {
    const raw = values[field.path];
    let value: unknown;
    if (field.kind === 'checkbox') value = raw === true;
    else {
      const text = String(raw ?? '').trim();
      if (!text) continue;
      if (field.kind === 'number') value = Number(text);
      else if (field.kind === 'list') value = text.split(/[\s,]+/).filter(Boolean);
      else value = text;
    }
    const keys = field.path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return config;
}
