import { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaClocks1764000000004 implements MigrationInterface {
  name = 'SlaClocks1764000000004';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Per-metric clocks (due, warning, paused remainder, outcome); the *_due_at columns mirror the
      -- running ones for the board's index scans.
      ALTER TABLE tickets ADD COLUMN sla_clocks jsonb NOT NULL DEFAULT '{}', ADD COLUMN sla_next_check_at timestamptz,
        -- For reports, computed when the clock stops (business time needs the calendar, which SQL has not).
        ADD COLUMN first_response_business_sec integer, ADD COLUMN resolution_business_sec integer,
        ADD COLUMN sla_breached boolean NOT NULL DEFAULT false;
      CREATE INDEX tickets_created_idx ON tickets (created_at);
      -- The scheduler sleeps until the smallest of these.
      CREATE INDEX tickets_sla_next_check_idx ON tickets (sla_next_check_at) WHERE sla_next_check_at IS NOT NULL;
      -- The SLA board: open tickets by their nearest due instant.
      CREATE INDEX tickets_sla_board_idx ON tickets ((LEAST(first_response_due_at, next_response_due_at, resolution_due_at)), id)
        WHERE sla_policy_id IS NOT NULL AND status NOT IN ('resolved', 'closed');
      -- The board's counts per state: an index-only scan with every board filter at hand.
      CREATE INDEX tickets_sla_state_idx ON tickets (sla_state) INCLUDE (priority, team_id, assignee_id, channel_id)
        WHERE sla_policy_id IS NOT NULL AND status NOT IN ('resolved', 'closed');

      CREATE TABLE sla_events (
        id          bigserial PRIMARY KEY,
        ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        policy_id   uuid,
        metric      text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
        kind        text NOT NULL CHECK (kind IN ('warning', 'breached', 'met')),
        due_at      timestamptz,
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      -- Exactly one alert per clock instant, whichever instance or restart gets there.
      CREATE UNIQUE INDEX sla_events_once ON sla_events (ticket_id, metric, kind, due_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sla_events; DROP INDEX tickets_created_idx;
      ALTER TABLE tickets DROP COLUMN sla_breached, DROP COLUMN resolution_business_sec, DROP COLUMN first_response_business_sec,
        DROP COLUMN sla_next_check_at, DROP COLUMN sla_clocks;`);
  }
}
