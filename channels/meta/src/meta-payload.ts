import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';

/** Shapes of Meta's webhook bodies (Messenger Platform and WhatsApp Cloud API), as far as we read them. */

export interface MessagingAttachment {
  type: string;
  payload?: { url?: string; title?: string; sticker_id?: number; coordinates?: { lat?: number; long?: number } } | null;
  title?: string;
}

/** One `entry[].messaging[]` item of a Messenger (`object: page`) or Instagram (`object: instagram`) webhook. */
export interface MessagingEvent {
  sender: { id: string };
  recipient?: { id: string };
  timestamp?: number;
  message?: { mid: string; text?: string; is_echo?: boolean; is_deleted?: boolean; attachments?: MessagingAttachment[]; quick_reply?: { payload?: string } };
  message_edit?: { mid: string; text?: string };
  reaction?: { mid: string; action?: string; reaction?: string; emoji?: string };
  postback?: { mid?: string; title?: string; payload?: string };
  delivery?: { mids?: string[] };
  read?: { mid?: string; watermark?: number };
}

export interface PageEntry {
  id: string;
  time?: number;
  messaging?: MessagingEvent[];
}

export interface WhatsAppMedia {
  id: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
}

export interface WhatsAppMessage {
  id: string;
  from: string;
  timestamp?: string;
  type: string;
  text?: { body?: string };
  image?: WhatsAppMedia;
  video?: WhatsAppMedia;
  audio?: WhatsAppMedia & { voice?: boolean };
  document?: WhatsAppMedia;
  sticker?: WhatsAppMedia & { animated?: boolean };
  location?: { latitude?: number; longitude?: number; name?: string; address?: string; url?: string };
  reaction?: { message_id?: string; emoji?: string };
  button?: { text?: string; payload?: string };
  interactive?: { type?: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string; description?: string } };
  contacts?: Array<{ name?: { formatted_name?: string }; phones?: Array<{ phone?: string }> }>;
  errors?: Array<{ code?: number; title?: string; message?: string }>;
}

export interface WhatsAppStatus {
  id: string;
  status: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: Array<{ code?: number; title?: string; message?: string; error_data?: { details?: string } }>;
}

export interface WhatsAppValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: WhatsAppMessage[];
  statuses?: WhatsAppStatus[];
}

/** `entry[]` of a webhook whose `object` is one of `objects`; a body that is not one is a 400 with the reason. */
export function readEntries<T>(body: unknown, objects: readonly string[]): T[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidPayload('the body must be a JSON object');
  const { object, entry } = body as { object?: unknown; entry?: unknown };
  if (typeof object !== 'string' || !objects.includes(object)) throw invalidPayload(`object must be ${objects.map((o) => `"${o}"`).join(' or ')}`);
  if (!Array.isArray(entry)) throw invalidPayload('entry must be an array');
  entry.forEach((e, i) => {
    if (typeof e !== 'object' || e === null) throw invalidPayload(`entry[${i}] must be an object`);
  });
  return entry as T[];
}

/** Checks the fields we rely on, so a malformed item is a 400 naming it rather than a 500. */
export function assertFields(item: unknown, where: string, fields: string[]): void {
  if (typeof item !== 'object' || item === null) throw invalidPayload(`${where} must be an object`);
  for (const path of fields) {
    let node: unknown = item;
    for (const key of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'string' || !node) throw invalidPayload(`${where}.${path} must be a non-empty string`);
  }
}

export function arrayAt<T>(value: unknown, where: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidPayload(`${where} must be an array`);
  return value as T[];
}

export function invalidPayload(reason: string) {
  return new ChannelsException(ChannelsErrorCode.INVALID_PAYLOAD, reason);
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
};

/** A file name for media the provider sends without one. */
export function fallbackFilename(kind: string, id: string, contentType: string | null | undefined): string {
  const ext = EXTENSIONS[(contentType ?? '').split(';')[0].trim().toLowerCase()] ?? 'bin';
  return `${kind}-${id.replace(/[^\w.-]/g, '').slice(-24) || 'file'}.${ext}`;
}

export function mapsLink(latitude: number, longitude: number): string {
  return `https://maps.google.com/?q=${latitude},${longitude}`;
}
