import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChannelAssignment1764000000008 implements MigrationInterface {
  name = 'ChannelAssignment1764000000008';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Who a channel's new tickets go to (libs/assignment): a team, and with auto_assign an online
      -- agent, never more than max_open_per_agent open tickets each (NULL: no cap).
      ALTER TABLE channels
        ADD COLUMN auto_assign boolean NOT NULL DEFAULT false,
        ADD COLUMN route_team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
        ADD COLUMN max_open_per_agent integer CHECK (max_open_per_agent > 0);
      -- Round robin between agents with equal load: the one assigned longest ago goes first.
      ALTER TABLE agents ADD COLUMN last_assigned_at timestamptz;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE agents DROP COLUMN last_assigned_at;
      ALTER TABLE channels DROP COLUMN auto_assign, DROP COLUMN route_team_id, DROP COLUMN max_open_per_agent;
    `);
  }
}
