import { randomUUID } from 'node:crypto';
import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const CSV = ['年份,占比(%)', '2011,39', '2012,40', '2013,44', '2014,46', '2015,48'].join('\n') + '\n';
const ROWS = 5;

/** Today's date in a time zone, as the API counts days. */
function today(timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A new open dataset of the steward's agency, with one ingested version, published. */
async function publishedDataset(http: Http, token: string): Promise<{ id: string; slug: string }> {
  const slug = `usage-e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const created = await http.post(
    '/api/v1/agency/datasets',
    { slug, titleZh: `使用统计测试 ${slug}`, titleEn: `Usage test ${slug}`, theme: 'statistics', classification: 'open' },
    { token },
  );
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const upload = await http.upload(`/api/v1/agency/datasets/${created.body.id}/uploads`, 'usage.csv', CSV, { token });
  if (upload.status !== 202) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ingestion = await http.get(`/api/v1/agency/ingestions/${upload.body.id}`, { token });
    if (ingestion.body.status === 'succeeded') break;
    if (!['queued', 'running'].includes(ingestion.body.status) || Date.now() > deadline) throw new Error(`ingestion ended ${JSON.stringify(ingestion.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const published = await http.post(`/api/v1/agency/datasets/${created.body.id}/publish`, {}, { token });
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return { id: created.body.id, slug };
}

describe('usage analytics: an agency sees how its datasets are used', () => {
  const ctx = usePlatform({}, { worker: true });
  let steward: Awaited<ReturnType<typeof login>>;
  let dataset: { id: string; slug: string };

  beforeAll(async () => {
    steward = await login(ctx.http, 'steward@stats.demo');
    dataset = await publishedDataset(ctx.http, steward.token);
    const harbor = await login(ctx.http, 'buyer@harbor.demo');
    const sunrise = await login(ctx.http, 'buyer@sunrise.demo');
    const rows = `/api/v1/catalog/datasets/${dataset.slug}`;
    const deliveries: Array<[string, string | undefined]> = [
      // Anonymous visitors: two previews and a CSV download.
      [`${rows}/preview`, undefined],
      [`${rows}/preview`, undefined],
      [`${rows}/download?format=csv`, undefined],
      // Harbor Logistics: two CSV (one for Excel) and two Parquet downloads.
      [`${rows}/download?format=csv`, harbor.token],
      [`${rows}/download?format=csv&bom=true`, harbor.token],
      [`${rows}/download?format=parquet`, harbor.token],
      [`${rows}/download?format=parquet`, harbor.token],
      // Sunrise Insurance previews; the agency downloads its own data.
      [`${rows}/preview`, sunrise.token],
      [`${rows}/download?format=parquet`, steward.token],
    ];
    for (const [path, token] of deliveries) {
      const result = await ctx.http.bytes(path, { token });
      if (result.status !== 200) throw new Error(`${path}: ${result.status}`);
    }
    // Refused requests deliver nothing and count nothing.
    expect((await ctx.http.get(`${rows}/download?format=xlsx`)).status).toBe(400);
  });

  it('counts real previews and downloads by kind, per day, zero-filled, over the last 30 days by default', async () => {
    const usage = await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage`, { token: steward.token });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ granularity: 'day', timeZone: 'UTC', to: today(), from: daysBefore(today(), 29) });
    expect(usage.body.series).toHaveLength(30);
    expect(usage.body.series.map((bucket: { start: string }) => bucket.start)).toEqual(Array.from({ length: 30 }, (_, index) => daysBefore(today(), 29 - index)));
    const delivered = { preview: 3, csv: 3, parquet: 3, deliveries: 9, rows: 9 * ROWS };
    expect(usage.body.series.at(-1)).toEqual({ start: today(), ...delivered });
    for (const bucket of usage.body.series.slice(0, -1)) expect(bucket).toEqual({ start: bucket.start, preview: 0, csv: 0, parquet: 0, deliveries: 0, rows: 0 });
    expect(usage.body.totals).toEqual({ ...delivered, organizations: 3, anonymousDeliveries: 3 });

    const consumers = usage.body.topConsumers.map((consumer: any) => ({ name: consumer.organization?.name ?? null, own: consumer.own, deliveries: consumer.deliveries, rows: consumer.rows }));
    expect(consumers.slice(0, 2)).toEqual([
      { name: '港湾物流 Harbor Logistics', own: false, deliveries: 4, rows: 4 * ROWS },
      { name: null, own: false, deliveries: 3, rows: 3 * ROWS },
    ]);
    expect(consumers.slice(2)).toEqual(
      expect.arrayContaining([
        { name: '朝阳保险 Sunrise Insurance', own: false, deliveries: 1, rows: ROWS },
        { name: '市统计局 Statistics Bureau', own: true, deliveries: 1, rows: ROWS },
      ]),
    );
    expect(usage.body.topConsumers[0].organization).toMatchObject({ slug: 'harbor-logistics', kind: 'enterprise' });
    expect(Date.parse(usage.body.topConsumers[0].lastDeliveredAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('groups by week and month and begins days in the time zone asked for', async () => {
    const get = (query: string) => ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage?${query}`, { token: steward.token });
    const weeks = await get(`granularity=week&from=${daysBefore(today(), 20)}&to=${today()}`);
    expect(weeks.status).toBe(200);
    expect(weeks.body.series.length).toBeGreaterThanOrEqual(3);
    for (const bucket of weeks.body.series) expect(new Date(`${bucket.start}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(weeks.body.series.at(-1).deliveries).toBe(9);
    const months = await get(`granularity=month&from=${daysBefore(today(), 400)}&to=${today()}`);
    expect(months.body.series.length).toBeGreaterThanOrEqual(13);
    for (const bucket of months.body.series) expect(bucket.start.endsWith('-01')).toBe(true);
    expect(months.body.totals.deliveries).toBe(9);
    const shanghai = await get('timeZone=Asia/Shanghai');
    expect(shanghai.body).toMatchObject({ timeZone: 'Asia/Shanghai', to: today('Asia/Shanghai') });
    expect(shanghai.body.totals.deliveries).toBe(9);
  });

  it('sums all the agency’s datasets, listing the most delivered', async () => {
    const usage = await ctx.http.get('/api/v1/agency/usage', { token: steward.token });
    expect(usage.status).toBe(200);
    expect(usage.body.series).toHaveLength(30);
    const row = usage.body.topDatasets.find((candidate: { dataset: { id: string } }) => candidate.dataset.id === dataset.id);
    expect(row).toMatchObject({ dataset: { slug: dataset.slug, status: 'published' }, preview: 3, csv: 3, parquet: 3, deliveries: 9, rows: 9 * ROWS, organizations: 3 });
    expect(usage.body.totals.deliveries).toBeGreaterThanOrEqual(9);
    // Another agency's report holds none of it.
    const ecology = await login(ctx.http, 'steward@ecology.demo');
    const other = await ctx.http.get('/api/v1/agency/usage', { token: ecology.token });
    expect(other.body.topDatasets.map((candidate: { dataset: { id: string } }) => candidate.dataset.id)).not.toContain(dataset.id);
  });

  it('answers another agency as if the dataset did not exist, and refuses other roles', async () => {
    const ecology = await login(ctx.http, 'steward@ecology.demo');
    const foreign = await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage`, { token: ecology.token });
    const missing = await ctx.http.get(`/api/v1/agency/datasets/${randomUUID()}/usage`, { token: ecology.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const buyer = await login(ctx.http, 'buyer@harbor.demo');
    expect((await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage`, { token: buyer.token })).status).toBe(403);
    expect((await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage`)).status).toBe(401);
  });

  it.each([
    ['from=2026-02-30', ['from']],
    ['from=yesterday', ['from']],
    ['from=2026-03-02&to=2026-03-01', ['from']],
    ['from=2025-01-01&to=2026-03-01', ['from']],
    ['from=2020-01-01&to=2026-03-01&granularity=month', ['from']],
    ['granularity=hour', ['granularity']],
    ['timeZone=Mars/Olympus', ['timeZone']],
    ['timeZone=%2B08:00', ['timeZone']],
    ['from=2026-03-01&from=2026-03-02', ['from']],
    ['limit=5', ['limit']],
  ])('refuses %s with 400 and the field', async (query, fields) => {
    const result = await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage?${query}`, { token: steward.token });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('request.invalid');
    expect(result.body.error.details.map((detail: { field: string }) => detail.field)).toEqual(fields);
  });

  it('accepts the longest periods each granularity allows', async () => {
    const get = (query: string) => ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/usage?${query}`, { token: steward.token });
    expect((await get('from=2024-01-01&to=2024-12-31')).body.series).toHaveLength(366);
    expect((await get('from=2024-01-01&to=2025-12-31&granularity=week')).status).toBe(200);
    expect((await get('from=2021-01-01&to=2025-12-31&granularity=month')).body.series).toHaveLength(60);
    expect((await ctx.http.get('/api/v1/agency/datasets/not-a-uuid/usage', { token: steward.token })).status).toBe(400);
  });
});
