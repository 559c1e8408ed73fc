import { Injectable } from '@nestjs/common';
import { PreparedStatement, queryPrepared } from '@pasokh/database';
import { DataSource, EntityManager } from 'typeorm';
import { SlaState, TicketEntity, TicketPriority, TicketStatus } from './ticket.entity';

/** A ticket row with the names the API shows next to it. */
export interface TicketView {
  id: string;
  number: string;
  subject: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  channel_id: string;
  channel_type: string;
  channel_name: string;
  customer_id: string;
  customer_name: string | null;
  assignee_id: string | null;
  team_id: string | null;
  tags: string[];
  message_count: number;
  snoozed_until: Date | null;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date;
  last_customer_message_at: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  sla_policy_id: string | null;
  sla_state: SlaState;
  /** Set when the ticket's team is restricted: only its members and supervisors may see it. */
  restricted_team_id: string | null;
  /** Only in an agent's REST reads (see READER_VIEW): when that agent last read the ticket. */
  read_at?: Date | null;
  /** Only in an agent's REST reads: the start of the latest message's text. */
  preview?: string | null;
  first_response_due_at: Date | null;
  next_response_due_at: Date | null;
  resolution_due_at: Date | null;
}

export interface TicketFilter {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  channelType?: string;
  channelId?: string;
  /** An agent id, or 'none' for unassigned. */
  assigneeId?: string;
  teamId?: string;
  tag?: string;
  customerId?: string;
  search?: { text: string; number: number | null };
  /** Agents (not supervisors/admins) do not see restricted teams they are not in. */
  viewerAgentId?: string;
}

const COLUMNS = `
  SELECT t.id, t.number, t.subject, t.status, t.priority, t.channel_id, ch.type AS channel_type, ch.name AS channel_name,
         t.customer_id, cu.name AS customer_name, t.assignee_id, t.team_id, t.tags, t.message_count, t.snoozed_until,
         t.created_at, t.updated_at, t.last_message_at, t.last_customer_message_at, t.first_response_at, t.resolved_at,
         t.sla_policy_id, t.sla_state, t.first_response_due_at, t.next_response_due_at, t.resolution_due_at,
         CASE WHEN team.restricted THEN team.id END AS restricted_team_id`;

const FROM = `
    FROM tickets t
    JOIN channels ch ON ch.id = t.channel_id
    JOIN customers cu ON cu.id = t.customer_id
    LEFT JOIN teams team ON team.id = t.team_id`;

const VIEW = `${COLUMNS}${FROM}`;

/**
 * The view as one agent reads it over REST: plus when that agent last read the ticket and a preview
 * of its latest message (one backward step on messages_ticket_idx per row). `$READER` is the agent's parameter.
 */
const READER_VIEW = `${COLUMNS}, tr.read_at,
         (SELECT left(m.text, 200) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'message'
           ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS preview${FROM}
    LEFT JOIN ticket_reads tr ON tr.ticket_id = t.id AND tr.agent_id = $READER`;

const VISIBLE = `(t.team_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM teams tm WHERE tm.id = t.team_id AND tm.restricted
       AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = tm.id AND m.agent_id = $VIEWER)))`;

/** One ticket by id, read on every push and every ticket request: planned once per connection. */
const VIEW_BY_ID: Record<'plain' | 'reader' | 'viewer' | 'readerViewer', PreparedStatement> = {
  plain: { name: 'tickets.view', text: `${VIEW} WHERE t.id = $1` },
  reader: { name: 'tickets.view.reader', text: `${READER_VIEW.replace('$READER', '$2')} WHERE t.id = $1` },
  viewer: { name: 'tickets.view.viewer', text: `${VIEW} WHERE t.id = $1 AND ${VISIBLE.replace('$VIEWER', '$2')}` },
  readerViewer: { name: 'tickets.view.reader.viewer', text: `${READER_VIEW.replace('$READER', '$2')} WHERE t.id = $1 AND ${VISIBLE.replace('$VIEWER', '$3')}` },
};

const VIEW_MANY: PreparedStatement = { name: 'tickets.view.many', text: `${VIEW} WHERE t.id = ANY($1::uuid[])` };

@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `readerAgentId`: read as that agent (adds read_at and preview). */
  async view(id: string, manager: EntityManager = this.dataSource.manager, viewerAgentId?: string, readerAgentId?: string): Promise<TicketView | null> {
    const statement = readerAgentId ? (viewerAgentId ? VIEW_BY_ID.readerViewer : VIEW_BY_ID.reader) : viewerAgentId ? VIEW_BY_ID.viewer : VIEW_BY_ID.plain;
    const params: unknown[] = [id];
    if (readerAgentId) params.push(readerAgentId);
    if (viewerAgentId) params.push(viewerAgentId);
    const rows = await queryPrepared<TicketView>(manager, statement, params);
    return rows[0] ?? null;
  }

  /** The tickets among `ids` that exist, in no particular order (pushes load them a batch at a time). */
  viewMany(ids: string[]): Promise<TicketView[]> {
    return queryPrepared<TicketView>(this.dataSource.manager, VIEW_MANY, [ids]);
  }

  /** Newest activity first, keyset-paginated on (last_message_at, id). Every filter is index-backed. */
  async list(filter: TicketFilter, after: [string, string] | null, limit: number, readerAgentId?: string): Promise<TicketView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status?.length) where.push(`t.status = ANY(${param(filter.status)}::text[])`);
    if (filter.priority?.length) where.push(`t.priority = ANY(${param(filter.priority)}::text[])`);
    if (filter.channelType) where.push(`ch.type = ${param(filter.channelType)}`);
    if (filter.channelId) where.push(`t.channel_id = ${param(filter.channelId)}`);
    if (filter.assigneeId === 'none') where.push('t.assignee_id IS NULL');
    else if (filter.assigneeId) where.push(`t.assignee_id = ${param(filter.assigneeId)}`);
    if (filter.teamId === 'none') where.push('t.team_id IS NULL');
    else if (filter.teamId) where.push(`t.team_id = ${param(filter.teamId)}`);
    if (filter.tag) where.push(`t.tags @> ARRAY[${param(filter.tag)}]::text[]`);
    if (filter.customerId) where.push(`t.customer_id = ${param(filter.customerId)}`);
    if (filter.search) {
      const like = param(`%${filter.search.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      const byNumber = filter.search.number !== null ? ` OR t.number = ${param(filter.search.number)}` : '';
      where.push(`(t.search_text LIKE ${like} OR cu.search_text LIKE ${like}${byNumber})`);
    }
    if (filter.viewerAgentId) where.push(VISIBLE.replace('$VIEWER', param(filter.viewerAgentId)));
    if (after) where.push(`(t.last_message_at, t.id) < (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    const select = readerAgentId ? READER_VIEW.replace('$READER', param(readerAgentId)) : VIEW;
    const sql = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY t.last_message_at DESC, t.id DESC LIMIT ${param(limit + 1)}`;
    return this.dataSource.query(sql, params);
  }

  /** Open tickets under a policy, nearest due instant first, with the count per SLA state. */
  async slaBoard(filter: Pick<TicketFilter, 'teamId' | 'assigneeId' | 'channelType' | 'priority' | 'viewerAgentId'>, limit: number) {
    const where = [`t.sla_policy_id IS NOT NULL`, `t.status NOT IN ('resolved', 'closed')`];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.teamId) where.push(`t.team_id = ${param(filter.teamId)}`);
    if (filter.assigneeId === 'none') where.push('t.assignee_id IS NULL');
    else if (filter.assigneeId) where.push(`t.assignee_id = ${param(filter.assigneeId)}`);
    if (filter.channelType) where.push(`t.channel_id IN (SELECT id FROM channels WHERE type = ${param(filter.channelType)})`);
    if (filter.priority?.length) where.push(`t.priority = ANY(${param(filter.priority)}::text[])`);
    if (filter.viewerAgentId) where.push(VISIBLE.replace('$VIEWER', param(filter.viewerAgentId)));
    const condition = where.join(' AND ');
    // No join here: the counts come from tickets_sla_state_idx alone.
    const counts: Array<{ sla_state: string; n: number }> = await this.dataSource.query(
      `SELECT t.sla_state, count(*)::int AS n FROM tickets t WHERE ${condition} GROUP BY t.sla_state`,
      params,
    );
    const rows: TicketView[] = await this.dataSource.query(
      `${VIEW} WHERE ${condition}
        ORDER BY LEAST(t.first_response_due_at, t.next_response_due_at, t.resolution_due_at) NULLS LAST, t.id LIMIT ${param(limit)}`,
      params,
    );
    return { counts: new Map(counts.map((c) => [c.sla_state, c.n])), rows };
  }

  /** The agent has read the ticket up to `at` (never moves back). */
  async markRead(agentId: string, ticketId: string, at: Date): Promise<Date> {
    const rows: Array<{ read_at: Date }> = await this.dataSource.query(
      `INSERT INTO ticket_reads (agent_id, ticket_id, read_at) VALUES ($1, $2, $3)
       ON CONFLICT (agent_id, ticket_id) DO UPDATE SET read_at = GREATEST(ticket_reads.read_at, EXCLUDED.read_at)
       RETURNING read_at`,
      [agentId, ticketId, at],
    );
    return rows[0].read_at;
  }

  findById(manager: EntityManager = this.dataSource.manager, id: string): Promise<TicketEntity | null> {
    return manager.findOne(TicketEntity, { where: { id } });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<TicketEntity | null> {
    return manager.createQueryBuilder(TicketEntity, 't').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  async update(manager: EntityManager, id: string, patch: Partial<TicketEntity>): Promise<void> {
    await manager.update(TicketEntity, { id }, patch);
  }

  /** An agent's public reply: counters, times, and the first response if this is it. */
  async recordAgentReply(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE tickets SET message_count = message_count + 1,
              last_message_at = GREATEST(last_message_at, $2), last_agent_message_at = $2,
              first_response_at = COALESCE(first_response_at, $2), updated_at = now()
        WHERE id = $1`,
      [id, at],
    );
  }

  async existsAgent(manager: EntityManager, agentId: string): Promise<boolean> {
    const rows = await manager.query('SELECT 1 FROM agents WHERE id = $1 AND active', [agentId]);
    return rows.length > 0;
  }

  async existsTeam(manager: EntityManager, teamId: string): Promise<boolean> {
    const rows = await manager.query('SELECT 1 FROM teams WHERE id = $1', [teamId]);
    return rows.length > 0;
  }
}
