import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';

/** A file the customer sent; the adapter downloads it with the bot's credentials. */
export interface TelegramMediaRef {
  fileId: string;
  /** As Telegram reports it; absent for some kinds, so the download also counts bytes. */
  fileSize: number | null;
  filename: string;
  contentType: string;
}

/** A private-chat message read from an Update, before any download. */
export interface ParsedTelegramMessage {
  externalMessageId: string;
  from: { externalId: string; name: string | null };
  text: string;
  sentAt: Date | null;
  edited: boolean;
  media: TelegramMediaRef[];
  sharedContact: { phone: string; name: string | null } | null;
}

export type ParsedUpdate = { kind: 'message'; message: ParsedTelegramMessage } | { kind: 'ignored'; reason: string };

type Json = Record<string, unknown>;

/**
 * Update → one channel-neutral message, shared by the webhook and the long-polling paths.
 * Support is 1:1, so only private chats count; updates that carry no message are ignored.
 * Throws ChannelsException(INVALID_PAYLOAD) for something that is not a Telegram update.
 */
export function parseTelegramUpdate(update: unknown): ParsedUpdate {
  if (!isObject(update)) throw invalid('the body must be a Telegram Update object');
  if (!Number.isInteger(update.update_id)) throw invalid('update_id must be an integer');
  const edited = update.message === undefined && update.edited_message !== undefined;
  const message = update.message ?? update.edited_message;
  if (message === undefined) return { kind: 'ignored', reason: `update ${update.update_id} carries no message (${Object.keys(update).filter((k) => k !== 'update_id').join(', ') || 'empty'})` };
  if (!isObject(message)) throw invalid(`${edited ? 'edited_message' : 'message'} must be an object`);

  const chat = message.chat;
  if (!isObject(chat) || !Number.isInteger(chat.id) || typeof chat.type !== 'string') throw invalid('message.chat must have an integer id and a type');
  if (chat.type !== 'private') return { kind: 'ignored', reason: `message in a ${chat.type} chat (only private chats are support conversations)` };
  if (!Number.isInteger(message.message_id)) throw invalid('message.message_id must be an integer');
  const from = message.from;
  if (!isObject(from) || !Number.isInteger(from.id)) throw invalid('message.from must have an integer id');

  const parts: string[] = [];
  const text = str(message.text) ?? str(message.caption);
  if (text) parts.push(text);
  const media = mediaOf(message);
  const special = describeSpecial(message);
  if (special) parts.push(special);
  const contact = sharedContactOf(message);
  if (!parts.length && !media.length) parts.push(`[unsupported Telegram message: ${kindOf(message)}]`);

  const date = Number.isInteger(message.edit_date) ? (message.edit_date as number) : Number.isInteger(message.date) ? (message.date as number) : null;
  return {
    kind: 'message',
    message: {
      externalMessageId: `${chat.id}:${message.message_id}`,
      from: { externalId: String(from.id), name: displayName(from) },
      text: parts.join('\n'),
      sentAt: date === null ? null : new Date(date * 1000),
      edited,
      media,
      sharedContact: contact,
    },
  };
}

function displayName(from: Json): string | null {
  const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ').trim();
  if (name) return name;
  const username = str(from.username);
  return username ? `@${username}` : null;
}

function mediaOf(message: Json): TelegramMediaRef[] {
  const id = message.message_id as number;
  const media: TelegramMediaRef[] = [];
  if (Array.isArray(message.photo) && message.photo.length) {
    // Telegram lists the same picture in several sizes; keep only the largest.
    const largest = message.photo.filter(isObject).reduce((best, size) => (area(size) >= area(best) ? size : best));
    media.push(ref(largest, `photo_${id}.jpg`, 'image/jpeg'));
  }
  // An animation also arrives as a document with the same file: take it once.
  if (isObject(message.animation)) media.push(ref(message.animation, `animation_${id}.mp4`, 'video/mp4'));
  else if (isObject(message.document)) media.push(ref(message.document, `document_${id}`, 'application/octet-stream'));
  if (isObject(message.video)) media.push(ref(message.video, `video_${id}.mp4`, 'video/mp4'));
  if (isObject(message.video_note)) media.push(ref(message.video_note, `video_note_${id}.mp4`, 'video/mp4'));
  if (isObject(message.voice)) media.push(ref(message.voice, `voice_${id}.ogg`, 'audio/ogg'));
  if (isObject(message.audio)) media.push(ref(message.audio, `audio_${id}.mp3`, 'audio/mpeg'));
  return media;
}

function ref(file: Json, fallbackName: string, fallbackType: string): TelegramMediaRef {
  if (typeof file.file_id !== 'string' || !file.file_id) throw invalid('a media object must have a file_id');
  return {
    fileId: file.file_id,
    fileSize: Number.isInteger(file.file_size) ? (file.file_size as number) : null,
    filename: str(file.file_name) ?? fallbackName,
    contentType: str(file.mime_type) ?? fallbackType,
  };
}

function area(size: Json): number {
  return Number(size.width) * Number(size.height) || Number(size.file_size) || 0;
}

/** Kinds we do not store as files become text an agent can read. */
function describeSpecial(message: Json): string | null {
  if (isObject(message.sticker)) return `[sticker${str(message.sticker.emoji) ? ` ${message.sticker.emoji}` : ''}]`;
  if (isObject(message.venue) && isObject(message.venue.location)) {
    const { title, address, location } = message.venue as { title?: unknown; address?: unknown; location: Json };
    const label = [str(title), str(address)].filter(Boolean).join(', ');
    return `📍 ${label ? `${label}: ` : 'Location: '}${place(location)}`;
  }
  if (isObject(message.location)) return `📍 Location: ${place(message.location)}`;
  if (isObject(message.contact)) {
    const contact = message.contact;
    const name = [str(contact.first_name), str(contact.last_name)].filter(Boolean).join(' ');
    return `📇 Contact: ${[name, phoneOf(contact)].filter(Boolean).join(' ')}`;
  }
  if (isObject(message.poll)) return `[poll: ${str(message.poll.question) ?? ''}]`;
  if (isObject(message.dice)) return `[dice ${str(message.dice.emoji) ?? '🎲'} ${message.dice.value}]`;
  return null;
}

function place(location: Json): string {
  const lat = Number(location.latitude);
  const lon = Number(location.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw invalid('a location must have numeric latitude and longitude');
  return `${lat}, ${lon} https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function sharedContactOf(message: Json): ParsedTelegramMessage['sharedContact'] {
  if (!isObject(message.contact)) return null;
  const phone = phoneOf(message.contact);
  if (!phone) return null;
  const name = [str(message.contact.first_name), str(message.contact.last_name)].filter(Boolean).join(' ');
  return { phone, name: name || null };
}

/** Telegram sends the number with or without the leading +; it is always international. */
function phoneOf(contact: Json): string | null {
  const phone = str(contact.phone_number);
  if (!phone) return null;
  return /^\d/.test(phone) ? `+${phone}` : phone;
}

function kindOf(message: Json): string {
  const known = ['message_id', 'from', 'chat', 'date', 'edit_date', 'text', 'caption', 'entities', 'caption_entities', 'sender_chat', 'reply_to_message', 'forward_origin'];
  return Object.keys(message).find((k) => !known.includes(k)) ?? 'empty message';
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(reason: string): ChannelsException {
  return new ChannelsException(ChannelsErrorCode.INVALID_PAYLOAD, `not a Telegram update: ${reason}`);
}
