import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface AgentPresence {
  agentId: string;
  status: PresenceStatus;
  lastSeenAt: Date | null;
}

// A connection whose instance stopped heart-beating this long ago is gone (the instance died).
const STALE_SQL = "interval '90 seconds'";

/**
 * Presence lives in the database so every instance sees the same answer: one row per live socket
 * (several tabs are several rows), and the status the agent chose. An agent with no live row is offline.
 */
@Injectable()
export class PresenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async addConnection(socketId: string, agentId: string, instanceId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_connections (socket_id, agent_id, instance_id) VALUES ($1, $2, $3)
       ON CONFLICT (socket_id) DO UPDATE SET disconnected_at = NULL, last_seen_at = now(), instance_id = $3`,
      [socketId, agentId, instanceId],
    );
  }

  async markDisconnected(socketId: string): Promise<void> {
    await this.dataSource.query('UPDATE agent_connections SET disconnected_at = now() WHERE socket_id = $1', [socketId]);
  }

  /** Removes the connection unless it came back (connection-state recovery keeps the socket id). */
  async removeIfDisconnected(socketId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM agent_connections WHERE socket_id = $1 AND disconnected_at IS NOT NULL', [socketId]);
  }

  async setStatus(agentId: string, status: PresenceStatus): Promise<void> {
    await this.dataSource.query('UPDATE agents SET presence_status = $2 WHERE id = $1', [agentId, status]);
  }

  /** This instance is alive: its live connections are too. */
  async heartbeat(instanceId: string): Promise<void> {
    await this.dataSource.query('UPDATE agent_connections SET last_seen_at = now() WHERE instance_id = $1 AND disconnected_at IS NULL', [instanceId]);
  }

  /** Drops connections of instances that died; returns the agents whose presence may have changed. */
  async removeStale(): Promise<string[]> {
    const rows: Array<{ agent_id: string }> = await this.dataSource.query(
      `WITH gone AS (DELETE FROM agent_connections WHERE last_seen_at < now() - ${STALE_SQL} RETURNING agent_id)
       SELECT DISTINCT agent_id FROM gone`,
    );
    return rows.map((r) => r.agent_id);
  }

  async removeInstance(instanceId: string): Promise<string[]> {
    const rows: Array<{ agent_id: string }> = await this.dataSource.query(
      'WITH gone AS (DELETE FROM agent_connections WHERE instance_id = $1 RETURNING agent_id) SELECT DISTINCT agent_id FROM gone',
      [instanceId],
    );
    return rows.map((r) => r.agent_id);
  }

  /** Active agents who are online now (a live connection, status online), for work that goes to people who are here. */
  async onlineAgentIds(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT a.id FROM agents a
        WHERE a.active AND a.presence_status = 'online'
          AND EXISTS (SELECT 1 FROM agent_connections c WHERE c.agent_id = a.id AND c.last_seen_at >= now() - ${STALE_SQL})`,
    );
    return rows.map((r) => r.id);
  }

  /** Presence of these agents (all agents when null). */
  async presence(agentIds: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<AgentPresence[]> {
    const rows: Array<{ id: string; status: PresenceStatus; last_seen_at: Date | null }> = await manager.query(
      `SELECT a.id,
              CASE WHEN count(c.socket_id) > 0 THEN a.presence_status ELSE 'offline' END AS status,
              max(c.last_seen_at) AS last_seen_at
         FROM agents a
         LEFT JOIN agent_connections c ON c.agent_id = a.id AND c.last_seen_at >= now() - ${STALE_SQL}
        ${agentIds ? 'WHERE a.id = ANY($1::uuid[])' : ''}
        GROUP BY a.id`,
      agentIds ? [agentIds] : [],
    );
    return rows.map((r) => ({ agentId: r.id, status: r.status, lastSeenAt: r.last_seen_at }));
  }
}
