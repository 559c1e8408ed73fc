import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ticketIdInMessageId, ticketNumberInSubject } from './outbound-headers';

export interface ThreadQuery {
  channelId: string;
  /** The sender's address, normalised. */
  sender: string;
  /** In-Reply-To and References, as Message-IDs without angle brackets. */
  referencedIds: string[];
  subject: string | null;
}

// References can be long on old threads; the latest ones are where a reply belongs.
const MAX_LOOKUP_IDS = 100;

/**
 * Which ticket an incoming mail continues. A reply finds its ticket by the Message-IDs it refers to
 * (ours carry the ticket id) and, failing that, by the subject's [#number] tag — but only a ticket
 * of the same customer: a different sender who shares a subject or a References header (replies to
 * one mass mail, a colleague in Cc) gets a ticket of their own.
 */
@Injectable()
export class EmailThreadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The thread key of the ticket this mail continues, or null when it starts a new conversation. */
  async findThreadKey(query: ThreadQuery): Promise<string | null> {
    const ids = query.referencedIds.slice(-MAX_LOOKUP_IDS);
    const ticketIds = ids.map(ticketIdInMessageId).filter((id): id is string => id !== null);
    const number = ticketNumberInSubject(query.subject);
    if (!ids.length && number === null) return null;
    const rows: Array<{ thread_key: string }> = await this.dataSource.query(
      `WITH candidates AS (
         SELECT m.ticket_id, 1 AS rank FROM messages m
          WHERE m.channel_id = $1 AND m.external_message_id = ANY($2::text[])
         UNION ALL
         SELECT m.ticket_id, 1 FROM messages m
          WHERE m.channel_id = $1 AND m.provider_message_id = ANY($2::text[])
         UNION ALL
         SELECT id, 1 FROM tickets WHERE id = ANY($3::uuid[])
         UNION ALL
         SELECT id, 2 FROM tickets WHERE number = $4)
       SELECT t.thread_key FROM candidates c JOIN tickets t ON t.id = c.ticket_id
        WHERE t.channel_id = $1 AND t.thread_key IS NOT NULL
          AND (EXISTS (SELECT 1 FROM customer_identities i
                        WHERE i.customer_id = t.customer_id AND i.channel_type = 'email' AND i.external_id = $5)
               OR EXISTS (SELECT 1 FROM customers cu WHERE cu.id = t.customer_id AND cu.email = $5))
        ORDER BY c.rank, t.last_message_at DESC
        LIMIT 1`,
      [query.channelId, ids, ticketIds, number, query.sender],
    );
    return rows[0]?.thread_key ?? null;
  }
}
