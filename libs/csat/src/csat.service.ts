import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { ResolvedChannel } from '@pasokh/channel-core';
import { customerLanguage } from '@pasokh/common';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { MessagesService } from '@pasokh/messages';
import { CsatRepository } from './csat.repository';
import { parseScore, surveyChoices, surveyQuestion } from './survey-text';

// An answer after this long is a new message, not a rating.
const ANSWER_WITHIN_DAYS = 7;

export interface RatingAnswer {
  messageId: string;
  ticketId: string;
  customerId: string;
}

/**
 * Customer satisfaction. When an agent resolves a ticket on a channel that asks, the customer gets one
 * question on that channel (a system message, sent like a reply; once per ticket) in their language.
 * A reply that is a single 1–5 (any digits) while the ticket is still resolved is the rating: stored
 * as their message and the survey's score, without reopening the ticket. The response-time report
 * counts them per agent, team, channel or day.
 */
@Injectable()
export class CsatService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CsatService.name);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly tx: TransactionService,
    private readonly surveys: CsatRepository,
    private readonly messages: MessagesService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type !== 'ticket.resolved') return;
      this.ask(event.ticketId).catch((error: unknown) => this.logger.error({ err: error, ticketId: event.ticketId }, 'sending the satisfaction survey failed'));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Sends the survey for a resolved ticket if its channel asks and none went out yet. */
  async ask(ticketId: string): Promise<void> {
    await this.tx.run(async (tx) => {
      const ticket = await this.surveys.candidate(tx.manager, ticketId);
      if (!ticket) return;
      const language = customerLanguage(ticket.locale, ticket.first_text);
      const messageId = await this.messages.sendSystemMessage(tx, { id: ticket.id, channelId: ticket.channel_id }, surveyQuestion(language), surveyChoices(language));
      await this.surveys.insert(tx.manager, ticket, messageId);
      await this.audit.record(tx.manager, { type: 'system', id: null }, { action: 'csat.asked', entityType: 'ticket', entityId: ticket.id, data: { messageId } });
    });
  }

  /**
   * The customer's message, if it is the rating the channel asked them for; null when it is not
   * (then it is ingested as any message). A retried delivery of a rating is null too: ingest then
   * finds it stored and answers it as the duplicate it is.
   */
  async answer(channel: ResolvedChannel, input: { senderId: string; externalMessageId: string; text: string }): Promise<RatingAnswer | null> {
    const score = parseScore(input.text);
    if (score === null) return null;
    const answer = await this.tx.run(async (tx) => {
      const survey = await this.surveys.pending(tx.manager, channel.id, channel.type, input.senderId, ANSWER_WITHIN_DAYS);
      if (!survey) return null;
      const messageId = await this.surveys.answer(tx.manager, survey, { channelId: channel.id, externalMessageId: input.externalMessageId, text: input.text, score });
      if (!messageId) return null;
      await this.audit.record(tx.manager, { type: 'channel', id: channel.id }, { action: 'csat.answered', entityType: 'ticket', entityId: survey.ticket_id, data: { score, messageId } });
      tx.afterCommit(() => {
        this.events.publish({ type: 'message.created', ticketId: survey.ticket_id, messageId });
        this.events.publish({ type: 'ticket.updated', ticketId: survey.ticket_id });
      });
      return { messageId, ticketId: survey.ticket_id, customerId: survey.customer_id };
    });
    return answer;
  }
}
