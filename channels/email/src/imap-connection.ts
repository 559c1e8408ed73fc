import { ImapFlow } from 'imapflow';
import { ImapSettings } from './email-config';

// A server that accepts the TCP connection but never greets must not hang a sync loop or a form.
const CONNECT_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 10_000;
// Dovecot and most servers drop an IDLE after 30 minutes; NAT boxes often sooner. Restarting IDLE
// every few minutes keeps the connection known-alive without polling.
const MAX_IDLE_MS = 4 * 60_000;
// Start IDLE soon after a sync finishes, so new mail is announced within a second.
const AUTO_IDLE_DELAY_MS = 500;

export function createImapClient(imap: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    clientInfo: { name: 'Pasokh' },
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    maxIdleTime: MAX_IDLE_MS,
    autoIdleDelay: AUTO_IDLE_DELAY_MS,
  });
}

/** An imapflow or socket error in words an admin can act on; never includes the password. */
export function describeImapError(error: unknown, imap: Pick<ImapSettings, 'host' | 'port'>): string {
  const e = error as { authenticationFailed?: boolean; code?: string; responseText?: string; message?: string };
  if (e?.authenticationFailed) return `the IMAP server at ${imap.host} refused the user name or password${e.responseText ? ` (${e.responseText})` : ''}`;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `nothing answers on ${imap.host}:${imap.port} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the IMAP host ${imap.host} was not found`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `connecting to ${imap.host}:${imap.port} timed out`;
    case 'GREETING_TIMEOUT':
      return `${imap.host}:${imap.port} accepted the connection but never greeted (is it an IMAP port? TLS on a plain port?)`;
  }
  return e?.responseText || e?.message || String(error);
}
