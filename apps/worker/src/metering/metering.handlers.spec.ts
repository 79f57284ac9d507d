import { randomUUID } from 'node:crypto';
import { createDataSource, recordUsage } from '@civic/db';
import type { DataSource } from 'typeorm';
import { MeteringMaintenanceHandler, USAGE_KEY_RETENTION_MS } from './metering.handlers.js';

describe('metering maintenance', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  it('makes the months ahead ready and forgets only keys past the replay window, twice with the same effect', async () => {
    const handler = new MeteringMaintenanceHandler(dataSource);
    const later = new Date(Date.now() + 200 * 86_400_000);
    const job = { data: { trigger: 'manual' as const } } as never;
    await handler.handle(job, later);
    await handler.handle(job, later);
    const month = `usage_events_${later.getUTCFullYear()}${String(later.getUTCMonth() + 1).padStart(2, '0')}`;
    const [{ exists }] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [month]);
    expect(exists).toBe(true);

    const productId = randomUUID();
    const old = new Date(Date.now() - USAGE_KEY_RETENTION_MS - 86_400_000);
    const event = { key: `${productId}:old`, productId, productVersionId: null, licenseId: null, consumerOrganizationId: null, channel: 'api' as const, unit: 'row' as const, quantity: 1, occurredAt: new Date() };
    await recordUsage(dataSource, [event, { ...event, key: `${productId}:new` }]);
    await dataSource.query(`UPDATE usage_event_keys SET recorded_at = $2 WHERE key_hash = md5($1)::uuid`, [`${productId}:old`, old.toISOString()]);
    const first = await handler.handle(job);
    expect(first.prunedKeys).toBeGreaterThanOrEqual(1);
    expect((await handler.handle(job)).prunedKeys).toBe(0);
    const kept = await dataSource.query(`SELECT md5($1)::uuid = ANY (SELECT key_hash FROM usage_event_keys) AS old, md5($2)::uuid = ANY (SELECT key_hash FROM usage_event_keys) AS new`, [`${productId}:old`, `${productId}:new`]);
    expect(kept).toEqual([{ old: false, new: true }]);
  });
});
