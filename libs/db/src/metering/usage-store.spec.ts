import { randomUUID } from 'node:crypto';
import type { UsageEvent } from '@civic/domain';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.js';
import { dailyUsage, licenseUsage, pruneUsageKeys, recordUsage } from './usage-store.js';

describe('usage store', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 6 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  const now = new Date();
  const event = (productId: string, licenseId: string | null, key: string, quantity: number, occurredAt = now, unit: UsageEvent['unit'] = 'row'): UsageEvent => ({
    key,
    productId,
    productVersionId: null,
    licenseId,
    consumerOrganizationId: null,
    channel: 'api',
    unit,
    quantity,
    occurredAt,
  });

  async function hourlyTotal(productId: string): Promise<{ quantity: number; events: number }> {
    const [row] = await dataSource.query(`SELECT coalesce(sum(quantity), 0)::int AS quantity, coalesce(sum(events), 0)::int AS events FROM usage_hourly WHERE product_id = $1`, [productId]);
    return row;
  }

  it('counts each key once, whatever is replayed, in whatever order and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ quantity: fc.integer({ min: 0, max: 1000 }), copies: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.nat()),
        async (unique, batches, noise) => {
          const productId = randomUUID();
          const license = randomUUID();
          const events = unique.map((entry, index) => ({ ...event(productId, license, `${productId}:${index}`, entry.quantity), copies: entry.copies }));
          const stream = events.flatMap((entry) => Array.from({ length: entry.copies }, () => event(productId, license, entry.key, entry.quantity)));
          // Shuffle, then send in several concurrent batches.
          const order = stream.map((item) => ({ item, rank: noise.next().value as number })).sort((a, b) => a.rank - b.rank).map((entry) => entry.item);
          const size = Math.ceil(order.length / batches);
          const results = await Promise.all(Array.from({ length: batches }, (_, index) => recordUsage(dataSource, order.slice(index * size, (index + 1) * size))));
          const expected = events.reduce((sum, entry) => sum + entry.quantity, 0);
          expect(results.reduce((sum, result) => sum + result.recorded, 0)).toBe(events.length);
          expect(results.reduce((sum, result) => sum + result.recorded + result.duplicates, 0)).toBe(stream.length);
          expect(await hourlyTotal(productId)).toEqual({ quantity: expected, events: events.length });
          const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM usage_events WHERE product_id = $1`, [productId]);
          expect(count).toBe(events.length);
          // The whole stream again: nothing more.
          const again = await recordUsage(dataSource, stream);
          expect(again).toEqual({ recorded: 0, duplicates: stream.length, rejected: [] });
          expect((await hourlyTotal(productId)).quantity).toBe(expected);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('takes large batches by COPY with the same effect, keys with backslashes and quotes included', async () => {
    const productId = randomUUID();
    const license = randomUUID();
    const events = Array.from({ length: 2_500 }, (_, index) => event(productId, license, `${productId}\\${index}"x'\\N`, index % 7));
    const first = await recordUsage(dataSource, [...events, ...events.slice(0, 500)]);
    expect(first).toEqual({ recorded: 2_500, duplicates: 500, rejected: [] });
    const again = await recordUsage(dataSource, events);
    expect(again.recorded).toBe(0);
    const [row] = await dataSource.query(`SELECT count(*)::int AS n, min(key) AS sample FROM usage_events WHERE product_id = $1 AND key = $2`, [productId, `${productId}\\0"x'\\N`]);
    expect(row.n).toBe(1);
    expect(await hourlyTotal(productId)).toEqual({ quantity: events.reduce((sum, item) => sum + item.quantity, 0), events: 2_500 });
  });

  it.each([
    ['on their own', false],
    ['with a stale announcement that may hold every key', true],
  ])('counts each key once when large batches sharing keys run concurrently (%s)', async (_, stale) => {
    const productId = randomUUID();
    const licenses = [randomUUID(), randomUUID(), null];
    const consumer = randomUUID();
    const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
    const unique = Array.from({ length: 6_000 }, (_, index) => ({
      ...event(productId, licenses[index % 3]!, `${productId}:${index}`, index % 11, new Date(hour - ((index % 5) + 1) * 3_600_000 + (index % 3_600) * 1_000), (['api_call', 'row', 'byte'] as const)[index % 3]),
      consumerOrganizationId: index % 4 === 0 ? null : consumer,
      productVersionId: index % 2 === 0 ? null : productId,
    }));
    // Four writers, each with 2,200 events (large batches): 1,500 of their own and 700 of their neighbour's.
    const own = (writer: number) => unique.slice((writer % 4) * 1_500, (writer % 4) * 1_500 + 1_500);
    const batches = Array.from({ length: 4 }, (_, writer) => [...own(writer), ...own(writer + 1).slice(0, 700)]);
    // A stale announcement that may hold every key: every key is then claimed last.
    const filter = Buffer.alloc(1 << 15, 0xff);
    if (stale) await dataSource.query(`INSERT INTO usage_batches_in_flight (key_filter) VALUES ($1)`, [filter]);
    try {
      const results = await Promise.all(batches.map((batch) => recordUsage(dataSource, batch)));
      expect(results.reduce((sum, result) => sum + result.recorded, 0)).toBe(unique.length);
      expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(4 * 2_200 - unique.length);
    } finally {
      if (stale) await dataSource.query(`DELETE FROM usage_batches_in_flight WHERE key_filter = $1`, [filter]);
    }
    const expected = unique.reduce((sum, item) => sum + item.quantity, 0);
    expect(await hourlyTotal(productId)).toEqual({ quantity: expected, events: unique.length });
    const rows = await dataSource.query(
      `SELECT key, product_version_id, license_id, consumer_organization_id, unit, quantity::int, occurred_at FROM usage_events WHERE product_id = $1 ORDER BY key`,
      [productId],
    );
    const byKey = new Map(unique.map((item) => [item.key, item]));
    expect(rows).toHaveLength(unique.length);
    for (const row of rows) {
      const item = byKey.get(row.key)!;
      expect([row.product_version_id, row.license_id, row.consumer_organization_id, row.unit, row.quantity, new Date(row.occurred_at).getTime()]).toEqual([
        item.productVersionId,
        item.licenseId,
        item.consumerOrganizationId,
        item.unit,
        item.quantity,
        item.occurredAt.getTime(),
      ]);
    }
    // Each bucket holds exactly its events.
    const buckets = await dataSource.query(
      `SELECT hour, license_id, consumer_organization_id, unit, quantity::int, events::int FROM usage_hourly WHERE product_id = $1`,
      [productId],
    );
    const expectedBuckets = new Map<string, { quantity: number; events: number }>();
    for (const item of unique) {
      const key = `${Math.floor(item.occurredAt.getTime() / 3_600_000) * 3_600_000}|${item.licenseId}|${item.consumerOrganizationId}|${item.unit}`;
      const bucket = expectedBuckets.get(key) ?? { quantity: 0, events: 0 };
      bucket.quantity += item.quantity;
      bucket.events += 1;
      expectedBuckets.set(key, bucket);
    }
    expect(buckets).toHaveLength(expectedBuckets.size);
    for (const bucket of buckets) {
      expect({ quantity: bucket.quantity, events: bucket.events }).toEqual(expectedBuckets.get(`${new Date(bucket.hour).getTime()}|${bucket.license_id}|${bucket.consumer_organization_id}|${bucket.unit}`));
    }
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM usage_batches_in_flight`)).toEqual([{ n: 0 }]);
  });

  it('refuses events outside the window with a reason and writes nothing for them', async () => {
    const productId = randomUUID();
    const old = new Date(now.getTime() - 36 * 86_400_000);
    const ahead = new Date(now.getTime() + 10 * 60_000);
    const result = await recordUsage(dataSource, [event(productId, null, `${productId}:old`, 5, old), event(productId, null, `${productId}:ahead`, 5, ahead), event(productId, null, `${productId}:ok`, 7)], now);
    expect(result.recorded).toBe(1);
    expect(result.rejected.map((entry) => [entry.key.split(':')[1], entry.reason.code])).toEqual([
      ['old', 'metering.too_late'],
      ['ahead', 'metering.in_future'],
    ]);
    expect((await hourlyTotal(productId)).quantity).toBe(7);
  });

  it('accepts late events within 35 days into their own hour and month', async () => {
    const productId = randomUUID();
    const late = new Date(now.getTime() - 34 * 86_400_000);
    expect((await recordUsage(dataSource, [event(productId, null, `${productId}:late`, 3, late)])).recorded).toBe(1);
    const [row] = await dataSource.query(`SELECT hour FROM usage_hourly WHERE product_id = $1`, [productId]);
    expect(new Date(row.hour).getTime()).toBe(Math.floor(late.getTime() / 3_600_000) * 3_600_000);
  });

  it("reads a licence's usage over a period exactly, partial hours included", async () => {
    const productId = randomUUID();
    const license = randomUUID();
    const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 5 * 3_600_000;
    const at = (minutes: number) => new Date(hour + minutes * 60_000);
    await recordUsage(dataSource, [
      event(productId, license, `${license}:a`, 1, at(10)),
      event(productId, license, `${license}:b`, 2, at(50)),
      event(productId, license, `${license}:c`, 4, at(70)),
      event(productId, license, `${license}:d`, 8, at(170)),
      event(productId, license, `${license}:e`, 16, at(200)),
      event(productId, license, `${license}:f`, 1, at(30), 'api_call'),
    ]);
    // [0:30, 3:10): b, c, d but not a (before) nor e (after); the api call at 0:30 counts.
    expect(await licenseUsage(dataSource, license, at(30), at(190))).toEqual({ api_call: 1, row: 2 + 4 + 8, byte: 0 });
    expect(await licenseUsage(dataSource, license, at(0), at(240))).toEqual({ api_call: 1, row: 31, byte: 0 });
    // Less than an hour across an hour's end, [0:40, 1:20): b and c, from two hours' index entries.
    expect(await licenseUsage(dataSource, license, at(40), at(80))).toEqual({ api_call: 0, row: 2 + 4, byte: 0 });
    // Within one hour, [0:50, 0:51): b only; the end is exclusive, [0:10, 0:30) has a alone.
    expect(await licenseUsage(dataSource, license, at(50), at(51))).toEqual({ api_call: 0, row: 2, byte: 0 });
    expect(await licenseUsage(dataSource, license, at(10), at(30))).toEqual({ api_call: 0, row: 1, byte: 0 });
  });

  it('gives zero-filled daily usage', async () => {
    const productId = randomUUID();
    const license = randomUUID();
    const today = now.toISOString().slice(0, 10);
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const threeDaysAgo = new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
    await recordUsage(dataSource, [event(productId, license, `${license}:x`, 9), event(productId, license, `${license}:y`, 1, now, 'api_call')]);
    const days = await dailyUsage(dataSource, { licenseId: license }, { from: threeDaysAgo, to: today, timeZone: 'UTC' });
    expect(days).toHaveLength(4);
    expect(days.at(-1)).toEqual({ day: today, api_call: 1, row: 9, byte: 0 });
    expect(days.find((day) => day.day === yesterday)).toEqual({ day: yesterday, api_call: 0, row: 0, byte: 0 });
  });

  it('prunes only keys recorded before the cut', async () => {
    const productId = randomUUID();
    await recordUsage(dataSource, [event(productId, null, `${productId}:keep`, 1)]);
    await pruneUsageKeys(dataSource, new Date(now.getTime() - 40 * 86_400_000));
    expect((await recordUsage(dataSource, [event(productId, null, `${productId}:keep`, 1)])).duplicates).toBe(1);
  });

  it('keeps recorded events immutable', async () => {
    const productId = randomUUID();
    await recordUsage(dataSource, [event(productId, null, `${productId}:fixed`, 1)]);
    await expect(dataSource.query(`UPDATE usage_events SET quantity = 100 WHERE product_id = $1`, [productId])).rejects.toThrow(/immutable/);
  });
});
