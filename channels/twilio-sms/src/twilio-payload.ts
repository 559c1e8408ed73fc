import { ChannelsErrorCode, ChannelsException, DeliveryEvent } from '@pasokh/channel-core';
import { describeTwilioError } from './twilio-errors';

/** Twilio's POST parameters, as sent: a repeated name keeps every value. */
export type TwilioParams = Record<string, string | string[]>;

/**
 * Reads the form from the raw bytes Twilio signed (not from a re-parsed body), so the signature is
 * checked against exactly the parameters that arrived, every one of them.
 */
export function formParams(rawBody: Buffer): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    const seen = params[key];
    params[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

export function param(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface TwilioInboundMedia {
  url: string;
  contentType: string;
}

export interface TwilioInbound {
  messageSid: string;
  from: string;
  body: string;
  media: TwilioInboundMedia[];
  /** WhatsApp senders on the same webhook can share a location. */
  location: { latitude: string; longitude: string; label: string | null } | null;
}

const MAX_MEDIA = 10;

/** The fields of an incoming-message webhook; a payload we cannot read is a 400 naming the field. */
export function readInbound(params: TwilioParams): TwilioInbound {
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsMessageSid');
  if (!messageSid || !/^[A-Za-z0-9]{10,64}$/.test(messageSid)) throw invalidPayload('MessageSid is missing or malformed');
  const from = param(params, 'From')?.trim();
  if (!from) throw invalidPayload('From is missing');

  const numMedia = param(params, 'NumMedia') ?? '0';
  if (!/^\d{1,2}$/.test(numMedia) || Number(numMedia) > MAX_MEDIA) throw invalidPayload(`NumMedia must be a number from 0 to ${MAX_MEDIA}`);
  const media: TwilioInboundMedia[] = [];
  for (let i = 0; i < Number(numMedia); i++) {
    const url = param(params, `MediaUrl${i}`);
    if (!url || !/^https?:\/\//i.test(url) || !URL.canParse(url)) throw invalidPayload(`MediaUrl${i} is missing or not a URL (NumMedia is ${numMedia})`);
    media.push({ url, contentType: param(params, `MediaContentType${i}`)?.trim() || 'application/octet-stream' });
  }

  const latitude = param(params, 'Latitude');
  const longitude = param(params, 'Longitude');
  const location =
    latitude && longitude && isCoordinate(latitude) && isCoordinate(longitude) ? { latitude, longitude, label: param(params, 'Label') ?? param(params, 'Address') ?? null } : null;

  return { messageSid, from, body: param(params, 'Body') ?? '', media, location };
}

/** The message text; what has no text of its own (a shared location) becomes a readable line. */
export function inboundText(inbound: TwilioInbound): string {
  if (!inbound.location) return inbound.body;
  const { latitude, longitude, label } = inbound.location;
  const line = `📍 Location${label ? ` (${label})` : ''}: ${latitude}, ${longitude} https://maps.google.com/?q=${latitude},${longitude}`;
  return inbound.body ? `${inbound.body}\n${line}` : line;
}

/**
 * A status callback as a delivery event. queued/accepted/sending (and anything Twilio adds later)
 * move nothing: the message is already "queued" on our side until Twilio says more.
 */
export function readStatusCallback(params: TwilioParams): DeliveryEvent | null {
  const providerMessageId = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  if (!providerMessageId) throw invalidPayload('MessageSid is missing');
  const status = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  if (!status) throw invalidPayload('MessageStatus is missing');
  switch (status) {
    case 'sent':
    case 'delivered':
    case 'read':
      return { providerMessageId, status };
    case 'undelivered':
    case 'failed': {
      const code = param(params, 'ErrorCode');
      return { providerMessageId, status: 'failed', error: code ? describeTwilioError(code, param(params, 'ErrorMessage')) : `Twilio reports the message ${status}` };
    }
    case 'canceled':
      return { providerMessageId, status: 'failed', error: 'the message was canceled at Twilio before it was sent' };
    default:
      return null;
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/amr': '.amr',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'application/pdf': '.pdf',
  'text/vcard': '.vcf',
  'text/x-vcard': '.vcf',
  'text/plain': '.txt',
};

/** MMS media have no file name: the media SID (last path segment) plus an extension from the type. */
export function mediaFilename(url: string, contentType: string, index: number): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  if (/^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9]{1,8}$/.test(last)) return last;
  const base = /^[A-Za-z0-9_-]{1,64}$/.test(last) ? last : `media-${index + 1}`;
  return base + (EXTENSIONS[contentType.toLowerCase().split(';')[0].trim()] ?? '');
}

function isCoordinate(value: string): boolean {
  return /^-?\d{1,3}(\.\d+)?$/.test(value);
}

function invalidPayload(reason: string) {
  return new ChannelsException(ChannelsErrorCode.INVALID_PAYLOAD, `Twilio webhook: ${reason}`);
}
