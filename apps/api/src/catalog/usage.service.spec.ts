import { createDataSource } from '@civic/db';
import { dateIn, DomainError } from '@civic/domain';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { UsageService } from './usage.service.js';

describe('usage analytics over recorded deliveries', () => {
  let dataSource: DataSource;
  let usage: UsageService;
  const ids = { agency: '', other: '', buyer: '', traffic: '', air: '', foreign: '' };
  const scope = (organizationId: string) => ({ organizationId });

  async function organization(slug: string, kind: string): Promise<string> {
    const [row] = (await dataSource.query(`INSERT INTO organizations (slug, name, kind, status) VALUES ($1, $2, $3, 'active') RETURNING id`, [
      `${slug}-${randomBytes(3).toString('hex')}`,
      `${slug} name`,
      kind,
    ])) as Array<{ id: string }>;
    return row.id;
  }

  /** A published dataset with one version; returns its id and the version's. */
  async function dataset(organizationId: string): Promise<{ id: string; version: string }> {
    const slug = `usage-spec-${randomBytes(4).toString('hex')}`;
    const [row] = (await dataSource.query(
      `INSERT INTO datasets (slug, organization_id, title_zh, title_en, theme, classification, update_frequency, license_id, status, published_at)
       VALUES ($1, $2, $3, $4, 'transport', 'open', 'daily', 'cc-by-4.0', 'published', now()) RETURNING id`,
      [slug, organizationId, `数据 ${slug}`, `Data ${slug}`],
    )) as Array<{ id: string }>;
    const [version] = (await dataSource.query(
      `INSERT INTO dataset_versions (dataset_id, organization_id, version, sha256, source_filename, source_format, bytes, row_count, parquet_key, parquet_bytes, schema, profile)
       VALUES ($1, $2, 1, $3, 'a.csv', 'csv', 10, 100, 'k', 10, '[]', '[]') RETURNING id`,
      [row.id, organizationId, randomBytes(32).toString('hex')],
    )) as Array<{ id: string }>;
    return { id: row.id, version: version.id };
  }

  async function deliver(target: { id: string; version: string }, at: string, channel: 'preview' | 'download', format: string, rows: number, organizationId: string | null) {
    await dataSource.query(
      `INSERT INTO dataset_deliveries (dataset_id, version_id, organization_id, channel, format, rows, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [target.id, target.version, organizationId, channel, format, rows, at],
    );
  }

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL as string, poolSize: 3 });
    await dataSource.initialize();
    usage = new UsageService(dataSource);
    ids.agency = await organization('usage-agency', 'agency');
    ids.other = await organization('usage-other', 'agency');
    ids.buyer = await organization('usage-buyer', 'enterprise');
    const traffic = await dataset(ids.agency);
    const air = await dataset(ids.agency);
    const foreign = await dataset(ids.other);
    Object.assign(ids, { traffic: traffic.id, air: air.id, foreign: foreign.id });
    // 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
    await deliver(traffic, '2026-03-01T16:30:00Z', 'preview', 'json', 20, null);
    await deliver(traffic, '2026-03-02T01:00:00Z', 'download', 'csv', 100, ids.buyer);
    await deliver(traffic, '2026-03-02T02:00:00Z', 'download', 'parquet', 100, ids.buyer);
    await deliver(traffic, '2026-03-04T10:00:00Z', 'download', 'csv', 100, ids.agency);
    await deliver(traffic, '2026-02-27T12:00:00Z', 'preview', 'json', 20, ids.buyer);
    await deliver(air, '2026-03-02T03:00:00Z', 'download', 'csv', 5, null);
    await deliver(foreign, '2026-03-02T04:00:00Z', 'download', 'csv', 7, ids.buyer);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const zero = { preview: 0, csv: 0, parquet: 0, deliveries: 0, rows: 0 };

  it('counts deliveries per day by kind, zero-filled, with totals and the top consumers', async () => {
    const report = await usage.forDataset(scope(ids.agency), ids.traffic, { from: '2026-03-01', to: '2026-03-05' });
    expect(report).toMatchObject({ from: '2026-03-01', to: '2026-03-05', granularity: 'day', timeZone: 'UTC' });
    expect(report.series).toEqual([
      { start: '2026-03-01', ...zero, preview: 1, deliveries: 1, rows: 20 },
      { start: '2026-03-02', ...zero, csv: 1, parquet: 1, deliveries: 2, rows: 200 },
      { start: '2026-03-03', ...zero },
      { start: '2026-03-04', ...zero, csv: 1, deliveries: 1, rows: 100 },
      { start: '2026-03-05', ...zero },
    ]);
    expect(report.totals).toEqual({ preview: 1, csv: 2, parquet: 1, deliveries: 4, rows: 320, organizations: 2, anonymousDeliveries: 1 });
    expect(report.topConsumers.map((consumer) => [consumer.organization?.id ?? null, consumer.own, consumer.deliveries, consumer.rows])).toEqual([
      [ids.buyer, false, 2, 200],
      [ids.agency, true, 1, 100],
      [null, false, 1, 20],
    ]);
    expect(report.topConsumers[0]).toMatchObject({ organization: { name: 'usage-buyer name', kind: 'enterprise' }, lastDeliveredAt: '2026-03-02T02:00:00.000Z' });
  });

  it('begins days in the time zone asked for', async () => {
    const report = await usage.forDataset(scope(ids.agency), ids.traffic, { from: '2026-03-01', to: '2026-03-02', timeZone: 'Asia/Shanghai' });
    expect(report.series).toEqual([
      { start: '2026-03-01', ...zero },
      { start: '2026-03-02', ...zero, preview: 1, csv: 1, parquet: 1, deliveries: 3, rows: 220 },
    ]);
  });

  it('groups by ISO week and calendar month, counting only the period', async () => {
    const weeks = await usage.forDataset(scope(ids.agency), ids.traffic, { from: '2026-03-01', to: '2026-03-05', granularity: 'week' });
    expect(weeks.series.map((bucket) => [bucket.start, bucket.deliveries])).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 3],
    ]);
    const months = await usage.forDataset(scope(ids.agency), ids.traffic, { from: '2026-02-01', to: '2026-04-30', granularity: 'month' });
    expect(months.series.map((bucket) => [bucket.start, bucket.deliveries])).toEqual([
      ['2026-02-01', 1],
      ['2026-03-01', 4],
      ['2026-04-01', 0],
    ]);
  });

  it('reports the last 30 days by default', async () => {
    const report = await usage.forDataset(scope(ids.agency), ids.traffic, {});
    expect(report.series).toHaveLength(30);
    expect(report.to).toBe(dateIn('UTC'));
    expect(report.series.at(-1)?.start).toBe(report.to);
    expect(report.series[0].start).toBe(report.from);
  });

  it('sums all the agency’s datasets, and lists them by deliveries', async () => {
    const report = await usage.forAgency(scope(ids.agency), { from: '2026-03-01', to: '2026-03-05' });
    expect(report.totals).toMatchObject({ deliveries: 5, csv: 3, rows: 325, organizations: 2, anonymousDeliveries: 2 });
    expect(report.topDatasets.map((row) => [row.dataset.id, row.deliveries, row.organizations])).toEqual([
      [ids.traffic, 4, 2],
      [ids.air, 1, 0],
    ]);
    expect(report.topConsumers.find((consumer) => consumer.organization === null)?.deliveries).toBe(2);
  });

  it('answers another agency’s dataset as not found', async () => {
    await expect(usage.forDataset(scope(ids.other), ids.traffic, {})).rejects.toMatchObject({ code: 'catalog.not_found' });
    await expect(usage.forDataset(scope(ids.agency), ids.foreign, {})).rejects.toBeInstanceOf(DomainError);
    const other = await usage.forAgency(scope(ids.other), { from: '2026-03-01', to: '2026-03-05' });
    expect(other.totals.deliveries).toBe(1);
    expect(other.topDatasets.map((row) => row.dataset.id)).toEqual([ids.foreign]);
  });

  it('refuses a period that is too long or upside down', async () => {
    await expect(usage.forDataset(scope(ids.agency), ids.traffic, { from: '2025-01-01', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'request.invalid',
      details: [{ field: 'from', messages: ['the period is at most 366 days by day'] }],
    });
    await expect(usage.forDataset(scope(ids.agency), ids.traffic, { from: '2026-03-02', to: '2026-03-01' })).rejects.toMatchObject({ code: 'request.invalid' });
  });
});
