import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A resolved ticket a survey may go out for: its channel asks, an agent answered it, none was sent. */
export interface SurveyCandidate {
  id: string;
  channel_id: string;
  assignee_id: string | null;
  team_id: string | null;
  locale: string | null;
  first_text: string | null;
}

@Injectable()
export class CsatRepository {
  async candidate(manager: EntityManager, ticketId: string): Promise<SurveyCandidate | null> {
    const rows: SurveyCandidate[] = await manager.query(
      `SELECT t.id, t.channel_id, t.assignee_id, t.team_id, cu.locale,
              (SELECT m.text FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound' AND m.kind = 'message'
                ORDER BY m.created_at LIMIT 1) AS first_text
         FROM tickets t
         JOIN channels c ON c.id = t.channel_id AND c.csat_enabled
         JOIN customers cu ON cu.id = t.customer_id
        WHERE t.id = $1 AND t.status = 'resolved' AND t.first_response_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM csat_surveys s WHERE s.ticket_id = t.id)
        FOR UPDATE OF t`,
      [ticketId],
    );
    return rows[0] ?? null;
  }

  async insert(manager: EntityManager, ticket: SurveyCandidate, messageId: string): Promise<void> {
    await manager.query(
      `INSERT INTO csat_surveys (ticket_id, channel_id, agent_id, team_id, message_id) VALUES ($1, $2, $3, $4, $5)`,
      [ticket.id, ticket.channel_id, ticket.assignee_id, ticket.team_id, messageId],
    );
  }

  /**
   * The survey this sender was asked last on this channel, still unanswered, its ticket still
   * resolved and the question at most `maxAgeDays` old; locked for the answer. Found through the
   * ticket's customer, so a merge since the question changes nothing.
   */
  async pending(manager: EntityManager, channelId: string, channelType: string, senderId: string, maxAgeDays: number): Promise<{ ticket_id: string; customer_id: string } | null> {
    const rows = await manager.query(
      `SELECT s.ticket_id, t.customer_id
         FROM customer_identities ci
         JOIN tickets t ON t.customer_id = ci.customer_id AND t.channel_id = $1 AND t.status = 'resolved'
         JOIN csat_surveys s ON s.ticket_id = t.id AND s.score IS NULL AND s.sent_at > now() - make_interval(days => $4)
        WHERE ci.channel_type = $2 AND ci.external_id = $3
        ORDER BY s.sent_at DESC
        LIMIT 1
        FOR UPDATE OF s`,
      [channelId, channelType, senderId, maxAgeDays],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores the answer as the customer's message on the ticket (no reopening, no unread mark, no SLA
   * clock: it answers the system's question) and the score on the survey. Null when the provider's
   * message id is stored already (a retried delivery).
   */
  async answer(manager: EntityManager, survey: { ticket_id: string; customer_id: string }, input: { channelId: string; externalMessageId: string; text: string; score: number }): Promise<string | null> {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO messages (ticket_id, channel_id, direction, kind, author_type, author_id, text, delivery_status, external_message_id, created_at, updated_at)
       VALUES ($1, $2, 'inbound', 'message', 'customer', $3, $4, 'received', $5, now(), now())
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [survey.ticket_id, input.channelId, survey.customer_id, input.text, input.externalMessageId],
    );
    if (!inserted.length) return null;
    await manager.query(`UPDATE csat_surveys SET score = $2, answered_at = now(), answer_message_id = $3 WHERE ticket_id = $1`, [survey.ticket_id, input.score, inserted[0].id]);
    await manager.query(`UPDATE tickets SET updated_at = now() WHERE id = $1`, [survey.ticket_id]);
    return inserted[0].id;
  }
}
