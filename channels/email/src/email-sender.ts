import { Injectable, Logger } from '@nestjs/common';
import { DeliveryError, OutboundMessage, ResolvedChannel } from '@pasokh/channel-core';
import { createHash } from 'node:crypto';
import nodemailer, { Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { EmailConfig, SmtpSettings } from './email-config';
import { createImapClient, describeImapError } from './imap-connection';
import { replySubject, threadHeaders } from './outbound-headers';

/**
 * Agent replies out by SMTP. The message is composed here (so the same bytes can be filed in the
 * Sent folder), with a Message-ID that names the ticket: a customer's reply to it finds its ticket
 * even if their client drops the subject tag.
 */
@Injectable()
export class EmailSender {
  private readonly logger = new Logger(EmailSender.name);
  // One pooled SMTP connection set per channel and settings; a changed password makes a new one.
  private readonly transports = new Map<string, { key: string; transport: Transporter }>();

  async send(channel: ResolvedChannel<EmailConfig>, message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const config = channel.config;
    const to = message.to.email ?? message.to.externalId;
    const domain = config.fromAddress.split('@')[1];
    const messageId = `pasokh.${message.ticketId}.${message.messageId}@${domain}`;
    const { inReplyTo, references } = threadHeaders(message.inReplyTo, message.references);
    const attachments = await Promise.all(message.attachments.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await a.read() })));
    const fromName = config.fromName ?? channel.name;
    const composer = new MailComposer({
      from: { name: message.agent ? `${message.agent.name} (${fromName})` : fromName, address: config.fromAddress },
      replyTo: config.fromAddress,
      to: message.to.name ? { name: message.to.name, address: to } : to,
      subject: replySubject(message.subject, message.ticketNumber),
      messageId: `<${messageId}>`,
      ...(inReplyTo ? { inReplyTo: `<${inReplyTo}>` } : {}),
      ...(references.length ? { references: references.map((r) => `<${r}>`) } : {}),
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      attachments,
      date: new Date(),
      // RFC 3834: other systems' autoresponders do not answer an automatic message.
      ...(message.automatic ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
    });
    const raw = await composer.compile().build();

    try {
      await this.transport(channel.id, config.smtp).sendMail({ envelope: { from: config.fromAddress, to: [to] }, raw });
    } catch (error) {
      throw smtpFailure(error);
    }
    if (config.imap.sentMailbox) await this.fileInSent(channel, raw);
    return { providerMessageId: messageId };
  }

  /** Proves the SMTP settings work (login included) before a channel is saved. */
  async verify(smtp: SmtpSettings): Promise<void> {
    const transport = createTransport(smtp, false);
    try {
      await transport.verify();
    } finally {
      transport.close();
    }
  }

  close(): void {
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private transport(channelId: string, smtp: SmtpSettings): Transporter {
    const key = createHash('sha256').update(JSON.stringify(smtp)).digest('hex');
    const cached = this.transports.get(channelId);
    if (cached?.key === key) return cached.transport;
    cached?.transport.close();
    const transport = createTransport(smtp, true);
    this.transports.set(channelId, { key, transport });
    return transport;
  }

  /** Filing a copy is a courtesy: the reply was sent, so a failure here is noted, not retried. */
  private async fileInSent(channel: ResolvedChannel<EmailConfig>, raw: Buffer): Promise<void> {
    const imap = channel.config.imap;
    const client = createImapClient(imap);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.append(imap.sentMailbox!, raw, ['\\Seen']);
    } catch (error) {
      this.logger.warn({ channelId: channel.id }, `filing a sent reply in ${imap.sentMailbox} failed: ${describeImapError(error, imap)}`);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

function createTransport(smtp: SmtpSettings, pool: boolean): Transporter {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    pool,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

/** 5xx answers will be the same on a retry (unknown recipient, refused content); the rest is retried. */
function smtpFailure(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof e.responseCode === 'number') {
    return new DeliveryError(`the SMTP server refused the reply: ${e.response ?? e.responseCode}`, e.responseCode >= 500);
  }
  if (e.code === 'EAUTH') return new DeliveryError(`the SMTP server refused the user name or password: ${e.response ?? e.message}`, false);
  return new DeliveryError(`sending by SMTP failed: ${e.message ?? String(error)}`, false);
}
