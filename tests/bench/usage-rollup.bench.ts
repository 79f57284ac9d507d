import { randomUUID } from 'node:crypto';
import { createDataSource, recordUsage } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import type { UsageEvent } from '@civic/domain';
import type { Bench } from './harness.js';

const WRITERS = 8;
const BATCH = 30;
const SECONDS = 15;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

/**
 * P3, event to billable rollup: eight writers, as eight API processes' group commits would, each
 * recording batches of 30 events (10 deliveries) back to back for 15 s. An event's latency runs
 * from the moment it happened (its `occurredAt`) to the commit of the statement that counted it,
 * after which its licence's hourly rollup includes it (same transaction; checked at the end).
 * Baseline: the same batches inserted into an unindexed table with no key check or rollup.
 */
export const usageRollup: Bench = {
  name: 'usage-rollup',
  description: 'p99 from a usage event to its billable hourly rollup, under concurrent writers',
  lowerIsBetter: true,
  async run() {
    const database = await createTestDatabase('t_bench_rollup');
    const dataSource = createDataSource({ url: database.url, poolSize: WRITERS + 1 });
    await dataSource.initialize();
    try {
      await dataSource.query(`CREATE TABLE plain_usage (key text, product_id uuid, license_id uuid, consumer_organization_id uuid, unit text, quantity bigint, occurred_at timestamptz)`);
      const licenses = Array.from({ length: 100 }, () => ({ id: randomUUID(), product: randomUUID(), consumer: randomUUID() }));
      let serial = 0;
      const batch = (): UsageEvent[] => {
        const occurredAt = new Date();
        return Array.from({ length: BATCH / 3 }, () => {
          const license = licenses[serial % licenses.length]!;
          serial += 1;
          return (['api_call', 'row', 'byte'] as const).map((unit) => ({
            key: `rollup:${serial}:${unit}`,
            productId: license.product,
            productVersionId: null,
            licenseId: license.id,
            consumerOrganizationId: license.consumer,
            channel: 'api' as const,
            unit,
            quantity: unit === 'api_call' ? 1 : 100,
            occurredAt,
          }));
        }).flat();
      };
      async function load(write: (events: UsageEvent[]) => Promise<unknown>): Promise<{ latencies: number[]; events: number }> {
        const latencies: number[] = [];
        let events = 0;
        const until = performance.now() + SECONDS * 1000;
        await Promise.all(
          Array.from({ length: WRITERS }, async () => {
            while (performance.now() < until) {
              const events_ = batch();
              await write(events_);
              latencies.push(Date.now() - events_[0]!.occurredAt.getTime());
              events += events_.length;
            }
          }),
        );
        return { latencies, events };
      }
      const plain = await load((events) =>
        dataSource.query(
          `INSERT INTO plain_usage SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $7::timestamptz[])`,
          [events.map((e) => e.key), events.map((e) => e.productId), events.map((e) => e.licenseId), events.map((e) => e.consumerOrganizationId), events.map((e) => e.unit), events.map((e) => e.quantity), events.map((e) => e.occurredAt.toISOString())],
        ),
      );
      const metered = await load((events) => recordUsage(dataSource, events));
      const [check] = await dataSource.query(`SELECT coalesce(sum(events), 0)::bigint AS events FROM usage_hourly`);
      if (Number(check.events) !== metered.events) throw new Error(`rollups hold ${check.events} events, ${metered.events} were recorded`);
      const p99 = percentile(metered.latencies, 0.99);
      return {
        value: p99,
        unit: 'ms',
        baseline: percentile(plain.latencies, 0.99),
        goalMax: 1000,
        notes: `p50 ${percentile(metered.latencies, 0.5)} ms, max ${Math.max(...metered.latencies)} ms over ${metered.latencies.length.toLocaleString('en')} batches (${Math.round(metered.events / SECONDS).toLocaleString('en')} events/s, ${WRITERS} writers, ${BATCH} events per batch); rollups hold every recorded event; plain insert p50 ${percentile(plain.latencies, 0.5)} ms`,
      };
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  },
};
