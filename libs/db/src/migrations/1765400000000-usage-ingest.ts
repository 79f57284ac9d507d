import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage ingestion, cheaper per event and concurrent writers that do not queue behind each other:
 * - `usage_hourly`'s bucket key leads with (product, hour), so it also serves the per-product
 *   reads and the separate (product_id, hour) index goes: one index less to maintain on every
 *   rollup update;
 * - `usage_event_keys`' index on `recorded_at`, only read by the daily pruning, becomes a BRIN
 *   index: a key costs one B-tree insertion (its primary key) instead of two. Keys are written in
 *   time order, so the pruning still reads mostly the block ranges it empties;
 * - `usage_batches_in_flight` (unlogged) holds a Bloom filter of the keys of each large batch
 *   being recorded, so a concurrent batch claims the keys it may share with one last instead of
 *   waiting at the first of them (see recordUsage). A hint only: the primary key of
 *   `usage_event_keys` still decides every key, in the transaction that writes the event.
 */
export class UsageIngest1765400000000 implements MigrationInterface {
  name = 'UsageIngest1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE usage_hourly DROP CONSTRAINT usage_hourly_bucket;
      ALTER TABLE usage_hourly ADD CONSTRAINT usage_hourly_bucket UNIQUE NULLS NOT DISTINCT (product_id, hour, license_id, consumer_organization_id, channel, unit);
      DROP INDEX usage_hourly_product;

      DROP INDEX usage_event_keys_recorded_at;
      CREATE INDEX usage_event_keys_recorded_at ON usage_event_keys USING brin (recorded_at) WITH (autosummarize = on);

      CREATE UNLOGGED TABLE usage_batches_in_flight (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_filter bytea NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE usage_batches_in_flight ALTER COLUMN key_filter SET STORAGE EXTERNAL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE usage_batches_in_flight;
      DROP INDEX usage_event_keys_recorded_at;
      CREATE INDEX usage_event_keys_recorded_at ON usage_event_keys (recorded_at);
      CREATE INDEX usage_hourly_product ON usage_hourly (product_id, hour);
      ALTER TABLE usage_hourly DROP CONSTRAINT usage_hourly_bucket;
      ALTER TABLE usage_hourly ADD CONSTRAINT usage_hourly_bucket UNIQUE NULLS NOT DISTINCT (product_id, license_id, consumer_organization_id, channel, unit, hour);
    `);
  }
}
