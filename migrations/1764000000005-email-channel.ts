import { MigrationInterface, QueryRunner } from 'typeorm';
import { IngestFunction1764000000001 } from './1764000000001-ingest-function';

/**
 * The email channel and agents' own settings:
 * - attachments.content_id: an email's inline image (`cid:`), so the HTML can show it in place;
 *   pasokh_ingest is replaced (same signature) only to store it.
 * - channels.connection_*: a pulling channel's live connection (IMAP), for the channel's health.
 * - quarantined_messages: mail that could not be read is kept, raw, with the reason, and the
 *   mailbox goes on.
 * - agents.preferences: language, calendar and digits the web app shows; ticket_reads: when each
 *   agent last read each ticket, for the inbox's unread state.
 * - tickets_snoozed_idx: snoozed tickets wake by themselves at snoozed_until.
 */
export class EmailChannel1764000000005 implements MigrationInterface {
  name = 'EmailChannel1764000000005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE attachments ADD COLUMN content_id text;
      ALTER TABLE channels ADD COLUMN connection_state text CHECK (connection_state IN ('connecting', 'connected', 'disconnected')),
                           ADD COLUMN connection_changed_at timestamptz;
      ALTER TABLE agents ADD COLUMN preferences jsonb NOT NULL DEFAULT '{}';

      CREATE TABLE quarantined_messages (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel_id  uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        -- Where the provider keeps it (an IMAP mailbox, uidvalidity and uid), for an admin to find it there too.
        source_ref  text NOT NULL,
        reason      text NOT NULL,
        size        bigint NOT NULL,
        sha256      text NOT NULL,
        storage_key text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel_id, sha256)
      );
      CREATE INDEX quarantined_messages_channel_idx ON quarantined_messages (channel_id, created_at DESC);

      CREATE INDEX tickets_snoozed_idx ON tickets (snoozed_until) WHERE status = 'snoozed';

      CREATE TABLE ticket_reads (
        agent_id  uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        read_at   timestamptz NOT NULL,
        PRIMARY KEY (agent_id, ticket_id)
      );
    `);
    await db.query(`
CREATE OR REPLACE FUNCTION pasokh_ingest(
  p_channel_id uuid, p_channel_type text, p_external_message_id text,
  p_sender_id text, p_name text, p_email text, p_phone text,
  p_name_search text, p_customer_search text,
  p_text text, p_html text, p_subject text, p_thread_key text, p_sent_at timestamptz,
  p_ticket_search text, p_reopen_window interval, p_attachments jsonb
) RETURNS TABLE (message_id uuid, ticket_id uuid, customer_id uuid, duplicate boolean, ticket_event text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_customer customers%ROWTYPE;
  v_ticket tickets%ROWTYPE;
  v_message uuid;
  v_now timestamptz := clock_timestamp();
  v_event text := 'ticket.updated';
  v_by_identity boolean;
BEGIN
  -- Every key this sender can match by, locked in sorted order: concurrent first messages of one
  -- new person wait here instead of creating two customers.
  PERFORM count(pg_advisory_xact_lock(hashtextextended(k, 0)))
     FROM (SELECT DISTINCT k FROM unnest(ARRAY[
             'identity:' || p_channel_type || ':' || p_sender_id, 'email:' || p_email, 'phone:' || p_phone]) AS k
            WHERE k IS NOT NULL ORDER BY k) AS sorted;

  SELECT m.id, m.ticket_id, t.customer_id INTO message_id, ticket_id, customer_id
    FROM messages m JOIN tickets t ON t.id = m.ticket_id
   WHERE m.channel_id = p_channel_id AND m.external_message_id = p_external_message_id;
  IF FOUND THEN
    duplicate := true;
    RETURN NEXT;
    RETURN;
  END IF;

  -- Exact matches only: identity, then email, then phone. Never fuzzy, never a silent merge.
  SELECT c.* INTO v_customer FROM customer_identities i JOIN customers c ON c.id = i.customer_id
   WHERE i.channel_type = p_channel_type AND i.external_id = p_sender_id;
  v_by_identity := v_customer.id IS NOT NULL;
  IF v_customer.id IS NULL AND p_email IS NOT NULL THEN
    SELECT * INTO v_customer FROM customers WHERE email = p_email AND merged_into_id IS NULL ORDER BY created_at LIMIT 1;
  END IF;
  IF v_customer.id IS NULL AND p_phone IS NOT NULL THEN
    SELECT * INTO v_customer FROM customers WHERE phone = p_phone AND merged_into_id IS NULL ORDER BY created_at LIMIT 1;
  END IF;

  IF v_customer.id IS NULL THEN
    INSERT INTO customers (name, email, phone, search_text) VALUES (p_name, p_email, p_phone, p_customer_search)
    RETURNING * INTO v_customer;
  ELSIF (v_customer.name IS NULL AND p_name IS NOT NULL) OR (v_customer.email IS NULL AND p_email IS NOT NULL)
     OR (v_customer.phone IS NULL AND p_phone IS NOT NULL) THEN
    -- Fill gaps only: what an agent typed into the profile wins over what a provider sends.
    UPDATE customers SET
        name = COALESCE(name, p_name), email = COALESCE(email, p_email), phone = COALESCE(phone, p_phone),
        search_text = concat_ws(' ', NULLIF(search_text, ''),
          CASE WHEN name IS NULL THEN p_name_search END,
          CASE WHEN email IS NULL THEN p_email END,
          CASE WHEN phone IS NULL THEN p_phone END),
        updated_at = now()
      WHERE id = v_customer.id;
  END IF;
  IF NOT v_by_identity THEN
    INSERT INTO customer_identities (customer_id, channel_type, external_id)
    VALUES (v_customer.id, p_channel_type, p_sender_id) ON CONFLICT DO NOTHING;
  END IF;

  -- Two identities of one customer on one channel must not open two tickets either.
  PERFORM pg_advisory_xact_lock(hashtextextended('conversation:' || v_customer.id || ':' || p_channel_id, 0));
  IF p_thread_key IS NULL THEN
    SELECT * INTO v_ticket FROM tickets
     WHERE tickets.customer_id = v_customer.id AND channel_id = p_channel_id AND thread_key IS NULL
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
  ELSE
    SELECT * INTO v_ticket FROM tickets
     WHERE tickets.customer_id = v_customer.id AND channel_id = p_channel_id AND thread_key = p_thread_key
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
  END IF;

  IF v_ticket.id IS NOT NULL AND v_ticket.status IN ('open', 'pending', 'snoozed') THEN
    NULL; -- the conversation goes on in its ticket
  ELSIF v_ticket.id IS NOT NULL AND v_ticket.status = 'resolved' AND v_ticket.resolved_at >= v_now - p_reopen_window THEN
    UPDATE tickets SET status = 'open', resolved_at = NULL WHERE id = v_ticket.id;
    INSERT INTO audit_log (actor_type, actor_id, action, entity_type, entity_id, data)
    VALUES ('channel', p_channel_id, 'ticket.reopened', 'ticket', v_ticket.id, jsonb_build_object('externalMessageId', p_external_message_id));
  ELSE
    -- Closed tickets never reopen; nor does a resolved one past the window.
    INSERT INTO tickets (subject, customer_id, channel_id, thread_key, search_text, created_at, last_message_at)
    VALUES (p_subject, v_customer.id, p_channel_id, p_thread_key, p_ticket_search, v_now, v_now)
    RETURNING * INTO v_ticket;
    v_event := 'ticket.created';
    INSERT INTO audit_log (actor_type, actor_id, action, entity_type, entity_id, data)
    VALUES ('channel', p_channel_id, 'ticket.created', 'ticket', v_ticket.id, jsonb_build_object('number', v_ticket.number, 'customerId', v_customer.id));
  END IF;

  -- The unique index, not the check above, is the guarantee: a racing twin raises 23505 here and
  -- this whole call rolls back.
  INSERT INTO messages (ticket_id, channel_id, direction, kind, author_type, author_id, text, html,
                        delivery_status, external_message_id, sent_at, created_at, updated_at)
  VALUES (v_ticket.id, p_channel_id, 'inbound', 'message', 'customer', v_customer.id, p_text, p_html,
          'received', p_external_message_id, p_sent_at, v_now, v_now)
  RETURNING id INTO v_message;

  INSERT INTO attachments (message_id, filename, content_type, size, sha256, storage_key, external_url, note, content_id)
  SELECT v_message, a->>'filename', a->>'contentType', COALESCE((a->>'size')::bigint, 0), a->>'sha256', a->>'storageKey', a->>'url', a->>'note', a->>'contentId'
    FROM jsonb_array_elements(p_attachments) AS a;

  UPDATE tickets SET message_count = message_count + 1,
         last_message_at = GREATEST(last_message_at, v_now), last_customer_message_at = v_now,
         status = CASE WHEN status IN ('pending', 'snoozed') THEN 'open' ELSE status END,
         snoozed_until = NULL, updated_at = now()
   WHERE id = v_ticket.id;

  message_id := v_message;
  ticket_id := v_ticket.id;
  customer_id := v_customer.id;
  duplicate := false;
  ticket_event := v_event;
  RETURN NEXT;
END
$fn$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE ticket_reads;
      DROP INDEX tickets_snoozed_idx;
      DROP TABLE quarantined_messages;
      ALTER TABLE agents DROP COLUMN preferences;
      ALTER TABLE channels DROP COLUMN connection_state, DROP COLUMN connection_changed_at;
    `);
    // The earlier pasokh_ingest reads no content_id: restore it before the column goes.
    const earlier = new IngestFunction1764000000001();
    await earlier.down(db);
    await earlier.up(db);
    await db.query('ALTER TABLE attachments DROP COLUMN content_id');
  }
}
