import { MigrationInterface, QueryRunner } from 'typeorm';

export class SavedReplies1764000000007 implements MigrationInterface {
  name = 'SavedReplies1764000000007';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Answers agents give again and again, inserted by typing /shortcut in the composer.
      CREATE TABLE saved_replies (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shortcut    text NOT NULL,
        title       text NOT NULL,
        text        text NOT NULL,
        -- shortcut, title and text with Arabic/Persian letter forms and digits folded (normalizeText).
        search_text text NOT NULL,
        created_by  uuid REFERENCES agents (id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX saved_replies_shortcut_key ON saved_replies (lower(shortcut));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE saved_replies;`);
  }
}
