import { Injectable } from '@nestjs/common';
import { PreparedStatement, queryPrepared } from '@pasokh/database';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AttachmentEntity } from './attachment.entity';
import { DeliveryStatus, MessageEntity } from './message.entity';

export interface OutboundContext {
  ticketId: string;
  ticketNumber: number;
  channelId: string;
  subject: string | null;
  threadKey: string | null;
  text: string;
  html: string | null;
  customerName: string | null;
  email: string | null;
  phone: string | null;
  agentId: string | null;
  agentName: string | null;
  externalId: string | null;
  inReplyTo: string | null;
  references: string[];
  quickReplies: string[] | null;
  automatic: boolean;
}

/**
 * Messages as pushed to agents, with their attachments and who may see them: for every push, so planned
 * once per connection. The ticket's team is a per-row subquery, not a join: with a join the planner
 * picked a hash over a sequential scan of the whole tickets table (cheap-looking while the table is
 * small, but every message's counter update leaves dead rows in it).
 */
const MESSAGES_FOR_PUSH: PreparedStatement = {
  name: 'messages.for_push.many',
  text: `SELECT m.id, m.ticket_id, m.channel_id, m.direction, m.kind, m.author_type, m.author_id, m.text, m.html,
            m.delivery_status, m.error, m.edited_at, m.created_at, m.updated_at,
            (SELECT team.id FROM tickets t JOIN teams team ON team.id = t.team_id
              WHERE t.id = m.ticket_id AND team.restricted) AS restricted_team_id,
            (SELECT coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type,
                      'size', a.size, 'storageKey', a.storage_key, 'externalUrl', a.external_url, 'note', a.note, 'contentId', a.content_id) ORDER BY a.created_at), '[]')
               FROM attachments a WHERE a.message_id = m.id) AS attachments
       FROM messages m
      WHERE m.id = ANY($1::uuid[])`,
};

@Injectable()
export class MessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<MessageEntity | null> {
    return manager.findOne(MessageEntity, { where: { id } });
  }

  async insert(manager: EntityManager, message: Partial<MessageEntity>): Promise<MessageEntity> {
    const result = await manager.insert(MessageEntity, message);
    return manager.findOneOrFail(MessageEntity, { where: { id: result.identifiers[0].id } });
  }

  /** Oldest first, keyset-paginated on (created_at, id). */
  listForTicket(ticketId: string, after: [string, string] | null, limit: number): Promise<MessageEntity[]> {
    const qb = this.dataSource.manager.createQueryBuilder(MessageEntity, 'm').where('m.ticketId = :ticketId', { ticketId });
    if (after) qb.andWhere('(m.createdAt, m.id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return qb.orderBy('m.createdAt', 'ASC').addOrderBy('m.id', 'ASC').limit(limit + 1).getMany();
  }

  async updateDelivery(
    manager: EntityManager = this.dataSource.manager,
    id: string,
    patch: { deliveryStatus?: DeliveryStatus; error?: string | null; providerMessageId?: string | null; sentAt?: Date | null },
  ): Promise<void> {
    await manager.update(MessageEntity, { id }, patch);
  }

  /**
   * Moves an outbound message's delivery status forward (never back: a late "sent" after "delivered"
   * is ignored). 'unknown' when no message has that provider id (yet), 'unchanged' when not forward.
   */
  async advanceDelivery(
    channelId: string,
    providerMessageId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error: string | null,
  ): Promise<{ messageId: string; ticketId: string } | 'unknown' | 'unchanged'> {
    const rank = `CASE %s WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 0 END`;
    const rows: Array<{ id: string; ticket_id: string; advanced: boolean }> = await this.dataSource.query(
      `WITH target AS (SELECT id FROM messages WHERE channel_id = $1 AND provider_message_id = $2),
            moved AS (
              UPDATE messages SET delivery_status = $3, error = CASE WHEN $3 = 'failed' THEN $4 ELSE NULL END, updated_at = now()
               WHERE id IN (SELECT id FROM target) AND ${rank.replace('%s', 'delivery_status')} < ${rank.replace('%s', '$3')}
               RETURNING id, ticket_id)
       SELECT t.id, m.ticket_id, m.id IS NOT NULL AS advanced FROM target t LEFT JOIN moved m ON m.id = t.id`,
      [channelId, providerMessageId, status, error],
    );
    if (!rows.length) return 'unknown';
    return rows[0].advanced ? { messageId: rows[0].id, ticketId: rows[0].ticket_id } : 'unchanged';
  }

  /** What the delivery worker needs to address a reply: ticket, customer, and their id on the channel. */
  async outboundContext(messageId: string): Promise<OutboundContext | null> {
    const rows: OutboundContext[] = await this.dataSource.query(
      `SELECT m.ticket_id AS "ticketId", m.text, m.html, m.quick_replies AS "quickReplies", m.author_type = 'system' AS automatic, t.number::int AS "ticketNumber", t.subject, t.thread_key AS "threadKey",
              t.channel_id AS "channelId", cu.name AS "customerName", cu.email, cu.phone, a.id AS "agentId", a.name AS "agentName",
              (SELECT i.external_id FROM customer_identities i JOIN channels ch ON ch.id = t.channel_id
                WHERE i.customer_id = t.customer_id AND i.channel_type = ch.type ORDER BY i.created_at DESC LIMIT 1) AS "externalId",
              (SELECT e.external_message_id FROM messages e
                WHERE e.ticket_id = t.id AND e.direction = 'inbound' AND e.channel_id = t.channel_id AND e.created_at <= m.created_at
                ORDER BY e.created_at DESC LIMIT 1) AS "inReplyTo",
              ARRAY(SELECT COALESCE(e.external_message_id, e.provider_message_id) FROM messages e
                     WHERE e.ticket_id = t.id AND e.id <> m.id AND e.kind = 'message' AND e.channel_id = t.channel_id
                       AND COALESCE(e.external_message_id, e.provider_message_id) IS NOT NULL AND e.created_at <= m.created_at
                     ORDER BY e.created_at) AS "references"
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers cu ON cu.id = t.customer_id
         LEFT JOIN agents a ON a.id = m.author_id
        WHERE m.id = $1`,
      [messageId],
    );
    return rows[0] ?? null;
  }

  /**
   * A message, its attachments and its ticket's restricted team in one plain query: pushes run for
   * every event, so this skips the query builder's cost on the hot path.
   */
  /** The messages among `ids` that exist, in no particular order. */
  async findForPush(ids: string[]): Promise<Array<{ message: MessageEntity; attachments: AttachmentEntity[]; restrictedTeamId: string | null }>> {
    const rows = await queryPrepared<Record<string, any>>(this.dataSource.manager, MESSAGES_FOR_PUSH, [ids]);
    const manager = this.dataSource.manager;
    return rows.map((r) => ({
      message: manager.create(MessageEntity, {
        id: r.id, ticketId: r.ticket_id, channelId: r.channel_id, direction: r.direction, kind: r.kind, authorType: r.author_type,
        authorId: r.author_id, text: r.text, html: r.html, deliveryStatus: r.delivery_status, error: r.error,
        editedAt: r.edited_at, createdAt: r.created_at, updatedAt: r.updated_at,
      }),
      attachments: (r.attachments as Array<Record<string, any>>).map((a) =>
        manager.create(AttachmentEntity, { ...a, messageId: r.id, size: Number(a.size) } as Partial<AttachmentEntity>),
      ),
      restrictedTeamId: r.restricted_team_id,
    }));
  }

  attachmentsOf(messageIds: string[], manager: EntityManager = this.dataSource.manager): Promise<AttachmentEntity[]> {
    if (!messageIds.length) return Promise.resolve([]);
    return manager.find(AttachmentEntity, { where: { messageId: In(messageIds) }, order: { createdAt: 'ASC' } });
  }

  findAttachment(id: string, manager: EntityManager = this.dataSource.manager): Promise<AttachmentEntity | null> {
    return manager.findOne(AttachmentEntity, { where: { id } });
  }

  /** Attaches uploads that are not on a message yet; returns how many were. */
  async claimUploads(manager: EntityManager, ids: string[], messageId: string): Promise<number> {
    if (!ids.length) return 0;
    const result = await manager.update(AttachmentEntity, { id: In(ids), messageId: IsNull() }, { messageId });
    return result.affected ?? 0;
  }
}
