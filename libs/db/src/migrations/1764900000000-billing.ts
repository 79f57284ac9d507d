import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing, revenue sharing and the ledger: the finance policy (platform fee, default royalty,
 * VAT) and royalty rates per agency or dataset; every billing period a licence has had (the
 * billing close's guard and what it has billed); the double-entry journal (entries with an
 * idempotency key, postings that balance per entry and currency, both immutable);
 * refunds; payouts to vendors and remittances to agencies; accounting periods finance has
 * closed (no entry may be posted into one).
 */
export class Billing1764900000000 implements MigrationInterface {
  name = 'Billing1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- The finance policy in force is the latest row; rows are never changed.
      CREATE TABLE finance_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform_fee_bp integer NOT NULL CHECK (platform_fee_bp BETWEEN 0 AND 10000),
        default_royalty_bp integer NOT NULL CHECK (default_royalty_bp BETWEEN 0 AND 10000),
        vat_rate_bp integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
        note text NOT NULL DEFAULT '',
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (platform_fee_bp + default_royalty_bp <= 10000)
      );
      CREATE INDEX ix_finance_policies_latest ON finance_policies (created_at DESC);
      CREATE TRIGGER finance_policies_immutable BEFORE UPDATE OR DELETE ON finance_policies
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();
      INSERT INTO finance_policies (platform_fee_bp, default_royalty_bp, vat_rate_bp, note)
        VALUES (1000, 2000, 600, 'Initial policy: 10 % platform fee, 20 % agency royalty, 6 % VAT included in prices');

      -- Royalty rates that differ from the default, per agency or per dataset (the dataset's wins).
      CREATE TABLE royalty_rates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES organizations(id),
        dataset_id uuid REFERENCES datasets(id),
        royalty_bp integer NOT NULL CHECK (royalty_bp BETWEEN 0 AND 10000),
        updated_by_user_id uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX ux_royalty_rates_scope ON royalty_rates (agency_id, coalesce(dataset_id, '00000000-0000-0000-0000-000000000000'));

      ALTER TABLE invoices ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000);
      ALTER TABLE invoices ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0);
      ALTER TABLE invoices ADD CONSTRAINT invoices_refund_within_paid CHECK (amount_refunded <= amount_paid);

      -- Every billing period of a licence, written when the licence enters it. The billing
      -- close takes a period once (closed_at) and remembers what it billed, so late usage is
      -- billed as a difference by a later close.
      CREATE TABLE billing_periods (
        license_id uuid NOT NULL REFERENCES licenses(id),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        closed_at timestamptz,
        -- The final reading, when the late-usage window has passed.
        finalized_at timestamptz,
        billed_quantity bigint NOT NULL DEFAULT 0 CHECK (billed_quantity >= 0),
        billed_amount bigint NOT NULL DEFAULT 0,
        invoice_id uuid REFERENCES invoices(id),
        PRIMARY KEY (license_id, period_start),
        CHECK (period_end > period_start)
      );
      CREATE INDEX ix_billing_periods_due ON billing_periods (period_end) WHERE closed_at IS NULL;
      CREATE INDEX ix_billing_periods_final ON billing_periods (period_end) WHERE closed_at IS NOT NULL AND finalized_at IS NULL;
      -- Usage that arrived too late for any close is billed on an adjustment invoice of its period.
      ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
      ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('purchase','renewal','usage','adjustment'));
      INSERT INTO billing_periods (license_id, period_start, period_end)
        SELECT id, current_period_start, current_period_end FROM licenses WHERE current_period_start IS NOT NULL;
      -- Whatever moves a licence into a period (checkout, renewal, the provider) records it here.
      CREATE FUNCTION licenses_record_period() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.current_period_start IS NOT NULL THEN
          INSERT INTO billing_periods (license_id, period_start, period_end)
          VALUES (NEW.id, NEW.current_period_start, NEW.current_period_end)
          ON CONFLICT (license_id, period_start) DO UPDATE SET period_end = EXCLUDED.period_end
            WHERE billing_periods.closed_at IS NULL AND billing_periods.period_end <> EXCLUDED.period_end;
        END IF;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER licenses_record_period AFTER INSERT OR UPDATE OF current_period_start, current_period_end ON licenses
        FOR EACH ROW EXECUTE FUNCTION licenses_record_period();

      -- The billing close reads a licence's use by hour and unit, and the partial hours at the
      -- ends of its periods from the events: both straight from an index.
      DROP INDEX usage_hourly_license;
      CREATE INDEX usage_hourly_license ON usage_hourly (license_id, hour) INCLUDE (unit, quantity) WHERE license_id IS NOT NULL;
      CREATE INDEX usage_events_license ON usage_events (license_id, occurred_at) WHERE license_id IS NOT NULL;

      -- Accounting periods finance has closed and signed off. Nothing is posted into them.
      CREATE TABLE finance_period_closes (
        period char(7) PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        closed_by_user_id uuid NOT NULL REFERENCES users(id),
        closed_at timestamptz NOT NULL DEFAULT now(),
        note text NOT NULL DEFAULT '',
        totals jsonb NOT NULL
      );
      CREATE TRIGGER finance_period_closes_immutable BEFORE UPDATE OR DELETE ON finance_period_closes
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- The journal. One entry per money event (its idempotency key), postings in one statement.
      CREATE TABLE journal_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('invoice_issued','invoice_voided','payment','refund','chargeback','payout','remittance','reversal')),
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        occurred_at timestamptz NOT NULL,
        memo text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_journal_entries_period ON journal_entries (period, id);

      CREATE TABLE journal_postings (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry_id bigint NOT NULL REFERENCES journal_entries(id),
        account text NOT NULL CHECK (account ~ '^(receivable|billed_revenue|tax_payable|platform_revenue|refunds|clearing:[a-z]+|(vendor|agency)_payable:[0-9a-f-]{36})$'),
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount <> 0),
        period char(7) NOT NULL,
        dimensions jsonb NOT NULL DEFAULT '{}',
        -- What revenue reports group by: the dimensions' product and dataset, written beside them
        -- by postJournalEntries (the only writer).
        product_id uuid,
        dataset_id uuid
      );
      CREATE INDEX ix_journal_postings_entry ON journal_postings (entry_id);
      CREATE INDEX ix_journal_postings_account ON journal_postings (account, period);

      CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();
      CREATE TRIGGER journal_postings_immutable BEFORE UPDATE OR DELETE ON journal_postings
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Nothing is posted into a closed accounting period.
      CREATE FUNCTION journal_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM finance_period_closes WHERE period = NEW.period) THEN
          RAISE EXCEPTION 'accounting period % is closed', NEW.period USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER journal_entries_period_open BEFORE INSERT ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION journal_period_open();

      -- Every entry balances in every currency: checked after each statement that adds postings,
      -- over the rows it added. An entry's postings are written by one statement, so an entry
      -- that balanced before stays balanced exactly when what the statement adds to it does.
      CREATE FUNCTION journal_postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT i.entry_id, i.currency, sum(i.amount) AS total INTO bad
          FROM inserted i
         GROUP BY i.entry_id, i.currency
        HAVING sum(i.amount) <> 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % does not balance in % (sum %)', bad.entry_id, bad.currency, bad.total USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER journal_postings_balanced AFTER INSERT ON journal_postings
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION journal_postings_balanced();

      -- Money given back to a buyer (refund) or taken back by the card network (chargeback).
      CREATE TABLE refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('refund','chargeback')),
        payment_id uuid NOT NULL REFERENCES payments(id),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        provider text NOT NULL CHECK (provider IN ('offline','stripe')),
        provider_reference text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        reason text NOT NULL DEFAULT '',
        recorded_by_user_id uuid REFERENCES users(id),
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider, provider_reference)
      );
      CREATE INDEX ix_refunds_payment ON refunds (payment_id);
      CREATE TRIGGER refunds_immutable BEFORE UPDATE OR DELETE ON refunds
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();

      -- Paying out what the ledger owes: vendors (payout, Stripe Connect transfer or a payment
      -- instruction) and agencies (remittance, with a statement). One per party, currency and period.
      CREATE TABLE settlements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('payout','remittance')),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        method text NOT NULL CHECK (method IN ('stripe_transfer','bank_instruction','remittance_statement')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','paid','failed')),
        provider_reference text,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz,
        UNIQUE (kind, organization_id, currency, period),
        CHECK ((status = 'paid') = (paid_at IS NOT NULL))
      );
      CREATE INDEX ix_settlements_org ON settlements (organization_id, period DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE settlements;
      DROP TABLE refunds;
      DROP TABLE journal_postings;
      DROP TABLE journal_entries;
      DROP FUNCTION journal_postings_balanced();
      DROP FUNCTION journal_period_open();
      DROP TABLE finance_period_closes;
      DROP INDEX usage_events_license;
      DROP INDEX usage_hourly_license;
      CREATE INDEX usage_hourly_license ON usage_hourly (license_id, hour) WHERE license_id IS NOT NULL;
      DROP TRIGGER licenses_record_period ON licenses;
      DROP FUNCTION licenses_record_period();
      DROP TABLE billing_periods;
      ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
      ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('purchase','renewal','usage'));
      ALTER TABLE invoices DROP CONSTRAINT invoices_refund_within_paid;
      ALTER TABLE invoices DROP COLUMN amount_refunded;
      ALTER TABLE invoices DROP COLUMN tax_rate_bp;
      DROP TABLE royalty_rates;
      DROP TABLE finance_policies;
    `);
  }
}
