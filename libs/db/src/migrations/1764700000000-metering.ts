import type { MigrationInterface, QueryRunner } from 'typeorm';
import { usagePartitionsDdl } from '../metering/partitions.js';

/**
 * Usage metering. Every counted thing has a key; `usage_event_keys` holds each key once (as the
 * md5 of the key; its primary key is what makes a replay count nothing), `usage_events` the events themselves,
 * partitioned by month of `occurred_at`, and `usage_hourly` the counts per product, licence,
 * consumer, channel and unit per UTC hour, moved in the same statement that records the events.
 * Keys are kept 40 days: longer than the 35 days a late event is accepted, so a replay of a
 * pruned key is refused as too late instead of being counted again.
 */
export class Metering1764700000000 implements MigrationInterface {
  name = 'Metering1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- md5 of the key as a uuid: 16 bytes per key in the unique index instead of the key's text.
      CREATE TABLE usage_event_keys (
        key_hash uuid PRIMARY KEY,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX usage_event_keys_recorded_at ON usage_event_keys (recorded_at);

      CREATE TABLE usage_events (
        key text NOT NULL,
        product_id uuid NOT NULL,
        product_version_id uuid,
        license_id uuid,
        consumer_organization_id uuid,
        channel text NOT NULL CHECK (channel IN ('api', 'file')),
        unit text NOT NULL CHECK (unit IN ('api_call', 'row', 'byte')),
        quantity bigint NOT NULL CHECK (quantity >= 0),
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      ) PARTITION BY RANGE (occurred_at);
      -- Events arrive in about time order: a BRIN index finds an hour's blocks for next to nothing
      -- (the partial hours of a billing period are read from here, the rest from usage_hourly).
      CREATE INDEX usage_events_occurred_at ON usage_events USING brin (occurred_at) WITH (pages_per_range = 32);

      CREATE TABLE usage_hourly (
        hour timestamptz NOT NULL,
        product_id uuid NOT NULL,
        license_id uuid,
        consumer_organization_id uuid,
        channel text NOT NULL,
        unit text NOT NULL,
        quantity bigint NOT NULL CHECK (quantity >= 0),
        events bigint NOT NULL CHECK (events >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT usage_hourly_bucket UNIQUE NULLS NOT DISTINCT (product_id, license_id, consumer_organization_id, channel, unit, hour)
      );
      CREATE INDEX usage_hourly_license ON usage_hourly (license_id, hour) WHERE license_id IS NOT NULL;
      CREATE INDEX usage_hourly_product ON usage_hourly (product_id, hour);

      -- Events are facts: never changed, only removed with their partition.
      CREATE FUNCTION usage_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'usage events are immutable' USING ERRCODE = 'check_violation';
      END $$;
      CREATE TRIGGER usage_events_no_update BEFORE UPDATE ON usage_events FOR EACH ROW EXECUTE FUNCTION usage_events_immutable();
    `);
    await queryRunner.query(usagePartitionsDdl(new Date()));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE usage_hourly;
      DROP TABLE usage_events;
      DROP FUNCTION usage_events_immutable();
      DROP TABLE usage_event_keys;
    `);
  }
}
