import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The government data catalog: datasets with DCAT-AP metadata, their columns (description and
 * sensitivity), immutable versions made by ingestion jobs, access requests and grants for
 * conditional data, and the log of deliveries (downloads, previews) for agencies' analytics.
 */
export class Catalog1764200000000 implements MigrationInterface {
  name = 'Catalog1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE datasets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$'),
        title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 200),
        title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
        description_zh text NOT NULL DEFAULT '',
        description_en text NOT NULL DEFAULT '',
        theme text NOT NULL CHECK (theme IN ('meteorology','transport','energy','finance_credit','housing',
          'customs_immigration','tourism','health','education','environment','public_safety','statistics')),
        keywords text[] NOT NULL DEFAULT '{}',
        contact_name text NOT NULL DEFAULT '',
        contact_email text NOT NULL DEFAULT '',
        update_frequency text NOT NULL CHECK (update_frequency IN
          ('continuous','hourly','daily','weekly','monthly','quarterly','annual','irregular')),
        spatial_coverage text NOT NULL DEFAULT '',
        temporal_start date,
        temporal_end date,
        license_id text NOT NULL,
        classification text NOT NULL CHECK (classification IN ('open','conditional','restricted')),
        min_group_size integer NOT NULL DEFAULT 5 CHECK (min_group_size BETWEEN 2 AND 1000),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','withdrawn')),
        current_version_id uuid,
        source_format text CHECK (source_format IN ('csv','json','ndjson','parquet')),
        download_count bigint NOT NULL DEFAULT 0,
        search_document tsvector NOT NULL DEFAULT ''::tsvector,
        harvest_source text,
        harvest_identifier text,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        CHECK (temporal_start IS NULL OR temporal_end IS NULL OR temporal_start <= temporal_end),
        CHECK ((harvest_source IS NULL) = (harvest_identifier IS NULL)),
        UNIQUE (organization_id, harvest_source, harvest_identifier)
      );
      CREATE INDEX ix_datasets_search ON datasets USING gin (search_document);
      CREATE INDEX ix_datasets_org ON datasets (organization_id, updated_at DESC);
      CREATE INDEX ix_datasets_published ON datasets (published_at DESC) WHERE status = 'published';
      CREATE INDEX ix_datasets_popular ON datasets (download_count DESC) WHERE status = 'published';

      CREATE TABLE dataset_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        version integer NOT NULL CHECK (version >= 1),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        source_filename text NOT NULL,
        source_format text NOT NULL CHECK (source_format IN ('csv','json','ndjson','parquet')),
        encoding text CHECK (encoding IN ('utf-8','utf-8-bom','gb18030')),
        bytes bigint NOT NULL CHECK (bytes > 0),
        row_count bigint NOT NULL CHECK (row_count >= 0),
        parquet_key text NOT NULL,
        parquet_bytes bigint NOT NULL,
        schema jsonb NOT NULL,
        profile jsonb NOT NULL,
        schema_changes jsonb,
        ingestion_id uuid,
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dataset_id, version),
        UNIQUE (dataset_id, sha256)
      );
      ALTER TABLE datasets ADD CONSTRAINT fk_datasets_current_version
        FOREIGN KEY (current_version_id) REFERENCES dataset_versions(id);

      -- A published version is a fact others build on (products, licences, invoices).
      CREATE FUNCTION dataset_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'dataset_versions are immutable (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER dataset_versions_no_update BEFORE UPDATE OR DELETE ON dataset_versions
        FOR EACH ROW EXECUTE FUNCTION dataset_versions_immutable();

      CREATE TABLE dataset_columns (
        dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name text NOT NULL,
        position integer NOT NULL,
        data_type text NOT NULL,
        description_zh text NOT NULL DEFAULT '',
        description_en text NOT NULL DEFAULT '',
        sensitivity text NOT NULL CHECK (sensitivity IN ('public','quasi_identifier','personal')),
        in_current_version boolean NOT NULL DEFAULT true,
        PRIMARY KEY (dataset_id, name)
      );

      CREATE TABLE ingestions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','succeeded','duplicate','failed')),
        stage text CHECK (stage IN ('inspecting','converting','profiling','publishing')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        upload_key text NOT NULL,
        filename text NOT NULL,
        bytes bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        error_details jsonb,
        version_id uuid REFERENCES dataset_versions(id),
        created_by_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((status = 'failed') = (error_code IS NOT NULL)),
        CHECK (status NOT IN ('succeeded','duplicate') OR version_id IS NOT NULL)
      );
      CREATE INDEX ix_ingestions_dataset ON ingestions (dataset_id, created_at DESC);
      CREATE INDEX ix_ingestions_open ON ingestions (created_at) WHERE status IN ('queued','running');

      CREATE TABLE access_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        agency_id uuid NOT NULL REFERENCES organizations(id),
        requested_by_user_id uuid NOT NULL REFERENCES users(id),
        purpose text NOT NULL CHECK (purpose IN ('research','public_service','product_development',
          'risk_management','urban_planning','journalism','other')),
        purpose_detail text NOT NULL DEFAULT '',
        intended_use text NOT NULL CHECK (length(intended_use) BETWEEN 1 AND 4000),
        requested_days integer NOT NULL CHECK (requested_days BETWEEN 1 AND 1095),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
        decided_by_user_id uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        CHECK (status <> 'rejected' OR length(decision_reason) > 0)
      );
      CREATE UNIQUE INDEX ux_access_requests_pending ON access_requests (dataset_id, organization_id) WHERE status = 'pending';
      CREATE INDEX ix_access_requests_agency ON access_requests (agency_id, status, created_at DESC);
      CREATE INDEX ix_access_requests_org ON access_requests (organization_id, created_at DESC);

      CREATE TABLE access_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        agency_id uuid NOT NULL REFERENCES organizations(id),
        request_id uuid NOT NULL UNIQUE REFERENCES access_requests(id),
        purpose text NOT NULL,
        starts_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_at < expires_at)
      );
      CREATE INDEX ix_access_grants_holder ON access_grants (organization_id, dataset_id, expires_at);

      CREATE TABLE dataset_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dataset_id uuid NOT NULL REFERENCES datasets(id),
        version_id uuid NOT NULL REFERENCES dataset_versions(id),
        organization_id uuid REFERENCES organizations(id),
        user_id uuid REFERENCES users(id),
        api_key_id uuid REFERENCES api_keys(id),
        grant_id uuid REFERENCES access_grants(id),
        channel text NOT NULL CHECK (channel IN ('download','preview')),
        format text NOT NULL,
        rows bigint,
        delivered_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ix_dataset_deliveries_dataset ON dataset_deliveries (dataset_id, delivered_at DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE dataset_deliveries;
      DROP TABLE access_grants;
      DROP TABLE access_requests;
      DROP TABLE ingestions;
      DROP TABLE dataset_columns;
      ALTER TABLE datasets DROP CONSTRAINT fk_datasets_current_version;
      DROP TABLE dataset_versions;
      DROP FUNCTION dataset_versions_immutable();
      DROP TABLE datasets;
    `);
  }
}
