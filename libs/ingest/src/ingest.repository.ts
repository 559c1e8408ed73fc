import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
  attachments: Array<{ filename: string; contentType: string; size: number; sha256: string; storageKey: string }>;
}

@Injectable()
export class IngestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One round trip, one implicit transaction: see migrations/1764000000001-ingest-function.ts. */
  async ingest(p: IngestParams): Promise<IngestRow> {
    const rows: IngestRow[] = await this.dataSource.query(
      `SELECT * FROM pasokh_ingest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, make_interval(secs => $16), $17::jsonb)`,
      [
        p.channelId, p.channelType, p.externalMessageId, p.senderId, p.name, p.email, p.phone, p.nameSearch, p.customerSearch,
        p.text, p.html, p.subject, p.threadKey, p.sentAt, p.ticketSearch, p.reopenWindowSec, JSON.stringify(p.attachments),
      ],
    );
    return rows[0];
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
