import { Injectable } from '@nestjs/common';
import { PresenceRepository } from '@pasokh/agents';
import { DataSource, EntityManager } from 'typeorm';
import { Candidate } from './choose-agent';

/** An unassigned open ticket on a channel that assigns automatically, with the channel's cap. */
export interface QueuedTicket {
  id: string;
  teamId: string | null;
  maxOpenPerAgent: number | null;
}

@Injectable()
export class AssignmentRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly presence: PresenceRepository,
  ) {}

  async anyAutoAssigning(): Promise<boolean> {
    const rows: Array<{ any: boolean }> = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM channels WHERE auto_assign) AS any`);
    return rows[0].any;
  }

  /**
   * Only one instance assigns at a time (it counts every agent's load), for this transaction; false
   * when another holds the turn, which then does the work.
   */
  async takeTurn(manager: EntityManager): Promise<boolean> {
    const rows: Array<{ ok: boolean }> = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('pasokh.auto_assign')) AS ok`);
    return rows[0].ok;
  }

  /**
   * Unassigned open tickets on channels that assign automatically, oldest first — only those someone
   * online may take (no team, or one of `teamIds`), so a team with nobody in, however long its queue,
   * hides no other team's tickets.
   */
  async queue(manager: EntityManager, teamIds: string[], limit: number): Promise<QueuedTicket[]> {
    const rows: Array<{ id: string; team_id: string | null; max_open_per_agent: number | null }> = await manager.query(
      `SELECT t.id, t.team_id, c.max_open_per_agent
         FROM tickets t
         JOIN channels c ON c.id = t.channel_id AND c.auto_assign
        WHERE t.assignee_id IS NULL AND t.status = 'open' AND (t.team_id IS NULL OR t.team_id = ANY($1::uuid[]))
        ORDER BY t.created_at, t.id
        LIMIT ${limit}
        FOR UPDATE OF t SKIP LOCKED`,
      [teamIds],
    );
    return rows.map((r) => ({ id: r.id, teamId: r.team_id, maxOpenPerAgent: r.max_open_per_agent }));
  }

  /** The agents online now, with their teams and how many open tickets each has. */
  async candidates(manager: EntityManager): Promise<Candidate[]> {
    const online = await this.presence.onlineAgentIds(manager);
    if (!online.length) return [];
    const rows: Array<{ id: string; last_assigned_at: Date | null; team_ids: string[]; open: number }> = await manager.query(
      `SELECT a.id, a.last_assigned_at,
              ARRAY(SELECT tm.team_id::text FROM team_members tm WHERE tm.agent_id = a.id) AS team_ids,
              (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status = 'open')::int AS open
         FROM agents a
        WHERE a.id = ANY($1::uuid[])`,
      [online],
    );
    return rows.map((r) => ({ agentId: r.id, teamIds: r.team_ids, open: Number(r.open), lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null }));
  }

  async assign(manager: EntityManager, ticketId: string, agentId: string, at: Date): Promise<void> {
    await manager.query(`UPDATE tickets SET assignee_id = $2, updated_at = now() WHERE id = $1`, [ticketId, agentId]);
    await manager.query(`UPDATE agents SET last_assigned_at = $2 WHERE id = $1`, [agentId, at]);
  }
}
