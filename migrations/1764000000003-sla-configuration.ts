import { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaConfiguration1764000000003 implements MigrationInterface {
  name = 'SlaConfiguration1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE business_calendars (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name       text NOT NULL,
        timezone   text NOT NULL,
        weekly     jsonb NOT NULL,
        holidays   text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX business_calendars_name_key ON business_calendars (lower(name));

      -- Evaluated in position order; the first whose match fits a new ticket is recorded on it.
      CREATE TABLE sla_policies (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name               text NOT NULL,
        position           integer NOT NULL,
        match              jsonb NOT NULL DEFAULT '{}',
        first_response_sec integer CHECK (first_response_sec > 0),
        next_response_sec  integer CHECK (next_response_sec > 0),
        resolution_sec     integer CHECK (resolution_sec > 0),
        calendar_id        uuid REFERENCES business_calendars (id),
        warn_percent       integer CHECK (warn_percent BETWEEN 1 AND 99),
        warn_before_sec    integer CHECK (warn_before_sec > 0),
        active             boolean NOT NULL DEFAULT true,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sla_policies_order_idx ON sla_policies (position, created_at) WHERE active;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE sla_policies, business_calendars');
  }
}
