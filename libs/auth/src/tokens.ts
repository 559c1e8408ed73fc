import { createHash, randomBytes } from 'node:crypto';
import { TokenKind } from './api-token.entity';

const PREFIX: Record<TokenKind, string> = { session: 'psk_s_', api: 'psk_a_' };

/** A new bearer token: 256 random bits behind a prefix that says what it is (and lets scanners find leaks). */
export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
