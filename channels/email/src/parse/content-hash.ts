import { createHash } from 'node:crypto';

export interface HashedContent {
  from: string;
  to: readonly string[];
  /** The Date header as an instant (ISO), or as written when it does not parse. */
  date: string;
  subject: string;
  text: string;
  /** The HTML counts only when there is no text. */
  html: string;
  /** SHA-256 of each attachment's content, in order. */
  attachments: readonly string[];
}

/**
 * The id of a mail without a Message-ID: `sha256:<hex>` over what its sender wrote (from, to, date,
 * subject, body, attachment hashes), never over the raw bytes, so the same mail delivered twice
 * (with other Received / Return-Path / Delivered-To headers, or another line ending) gets the same id.
 */
export function contentHash(content: HashedContent): string {
  const text = normaliseBody(content.text);
  const normalised = {
    from: content.from.toLowerCase(),
    to: content.to.map((address) => address.toLowerCase()),
    date: content.date.trim(),
    subject: content.subject.replace(/\s+/g, ' ').trim(),
    text,
    html: text ? '' : normaliseBody(content.html),
    attachments: content.attachments,
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(normalised)).digest('hex')}`;
}

function normaliseBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}
