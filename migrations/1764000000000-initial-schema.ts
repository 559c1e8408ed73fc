import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agents (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        email         text NOT NULL,
        password_hash text,
        role          text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        active        boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX agents_email_key ON agents (email);

      CREATE TABLE teams (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name       text NOT NULL,
        restricted boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

      CREATE TABLE team_members (
        team_id  uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, agent_id)
      );
      CREATE INDEX team_members_agent_idx ON team_members (agent_id);

      CREATE TABLE api_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id     uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('session', 'api')),
        name         text NOT NULL,
        token_hash   text NOT NULL,
        expires_at   timestamptz,
        last_used_at timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
      CREATE INDEX api_tokens_agent_idx ON api_tokens (agent_id, kind);

      CREATE TABLE customers (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text,
        email          text,
        phone          text,
        tier           text NOT NULL DEFAULT 'standard',
        attributes     jsonb NOT NULL DEFAULT '{}',
        locale         text,
        timezone       text,
        search_text    text NOT NULL DEFAULT '',
        merged_into_id uuid REFERENCES customers (id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX customers_email_idx ON customers (email) WHERE merged_into_id IS NULL;
      CREATE INDEX customers_phone_idx ON customers (phone) WHERE merged_into_id IS NULL;
      CREATE INDEX customers_list_idx ON customers (created_at DESC, id DESC) WHERE merged_into_id IS NULL;

      CREATE TABLE customer_identities (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        channel_type text NOT NULL,
        external_id  text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX customer_identities_key ON customer_identities (channel_type, external_id);
      CREATE INDEX customer_identities_customer_idx ON customer_identities (customer_id);

      CREATE TABLE channels (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type               text NOT NULL CHECK (type IN ('api', 'email', 'twilio_sms', 'telegram', 'messenger', 'instagram', 'whatsapp', 'webchat')),
        name               text NOT NULL,
        config             jsonb NOT NULL DEFAULT '{}',
        secrets            text,
        inbound_token_hash text,
        active             boolean NOT NULL DEFAULT true,
        last_error         text,
        last_error_at      timestamptz,
        last_message_at    timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE channel_cursors (
        channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        key        text NOT NULL,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel_id, key)
      );

      CREATE SEQUENCE ticket_number_seq START 1001;
      CREATE TABLE tickets (
        id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number                   bigint NOT NULL DEFAULT nextval('ticket_number_seq'),
        subject                  text,
        status                   text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'snoozed', 'resolved', 'closed')),
        priority                 text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        customer_id              uuid NOT NULL REFERENCES customers (id),
        channel_id               uuid NOT NULL REFERENCES channels (id),
        thread_key               text,
        assignee_id              uuid REFERENCES agents (id) ON DELETE SET NULL,
        team_id                  uuid REFERENCES teams (id) ON DELETE SET NULL,
        tags                     text[] NOT NULL DEFAULT '{}',
        search_text              text NOT NULL DEFAULT '',
        message_count            integer NOT NULL DEFAULT 0,
        snoozed_until            timestamptz,
        created_at               timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now(),
        last_message_at          timestamptz NOT NULL DEFAULT now(),
        last_customer_message_at timestamptz,
        last_agent_message_at    timestamptz,
        first_response_at        timestamptz,
        resolved_at              timestamptz,
        closed_at                timestamptz,
        sla_policy_id            uuid,
        sla_state                text NOT NULL DEFAULT 'none' CHECK (sla_state IN ('none', 'on_track', 'at_risk', 'breached', 'paused', 'met')),
        first_response_due_at    timestamptz,
        next_response_due_at     timestamptz,
        resolution_due_at        timestamptz
      );
      ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number;
      CREATE UNIQUE INDEX tickets_number_key ON tickets (number);
      -- The inbox list: every filter is an equality on one of these plus the (last_message_at, id) keyset.
      CREATE INDEX tickets_list_idx ON tickets (last_message_at DESC, id DESC);
      CREATE INDEX tickets_status_idx ON tickets (status, last_message_at DESC, id DESC);
      CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status, last_message_at DESC, id DESC);
      CREATE INDEX tickets_team_idx ON tickets (team_id, status, last_message_at DESC, id DESC);
      CREATE INDEX tickets_channel_idx ON tickets (channel_id, status, last_message_at DESC, id DESC);
      CREATE INDEX tickets_priority_idx ON tickets (priority, status, last_message_at DESC, id DESC);
      CREATE INDEX tickets_customer_idx ON tickets (customer_id, created_at DESC);
      CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);
      -- Ingest: the customer's latest ticket on a channel and thread.
      CREATE INDEX tickets_conversation_idx ON tickets (customer_id, channel_id, thread_key, created_at DESC);

      CREATE TABLE messages (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id           uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        channel_id          uuid REFERENCES channels (id),
        direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        kind                text NOT NULL CHECK (kind IN ('message', 'note', 'event')),
        author_type         text NOT NULL CHECK (author_type IN ('customer', 'agent', 'system')),
        author_id           uuid,
        text                text NOT NULL DEFAULT '',
        html                text,
        delivery_status     text NOT NULL CHECK (delivery_status IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
        error               text,
        external_message_id text,
        provider_message_id text,
        email_message_id    text,
        in_reply_to         text,
        "references"        text[],
        sent_at             timestamptz,
        edited_at           timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      );
      -- Exactly once: a provider's retry of the same message hits this and becomes a no-op.
      CREATE UNIQUE INDEX messages_external_key ON messages (channel_id, external_message_id);
      -- Delivery callbacks name our outbound message by the provider's id for it.
      CREATE INDEX messages_provider_idx ON messages (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
      CREATE INDEX messages_ticket_idx ON messages (ticket_id, created_at, id);
      CREATE INDEX messages_email_message_id_idx ON messages (email_message_id) WHERE email_message_id IS NOT NULL;

      CREATE TABLE attachments (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id   uuid REFERENCES messages (id) ON DELETE CASCADE,
        uploaded_by  uuid REFERENCES agents (id) ON DELETE SET NULL,
        filename     text NOT NULL,
        content_type text NOT NULL,
        size         bigint NOT NULL,
        sha256       text,
        storage_key  text,
        -- Media we did not store (over the size limit, or the download was refused) stays a link,
        -- with the reason, so the agent still sees it and can open it.
        external_url text,
        note         text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        CHECK (storage_key IS NOT NULL OR external_url IS NOT NULL)
      );
      CREATE INDEX attachments_message_idx ON attachments (message_id);

      CREATE TABLE outbox (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind            text NOT NULL,
        payload         jsonb NOT NULL,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until    timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'processing');

      CREATE TABLE audit_log (
        id          bigserial PRIMARY KEY,
        actor_type  text NOT NULL CHECK (actor_type IN ('agent', 'system', 'channel')),
        actor_id    uuid,
        action      text NOT NULL,
        entity_type text NOT NULL,
        entity_id   uuid,
        data        jsonb NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE audit_log, outbox, attachments, messages, tickets, channel_cursors, channels,
        customer_identities, customers, api_tokens, team_members, teams, agents;
    `);
  }
}
