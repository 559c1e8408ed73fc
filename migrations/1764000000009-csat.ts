import { MigrationInterface, QueryRunner } from 'typeorm';

export class Csat1764000000009 implements MigrationInterface {
  name = 'Csat1764000000009';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Customer satisfaction (libs/csat): a channel may ask, once per ticket, when an agent resolves it.
      ALTER TABLE channels ADD COLUMN csat_enabled boolean NOT NULL DEFAULT false;
      -- Answers the customer can tap (the rating's 1–5), on channels that have buttons for them.
      ALTER TABLE messages ADD COLUMN quick_replies text[];
      CREATE TABLE csat_surveys (
        ticket_id         uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
        channel_id        uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        -- Who the rating is about: the assignee and team when the ticket was resolved.
        agent_id          uuid REFERENCES agents (id) ON DELETE SET NULL,
        team_id           uuid REFERENCES teams (id) ON DELETE SET NULL,
        message_id        uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        sent_at           timestamptz NOT NULL DEFAULT now(),
        score             smallint CHECK (score BETWEEN 1 AND 5),
        answered_at       timestamptz,
        answer_message_id uuid REFERENCES messages (id) ON DELETE SET NULL
      );
      -- No other index: an answer finds its survey through the customer's tickets on the channel
      -- (tickets_conversation_idx) and the primary key; the report joins by ticket.
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE csat_surveys; ALTER TABLE messages DROP COLUMN quick_replies; ALTER TABLE channels DROP COLUMN csat_enabled;`);
  }
}
