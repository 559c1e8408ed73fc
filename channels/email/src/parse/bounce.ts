import { firstMessageId, messageIdsIn } from './message-ids';
import { fieldGroupsOf, headerSectionOf, RawHeaders } from './raw-headers';

export interface Bounce {
  action: 'failed' | 'delayed';
  /** Our message that did not arrive. */
  originalMessageId: string | null;
  recipient: string | null;
  /** The enhanced status code, e.g. `5.1.1`. */
  status: string | null;
  /** In words an agent understands, e.g. `Delivery to bob@example.com failed: 550 5.1.1 user unknown`. */
  reason: string;
}

export type DeliveryReport = { kind: 'bounce'; bounce: Bounce } | { kind: 'auto_reply'; reason: string };

export interface ReportInput {
  /** The top-level Content-Type, as mailparser parsed it. */
  contentType: { value: string; params: Record<string, string> } | null;
  headers: RawHeaders;
  from: { address: string; name: string | null };
  subject: string | null;
  /** The human-readable text of the mail. */
  text: string;
  /** The non-text parts (mailparser's attachments). */
  parts: ReadonlyArray<{ contentType: string; content: Buffer }>;
}

/** The machine parts of a report: not attachments an agent should see. */
export const REPORT_PART_TYPES: ReadonlySet<string> = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
]);
const STATUS_PART_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_PART_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

const DAEMON_LOCAL_PART = /^(?:mailer-daemon|mailerdaemon|mail-daemon|postmaster|mdaemon)$/i;
const DAEMON_NAME = /mail delivery (?:sub)?system|mailer[- ]daemon/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|returned to sender|delivery status notification|delivery (?:failure|failed|has failed|problem|incomplete)|mail delivery failed|failure notice|could not be delivered|non-?delivery|delayed mail|warning: message .* delayed|unzustellbar|non remis|no se puede entregar/i;
const DELAY_SUBJECT = /\bdela(?:y|yed)\b|\bwarning\b|\bretr(?:y|ying)\b/i;
const DELAY_BODY = /has not yet been delivered|will (?:continue|keep) (?:to be )?tr(?:y|ied|ying)|still (?:being )?retr/i;
const RETURNED_COPY = /^\s*-{2,}\s*(?:This is a copy of the message|Below this line is a copy|Original message|The original message|Undelivered message)/im;
const SMTP_REPLY = /(?:^|[\s:])([45]\d\d[ -].*)$/;
const ENHANCED_STATUS = /\b[245]\.\d{1,3}\.\d{1,3}\b/;

const STATUS_TEXT: Record<string, string> = {
  '5.1.1': 'the mailbox does not exist',
  '5.1.2': 'the domain does not exist',
  '5.1.10': 'the domain accepts no mail',
  '5.2.1': 'the mailbox is disabled',
  '4.2.2': 'the mailbox is full',
  '5.2.2': 'the mailbox is full',
  '5.2.3': 'the message is too large',
  '5.3.4': 'the message is too large',
  '5.4.4': 'the domain could not be found',
  '4.4.1': 'the receiving server did not answer',
  '4.4.7': 'delivery has been retried for too long',
  '5.4.7': 'delivery has been retried for too long',
  '5.7.1': 'the receiving server refused the message',
  '5.7.26': 'the message failed the receiving server\u2019s sender checks (SPF/DKIM/DMARC)',
};

/**
 * A delivery report, or null for any other mail.
 * - A standard DSN (RFC 3464, `multipart/report; report-type=delivery-status`): the per-recipient
 *   Action, Final-Recipient, Status and Diagnostic-Code of the `message/delivery-status` part; a
 *   failed recipient wins over a delayed one. A report where every recipient was delivered/relayed
 *   is a machine message (auto_reply), not a bounce; so is any other `multipart/report` (read
 *   receipts, abuse reports).
 * - The common non-standard bounce: from MAILER-DAEMON/postmaster with a bounce subject (or Exim's
 *   X-Failed-Recipients); recipient, SMTP reply and status are read from the text.
 * The original Message-ID comes from the returned message (`message/rfc822`) or its headers
 * (`text/rfc822-headers`), else from the headers quoted in the text, else In-Reply-To/References.
 */
export function readDeliveryReport(input: ReportInput): DeliveryReport | null {
  const type = input.contentType?.value.toLowerCase();
  if (type === 'multipart/report') {
    const reportType = (input.contentType?.params['report-type'] ?? '').toLowerCase();
    if (reportType === 'delivery-status' || reportType === 'global-delivery-status') return readDsn(input);
    return { kind: 'auto_reply', reason: `Content-Type: multipart/report; report-type=${reportType || '(none)'}` };
  }
  if (isFromDaemon(input.from) && (BOUNCE_SUBJECT.test(input.subject ?? '') || input.headers.has('x-failed-recipients'))) {
    return { kind: 'bounce', bounce: readPlainBounce(input) };
  }
  return null;
}

function readDsn(input: ReportInput): DeliveryReport {
  const statusPart = input.parts.find((part) => STATUS_PART_TYPES.has(part.contentType.toLowerCase()));
  const groups = statusPart ? fieldGroupsOf(statusPart.content.toString('utf8')) : [];
  const recipients = groups.filter((group) => group.has('final-recipient') || group.has('action'));
  const actionOf = (group: RawHeaders) => (group.get('action') ?? '').trim().split(/[\s(]/)[0].toLowerCase();
  const failed = recipients.filter((group) => actionOf(group) === 'failed');
  const delayed = recipients.filter((group) => actionOf(group) === 'delayed');
  const originalMessageId = originalMessageIdOf(input);

  if (recipients.length && !failed.length && !delayed.length) {
    const actions = [...new Set(recipients.map(actionOf).filter(Boolean))];
    return { kind: 'auto_reply', reason: `Delivery status notification: ${actions.join(', ') || 'no action'}` };
  }
  const chosen = failed[0] ?? delayed[0];
  if (!chosen) {
    // A report without a readable status part: still a bounce, described from its text.
    const plain = readPlainBounce(input);
    return { kind: 'bounce', bounce: { ...plain, originalMessageId } };
  }
  const action = failed.length ? 'failed' : 'delayed';
  const recipient = addressIn(chosen.get('final-recipient')) ?? addressIn(chosen.get('original-recipient'));
  const status = chosen.get('status')?.match(ENHANCED_STATUS)?.[0] ?? null;
  const diagnostic = cleanDiagnostic(chosen.get('diagnostic-code'));
  const others = (action === 'failed' ? failed : delayed).length - 1;
  return { kind: 'bounce', bounce: { action, originalMessageId, recipient, status, reason: describe(action, recipient, others, diagnostic, status) } };
}

function readPlainBounce(input: ReportInput): Bounce {
  const copyAt = input.text.search(RETURNED_COPY);
  const notice = copyAt === -1 ? input.text : input.text.slice(0, copyAt);
  const failedHeader = input.headers.get('x-failed-recipients');
  const recipient = (failedHeader ? addressIn(failedHeader.split(',')[0]) : null) ?? recipientLineIn(notice);
  const diagnostic = diagnosticIn(notice);
  const status = (diagnostic ?? notice).match(ENHANCED_STATUS)?.[0] ?? null;
  const action = DELAY_SUBJECT.test(input.subject ?? '') || DELAY_BODY.test(notice) ? 'delayed' : 'failed';
  const others = failedHeader ? failedHeader.split(',').filter((value) => value.trim()).length - 1 : 0;
  return { action, originalMessageId: originalMessageIdOf(input), recipient, status, reason: describe(action, recipient, others, diagnostic, status) };
}

function isFromDaemon(from: { address: string; name: string | null }): boolean {
  return DAEMON_LOCAL_PART.test(from.address.split('@')[0]) || DAEMON_NAME.test(from.name ?? '');
}

function originalMessageIdOf(input: ReportInput): string | null {
  for (const part of input.parts) {
    if (!ORIGINAL_PART_TYPES.has(part.contentType.toLowerCase())) continue;
    const id = firstMessageId(RawHeaders.parse(headerSectionOf(part.content)).get('message-id'));
    if (id) return id;
  }
  const copyAt = input.text.search(RETURNED_COPY);
  if (copyAt !== -1) {
    const quoted = /^\s*Message-ID:\s*(.+)$/im.exec(input.text.slice(copyAt));
    const id = firstMessageId(quoted?.[1]);
    if (id) return id;
  }
  return firstMessageId(input.headers.get('in-reply-to')) ?? messageIdsIn(input.headers.get('references')).at(-1) ?? null;
}

/** `rfc822; Bob@Example.com` → `bob@example.com`. */
function addressIn(value: string | null | undefined): string | null {
  if (!value) return null;
  const address = value.replace(/^\s*[\w.-]+\s*;/, '').trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/** A line that is just an address (Exim "  bob@example.com", qmail "<bob@example.com>:", Postfix "<bob@example.com>: host …"). */
function recipientLineIn(text: string): string | null {
  for (const line of text.split('\n')) {
    const match = /^\s*<?([^\s<>@:]+@[^\s<>:]+?)>?:?(?:\s|$)/.exec(line);
    if (match && (line.trim().startsWith('<') || !line.trim().includes(' '))) return match[1].toLowerCase();
  }
  return null;
}

/** The remote server's reply ("550 5.1.1 …"), with the indented lines that continue it. */
function diagnosticIn(text: string): string | null {
  const lines = text.split('\n');
  for (let at = 0; at < lines.length; at++) {
    const match = SMTP_REPLY.exec(lines[at]);
    if (!match) continue;
    let reply = match[1];
    for (let next = at + 1; next < lines.length && /^[ \t]+\S/.test(lines[next]); next++) reply += ` ${lines[next].trim()}`;
    return shorten(reply);
  }
  return null;
}

/** `smtp; 550 5.1.1 <bob@…>: …` → `550 5.1.1 <bob@…>: …` */
function cleanDiagnostic(value: string | null): string | null {
  if (!value) return null;
  const text = value.replace(/^\s*[\w.-]+\s*;\s*/, '');
  return text ? shorten(text) : null;
}

function shorten(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

function describe(action: 'failed' | 'delayed', recipient: string | null, others: number, diagnostic: string | null, status: string | null): string {
  const who = recipient ? `Delivery to ${recipient}${others > 0 ? ` (and ${others} other recipient${others > 1 ? 's' : ''})` : ''}` : 'Delivery';
  const what = action === 'failed' ? 'failed' : 'is delayed (the mail server keeps trying)';
  const why = diagnostic ?? (status ? (STATUS_TEXT[status] ? `${status} (${STATUS_TEXT[status]})` : status) : null);
  return why ? `${who} ${what}: ${why}` : `${who} ${what}`;
}
