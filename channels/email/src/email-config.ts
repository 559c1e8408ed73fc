import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';
import { normalizeEmail } from '@pasokh/common';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the start (993); false: STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** Where sent replies are also filed (IMAP APPEND), e.g. "Sent"; unset: not filed. */
  sentMailbox?: string;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

export interface EmailConfig {
  imap: ImapSettings;
  smtp: SmtpSettings;
  fromAddress: string;
  fromName?: string;
  /** The first sync imports mail received since this instant; unset: only mail that arrives after the channel is added. */
  importSince?: string;
}

export const EMAIL_SECRET_FIELDS = ['imap.password', 'smtp.password'] as const;

const TOP_FIELDS = ['imap', 'smtp', 'fromAddress', 'fromName', 'importSince'];
const IMAP_FIELDS = ['host', 'port', 'secure', 'user', 'password', 'mailbox', 'sentMailbox'];
const SMTP_FIELDS = ['host', 'port', 'secure', 'user', 'password'];

export function parseEmailConfig(raw: unknown): EmailConfig {
  const input = object(raw, 'config');
  onlyKnown(input, TOP_FIELDS, 'config');
  const imapIn = object(input.imap, 'config.imap');
  onlyKnown(imapIn, IMAP_FIELDS, 'config.imap');
  const smtpIn = object(input.smtp, 'config.smtp');
  onlyKnown(smtpIn, SMTP_FIELDS, 'config.smtp');

  const imap: ImapSettings = {
    host: host(imapIn.host, 'config.imap.host'),
    port: port(imapIn.port, 'config.imap.port'),
    secure: bool(imapIn.secure, 'config.imap.secure'),
    user: text(imapIn.user, 'config.imap.user'),
    password: text(imapIn.password, 'config.imap.password'),
    mailbox: imapIn.mailbox === undefined || imapIn.mailbox === null ? 'INBOX' : text(imapIn.mailbox, 'config.imap.mailbox'),
  };
  if (imapIn.sentMailbox !== undefined && imapIn.sentMailbox !== null && imapIn.sentMailbox !== '') imap.sentMailbox = text(imapIn.sentMailbox, 'config.imap.sentMailbox');

  const smtp: SmtpSettings = {
    host: host(smtpIn.host, 'config.smtp.host'),
    port: port(smtpIn.port, 'config.smtp.port'),
    secure: bool(smtpIn.secure, 'config.smtp.secure'),
  };
  if (smtpIn.user !== undefined && smtpIn.user !== null && smtpIn.user !== '') {
    smtp.user = text(smtpIn.user, 'config.smtp.user');
    smtp.password = text(smtpIn.password, 'config.smtp.password');
  }

  const fromAddress = normalizeEmail(typeof input.fromAddress === 'string' ? input.fromAddress : null);
  if (!fromAddress) throw invalid('config.fromAddress must be an email address');
  const config: EmailConfig = { imap, smtp, fromAddress };
  if (input.fromName !== undefined && input.fromName !== null && input.fromName !== '') {
    config.fromName = text(input.fromName, 'config.fromName').slice(0, 200);
  }
  if (input.importSince !== undefined && input.importSince !== null) {
    if (typeof input.importSince !== 'string' || Number.isNaN(Date.parse(input.importSince))) {
      throw invalid('config.importSince must be an ISO 8601 date, like 2026-01-01');
    }
    config.importSince = new Date(input.importSince).toISOString();
  }
  return config;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function onlyKnown(input: Record<string, unknown>, fields: string[], name: string): void {
  const unknown = Object.keys(input).filter((k) => !fields.includes(k));
  if (unknown.length) throw invalid(`unknown field ${unknown.map((k) => `${name}.${k}`).join(', ')}`);
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 500) throw invalid(`${name} must be a non-empty string`);
  return value;
}

function host(value: unknown, name: string): string {
  const h = text(value, name).trim();
  if (!/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:]+\]?$/.test(h)) throw invalid(`${name} must be a host name or IP address`);
  return h;
}

function port(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) throw invalid(`${name} must be a port number (1-65535)`);
  return value as number;
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true (TLS from the start) or false (STARTTLS when offered)`);
  return value;
}

function invalid(message: string): ChannelsException {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}
