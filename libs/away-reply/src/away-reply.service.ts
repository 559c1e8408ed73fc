import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { customerLanguage } from '@pasokh/common';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { MessagesService } from '@pasokh/messages';
import { BusinessHours } from '@pasokh/sla';
import { DataSource } from 'typeorm';
import { awayText } from './away-text';

interface NewTicket {
  id: string;
  channel_id: string;
  away_calendar_id: string;
  away_message: string | null;
  locale: string | null;
  first_text: string | null;
}

/**
 * A new ticket that arrives outside its channel's business hours gets one reply saying when the team
 * is back (a system message, sent like a reply; no SLA event: it answers nothing). Messages on a ticket
 * that exists already get none: the customer was told.
 */
@Injectable()
export class AwayReplyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AwayReplyService.name);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionService,
    private readonly businessHours: BusinessHours,
    private readonly messages: MessagesService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type !== 'ticket.created') return;
      this.replyIfAway(event.ticketId).catch((error: unknown) => this.logger.error({ err: error, ticketId: event.ticketId }, 'the away reply failed'));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async replyIfAway(ticketId: string): Promise<void> {
    const [ticket]: NewTicket[] = await this.dataSource.query(
      `SELECT t.id, t.channel_id, c.away_calendar_id, c.away_message, cu.locale,
              (SELECT m.text FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound' ORDER BY m.created_at LIMIT 1) AS first_text
         FROM tickets t
         JOIN channels c ON c.id = t.channel_id AND c.away_calendar_id IS NOT NULL
         JOIN customers cu ON cu.id = t.customer_id
        WHERE t.id = $1`,
      [ticketId],
    );
    if (!ticket) return;
    const hours = await this.businessHours.state(ticket.away_calendar_id);
    if (!hours || hours.open) return;
    const text = awayText(customerLanguage(ticket.locale, ticket.first_text), ticket.away_message, hours.opensAt, hours.timezone);
    await this.tx.run(async (tx) => {
      const messageId = await this.messages.sendSystemMessage(tx, { id: ticket.id, channelId: ticket.channel_id }, text);
      await this.audit.record(tx.manager, { type: 'system', id: null }, { action: 'away.replied', entityType: 'ticket', entityId: ticket.id, data: { messageId } });
    });
  }
}
