import { MigrationInterface, QueryRunner } from 'typeorm';

export class AwayReply1764000000010 implements MigrationInterface {
  name = 'AwayReply1764000000010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- A channel's reply to a new ticket that arrives outside its business hours (libs/away-reply).
      ALTER TABLE channels
        ADD COLUMN away_calendar_id uuid REFERENCES business_calendars (id) ON DELETE SET NULL,
        ADD COLUMN away_message text;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channels DROP COLUMN away_calendar_id, DROP COLUMN away_message;`);
  }
}
