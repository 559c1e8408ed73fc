import type { RawHeaders } from './raw-headers';

const PRECEDENCE_AUTOMATIC = new Set(['bulk', 'junk', 'list', 'auto_reply']);

/**
 * Why a mail was sent by a machine rather than a person (RFC 3834 and the headers vacation
 * responders and mailing software really send), as `Header: value`; null for a person's mail.
 * - `Auto-Submitted` with any value but `no`
 * - `X-Autoreply`, `X-Autorespond` (any value)
 * - `Precedence: bulk | junk | list` (and `auto_reply`, which some vacation programs use)
 */
export function autoReplyReason(headers: RawHeaders): string | null {
  const autoSubmitted = headers.get('auto-submitted');
  if (autoSubmitted !== null) {
    const value = autoSubmitted.split(';')[0].trim().toLowerCase();
    if (value && value !== 'no') return `Auto-Submitted: ${value}`;
  }
  for (const name of ['X-Autoreply', 'X-Autorespond']) {
    const value = headers.get(name);
    if (value !== null) return `${name}: ${value.trim() || '(empty)'}`;
  }
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence && PRECEDENCE_AUTOMATIC.has(precedence)) return `Precedence: ${precedence}`;
  return null;
}
