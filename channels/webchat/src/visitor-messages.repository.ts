import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VisitorFile, VisitorMessage } from './visitor-rooms';

const HISTORY_LIMIT = 50;

interface Row {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  created_at: Date;
  agent_name: string | null;
  files: VisitorFile[] | null;
  quick_replies: string[] | null;
}

// The visitor's view of a message: never a note or an event, never a reply that failed to go out.
const MESSAGE_COLUMNS = `m.id, m.direction, m.text, m.created_at, a.name AS agent_name, m.quick_replies,
  (SELECT json_agg(json_build_object('id', f.id, 'filename', f.filename, 'contentType', f.content_type, 'size', f.size) ORDER BY f.created_at)
     FROM attachments f WHERE f.message_id = m.id) AS files`;

/** A visitor's side of their conversations on one channel: messages only, never notes or events. */
@Injectable()
export class VisitorMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The visitor's latest messages on the channel, oldest first; a reply that failed to go out is left out. */
  async recent(channelId: string, visitorId: string): Promise<VisitorMessage[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}
         FROM customer_identities ci
         JOIN tickets t ON t.customer_id = ci.customer_id AND t.channel_id = $1
         JOIN messages m ON m.ticket_id = t.id AND m.kind = 'message' AND m.delivery_status <> 'failed'
         LEFT JOIN agents a ON a.id = m.author_id AND m.author_type = 'agent'
        WHERE ci.channel_type = 'webchat' AND ci.external_id = $2
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT ${HISTORY_LIMIT}`,
      [channelId, visitorId],
    );
    return rows.reverse().map(toVisitorMessage);
  }

  /** One message as the visitor's widget shows it (after an upload: with its file's id). */
  async message(id: string): Promise<VisitorMessage | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}
         FROM messages m
         LEFT JOIN agents a ON a.id = m.author_id AND m.author_type = 'agent'
        WHERE m.id = $1`,
      [id],
    );
    return rows[0] ? toVisitorMessage(rows[0]) : null;
  }

  /**
   * A stored file the visitor may download: one on a message (not a note) in their own conversation
   * on this channel. Null for anything else, so a guessed id tells nothing.
   */
  async file(channelId: string, visitorId: string, attachmentId: string): Promise<{ filename: string; content_type: string; storage_key: string } | null> {
    const rows = await this.dataSource.query(
      `SELECT f.filename, f.content_type, f.storage_key
         FROM attachments f
         JOIN messages m ON m.id = f.message_id AND m.kind = 'message' AND m.channel_id = $1
         JOIN tickets t ON t.id = m.ticket_id
         JOIN customer_identities ci ON ci.customer_id = t.customer_id AND ci.channel_type = 'webchat' AND ci.external_id = $2
        WHERE f.id = $3 AND f.storage_key IS NOT NULL`,
      [channelId, visitorId, attachmentId],
    );
    return rows[0] ?? null;
  }

  /** The ticket's web chat visitors; none when the ticket is on another channel. */
  visitorsOf(ticketId: string): Promise<TicketVisitor[]> {
    return this.dataSource.query(
      `SELECT t.channel_id, ci.external_id AS visitor_id
         FROM tickets t
         JOIN channels c ON c.id = t.channel_id AND c.type = 'webchat'
         JOIN customer_identities ci ON ci.customer_id = t.customer_id AND ci.channel_type = 'webchat'
        WHERE t.id = $1`,
      [ticketId],
    );
  }

  /** The visitor's current conversation on the channel (their latest ticket that is not closed). */
  async currentTicket(channelId: string, visitorId: string): Promise<{ id: string; customer_id: string; name: string | null } | null> {
    const rows = await this.dataSource.query(
      `SELECT t.id, t.customer_id, cu.name
         FROM customer_identities ci
         JOIN tickets t ON t.customer_id = ci.customer_id AND t.channel_id = $1 AND t.status <> 'closed'
         JOIN customers cu ON cu.id = t.customer_id
        WHERE ci.channel_type = 'webchat' AND ci.external_id = $2
        ORDER BY t.last_message_at DESC NULLS LAST
        LIMIT 1`,
      [channelId, visitorId],
    );
    return rows[0] ?? null;
  }

  /** Of `ids`, the replies sent to this visitor on this channel: a widget reports only on its own. */
  async repliesTo(channelId: string, visitorId: string, ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT m.id FROM messages m
         JOIN tickets t ON t.id = m.ticket_id
         JOIN customer_identities ci ON ci.customer_id = t.customer_id AND ci.channel_type = 'webchat' AND ci.external_id = $2
        WHERE m.id = ANY($3::uuid[]) AND m.channel_id = $1 AND m.direction = 'outbound' AND m.kind = 'message'`,
      [channelId, visitorId, ids],
    );
    return rows.map((r) => r.id);
  }
}

/** The web chat visitors a ticket's customer is (usually one), for signals about that ticket. */
export interface TicketVisitor {
  channel_id: string;
  visitor_id: string;
}

function toVisitorMessage(row: Row): VisitorMessage {
  return {
    id: row.id,
    direction: row.direction,
    text: row.text,
    createdAt: new Date(row.created_at).toISOString(),
    agentName: row.agent_name,
    attachments: (row.files ?? []).map((f) => ({ ...f, size: Number(f.size) })),
    ...(row.quick_replies?.length ? { quickReplies: row.quick_replies } : {}),
  };
}
