import { Injectable, Logger } from '@nestjs/common';
import { InboundMessage, ResolvedChannel } from '@pasokh/channel-core';
import { DomainException } from '@pasokh/common';
import { DeliveryStatusService } from '@pasokh/delivery';
import { IngestService } from '@pasokh/ingest';
import { AttachmentStorage } from '@pasokh/messages';
import { EmailThreadsRepository } from './email-threads.repository';
import { EmailParseError, ParsedEmail, parseEmail } from './parse';
import { QuarantineRepository } from './quarantine/quarantine.repository';

export type IntakeOutcome = 'stored' | 'duplicate' | 'bounce' | 'auto_reply' | 'quarantined';

/**
 * One raw mail from a mailbox becomes what it is: a customer's message in the right ticket, a bounce
 * that fails our reply, an auto-reply that is dropped (it must never open a ticket, nor be
 * answered), or — when it cannot be read — a quarantined copy with the reason. Only a database
 * failure throws, so the caller retries exactly those and the mailbox never stalls on one bad mail.
 */
@Injectable()
export class EmailIntakeService {
  private readonly logger = new Logger(EmailIntakeService.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly threads: EmailThreadsRepository,
    private readonly deliveryStatus: DeliveryStatusService,
    private readonly quarantine: QuarantineRepository,
    private readonly storage: AttachmentStorage,
  ) {}

  async handle(channel: ResolvedChannel, raw: Buffer, sourceRef: string): Promise<IntakeOutcome> {
    let parsed: ParsedEmail;
    try {
      parsed = await parseEmail(raw);
    } catch (error) {
      if (!(error instanceof EmailParseError)) this.logger.error({ err: error, channelId: channel.id, sourceRef }, 'parsing a mail failed unexpectedly');
      await this.quarantineRaw(channel, raw, sourceRef, `the mail could not be read: ${(error as Error).message}`);
      return 'quarantined';
    }

    if (parsed.kind === 'bounce') {
      const bounce = parsed.bounce!;
      // A delay notice is not a failure: the server keeps trying.
      if (bounce.action === 'failed' && bounce.originalMessageId) {
        await this.deliveryStatus.apply(channel.id, [{ providerMessageId: bounce.originalMessageId, status: 'failed', error: bounce.reason }]);
      }
      this.logger.log({ channelId: channel.id, sourceRef, originalMessageId: bounce.originalMessageId }, `bounce: ${bounce.reason}`);
      return 'bounce';
    }
    if (parsed.kind === 'auto_reply') {
      this.logger.log({ channelId: channel.id, sourceRef, from: parsed.from.address }, `auto-reply dropped (${parsed.autoReplyReason})`);
      return 'auto_reply';
    }

    try {
      const result = await this.ingest.ingest(channel, await this.toInbound(channel, parsed));
      return result.duplicate ? 'duplicate' : 'stored';
    } catch (error) {
      // A refusal (e.g. an attachment over the size limit) will be the same next time: keep the mail.
      if (error instanceof DomainException && error.httpStatus < 500) {
        await this.quarantineRaw(channel, raw, sourceRef, error.message);
        return 'quarantined';
      }
      throw error;
    }
  }

  private async toInbound(channel: ResolvedChannel, parsed: ParsedEmail): Promise<InboundMessage> {
    // A forward is a new matter even when it carries the original's References.
    const continued = parsed.forwarded
      ? null
      : await this.threads.findThreadKey({
          channelId: channel.id,
          sender: parsed.from.address,
          referencedIds: [...parsed.references, ...parsed.inReplyTo],
          subject: parsed.subject,
        });
    // With no stored mail to follow, the thread's first Message-ID keys the conversation: a reply
    // fetched before the mail it answers (a slow relay, IMAP order) then meets that mail in one ticket.
    const root = parsed.forwarded ? null : (parsed.references[0] ?? parsed.inReplyTo[0] ?? null);
    return {
      externalMessageId: parsed.externalMessageId,
      from: { externalId: parsed.from.address, name: parsed.from.name, email: parsed.from.address },
      text: parsed.text,
      html: parsed.html,
      subject: parsed.subject,
      threadKey: continued ?? root ?? parsed.externalMessageId,
      sentAt: parsed.date,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, contentId: a.contentId })),
    };
  }

  private async quarantineRaw(channel: ResolvedChannel, raw: Buffer, sourceRef: string, reason: string): Promise<void> {
    const stored = await this.storage.put(raw);
    await this.quarantine.add({ channelId: channel.id, sourceRef, reason, size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey });
    this.logger.warn({ channelId: channel.id, sourceRef }, `mail quarantined: ${reason}`);
  }
}
