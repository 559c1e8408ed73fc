import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(appSecret, raw body)>`, the value Meta sends in X-Hub-Signature-256. */
export function signMetaBody(appSecret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Constant-time check of X-Hub-Signature-256 over the raw bytes. Re-serialised JSON would not match:
 * Meta escapes every non-ASCII character as \uXXXX and `/` as `\/`.
 */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer, header: string | string[] | undefined): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  if (!given || !appSecret) return false;
  const expected = Buffer.from(signMetaBody(appSecret, rawBody));
  const actual = Buffer.from(given.trim().toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compares two secrets of any length in constant time (hashing first makes the lengths equal). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
