import { readdir } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const HEADER = '年份,城市建设中渠道建设占比(%),渠道综合应用率(%),渠道建设形式创新率(%),城市整体建设优化率(%)';
const ROWS = ['2011,39,33,20,36', '2012,40,37,23,45', '2013,44,45,23,55', '2014,46,47,26,65', '2015,48,50,29,70'];
const UPLOAD_LIMIT = 64 * 1024;

let sequence = 0;
function unique(label: string): string {
  sequence += 1;
  return `${label}-${Date.now().toString(36)}-${sequence}`;
}

async function createDataset(http: Http, token: string, overrides: Record<string, unknown> = {}) {
  const slug = unique('e2e-dataset');
  const created = await http.post(
    '/api/v1/agency/datasets',
    { slug, titleZh: `测试数据集 ${slug}`, titleEn: `Test dataset ${slug}`, theme: 'statistics', classification: 'open', keywords: ['测试'], ...overrides },
    { token },
  );
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

async function waitForIngestion(http: Http, token: string, id: string) {
  const deadline = Date.now() + 30_000;
  const seen = new Set<number>();
  for (;;) {
    const result = await http.get(`/api/v1/agency/ingestions/${id}`, { token });
    seen.add(result.body.progress);
    if (!['queued', 'running'].includes(result.body.status)) return { ...result.body, progressSeen: [...seen] };
    if (Date.now() > deadline) throw new Error(`ingestion ${id} still ${result.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function storedObjects(): Promise<string[]> {
  const root = process.env.STORAGE_DIR!;
  const uploads = await readdir(path.join(root, 'uploads')).catch(() => []);
  return uploads;
}

describe('ingestion: from upload to dataset version', () => {
  const ctx = usePlatform({ UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) }, { worker: true });

  it('ingests a UTF-8 CSV, ignores the same bytes again, and versions a GB18030 file with a schema change', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const dataset = await createDataset(ctx.http, steward.token);
    expect(dataset).toMatchObject({ status: 'draft', currentVersion: null });
    expect((await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/publish`, {}, { token: steward.token })).body.error.code).toBe('catalog.no_version');

    const csv = `${HEADER}\n${ROWS.join('\n')}\n`;
    const uploaded = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'survey.csv', csv, { token: steward.token });
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ status: 'queued', filename: 'survey.csv', bytes: Buffer.byteLength(csv) });
    const first = await waitForIngestion(ctx.http, steward.token, uploaded.body.id);
    expect(first).toMatchObject({ status: 'succeeded', version: 1, progress: 100, error: null });

    const again = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'survey-copy.csv', csv, { token: steward.token });
    expect(await waitForIngestion(ctx.http, steward.token, again.body.id)).toMatchObject({ status: 'duplicate', version: 1 });

    const gbk = iconv.encode(`${HEADER},备注\r\n${ROWS.map((row) => `${row},调查`).join('\r\n')}\r\n`, 'gb18030');
    const second = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'survey-gbk.csv', gbk, { token: steward.token });
    expect(await waitForIngestion(ctx.http, steward.token, second.body.id)).toMatchObject({ status: 'succeeded', version: 2 });

    const versions = await ctx.http.get(`/api/v1/catalog/datasets/${dataset.id}/versions`, { token: steward.token });
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body.items[0]).toMatchObject({ encoding: 'gb18030', rowCount: 5, sourceFilename: 'survey-gbk.csv' });
    expect(versions.body.items[0].schemaChanges.added).toEqual([{ name: '备注', type: 'VARCHAR' }]);
    expect(versions.body.items[1]).toMatchObject({ encoding: 'utf-8', schemaChanges: null });

    // Drafts are invisible outside the agency; published, they are searchable by column name.
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${dataset.slug}`)).status).toBe(404);
    const published = await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/publish`, {}, { token: steward.token });
    expect(published.body).toMatchObject({ status: 'published', versionNumber: 2 });
    const found = await ctx.http.get(`/api/v1/catalog/datasets?q=${encodeURIComponent('备注')}`);
    expect(found.body.items.map((item: { id: string }) => item.id)).toContain(dataset.id);
    const download = await ctx.http.bytes(`/api/v1/catalog/datasets/${dataset.slug}/download?format=csv`);
    expect(download.body.toString('utf8')).toContain('2013,44,45,23,55,调查');
    expect(await storedObjects()).not.toContain(uploaded.body.id);
  });

  it.each([
    ['ragged.csv', `${HEADER}\n2011,39,33,20,36\n2012,40,37\n`, 'ingest.ragged_rows'],
    ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x02]), 'ingest.binary'],
    ['duplicate.csv', 'a,b,a\n1,2,3\n', 'ingest.duplicate_columns'],
    ['header-only.csv', `${HEADER}\n`, 'ingest.empty'],
    ['broken.json', '[{"a": 1}, {"a": ', 'ingest.malformed'],
    ['fake.parquet', 'this is not parquet at all', 'ingest.unsupported_format'],
    ['corrupt.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]), 'ingest.malformed'],
  ])('fails %s whole with a reason and publishes nothing', async (filename, content, code) => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const dataset = await createDataset(ctx.http, steward.token);
    const uploaded = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, filename, content, { token: steward.token });
    expect(uploaded.status).toBe(202);
    const outcome = await waitForIngestion(ctx.http, steward.token, uploaded.body.id);
    expect(outcome.status).toBe('failed');
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.message.length).toBeGreaterThan(10);
    if (code === 'ingest.ragged_rows') expect(outcome.error.details.line).toBe(3);
    const detail = await ctx.http.get(`/api/v1/catalog/datasets/${dataset.id}`, { token: steward.token });
    expect(detail.body.currentVersion).toBeNull();
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${dataset.id}/versions`, { token: steward.token })).body.items).toEqual([]);
  });

  it('refuses files over the limit, empty files and wrong types before queuing anything', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const dataset = await createDataset(ctx.http, steward.token);
    const url = `/api/v1/agency/datasets/${dataset.id}/uploads`;
    const before = await storedObjects();
    const big = await ctx.http.upload(url, 'big.csv', `a,b\n${'1,2\n'.repeat(UPLOAD_LIMIT / 2)}`, { token: steward.token });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('catalog.upload_too_large');
    expect((await ctx.http.upload(url, 'empty.csv', '', { token: steward.token })).status).toBe(400);
    expect((await ctx.http.upload(url, 'report.pdf', '%PDF-1.4', { token: steward.token })).body.error.details[0].field).toBe('file');
    expect((await ctx.http.upload(url, 'x.csv', 'a\n1\n', { token: steward.token, field: 'attachment' })).body.error.code).toBe('catalog.upload_missing');
    const json = await ctx.http.post(url, { file: 'a,b' }, { token: steward.token });
    expect(json.status).toBe(415);
    expect((await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/ingestions`, { token: steward.token })).body.items).toEqual([]);
    expect(await storedObjects()).toEqual(before);
  });

  it('keeps column descriptions and sensitivity per column and audits reclassification', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const dataset = await createDataset(ctx.http, steward.token, { classification: 'conditional' });
    const uploaded = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 's.csv', `${HEADER}\n${ROWS.join('\n')}\n`, { token: steward.token });
    await waitForIngestion(ctx.http, steward.token, uploaded.body.id);
    const detail = await ctx.http.get(`/api/v1/catalog/datasets/${dataset.id}`, { token: steward.token });
    // New columns of conditional data start protected until the steward reviews them.
    expect(detail.body.columns.every((column: { sensitivity: string }) => column.sensitivity === 'quasi_identifier')).toBe(true);
    const updated = await ctx.http.put(
      `/api/v1/agency/datasets/${dataset.id}/columns`,
      { columns: [{ name: '年份', descriptionZh: '调查年份', descriptionEn: 'Survey year', sensitivity: 'public' }] },
      { token: steward.token },
    );
    expect(updated.status).toBe(200);
    expect(updated.body[0]).toMatchObject({ name: '年份', sensitivity: 'public', descriptionEn: 'Survey year' });
    const unknown = await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [{ name: 'nope', sensitivity: 'public' }] }, { token: steward.token });
    expect(unknown.body.error.code).toBe('catalog.unknown_column');
    const badSensitivity = await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [{ name: '年份', sensitivity: 'secret' }] }, { token: steward.token });
    expect(badSensitivity.status).toBe(400);

    const reclassified = await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/reclassify`, { classification: 'restricted', reason: 'contains small areas' }, { token: steward.token });
    expect(reclassified.body.classification).toBe('restricted');
    const audit = await ctx.http.get('/api/v1/audit-events?action=dataset', { token: (await login(ctx.http, 'supervisor@platform.demo')).token });
    const event = audit.body.items.find((item: { action: string; targetId: string }) => item.action === 'dataset.reclassified' && item.targetId === dataset.id);
    expect(event.data).toMatchObject({ from: 'conditional', to: 'restricted', stricter: true, reason: 'contains small areas' });
  });

  it('never delivers a column marked personal, even from open data', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const dataset = await createDataset(ctx.http, steward.token);
    const csv = `站点,身份证号,读数\n福田,990001199001010011,5\n南山,990001199202020022,7\n`;
    const uploaded = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'people.csv', csv, { token: steward.token });
    await waitForIngestion(ctx.http, steward.token, uploaded.body.id);
    await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [{ name: '身份证号', sensitivity: 'personal' }] }, { token: steward.token });
    await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/publish`, {}, { token: steward.token });

    const preview = await ctx.http.get(`/api/v1/catalog/datasets/${dataset.slug}/preview`);
    expect(preview.body.columns.map((column: { name: string }) => column.name)).toEqual(['站点', '读数']);
    expect(JSON.stringify(preview.body)).not.toContain('990001');
    const csvFile = await ctx.http.bytes(`/api/v1/catalog/datasets/${dataset.slug}/download?format=csv`);
    expect(csvFile.body.toString('utf8').split('\n')[0]).toBe('站点,读数');
    expect(csvFile.body.toString('utf8')).not.toContain('990001');
    const parquetFile = await ctx.http.bytes(`/api/v1/catalog/datasets/${dataset.slug}/download?format=parquet`);
    expect(parquetFile.body.subarray(0, 4).toString()).toBe('PAR1');
    expect(parquetFile.body.includes(Buffer.from('身份证号'))).toBe(false);
    const profile = (await ctx.http.get(`/api/v1/catalog/datasets/${dataset.slug}`)).body.profile;
    expect(JSON.stringify(profile)).not.toContain('990001');

    // Marking it public again (the steward's decision, audited) releases it in a new rendering.
    await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [{ name: '身份证号', sensitivity: 'public' }] }, { token: steward.token });
    const again = await ctx.http.bytes(`/api/v1/catalog/datasets/${dataset.slug}/download?format=csv`);
    expect(again.body.toString('utf8').split('\n')[0]).toBe('站点,身份证号,读数');
  });

  it("keeps each agency's datasets its own", async () => {
    const stats = await login(ctx.http, 'steward@stats.demo');
    const transport = await login(ctx.http, 'steward@transport.demo');
    const dataset = await createDataset(ctx.http, stats.token);
    for (const [method, url, body] of [
      ['patch', `/api/v1/agency/datasets/${dataset.id}`, { titleEn: 'hijacked' }],
      ['post', `/api/v1/agency/datasets/${dataset.id}/publish`, {}],
      ['put', `/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [] }],
      ['get', `/api/v1/agency/datasets/${dataset.id}/ingestions`, undefined],
    ] as const) {
      const result = method === 'get' ? await ctx.http.get(url, { token: transport.token }) : await ctx.http[method](url, body, { token: transport.token });
      expect(result.status).toBe(404);
      expect(result.body.error.code).toBe('catalog.not_found');
    }
    const foreignUpload = await ctx.http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'x.csv', 'a\n1\n', { token: transport.token });
    expect(foreignUpload.status).toBe(404);
    const own = await ctx.http.get('/api/v1/agency/datasets', { token: transport.token });
    expect(own.body.items.map((item: { id: string }) => item.id)).not.toContain(dataset.id);
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${dataset.id}`, { token: transport.token })).status).toBe(404);
  });
});
