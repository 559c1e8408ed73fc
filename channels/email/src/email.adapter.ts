import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ChannelAdapter, ChannelAdapterRegistry, ChannelsErrorCode, ChannelsException, OutboundMessage, ResolvedChannel, SendResult } from '@pasokh/channel-core';
import { EMAIL_SECRET_FIELDS, EmailConfig, parseEmailConfig } from './email-config';
import { EmailSender } from './email-sender';
import { createImapClient, describeImapError } from './imap-connection';

/**
 * Email: a pull channel. Mail comes in through the mailbox sync (IMAP IDLE, see EmailSyncService),
 * replies go out by SMTP.
 */
@Injectable()
export class EmailAdapter implements ChannelAdapter<EmailConfig>, OnModuleDestroy {
  readonly type = 'email' as const;
  readonly secretFields = EMAIL_SECRET_FIELDS;

  constructor(
    registry: ChannelAdapterRegistry,
    private readonly sender: EmailSender,
  ) {
    registry.register(this);
  }

  parseConfig(raw: unknown): EmailConfig {
    return parseEmailConfig(raw);
  }

  /** Logs in to both servers and opens the mailbox, so a typo is reported when the channel is saved. */
  async checkCredentials(channel: ResolvedChannel<EmailConfig>): Promise<void> {
    const { imap, smtp } = channel.config;
    const client = createImapClient(imap);
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw rejected(`IMAP: ${describeImapError(error, imap)}`);
    }
    try {
      for (const mailbox of [imap.mailbox, imap.sentMailbox].filter((m): m is string => !!m)) {
        const status = await client.status(mailbox, { messages: true }).catch(() => false as const);
        if (!status) throw rejected(`IMAP: the mailbox "${mailbox}" does not exist on ${imap.host}`);
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    try {
      await this.sender.verify(smtp);
    } catch (error) {
      const e = error as { code?: string; response?: string; message?: string };
      const detail = e.code === 'EAUTH' ? `the server refused the user name or password (${e.response ?? e.message})` : (e.response ?? e.message ?? String(error));
      throw rejected(`SMTP ${smtp.host}:${smtp.port}: ${detail}`);
    }
  }

  send(channel: ResolvedChannel<EmailConfig>, message: OutboundMessage): Promise<SendResult> {
    return this.sender.send(channel, message);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }
}

function rejected(message: string): ChannelsException {
  return new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, message);
}
