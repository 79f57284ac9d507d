import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Value-added data products: products and their input declarations, derivation runs (the
 * derive flow's record), immutable product versions with their lineage and privacy-gate
 * report, and listing reviews. Agencies gain two privacy settings: what happens to small
 * cells (suppress or fail) and which personal column, if any, is exposed as a keyed
 * pseudonym for joining inside derivations.
 */
export class Products1764300000000 implements MigrationInterface {
  name = 'Products1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE datasets
        ADD COLUMN small_cells text NOT NULL DEFAULT 'suppress' CHECK (small_cells IN ('suppress','fail'));
      ALTER TABLE dataset_columns
        ADD COLUMN join_pseudonym boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT ck_dataset_columns_pseudonym CHECK (NOT join_pseudonym OR sensitivity = 'personal');

      -- Keys the platform holds for itself (never shown to any user or job payload).
      CREATE TABLE platform_keys (
        name text PRIMARY KEY,
        key bytea NOT NULL CHECK (length(key) >= 32),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        kind text NOT NULL CHECK (kind IN ('base','derived')),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$'),
        title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 200),
        title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
        description_zh text NOT NULL DEFAULT '',
        description_en text NOT NULL DEFAULT '',
        theme text NOT NULL CHECK (theme IN ('meteorology','transport','energy','finance_credit','housing',
          'customs_immigration','tourism','health','education','environment','public_safety','statistics')),
        keywords text[] NOT NULL DEFAULT '{}',
        sql text NOT NULL CHECK (length(sql) BETWEEN 1 AND 100000),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft','submitted','approved','published','retired','suspended')),
        suspended_from text CHECK (suspended_from IN ('approved','published')),
        suspension_reason jsonb,
        rejection_reason text,
        review_round integer NOT NULL DEFAULT 0,
        current_version_id uuid,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        CHECK ((status = 'suspended') = (suspended_from IS NOT NULL))
      );
      CREATE INDEX ix_products_org ON products (organization_id, updated_at DESC);
      CREATE INDEX ix_products_published ON products (published_at DESC) WHERE status = 'published';
      CREATE INDEX ix_products_review ON products (status, updated_at) WHERE status = 'submitted';

      -- The inputs a product's SQL reads, as named views; a weight each for the lineage.
      CREATE TABLE product_inputs (
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
        position integer NOT NULL CHECK (position >= 0),
        dataset_id uuid REFERENCES datasets(id),
        source_product_id uuid REFERENCES products(id),
        weight integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000000),
        PRIMARY KEY (product_id, name),
        CHECK ((dataset_id IS NULL) <> (source_product_id IS NULL)),
        CHECK (source_product_id IS NULL OR source_product_id <> product_id)
      );
      CREATE INDEX ix_product_inputs_dataset ON product_inputs (dataset_id) WHERE dataset_id IS NOT NULL;
      CREATE INDEX ix_product_inputs_product ON product_inputs (source_product_id) WHERE source_product_id IS NOT NULL;

      CREATE TABLE product_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES products(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        version integer NOT NULL CHECK (version >= 1),
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
        sql text NOT NULL,
        row_count bigint NOT NULL CHECK (row_count >= 0),
        parquet_key text NOT NULL,
        parquet_bytes bigint NOT NULL,
        schema jsonb NOT NULL,
        profile jsonb NOT NULL,
        gate_report jsonb NOT NULL,
        run_id uuid,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (product_id, version),
        UNIQUE (product_id, fingerprint)
      );
      ALTER TABLE products ADD CONSTRAINT fk_products_current_version
        FOREIGN KEY (current_version_id) REFERENCES product_versions(id);

      -- Lineage: what each version was made from (exact input versions and weights).
      CREATE TABLE product_version_inputs (
        product_version_id uuid NOT NULL REFERENCES product_versions(id),
        name text NOT NULL,
        position integer NOT NULL,
        dataset_version_id uuid REFERENCES dataset_versions(id),
        input_product_version_id uuid REFERENCES product_versions(id),
        weight integer NOT NULL CHECK (weight BETWEEN 1 AND 1000000),
        PRIMARY KEY (product_version_id, name),
        CHECK ((dataset_version_id IS NULL) <> (input_product_version_id IS NULL))
      );
      CREATE INDEX ix_pvi_dataset_version ON product_version_inputs (dataset_version_id) WHERE dataset_version_id IS NOT NULL;
      CREATE INDEX ix_pvi_product_version ON product_version_inputs (input_product_version_id) WHERE input_product_version_id IS NOT NULL;

      CREATE FUNCTION product_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is immutable (% rejected)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER product_versions_no_update BEFORE UPDATE OR DELETE ON product_versions
        FOR EACH ROW EXECUTE FUNCTION product_versions_immutable();
      CREATE TRIGGER product_version_inputs_no_update BEFORE UPDATE OR DELETE ON product_version_inputs
        FOR EACH ROW EXECUTE FUNCTION product_versions_immutable();

      CREATE TABLE derivation_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES products(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        trigger text NOT NULL CHECK (trigger IN ('manual','upstream')),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued','running','succeeded','duplicate','failed','cancelled')),
        stage text CHECK (stage IN ('validating','materializing','gating','profiling','publishing')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        sql text NOT NULL,
        inputs jsonb NOT NULL,
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
        attempts integer NOT NULL DEFAULT 0,
        plan jsonb,
        output_key text,
        output_rows bigint,
        output_schema jsonb,
        output_profile jsonb,
        gate_report jsonb,
        error_code text,
        error_message text,
        error_details jsonb,
        version_id uuid REFERENCES product_versions(id),
        cancel_requested_at timestamptz,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((status = 'failed') = (error_code IS NOT NULL)),
        CHECK (status NOT IN ('succeeded','duplicate') OR version_id IS NOT NULL)
      );
      -- One live run per product and set of inputs: asking twice joins the first.
      CREATE UNIQUE INDEX ux_derivation_runs_live ON derivation_runs (product_id, fingerprint)
        WHERE status IN ('queued','running');
      CREATE INDEX ix_derivation_runs_product ON derivation_runs (product_id, created_at DESC);
      CREATE INDEX ix_derivation_runs_open ON derivation_runs (created_at) WHERE status IN ('queued','running');

      CREATE TABLE product_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES products(id),
        round integer NOT NULL CHECK (round >= 1),
        version_id uuid NOT NULL REFERENCES product_versions(id),
        reviewer_kind text NOT NULL CHECK (reviewer_kind IN ('platform','agency')),
        agency_id uuid REFERENCES organizations(id),
        decision text NOT NULL CHECK (decision IN ('approve','reject')),
        reason text NOT NULL DEFAULT '',
        decided_by_user_id uuid NOT NULL REFERENCES users(id),
        decided_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((reviewer_kind = 'agency') = (agency_id IS NOT NULL)),
        CHECK (decision = 'approve' OR length(reason) > 0)
      );
      CREATE UNIQUE INDEX ux_product_reviews_one_per_reviewer
        ON product_reviews (product_id, round, reviewer_kind, coalesce(agency_id, '00000000-0000-0000-0000-000000000000'));
    `);
    await queryRunner.query(`INSERT INTO platform_keys (name, key) VALUES ('pseudonym', $1)`, [randomBytes(32)]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE product_reviews;
      DROP TABLE derivation_runs;
      DROP TABLE product_version_inputs;
      ALTER TABLE products DROP CONSTRAINT fk_products_current_version;
      DROP TABLE product_versions;
      DROP FUNCTION product_versions_immutable();
      DROP TABLE product_inputs;
      DROP TABLE products;
      DROP TABLE platform_keys;
      ALTER TABLE dataset_columns DROP CONSTRAINT ck_dataset_columns_pseudonym, DROP COLUMN join_pseudonym;
      ALTER TABLE datasets DROP COLUMN small_cells;
    `);
  }
}
