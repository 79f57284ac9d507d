import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDataSource, recordUsage } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import type { UsageEvent } from '@civic/domain';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { seededRandom, shuffled } from '../support/random.js';
import type { Bench } from './harness.js';

const UNIQUE = 400_000;
const REPLAYS = 100_000;
const BATCH = 10_000;
const WRITERS = 2;

/**
 * Usage ingestion, durable and deduplicated: 500,000 events (400,000 distinct, 100,000 replays
 * of them, shuffled) recorded through `recordUsage` in batches of 10,000 by two concurrent
 * writers — each key checked against `usage_event_keys`, events written to the partitioned
 * table, hourly rollups moved, all in one statement per batch — against a raw `COPY` of the
 * same 500,000 rows into an unindexed, unpartitioned table in the same database.
 */
export const usageIngest: Bench = {
  name: 'usage-ingest',
  description: 'usage events recorded exactly once per second vs a raw COPY into an unindexed table',
  async run() {
    const database = await createTestDatabase('t_bench_usage');
    const dataSource = createDataSource({ url: database.url, poolSize: WRITERS + 1 });
    await dataSource.initialize();
    try {
      const next = seededRandom(7);
      // 500 licences, each of one consumer organization on one of 20 products, as deliveries make them.
      const products = Array.from({ length: 20 }, () => randomUUID());
      const licenses = Array.from({ length: 500 }, (_, index) => ({ id: randomUUID(), product: products[index % products.length]!, consumer: randomUUID() }));
      const now = Date.now();
      const units = ['api_call', 'row', 'byte'] as const;
      const unique: UsageEvent[] = Array.from({ length: UNIQUE }, (_, index) => {
        const license = licenses[Math.floor(next() * licenses.length)]!;
        // Most events are from the last minutes; one in twenty arrives late, up to two days.
        const age = next() < 0.95 ? Math.floor(next() * 600_000) : Math.floor(next() * 2 * 86_400_000);
        return {
          key: `bench:${index}`,
          productId: license.product,
          productVersionId: null,
          licenseId: license.id,
          consumerOrganizationId: license.consumer,
          channel: 'api',
          unit: units[index % 3]!,
          quantity: 1 + Math.floor(next() * 500),
          occurredAt: new Date(now - age),
        };
      });
      const stream = shuffled([...unique, ...Array.from({ length: REPLAYS }, () => unique[Math.floor(next() * UNIQUE)]!)], next);
      const batches: UsageEvent[][] = [];
      for (let offset = 0; offset < stream.length; offset += BATCH) batches.push(stream.slice(offset, offset + BATCH));

      // Baseline: the same rows, COPY'd as text into a table with no index, key or partition.
      await dataSource.query(`CREATE TABLE raw_usage (key text, product_id uuid, product_version_id uuid, license_id uuid, consumer_organization_id uuid, channel text, unit text, quantity bigint, occurred_at timestamptz, recorded_at timestamptz)`);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const copyStarted = performance.now();
      const recordedAt = new Date().toISOString();
      await pipeline(
        Readable.from(
          (function* () {
            for (const batch of batches) {
              yield batch
                .map((event) => `${event.key}\t${event.productId}\t\\N\t${event.licenseId}\t${event.consumerOrganizationId}\t${event.channel}\t${event.unit}\t${event.quantity}\t${event.occurredAt.toISOString()}\t${recordedAt}\n`)
                .join('');
            }
          })(),
        ),
        client.query(copyFrom('COPY raw_usage FROM STDIN')),
      );
      const copySeconds = (performance.now() - copyStarted) / 1000;
      await client.end();

      const started = performance.now();
      let cursor = 0;
      let recorded = 0;
      let duplicates = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (cursor < batches.length) {
            const batch = batches[cursor]!;
            cursor += 1;
            const result = await recordUsage(dataSource, batch);
            recorded += result.recorded;
            duplicates += result.duplicates;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const [check] = await dataSource.query(`SELECT (SELECT sum(events)::bigint FROM usage_hourly) AS events, (SELECT sum(quantity)::bigint FROM usage_hourly) AS quantity, (SELECT count(*) FROM usage_events) AS rows`);
      const expectedQuantity = unique.reduce((sum, event) => sum + event.quantity, 0);
      const exact = Number(check.events) === UNIQUE && Number(check.rows) === UNIQUE && Number(check.quantity) === expectedQuantity && recorded === UNIQUE && duplicates === REPLAYS;
      if (!exact) throw new Error(`usage ingestion miscounted: ${JSON.stringify({ check, recorded, duplicates, expectedQuantity })}`);
      return {
        value: Math.round(stream.length / seconds),
        unit: 'events/s',
        baseline: Math.round(stream.length / copySeconds),
        goal: 0.5,
        notes: `${stream.length.toLocaleString('en')} events (${REPLAYS.toLocaleString('en')} replays) in ${seconds.toFixed(2)} s through recordUsage (batches of ${BATCH.toLocaleString('en')}, ${WRITERS} writers): ${UNIQUE.toLocaleString('en')} counted once, rollups exact; raw COPY ${copySeconds.toFixed(2)} s. Absolute goal ≥ 50,000 events/s: ${stream.length / seconds >= 50_000 ? 'met' : 'NOT met'}`,
      };
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  },
};
