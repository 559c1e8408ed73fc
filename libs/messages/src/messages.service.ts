import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, Principal, toPage } from '@pasokh/common';
import { ChannelAdapterRegistry, ChannelsService } from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService, Tx } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { OutboxRepository } from '@pasokh/outbox';
import { SlaClockService } from '@pasokh/sla';
import { TicketsRepository, TicketsService } from '@pasokh/tickets';
import { AttachmentStorage } from './attachment-storage';
import { AttachmentDto, ListMessagesQuery, MessageDto, NoteDto, ReplyDto } from './dto/message.dto';
import { AttachmentEntity } from './attachment.entity';
import { toMessageDto } from './message.mapper';
import { MessagesErrorCode, MessagesException } from './messages.exception';
import { MessagesRepository } from './messages.repository';
import { sanitizeMessageHtml } from './sanitize-html';

/** The outbox kind the delivery worker sends. */
export const DELIVER_MESSAGE = 'message.deliver';

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly tickets: TicketsRepository,
    private readonly ticketsService: TicketsService,
    private readonly outbox: OutboxRepository,
    private readonly storage: AttachmentStorage,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly channels: ChannelsService,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly sla: SlaClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, ticketId: string, query: ListMessagesQuery): Promise<Page<MessageDto>> {
    await this.ticketsService.assertVisible(principal, ticketId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const rows = await this.messages.listForTicket(ticketId, after, limit);
    const page = toPage(rows, limit, (m) => [m.createdAt.toISOString(), m.id], (m) => m);
    const attachments = await this.messages.attachmentsOf(page.items.map((m) => m.id));
    return { items: page.items.map((m) => toMessageDto(m, attachments)), nextCursor: page.nextCursor };
  }

  /** Messages in the API shape and who may see each, by id, for pushes; missing ids are left out. */
  async forPush(ids: string[]): Promise<Map<string, { message: MessageDto; restrictedTeamId: string | null }>> {
    const found = await this.messages.findForPush(ids);
    return new Map(found.map((f) => [f.message.id, { message: toMessageDto(f.message, f.attachments), restrictedTeamId: f.restrictedTeamId }]));
  }

  /** An agent's reply: stored as queued with its outbox row in one transaction; the worker sends it. */
  async reply(principal: Principal, ticketId: string, input: ReplyDto): Promise<MessageDto> {
    if (!input.text.trim() && !input.html?.trim() && !input.attachmentIds?.length) {
      throw new MessagesException(MessagesErrorCode.EMPTY_MESSAGE, 'a reply needs text, html or an attachment');
    }
    await this.assertReplyAllowed(principal, ticketId);
    return this.tx.run(async (tx) => {
      const ticket = await this.lockVisibleTicket(tx, principal, ticketId);
      if (ticket.status === 'closed') throw new MessagesException(MessagesErrorCode.TICKET_CLOSED, `ticket #${ticket.number} is closed; the customer's next message opens a new one`);

      const message = await this.messages.insert(tx.manager, {
        ticketId,
        channelId: ticket.channelId,
        direction: 'outbound',
        kind: 'message',
        authorType: 'agent',
        authorId: principal.agentId,
        text: input.text,
        html: sanitizeMessageHtml(input.html),
        deliveryStatus: 'queued',
      });
      const attachmentIds = [...new Set(input.attachmentIds ?? [])];
      if ((await this.messages.claimUploads(tx.manager, attachmentIds, message.id)) !== attachmentIds.length) {
        throw new MessagesException(MessagesErrorCode.ATTACHMENT_IN_USE, 'an attachment does not exist or is already on another message');
      }
      await this.tickets.recordAgentReply(tx.manager, ticketId, message.createdAt);
      await this.sla.onTicketEvent(tx, ticketId, { kind: 'agent_reply', at: message.createdAt });
      await this.outbox.enqueue(tx.manager, DELIVER_MESSAGE, { messageId: message.id });
      await this.audit.record(tx.manager, { type: 'agent', id: principal.agentId }, { action: 'message.replied', entityType: 'ticket', entityId: ticketId, data: { messageId: message.id } });
      this.publishCreated(tx, ticketId, message.id);
      tx.afterCommit(() => this.events.publish({ type: 'outbox.enqueued' }));
      return toMessageDto(message, await this.messages.attachmentsOf([message.id], tx.manager));
    });
  }

  /**
   * A message from the system to the customer (a satisfaction survey), in the caller's transaction:
   * sent like a reply, but no agent wrote it, so it is no response for the SLA clocks.
   */
  async sendSystemMessage(tx: Tx, ticket: { id: string; channelId: string }, text: string, quickReplies: string[] | null = null): Promise<string> {
    const message = await this.messages.insert(tx.manager, {
      ticketId: ticket.id,
      channelId: ticket.channelId,
      direction: 'outbound',
      kind: 'message',
      authorType: 'system',
      authorId: null,
      text,
      quickReplies,
      deliveryStatus: 'queued',
    });
    await this.outbox.enqueue(tx.manager, DELIVER_MESSAGE, { messageId: message.id });
    this.publishCreated(tx, ticket.id, message.id);
    tx.afterCommit(() => this.events.publish({ type: 'outbox.enqueued' }));
    return message.id;
  }

  /** An internal note: visible to agents only, never sent. */
  async note(principal: Principal, ticketId: string, input: NoteDto): Promise<MessageDto> {
    if (!input.text.trim()) throw new MessagesException(MessagesErrorCode.EMPTY_MESSAGE, 'a note needs text');
    return this.tx.run(async (tx) => {
      await this.lockVisibleTicket(tx, principal, ticketId);
      const message = await this.messages.insert(tx.manager, {
        ticketId,
        channelId: null,
        direction: 'outbound',
        kind: 'note',
        authorType: 'agent',
        authorId: principal.agentId,
        text: input.text,
        deliveryStatus: 'received',
      });
      await this.audit.record(tx.manager, { type: 'agent', id: principal.agentId }, { action: 'message.noted', entityType: 'ticket', entityId: ticketId, data: { messageId: message.id } });
      this.publishCreated(tx, ticketId, message.id);
      return toMessageDto(message, []);
    });
  }

  async upload(principal: Principal, file: { originalname: string; mimetype: string; buffer: Buffer }): Promise<AttachmentDto> {
    if (file.buffer.length > this.config.maxAttachmentBytes) throw tooLarge(this.config.maxAttachmentBytes);
    const stored = await this.storage.put(file.buffer);
    const row = await this.tx.run(async ({ manager }) => {
      const id = (await manager.insert(AttachmentEntity, {
        uploadedBy: principal.agentId,
        filename: file.originalname || 'file',
        contentType: file.mimetype || 'application/octet-stream',
        ...stored,
      })).identifiers[0].id as string;
      return (await this.messages.findAttachment(id, manager))!;
    });
    return { id: row.id, filename: row.filename, contentType: row.contentType, size: row.size, url: `/api/attachments/${row.id}`, stored: true, note: null, contentId: null };
  }

  async download(principal: Principal, id: string): Promise<{ attachment: AttachmentEntity; content: Buffer }> {
    const attachment = await this.messages.findAttachment(id);
    if (!attachment) throw new MessagesException(MessagesErrorCode.ATTACHMENT_NOT_FOUND, `attachment ${id} not found`);
    if (attachment.messageId) {
      const message = (await this.messages.findById(attachment.messageId))!;
      await this.ticketsService.assertVisible(principal, message.ticketId);
    } else if (attachment.uploadedBy !== principal.agentId) {
      throw new MessagesException(MessagesErrorCode.ATTACHMENT_NOT_FOUND, `attachment ${id} not found`);
    }
    if (!attachment.storageKey) throw new MessagesException(MessagesErrorCode.ATTACHMENT_NOT_FOUND, `attachment ${id} was not stored; open ${attachment.externalUrl}`);
    return { attachment, content: await this.storage.get(attachment.storageKey) };
  }

  /** The channel's own rule (e.g. WhatsApp's 24-hour window), checked before anything is stored. */
  private async assertReplyAllowed(principal: Principal, ticketId: string): Promise<void> {
    await this.ticketsService.assertVisible(principal, ticketId);
    const ticket = (await this.tickets.findById(undefined, ticketId))!;
    const { channel } = await this.channels.resolve(ticket.channelId);
    const blocked = this.adapters.get(channel.type).replyBlockedReason?.(channel, { lastCustomerMessageAt: ticket.lastCustomerMessageAt });
    if (blocked) throw new MessagesException(MessagesErrorCode.REPLY_NOT_ALLOWED, blocked);
  }

  private async lockVisibleTicket(tx: Tx, principal: Principal, ticketId: string) {
    await this.ticketsService.get(principal, ticketId, tx.manager);
    return (await this.tickets.findForUpdate(tx.manager, ticketId))!;
  }

  private publishCreated(tx: Tx, ticketId: string, messageId: string): void {
    tx.afterCommit(() => {
      this.events.publish({ type: 'message.created', ticketId, messageId });
      this.events.publish({ type: 'ticket.updated', ticketId });
    });
  }
}

export function tooLarge(limit: number): MessagesException {
  return new MessagesException(MessagesErrorCode.ATTACHMENT_TOO_LARGE, `an attachment is larger than the ${Math.round(limit / 1024 / 1024)} MB limit`);
}
