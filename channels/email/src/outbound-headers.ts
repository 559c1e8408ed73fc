// RFC 5322 §3.6.4 lets References be trimmed: keep the thread's first message and the latest ones.
const MAX_REFERENCES = 20;
// "Re:", "RE:", "Aw:", "Sv:", "رد:" … repeated: one "Re:" is enough.
const REPLY_PREFIX = /^\s*((re|aw|sv|antw|ref|رد|پاسخ)\s*(\[\d+\])?\s*:\s*)+/i;
const TICKET_TAG = /\[#\d+\]/;

/** "Re: <subject> [#42]": the tag lets a reply find its ticket when every header is lost. */
export function replySubject(subject: string | null, ticketNumber: number): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').replace(TICKET_TAG, '').replace(/\s+/g, ' ').trim();
  return `Re: ${base ? `${base} ` : ''}[#${ticketNumber}]`;
}

/** In-Reply-To and References from the ticket's message ids; content hashes are not Message-IDs. */
export function threadHeaders(inReplyTo: string | null, earlier: string[]): { inReplyTo: string | null; references: string[] } {
  const ids = earlier.filter(isMessageId);
  const references = ids.length > MAX_REFERENCES ? [ids[0], ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return { inReplyTo: inReplyTo && isMessageId(inReplyTo) ? inReplyTo : (references.at(-1) ?? null), references };
}

function isMessageId(id: string): boolean {
  return id.includes('@') && !id.startsWith('sha256:') && !/[\s<>]/.test(id);
}

/** Our own Message-IDs carry the ticket: pasokh.<ticket uuid>.<message uuid>@domain. */
export function ticketIdInMessageId(id: string): string | null {
  return /^pasokh\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f-]{36}@/i.exec(id)?.[1] ?? null;
}

export function ticketNumberInSubject(subject: string | null): number | null {
  const match = /\[#(\d{1,12})\]/.exec(subject ?? '');
  return match ? Number(match[1]) : null;
}
