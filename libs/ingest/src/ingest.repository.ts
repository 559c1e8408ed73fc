import { Injectable } from '@nestjs/common';
import { PreparedStatement, queryPrepared } from '@pasokh/database';
import { DataSource, EntityManager } from 'typeorm';

export interface IngestRow {
  message_id: string;
  ticket_id: string;
  customer_id: string;
  duplicate: boolean;
  /** 'ticket.created' | 'ticket.updated'; null for a duplicate. */
  ticket_event: 'ticket.created' | 'ticket.updated' | null;
}

export interface IngestParams {
  channelId: string;
  channelType: string;
  externalMessageId: string;
  senderId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  nameSearch: string | null;
  customerSearch: string;
  text: string;
  html: string | null;
  subject: string | null;
  threadKey: string | null;
  sentAt: Date | null;
  ticketSearch: string;
  reopenWindowSec: number;
  attachments: Array<
    | { filename: string; contentType: string; size: number; sha256: string; storageKey: string; contentId: string | null }
    | { filename: string; contentType: string; url: string; note: string }
  >;
}

/** One element of a batch's answer: its row, or the error that rolled back that element alone. */
export type IngestOutcome = (IngestRow & { error_code: null; error_message: null }) | { error_code: string; error_message: string };

const INGEST_BATCH: PreparedStatement = { name: 'ingest.batch', text: 'SELECT * FROM pasokh_ingest_batch($1::jsonb)' };

@Injectable()
export class IngestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Several messages in one round trip and one transaction (migrations/1764000000006-ingest-batch.ts):
   * one outcome per message, in order. Outside a transaction the statement commits by itself.
   */
  ingestBatch(batch: IngestParams[], manager: EntityManager = this.dataSource.manager): Promise<IngestOutcome[]> {
    return queryPrepared<IngestOutcome>(manager, INGEST_BATCH, [JSON.stringify(batch)]);
  }

  /** Replaces an inbound message's text after the customer edited it; null if it is not stored. */
  async edit(channelId: string, externalMessageId: string, text: string, html: string | null): Promise<{ message_id: string; ticket_id: string; customer_id: string } | null> {
    const rows = await this.dataSource.query(
      `WITH edited AS (
         UPDATE messages SET text = $3, html = $4, edited_at = now(), updated_at = now()
          WHERE channel_id = $1 AND external_message_id = $2 RETURNING id, ticket_id, author_id)
       SELECT id AS message_id, ticket_id, author_id AS customer_id FROM edited`,
      [channelId, externalMessageId, text, html],
    );
    return rows[0] ?? null;
  }

  /**
   * A phone number the customer shared: it fills the profile's empty phone when nobody else has it;
   * when another customer has it, a system event on the ticket offers the merge to the agent.
   * Returns the event message id, if one was written.
   */
  async applySharedContact(customerId: string, ticketId: string, phone: string, name: string | null): Promise<string | null> {
    const rows: Array<{ event_id: string | null }> = await this.dataSource.query(
      `WITH other AS (
         SELECT c.id, c.name FROM customers c
          WHERE c.id <> $1 AND c.merged_into_id IS NULL
            AND (c.phone = $3 OR EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.external_id = $3))
          ORDER BY c.created_at LIMIT 1),
       filled AS (
         UPDATE customers SET phone = $3, search_text = concat_ws(' ', NULLIF(search_text, ''), $3), updated_at = now()
          WHERE id = $1 AND phone IS NULL AND NOT EXISTS (SELECT 1 FROM other) RETURNING id),
       identity AS (
         INSERT INTO customer_identities (customer_id, channel_type, external_id)
         SELECT $1, 'phone', $3 WHERE NOT EXISTS (SELECT 1 FROM other) ON CONFLICT DO NOTHING RETURNING id),
       suggestion AS (
         INSERT INTO messages (ticket_id, direction, kind, author_type, text, delivery_status)
         SELECT $2, 'inbound', 'event', 'system',
                'Shared contact ' || coalesce($4 || ' ', '') || $3 || ' is the phone of customer '
                  || coalesce(other.name, other.id::text) || ' (' || other.id || '). Merge them if this is one person.',
                'received'
           FROM other RETURNING id)
       SELECT (SELECT id FROM suggestion) AS event_id, (SELECT count(*) FROM filled) + (SELECT count(*) FROM identity) AS applied`,
      [customerId, ticketId, phone, name],
    );
    return rows[0]?.event_id ?? null;
  }

  /** The stored message for (channel, provider id), with its ticket and customer. */
  async findExisting(channelId: string, externalMessageId: string): Promise<IngestRow | null> {
    const rows: IngestRow[] = await this.dataSource.query(
      `SELECT m.id AS message_id, m.ticket_id, t.customer_id, true AS duplicate, NULL AS ticket_event
         FROM messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE m.channel_id = $1 AND m.external_message_id = $2`,
      [channelId, externalMessageId],
    );
    return rows[0] ?? null;
  }
}
