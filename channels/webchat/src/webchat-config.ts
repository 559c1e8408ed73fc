import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';

export type WebchatConfig = {
  /** Sites that may open the widget (scheme://host[:port]); empty: any site. */
  allowedOrigins: string[];
  /** The panel's heading. */
  title: string | null;
  /** Shown above the conversation before the visitor writes. */
  greeting: string | null;
  /** The team's business hours (a calendar id): outside them the widget says when the team is back. */
  calendarId: string | null;
  /** Shown outside business hours instead of the widget's own words. */
  awayMessage: string | null;
};

const FIELDS = ['allowedOrigins', 'title', 'greeting', 'calendarId', 'awayMessage'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORIGIN = /^https?:\/\/[^/\s?#]+$/i;

export function parseWebchatConfig(raw: unknown): WebchatConfig {
  const input = (raw ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw invalid(`unknown config field ${unknown.join(', ')}`);
  const origins = input.allowedOrigins ?? [];
  if (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string' || !ORIGIN.test(o))) {
    throw invalid('config.allowedOrigins must be a list of origins such as "https://shop.example"');
  }
  return {
    allowedOrigins: origins.map((o: string) => o.toLowerCase()),
    title: optionalText(input.title, 'title', 80),
    greeting: optionalText(input.greeting, 'greeting', 500),
    calendarId: calendarId(input.calendarId),
    awayMessage: optionalText(input.awayMessage, 'awayMessage', 500),
  };
}

function calendarId(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid('config.calendarId must be the id of business hours (GET /api/calendars)');
  return value;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > max) throw invalid(`config.${field} must be text of at most ${max} characters`);
  return value;
}

function invalid(message: string): ChannelsException {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}
