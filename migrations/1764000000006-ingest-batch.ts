import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * pasokh_ingest_batch: several inbound messages in one statement and one transaction (group
 * commit). Each element runs pasokh_ingest in its own subtransaction, so an element that fails
 * (a twin delivery's unique violation, a deadlock) rolls back alone and comes back as its SQLSTATE
 * and message; the caller handles it exactly as it would a single call's error. Rows come back in
 * the order of the array.
 */
export class IngestBatch1764000000006 implements MigrationInterface {
  name = 'IngestBatch1764000000006';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
CREATE FUNCTION pasokh_ingest_batch(p_messages jsonb)
RETURNS TABLE (message_id uuid, ticket_id uuid, customer_id uuid, duplicate boolean, ticket_event text, error_code text, error_message text)
LANGUAGE plpgsql AS $fn$
DECLARE
  m jsonb;
BEGIN
  FOR m IN SELECT e FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS a(e, n) ORDER BY n LOOP
    BEGIN
      SELECT r.message_id, r.ticket_id, r.customer_id, r.duplicate, r.ticket_event
        INTO message_id, ticket_id, customer_id, duplicate, ticket_event
        FROM pasokh_ingest(
          (m->>'channelId')::uuid, m->>'channelType', m->>'externalMessageId',
          m->>'senderId', m->>'name', m->>'email', m->>'phone',
          m->>'nameSearch', m->>'customerSearch',
          m->>'text', m->>'html', m->>'subject', m->>'threadKey', (m->>'sentAt')::timestamptz,
          m->>'ticketSearch', make_interval(secs => (m->>'reopenWindowSec')::double precision), m->'attachments') AS r;
      error_code := NULL;
      error_message := NULL;
    EXCEPTION WHEN OTHERS THEN
      message_id := NULL; ticket_id := NULL; customer_id := NULL; duplicate := NULL; ticket_event := NULL;
      error_code := SQLSTATE;
      error_message := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END
$fn$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION pasokh_ingest_batch(jsonb)');
  }
}
