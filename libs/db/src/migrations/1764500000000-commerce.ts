import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Licensing and commerce: licence templates (ODRL policies, versioned, immutable), price caps,
 * offers (product + template + price plan), licences (an immutable snapshot of the accepted
 * terms with their sha256, and a state), their approvals and state history, invoices and
 * payments for both payment providers, the payment provider's webhook events (each processed
 * once), and the Stripe objects that mirror ours (customers, Connect accounts, prices).
 */
export class Commerce1764500000000 implements MigrationInterface {
  name = 'Commerce1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION commerce_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is immutable (% rejected)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;

      -- ODRL licence templates. A template never changes: an edit is a new version.
      CREATE TABLE license_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL CHECK (key ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
        version integer NOT NULL CHECK (version >= 1),
        standard boolean NOT NULL DEFAULT false,
        organization_id uuid REFERENCES organizations(id),
        title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 200),
        title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
        summary_zh text NOT NULL DEFAULT '',
        summary_en text NOT NULL DEFAULT '',
        policy jsonb NOT NULL,
        policy_sha256 text NOT NULL CHECK (policy_sha256 ~ '^[0-9a-f]{64}$'),
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (key, version),
        CHECK (standard = (organization_id IS NULL))
      );
      CREATE TRIGGER license_templates_immutable BEFORE UPDATE OR DELETE ON license_templates
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Public-data pricing rules: the most a product of a theme or class may cost.
      CREATE TABLE price_caps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        theme text,
        classification text CHECK (classification IN ('open','conditional','restricted')),
        currency char(3) NOT NULL,
        max_one_time bigint CHECK (max_one_time >= 0),
        max_monthly bigint CHECK (max_monthly >= 0),
        max_per_unit jsonb,
        note text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT true,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- What a product is sold as. Published offers may be edited (revision + 1); licences keep
      -- the snapshot they were sold with.
      CREATE TABLE offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES products(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        template_id uuid NOT NULL REFERENCES license_templates(id),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 120),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
        price_plan jsonb NOT NULL,
        currency char(3) NOT NULL,
        requires_approval boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','archived')),
        revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
        position integer NOT NULL DEFAULT 0,
        stripe_price_id text,
        stripe_price_revision integer,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX ix_offers_product ON offers (product_id, position) WHERE status <> 'archived';
      CREATE INDEX ix_offers_org ON offers (organization_id, updated_at DESC);
      ALTER TABLE products ADD COLUMN stripe_product_id text UNIQUE;

      -- A buyer organization's licence: the exact terms it accepted (snapshot + sha256) and the
      -- state the platform enforces.
      CREATE TABLE licenses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        product_id uuid NOT NULL REFERENCES products(id),
        vendor_id uuid NOT NULL REFERENCES organizations(id),
        offer_id uuid NOT NULL REFERENCES offers(id),
        offer_revision integer NOT NULL,
        template_id uuid NOT NULL REFERENCES license_templates(id),
        terms jsonb NOT NULL,
        terms_sha256 text NOT NULL CHECK (terms_sha256 ~ '^[0-9a-f]{64}$'),
        price_plan jsonb NOT NULL,
        currency char(3) NOT NULL,
        purpose text,
        purpose_detail text NOT NULL DEFAULT '',
        intended_use text NOT NULL DEFAULT '',
        accepted_by_user_id uuid NOT NULL REFERENCES users(id),
        accepted_at timestamptz NOT NULL,
        accepted_ip text NOT NULL,
        accepted_user_agent text NOT NULL DEFAULT '',
        state text NOT NULL CHECK (state IN ('pending_approval','pending_payment','active','past_due','suspended','expired','revoked','cancelled')),
        provider text NOT NULL CHECK (provider IN ('none','offline','stripe')),
        stripe_checkout_session_id text UNIQUE,
        stripe_subscription_id text UNIQUE,
        current_period_start timestamptz,
        current_period_end timestamptz,
        trial_ends_at timestamptz,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        -- While suspended: why (non_payment, operator, product_suspended) and the state to return to.
        suspension_causes text[] NOT NULL DEFAULT '{}',
        resume_to text CHECK (resume_to IN ('active','past_due')),
        expires_at timestamptz,
        activated_at timestamptz,
        ended_at timestamptz,
        end_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((current_period_start IS NULL) = (current_period_end IS NULL)),
        CHECK (current_period_end IS NULL OR current_period_end > current_period_start),
        CHECK ((state = 'suspended') = (resume_to IS NOT NULL))
      );
      CREATE INDEX ix_licenses_buyer ON licenses (organization_id, created_at DESC);
      CREATE INDEX ix_licenses_product ON licenses (product_id, state);
      CREATE INDEX ix_licenses_vendor ON licenses (vendor_id, created_at DESC);
      CREATE INDEX ix_licenses_due ON licenses (current_period_end) WHERE state IN ('active','past_due');
      -- One open purchase per buyer and offer: asking twice returns the first.
      CREATE UNIQUE INDEX ux_licenses_open_purchase ON licenses (organization_id, offer_id)
        WHERE state IN ('pending_approval','pending_payment');

      CREATE FUNCTION licenses_terms_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'licenses are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.terms IS DISTINCT FROM OLD.terms OR NEW.terms_sha256 IS DISTINCT FROM OLD.terms_sha256
           OR NEW.price_plan IS DISTINCT FROM OLD.price_plan OR NEW.currency IS DISTINCT FROM OLD.currency
           OR NEW.offer_id IS DISTINCT FROM OLD.offer_id OR NEW.offer_revision IS DISTINCT FROM OLD.offer_revision
           OR NEW.template_id IS DISTINCT FROM OLD.template_id OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
           OR NEW.product_id IS DISTINCT FROM OLD.product_id OR NEW.vendor_id IS DISTINCT FROM OLD.vendor_id
           OR NEW.accepted_by_user_id IS DISTINCT FROM OLD.accepted_by_user_id OR NEW.accepted_at IS DISTINCT FROM OLD.accepted_at
           OR NEW.accepted_ip IS DISTINCT FROM OLD.accepted_ip OR NEW.purpose IS DISTINCT FROM OLD.purpose THEN
          RAISE EXCEPTION 'the accepted terms of a licence are immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER licenses_terms_immutable BEFORE UPDATE OR DELETE ON licenses
        FOR EACH ROW EXECUTE FUNCTION licenses_terms_immutable();

      -- Every state change of a licence (append-only).
      CREATE TABLE license_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        license_id uuid NOT NULL REFERENCES licenses(id),
        event text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor_user_id uuid REFERENCES users(id),
        source text NOT NULL CHECK (source IN ('user','provider','schedule','system')),
        details jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_license_events_license ON license_events (license_id, id);
      CREATE TRIGGER license_events_immutable BEFORE UPDATE OR DELETE ON license_events
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Purpose-bound purchases: each required approver decides once.
      CREATE TABLE license_approvals (
        license_id uuid NOT NULL REFERENCES licenses(id),
        approver_kind text NOT NULL CHECK (approver_kind IN ('agency','vendor')),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        decision text CHECK (decision IN ('approve','reject')),
        reason text NOT NULL DEFAULT '',
        decided_by_user_id uuid REFERENCES users(id),
        decided_at timestamptz,
        PRIMARY KEY (license_id, organization_id),
        CHECK ((decision IS NULL) = (decided_at IS NULL)),
        CHECK (decision IS DISTINCT FROM 'reject' OR length(reason) > 0)
      );
      CREATE INDEX ix_license_approvals_open ON license_approvals (organization_id) WHERE decision IS NULL;

      CREATE SEQUENCE invoice_number_seq;
      -- What a buyer owes for a licence and a period. Finalized invoices never change amounts.
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        license_id uuid NOT NULL REFERENCES licenses(id),
        provider text NOT NULL CHECK (provider IN ('offline','stripe')),
        kind text NOT NULL CHECK (kind IN ('purchase','renewal','usage')),
        status text NOT NULL CHECK (status IN ('draft','open','paid','void','uncollectible')),
        currency char(3) NOT NULL,
        subtotal bigint NOT NULL CHECK (subtotal >= 0),
        tax bigint NOT NULL DEFAULT 0 CHECK (tax >= 0),
        total bigint NOT NULL CHECK (total = subtotal + tax),
        amount_paid bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total),
        period_start timestamptz,
        period_end timestamptz,
        issued_at timestamptz,
        due_at timestamptz,
        paid_at timestamptz,
        stripe_invoice_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
        CHECK (status <> 'paid' OR amount_paid = total)
      );
      -- Exactly one invoice per licence and period.
      CREATE UNIQUE INDEX ux_invoices_license_period ON invoices (license_id, kind, coalesce(period_start, 'epoch'::timestamptz))
        WHERE status <> 'void';
      CREATE INDEX ix_invoices_org ON invoices (organization_id, created_at DESC);
      CREATE INDEX ix_invoices_open ON invoices (due_at) WHERE status = 'open';

      CREATE TABLE invoice_lines (
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        position integer NOT NULL CHECK (position >= 0),
        kind text NOT NULL,
        description_zh text NOT NULL,
        description_en text NOT NULL,
        quantity bigint NOT NULL DEFAULT 1,
        unit_amount bigint,
        amount bigint NOT NULL,
        PRIMARY KEY (invoice_id, position)
      );
      CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Money received, by either provider. One row per provider payment.
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        license_id uuid NOT NULL REFERENCES licenses(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        provider text NOT NULL CHECK (provider IN ('offline','stripe')),
        provider_reference text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        received_at timestamptz NOT NULL,
        recorded_by_user_id uuid REFERENCES users(id),
        note text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider, provider_reference)
      );
      CREATE INDEX ix_payments_invoice ON payments (invoice_id);
      CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Webhook events from the payment provider: stored on receipt, processed exactly once.
      CREATE TABLE payment_provider_events (
        provider text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        object_id text,
        created_at_provider timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        source text NOT NULL CHECK (source IN ('webhook','sweep')),
        PRIMARY KEY (provider, event_id)
      );
      CREATE INDEX ix_provider_events_pending ON payment_provider_events (received_at) WHERE processed_at IS NULL;

      CREATE TABLE stripe_customers (
        organization_id uuid PRIMARY KEY REFERENCES organizations(id),
        customer_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE stripe_connect_accounts (
        organization_id uuid PRIMARY KEY REFERENCES organizations(id),
        account_id text NOT NULL UNIQUE,
        charges_enabled boolean NOT NULL DEFAULT false,
        payouts_enabled boolean NOT NULL DEFAULT false,
        details_submitted boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE stripe_connect_accounts;
      DROP TABLE stripe_customers;
      DROP TABLE payment_provider_events;
      DROP TABLE payments;
      DROP TABLE invoice_lines;
      DROP TABLE invoices;
      DROP SEQUENCE invoice_number_seq;
      DROP TABLE license_approvals;
      DROP TABLE license_events;
      DROP TABLE licenses;
      DROP FUNCTION licenses_terms_immutable();
      ALTER TABLE products DROP COLUMN stripe_product_id;
      DROP TABLE offers;
      DROP TABLE price_caps;
      DROP TABLE license_templates;
      DROP FUNCTION commerce_immutable();
    `);
  }
}
