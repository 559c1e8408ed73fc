import { Inject, Injectable } from '@nestjs/common';
import { ChannelsService, InboundAttachment, InboundFile, InboundLink, InboundMessage, PendingAttachment, ResolvedChannel } from '@pasokh/channel-core';
import { normalizeEmail, normalizePhone, normalizeText } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { CsatService } from '@pasokh/csat';
import { searchText } from '@pasokh/customers';
import { DomainEvents } from '@pasokh/events';
import { AttachmentStorage, sanitizeMessageHtml, tooLarge } from '@pasokh/messages';
import { IngestBatcher } from './ingest-batcher';
import { IngestParams, IngestRepository, IngestRow } from './ingest.repository';

export interface IngestResult {
  messageId: string;
  ticketId: string;
  customerId: string;
  duplicate: boolean;
}

/**
 * The one way a customer's message enters Pasokh, from every channel. The sender becomes exactly one
 * customer, the message joins exactly one ticket, and it is stored at most once per (channel,
 * provider message id); a retry returns the first result. The rules run in the database, in one
 * statement (pasokh_ingest, batched by IngestBatcher); this service normalises the input and
 * publishes what happened.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly ingestRepository: IngestRepository,
    private readonly channels: ChannelsService,
    private readonly storage: AttachmentStorage,
    private readonly events: DomainEvents,
    private readonly batcher: IngestBatcher,
    private readonly csat: CsatService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ingest(channel: ResolvedChannel, inbound: InboundMessage): Promise<IngestResult> {
    if (inbound.edited) {
      const edited = await this.ingestRepository.edit(channel.id, inbound.externalMessageId, inbound.text, sanitizeMessageHtml(inbound.html));
      if (edited) {
        this.events.publish({ type: 'message.updated', ticketId: edited.ticket_id, messageId: edited.message_id });
        return { messageId: edited.message_id, ticketId: edited.ticket_id, customerId: edited.customer_id, duplicate: false };
      }
      // The original never reached us: keep the edited text as the message.
    }
    if (!inbound.attachments?.length) {
      // "5" a day after we asked how we did is a rating, not a new question (only such short texts cost a look).
      const rating = await this.csat.answer(channel, { senderId: inbound.from.externalId, externalMessageId: inbound.externalMessageId, text: inbound.text });
      if (rating) {
        this.channels.noteMessage(channel.id, new Date());
        return { ...rating, duplicate: false };
      }
    }
    if (inbound.attachments?.some(isPending)) {
      // Check before downloading: a provider's retry of a stored message fetches nothing.
      const stored = await this.ingestRepository.findExisting(channel.id, inbound.externalMessageId);
      if (stored) return { messageId: stored.message_id, ticketId: stored.ticket_id, customerId: stored.customer_id, duplicate: true };
    }
    const attachments = await this.storeAttachments(inbound);
    const name = inbound.from.name?.trim() || null;
    const email = normalizeEmail(inbound.from.email);
    const phone = normalizePhone(inbound.from.phone, this.config.phoneRegion);
    const subject = inbound.subject?.trim() || null;
    const params: IngestParams = {
      channelId: channel.id,
      channelType: channel.type,
      externalMessageId: inbound.externalMessageId,
      senderId: inbound.from.externalId,
      name,
      email,
      phone,
      nameSearch: name ? normalizeText(name) : null,
      customerSearch: searchText({ name, email, phone }),
      text: inbound.text,
      html: sanitizeMessageHtml(inbound.html),
      subject,
      threadKey: inbound.threadKey ?? null,
      sentAt: inbound.sentAt ?? null,
      ticketSearch: normalizeText(`${subject ?? ''} ${inbound.text.slice(0, 500)}`),
      reopenWindowSec: this.config.reopenWindowSec,
      attachments,
    };

    let row: IngestRow;
    try {
      row = await this.batcher.submit(params);
    } catch (error) {
      // A twin delivery won the unique index while we ran: answer with what it stored.
      const existing = (error as { code?: string }).code === '23505' ? await this.ingestRepository.findExisting(channel.id, inbound.externalMessageId) : null;
      if (!existing) throw error;
      row = existing;
    }

    if (!row.duplicate) {
      this.channels.noteMessage(channel.id, new Date());
      this.events.publish({ type: row.ticket_event ?? 'ticket.updated', ticketId: row.ticket_id });
      this.events.publish({ type: 'message.created', ticketId: row.ticket_id, messageId: row.message_id });
      await this.applySharedContact(inbound, row);
    }
    return { messageId: row.message_id, ticketId: row.ticket_id, customerId: row.customer_id, duplicate: row.duplicate };
  }

  private async applySharedContact(inbound: InboundMessage, row: IngestRow): Promise<void> {
    const phone = normalizePhone(inbound.sharedContact?.phone, this.config.phoneRegion);
    if (!phone) return;
    const eventId = await this.ingestRepository.applySharedContact(row.customer_id, row.ticket_id, phone, inbound.sharedContact?.name?.trim() || null);
    if (eventId) this.events.publish({ type: 'message.created', ticketId: row.ticket_id, messageId: eventId });
  }

  /** Attachment bytes go to storage before the statement: an orphan file is harmless, a half message is not. */
  private async storeAttachments(inbound: InboundMessage): Promise<IngestParams['attachments']> {
    const all: Array<InboundFile | InboundLink> = await Promise.all((inbound.attachments ?? []).map((a) => (isPending(a) ? a.fetch() : a)));
    if (all.some((a) => 'content' in a && a.content.length > this.config.maxAttachmentBytes)) throw tooLarge(this.config.maxAttachmentBytes);
    const stored: IngestParams['attachments'] = [];
    for (const attachment of all) {
      stored.push(
        'content' in attachment
          ? { filename: attachment.filename, contentType: attachment.contentType, contentId: attachment.contentId ?? null, ...(await this.storage.put(attachment.content)) }
          : { filename: attachment.filename, contentType: attachment.contentType, url: attachment.url, note: attachment.reason },
      );
    }
    return stored;
  }
}

function isPending(attachment: InboundAttachment): attachment is PendingAttachment {
  return 'fetch' in attachment;
}
