import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, EmailAddress, ParsedMail, SimpleParserOptions, StructuredHeader } from 'mailparser';
import { autoReplyReason } from './auto-reply';
import { readDeliveryReport, REPORT_PART_TYPES } from './bounce';
import { contentHash } from './content-hash';
import { EmailParseError } from './email-parse.error';
import { isForwarded } from './forwarded';
import { firstMessageId, messageIdsIn } from './message-ids';
import { plainTextToHtml } from './plain-text-html';
import { collapseQuotedHtml, textOfHtml } from './quoted-html';
import { splitQuotedText } from './quoted-text';
import { RawHeaders } from './raw-headers';

export interface ParsedEmailAttachment {
  filename: string;
  contentType: string;
  /** mailparser's buffer itself, not a copy. */
  content: Buffer;
  /** Content-ID without `<>`. */
  contentId: string | null;
  /** Shown inside the HTML (referenced as `cid:`), not in the attachment list. */
  inline: boolean;
}

export interface ParsedEmail {
  /** Message-ID without `<>`; null when the mail has none. */
  messageId: string | null;
  /** messageId, or `sha256:<hex>` of the mail's content when it has none (stable across redeliveries). */
  externalMessageId: string;
  inReplyTo: string[];
  /** In header order, each once. */
  references: string[];
  from: { address: string; name: string | null };
  replyTo: { address: string; name: string | null } | null;
  to: string[];
  cc: string[];
  subject: string | null;
  date: Date | null;
  /** The new content only: quoted history removed (the whole text when it is all quote, or a forward). */
  text: string;
  /**
   * The whole mail as HTML (from text/html, or text/plain escaped with line breaks), its quoted
   * history in `<details data-quoted><summary>…</summary>…</details>`; `cid:` references kept.
   * NOT sanitized: ingest runs sanitizeMessageHtml on it (which keeps that `<details data-quoted>`).
   */
  html: string;
  /** Regular and inline (cid) attachments; a bounce's machine parts are left out. */
  attachments: ParsedEmailAttachment[];
  kind: 'message' | 'auto_reply' | 'bounce';
  /** Why the mail is automatic, e.g. `Auto-Submitted: auto-replied`, `Precedence: bulk`; set only for kind auto_reply. */
  autoReplyReason: string | null;
  bounce: {
    action: 'failed' | 'delayed';
    originalMessageId: string | null;
    recipient: string | null;
    status: string | null;
    reason: string;
  } | null;
  /** A forward starts a new ticket even if its References match a thread. */
  forwarded: boolean;
}

const PARSER_OPTIONS: SimpleParserOptions = {
  // cid: references stay in the HTML: the web app swaps them for the stored attachment (the default
  // would inline every image as a data: URL, a second copy of each image in memory).
  keepCidLinks: true,
  // A DSN's message/delivery-status part is read by bounce.ts, not pasted into the text.
  keepDeliveryStatus: true,
  // An attached message (a DSN's returned message, a forward as attachment) stays an attachment.
  ignoreEmbedded: true,
  // Attachment hashes for the content hash, computed while mailparser streams each part.
  checksumAlgo: 'sha256',
};

/**
 * A raw RFC 5322 mail → everything the email channel needs to ingest it. Pure: no NestJS, no database.
 * Throws EmailParseError (with a reason an admin understands) for mail that cannot become a
 * message: empty input, no header block, no usable From address, MIME mailparser cannot read.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  assertHeaderBlock(raw);
  const mail = await readMime(raw);
  const headers = RawHeaders.fromLines(mail.headerLines ?? []);
  const from = fromOf(mail.from, headers.get('from'));
  const messageId = firstMessageId(headers.get('message-id'));
  const subject = mail.subject?.replace(/\s+/g, ' ').trim() || null;
  const rawDate = headers.get('date');
  const date = parseDate(rawDate);
  const sourceHtml = typeof mail.html === 'string' && mail.html.trim() ? mail.html : null;
  const fullText = bodyText(mail.text, sourceHtml);
  const to = addressesOf(mail.to);

  const report = readDeliveryReport({
    contentType: structured(mail.headers.get('content-type')),
    headers,
    from,
    subject,
    text: fullText,
    parts: mail.attachments,
  });
  const bounce = report?.kind === 'bounce' ? report.bounce : null;
  const autoReply = report?.kind === 'auto_reply' ? report.reason : report ? null : autoReplyReason(headers);
  const kind = bounce ? 'bounce' : autoReply ? 'auto_reply' : 'message';
  // A forward's "quoted" part is what the customer wants us to read; a bounce has no history.
  const forwarded = kind !== 'bounce' && isForwarded(subject, fullText);
  const collapse = kind !== 'bounce' && !forwarded;
  const split = collapse ? splitQuotedText(fullText) : null;
  const text = split?.fresh ?? (fullText || bounce?.reason || '');
  const html = sourceHtml !== null ? collapseQuotedHtml(sourceHtml, { collapse }).html : text ? plainTextToHtml(split?.fresh ?? text, split?.quoted ?? null) : '';

  return {
    messageId,
    externalMessageId:
      messageId ??
      contentHash({
        from: from.address,
        to,
        date: date?.toISOString() ?? rawDate ?? '',
        subject: subject ?? '',
        text: fullText,
        html: sourceHtml ?? '',
        attachments: mail.attachments.map((part) => part.checksum),
      }),
    inReplyTo: messageIdsIn(headers.get('in-reply-to')),
    references: messageIdsIn(headers.getAll('references').join(' ')),
    from,
    replyTo: mailboxesOf(mail.replyTo)[0] ?? null,
    to,
    cc: addressesOf(mail.cc),
    subject,
    date,
    text,
    html,
    attachments: attachmentsOf(mail.attachments, sourceHtml, kind === 'bounce'),
    kind,
    autoReplyReason: kind === 'auto_reply' ? autoReply : null,
    bounce,
    forwarded,
  };
}

/** Cheap checks before mailparser, which accepts anything (a text file parses as a mail with no headers). */
function assertHeaderBlock(raw: Buffer): void {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw new EmailParseError('the message is empty');
  const start = raw.subarray(0, 4096).toString('latin1');
  if (!start.trim() && raw.length <= 4096) throw new EmailParseError('the message is empty (only blank lines)');
  // An mbox "From sender date" separator line may come first.
  const head = /^From [^:]/.test(start) ? start.slice(start.indexOf('\n') + 1) : start;
  const firstLine = head.split(/\r?\n/)[0];
  if (!firstLine.trim()) throw new EmailParseError('the message has no header block: it starts with an empty line');
  if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(firstLine)) {
    const shown = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
    throw new EmailParseError(`the message has no header block: it starts with "${shown}" instead of header fields such as "From:"`);
  }
}

async function readMime(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, PARSER_OPTIONS);
  } catch (error) {
    throw new EmailParseError(`the message could not be read as MIME: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function fromOf(from: AddressObject | undefined, raw: string | null): { address: string; name: string | null } {
  if (raw === null) throw new EmailParseError('the message has no From header');
  const mailbox = mailboxesOf(from)[0];
  if (!mailbox) throw new EmailParseError(`the From header (${raw.trim() || 'empty'}) has no usable email address`);
  return mailbox;
}

const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

/** Mailboxes with a usable address, groups flattened, addresses lower-cased. */
function mailboxesOf(header: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string | null }> {
  const flat: EmailAddress[] = [];
  const visit = (entries: EmailAddress[]) => entries.forEach((entry) => (entry.group ? visit(entry.group) : flat.push(entry)));
  for (const object of header === undefined ? [] : Array.isArray(header) ? header : [header]) visit(object.value);
  return flat
    .map((entry) => ({ address: (entry.address ?? '').trim().toLowerCase(), name: entry.name?.replace(/\s+/g, ' ').trim() || null }))
    .filter((entry) => ADDRESS.test(entry.address));
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  return [...new Set(mailboxesOf(header).map((mailbox) => mailbox.address))];
}

/** The Date header read here: mailparser puts the current time in place of a date it cannot read. */
function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

function bodyText(text: string | undefined, html: string | null): string {
  // Empty text next to HTML means mailparser could not convert the HTML (too deep or too long).
  const body = text?.trim() ? text : html ? textOfHtml(html) : '';
  return body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

function structured(value: unknown): StructuredHeader | null {
  return value && typeof value === 'object' && 'value' in value && typeof (value as StructuredHeader).value === 'string' ? (value as StructuredHeader) : null;
}

function attachmentsOf(parts: Attachment[], html: string | null, bounce: boolean): ParsedEmailAttachment[] {
  const referenced = cidReferences(html);
  return parts
    .filter((part) => !(bounce && REPORT_PART_TYPES.has(part.contentType.toLowerCase())))
    .map((part, at) => {
      const contentType = part.contentType.toLowerCase();
      const contentId = part.cid?.trim() || null;
      // Inline: the HTML shows it; or MIME says it belongs to the HTML (inline, in multipart/related)
      // even if the reference is spelled in a way we did not recognise.
      const inline = !!contentId && (referenced.has(contentId.toLowerCase()) || (part.contentDisposition === 'inline' && !!part.related));
      return { filename: part.filename?.trim() || defaultFilename(contentType, at), contentType, content: part.content, contentId, inline };
    });
}

function cidReferences(html: string | null): Set<string> {
  const ids = new Set<string>();
  for (const match of html?.matchAll(/\bcid:([^"'\s)>]+)/gi) ?? []) {
    let id = match[1].replace(/^<|>$/g, '');
    try {
      id = decodeURIComponent(id);
    } catch {
      // not URL-encoded after all
    }
    ids.add(id.toLowerCase());
  }
  return ids;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'message/rfc822': 'eml',
};

function defaultFilename(contentType: string, at: number): string {
  const base = contentType.startsWith('image/') ? 'image' : contentType === 'message/rfc822' ? 'message' : 'attachment';
  return `${base}-${at + 1}.${EXTENSIONS[contentType] ?? 'bin'}`;
}
