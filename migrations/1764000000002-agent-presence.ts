import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentPresence1764000000002 implements MigrationInterface {
  name = 'AgentPresence1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- What the agent chose (online / away / offline = invisible); shown only while connected.
      ALTER TABLE agents ADD COLUMN presence_status text NOT NULL DEFAULT 'online'
        CHECK (presence_status IN ('online', 'away', 'offline'));

      -- One row per live socket, on any instance. Several tabs are several rows of one agent.
      CREATE TABLE agent_connections (
        socket_id       text PRIMARY KEY,
        agent_id        uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        instance_id     text NOT NULL,
        connected_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        disconnected_at timestamptz
      );
      CREATE INDEX agent_connections_agent_idx ON agent_connections (agent_id);
      CREATE INDEX agent_connections_instance_idx ON agent_connections (instance_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE agent_connections; ALTER TABLE agents DROP COLUMN presence_status;`);
  }
}
