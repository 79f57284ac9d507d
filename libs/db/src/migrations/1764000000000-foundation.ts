import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity, tenancy, API keys, the append-only audit chain and the outbox. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('agency','vendor','enterprise','finance','platform')),
        status text NOT NULL CHECK (status IN ('active','pending_approval','suspended')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_organizations_kind_status ON organizations (kind, status);

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        locale text NOT NULL DEFAULT 'zh-CN',
        failed_login_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('steward','vendor_admin','buyer_admin','buyer_member','finance_analyst','platform_admin','supervisor')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_memberships_org_user UNIQUE (organization_id, user_id)
      );
      CREATE INDEX ix_memberships_user ON memberships (user_id);

      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email)),
        role text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','revoked')),
        expires_at timestamptz NOT NULL,
        invited_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_invitations_org_status ON invitations (organization_id, status);

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX ix_api_keys_org ON api_keys (organization_id);

      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        action text NOT NULL,
        actor_user_id uuid,
        actor_organization_id uuid,
        organization_id uuid,
        target_type text,
        target_id text,
        ip text,
        request_id text,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      );
      CREATE INDEX ix_audit_events_action ON audit_events (action, seq DESC);
      CREATE INDEX ix_audit_events_org ON audit_events (organization_id, seq DESC);
      CREATE INDEX ix_audit_events_actor ON audit_events (actor_user_id, seq DESC);
      CREATE INDEX ix_audit_events_occurred ON audit_events (occurred_at);

      -- Append-only: the application role can add audit rows, never change or remove them.
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

      CREATE TABLE audit_verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        verified_at timestamptz NOT NULL DEFAULT now(),
        trigger text NOT NULL,
        ok boolean NOT NULL,
        checked integer NOT NULL,
        head_seq bigint NOT NULL,
        first_tampered_seq bigint,
        reason text,
        job_id text UNIQUE
      );

      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        reference text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT uq_outbox_kind_reference UNIQUE (kind, reference)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE outbox_messages;
      DROP TABLE audit_verifications;
      DROP TABLE audit_events;
      DROP FUNCTION audit_events_append_only();
      DROP TABLE api_keys;
      DROP TABLE refresh_tokens;
      DROP TABLE invitations;
      DROP TABLE memberships;
      DROP TABLE users;
      DROP TABLE organizations;
    `);
  }
}
