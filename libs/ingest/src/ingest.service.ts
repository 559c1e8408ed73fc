import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { InboundMessage, ResolvedChannel, ChannelsRepository } from '@pasokh/channel-core';
import { normalizeText } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService, Tx } from '@pasokh/database';
import { CustomerEntity, CustomerResolver, CustomersRepository } from '@pasokh/customers';
import { DomainEvents } from '@pasokh/events';
import { AttachmentEntity, AttachmentStorage, MessagesRepository, sanitizeMessageHtml, tooLarge } from '@pasokh/messages';
import { TicketEntity, TicketsRepository } from '@pasokh/tickets';

export interface IngestResult {
  messageId: string;
  ticketId: string;
  customerId: string;
  duplicate: boolean;
}

const ACTIVE = new Set(['open', 'pending', 'snoozed']);

/** Raised inside the transaction when the unique index, not our check, found the duplicate. */
class DuplicateMessage extends Error {}

/**
 * The one way a customer's message enters Pasokh, from every channel. In one transaction: the sender
 * becomes exactly one customer, the message joins exactly one ticket, and the message is stored at
 * most once per (channel, provider message id). A retry returns the first result.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly tx: TransactionService,
    private readonly resolver: CustomerResolver,
    private readonly customers: CustomersRepository,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsRepository,
    private readonly storage: AttachmentStorage,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ingest(channel: ResolvedChannel, inbound: InboundMessage): Promise<IngestResult> {
    const files = await this.storeAttachments(inbound);
    try {
      return await this.tx.run((tx) => this.ingestInTransaction(tx, channel, inbound, files));
    } catch (error) {
      if (!(error instanceof DuplicateMessage) && (error as { code?: string }).code !== '23505') throw error;
      const existing = await this.findExisting(channel.id, inbound.externalMessageId);
      if (!existing) throw error;
      return existing;
    }
  }

  private async ingestInTransaction(tx: Tx, channel: ResolvedChannel, inbound: InboundMessage, files: Array<Partial<AttachmentEntity>>): Promise<IngestResult> {
    const { manager } = tx;
    const sender = { channelType: channel.type, ...inbound.from };
    await this.resolver.lock(manager, sender);

    const seen = await this.messages.findByExternalId(manager, channel.id, inbound.externalMessageId);
    if (seen) return this.duplicateOf(manager, seen.id, seen.ticketId);

    const { customer } = await this.resolver.resolve(manager, sender);
    // Two identities of one customer on one channel must not open two tickets either.
    await this.customers.lockKeys(manager, [`conversation:${customer.id}:${channel.id}`]);
    const receivedAt = new Date();
    const { ticket, opened } = await this.chooseTicket(tx, channel, customer, inbound, receivedAt);

    const messageId = await this.messages.insertIfNew(manager, {
      ticketId: ticket.id,
      channelId: channel.id,
      direction: 'inbound',
      kind: 'message',
      authorType: 'customer',
      authorId: customer.id,
      text: inbound.text,
      html: sanitizeMessageHtml(inbound.html),
      deliveryStatus: 'received',
      externalMessageId: inbound.externalMessageId,
      sentAt: inbound.sentAt ?? null,
      createdAt: receivedAt,
    });
    if (!messageId) throw new DuplicateMessage();
    await this.messages.insertAttachments(manager, files.map((file) => ({ ...file, messageId })));
    await this.tickets.recordCustomerMessage(manager, ticket.id, receivedAt);
    await this.channels.recordMessage(manager, channel.id, receivedAt);

    tx.afterCommit(() => {
      this.events.publish({ type: opened ? 'ticket.created' : 'ticket.updated', ticketId: ticket.id });
      this.events.publish({ type: 'message.created', ticketId: ticket.id, messageId });
    });
    return { messageId, ticketId: ticket.id, customerId: customer.id, duplicate: false };
  }

  /**
   * The customer's active ticket in this conversation; else their resolved one, reopened, if it was
   * resolved within the reopen window; else a new ticket. Closed tickets never reopen.
   */
  private async chooseTicket(tx: Tx, channel: ResolvedChannel, customer: CustomerEntity, inbound: InboundMessage, at: Date): Promise<{ ticket: TicketEntity; opened: boolean }> {
    const threadKey = inbound.threadKey ?? null;
    const latest = await this.tickets.findLatestInConversation(tx.manager, customer.id, channel.id, threadKey);
    if (latest && ACTIVE.has(latest.status)) return { ticket: latest, opened: false };

    const windowMs = this.config.reopenWindowSec * 1000;
    if (latest?.status === 'resolved' && latest.resolvedAt && at.getTime() - latest.resolvedAt.getTime() <= windowMs) {
      await this.tickets.update(tx.manager, latest.id, { status: 'open', resolvedAt: null });
      await this.audit.record(tx.manager, { type: 'channel', id: channel.id }, { action: 'ticket.reopened', entityType: 'ticket', entityId: latest.id, data: { externalMessageId: inbound.externalMessageId } });
      return { ticket: latest, opened: false };
    }

    const subject = inbound.subject?.trim() || null;
    const ticket = await this.tickets.insert(tx.manager, {
      subject,
      status: 'open',
      priority: 'normal',
      customerId: customer.id,
      channelId: channel.id,
      threadKey,
      tags: [],
      searchText: normalizeText(`${subject ?? ''} ${inbound.text.slice(0, 500)}`),
      messageCount: 0,
      lastMessageAt: at,
      createdAt: at,
    });
    await this.audit.record(tx.manager, { type: 'channel', id: channel.id }, { action: 'ticket.created', entityType: 'ticket', entityId: ticket.id, data: { number: ticket.number, customerId: customer.id } });
    return { ticket, opened: true };
  }

  /** Attachment bytes go to storage before the transaction: an orphan file is harmless, a half message is not. */
  private async storeAttachments(inbound: InboundMessage): Promise<Array<Partial<AttachmentEntity>>> {
    const stored: Array<Partial<AttachmentEntity>> = [];
    for (const attachment of inbound.attachments ?? []) {
      if (!('content' in attachment)) continue; // links are kept in the text by the adapter
      if (attachment.content.length > this.config.maxAttachmentBytes) throw tooLarge(this.config.maxAttachmentBytes);
    }
    for (const attachment of inbound.attachments ?? []) {
      if (!('content' in attachment)) continue;
      stored.push({ filename: attachment.filename, contentType: attachment.contentType, ...(await this.storage.put(attachment.content)) });
    }
    return stored;
  }

  private async findExisting(channelId: string, externalMessageId: string): Promise<IngestResult | null> {
    return this.tx.run(async ({ manager }) => {
      const seen = await this.messages.findByExternalId(manager, channelId, externalMessageId);
      return seen ? this.duplicateOf(manager, seen.id, seen.ticketId) : null;
    });
  }

  private async duplicateOf(manager: Tx['manager'], messageId: string, ticketId: string): Promise<IngestResult> {
    const ticket = (await this.tickets.findById(manager, ticketId))!;
    return { messageId, ticketId, customerId: ticket.customerId, duplicate: true };
  }
}
