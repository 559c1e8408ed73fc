import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChannelAssignment1764000000008 implements MigrationInterface {
  name = 'ChannelAssignment1764000000008';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Who a channel's new tickets go to: a team (the trigger below), and with auto_assign an online
      -- agent (libs/assignment), never more than max_open_per_agent open tickets each (NULL: no cap).
      ALTER TABLE channels
        ADD COLUMN auto_assign boolean NOT NULL DEFAULT false,
        ADD COLUMN route_team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
        ADD COLUMN max_open_per_agent integer CHECK (max_open_per_agent > 0);
      -- Round robin between agents with equal load: the one assigned longest ago goes first.
      ALTER TABLE agents ADD COLUMN last_assigned_at timestamptz;

      -- A ticket is born in its channel's team, whatever creates it (ingest today), so its first push
      -- already goes only to who may see it (a restricted team's members and the supervisors).
      CREATE FUNCTION pasokh_ticket_team() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.team_id IS NULL THEN
          SELECT route_team_id INTO NEW.team_id FROM channels WHERE id = NEW.channel_id;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tickets_channel_team BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION pasokh_ticket_team();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER tickets_channel_team ON tickets;
      DROP FUNCTION pasokh_ticket_team();
      ALTER TABLE agents DROP COLUMN last_assigned_at;
      ALTER TABLE channels DROP COLUMN auto_assign, DROP COLUMN route_team_id, DROP COLUMN max_open_per_agent;
    `);
  }
}
