import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource } from '@civic/db';
import { createIsolatedDatabase, databaseUrl } from '@civic/local-services';
import { login, signUp, type Http, type HttpResult } from '../support/http.js';
import { runToExit, usePlatform } from '../support/platform.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const HOSPITAL_DATASET = 'hospital-outpatient-visits';

/** A new enterprise with an active free research licence of the congestion product. */
async function licensedBuyer(http: Http): Promise<{ token: string; licenseId: string; productId: string }> {
  const buyer = await signUp(http);
  const offers = await http.get(`/api/v1/catalog/products/${CONGESTION}/offers`);
  const free = (offers.body.items as Array<{ id: string; pricePlan: { kind: string }; product: { id: string } }>).find((offer) => offer.pricePlan.kind === 'free')!;
  const terms = await http.get(`/api/v1/offers/${free.id}/terms`);
  const accepted = await http.post(
    '/api/v1/licenses',
    { offerId: free.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'research', intendedUse: 'Traffic research on district congestion for a university study.' },
    { token: buyer.token },
  );
  expect(accepted.status).toBe(201);
  expect(accepted.body.state).toBe('active');
  return { token: buyer.token, licenseId: accepted.body.id, productId: free.product.id };
}

async function apiCalls(http: Http, token: string, licenseId: string): Promise<number> {
  const usage = await http.get(`/api/v1/licenses/${licenseId}/usage`, { token });
  expect(usage.status).toBe(200);
  return usage.body.days.reduce((sum: number, day: { api_call: number }) => sum + day.api_call, 0);
}

describe('the data API: licensed queries, formats, pages, metering', () => {
  const ctx = usePlatform({ DATA_RATE_LIMIT_PER_MINUTE: '1000' });

  it('answers a licensed query with rows, pages through a version with cursors and counts every call exactly once', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const first = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=50`, { token });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('1000');
    expect(Number(first.headers.get('ratelimit-remaining'))).toBeLessThan(1000);
    expect(first.headers.get('x-license-id')).toBe(licenseId);
    expect(first.body.rows).toHaveLength(50);
    const columns = first.body.columns.map((column: { name: string }) => column.name);
    expect(Object.keys(first.body.rows[0])).toEqual(columns);

    // Every page of the version, once: no row twice, none missing.
    const version = await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`);
    const total = version.body.currentVersion?.rowCount ?? version.body.version?.rowCount;
    let cursor: string | null = first.body.nextCursor;
    let seen = first.body.rows.length;
    let calls = 1;
    while (cursor) {
      const page = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=50&cursor=${cursor}`, { token });
      expect(page.status).toBe(200);
      seen += page.body.rows.length;
      cursor = page.body.nextCursor;
      calls += 1;
    }
    if (typeof total === 'number') expect(seen).toBe(total);
    expect(seen).toBeGreaterThan(50);

    // A cursor continues only its own query.
    const wrong = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=10&cursor=${first.body.nextCursor}`, { token });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.problems[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });

    // A retry with the same Idempotency-Key is served but not counted again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const retried = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=5`, { token, headers: { 'idempotency-key': 'retry-me-1' } });
      expect(retried.status).toBe(200);
    }
    calls += 1;
    expect(await apiCalls(ctx.http, token, licenseId)).toBe(calls);
    // The same key over other queries delivers other rows: each is counted, and once.
    for (const query of ['limit=6', 'limit=6', 'limit=5&order=hour_of_day.desc']) {
      const other = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?${query}`, { token, headers: { 'idempotency-key': 'retry-me-1' } });
      expect(other.status).toBe(200);
    }
    calls += 2;
    expect(await apiCalls(ctx.http, token, licenseId)).toBe(calls);
  });

  it('filters and orders with parameters only, in the same way by URL and by body', async () => {
    const { token } = await licensedBuyer(ctx.http);
    const sample = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=1`, { token });
    const district = sample.body.rows[0].district as string;
    const byUrl = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?district=eq.${encodeURIComponent(district)}&order=hour_of_day.desc&limit=20&select=district,hour_of_day`, { token });
    expect(byUrl.status).toBe(200);
    expect(byUrl.body.rows.every((row: { district: string }) => row.district === district)).toBe(true);
    expect(Object.keys(byUrl.body.rows[0])).toEqual(['district', 'hour_of_day']);
    const hours = byUrl.body.rows.map((row: { hour_of_day: number }) => row.hour_of_day);
    expect(hours).toEqual([...hours].sort((a, b) => b - a));
    const byBody = await ctx.http.post(`/api/v1/data/${CONGESTION}/rows`, { select: ['district', 'hour_of_day'], filters: [{ column: 'district', op: 'eq', value: district }], order: [{ column: 'hour_of_day', direction: 'desc' }], limit: 20 }, { token });
    expect(byBody.status).toBe(200);
    expect(byBody.body.rows).toEqual(byUrl.body.rows);

    // SQL metacharacters are values: nothing matches, nothing breaks.
    const injection = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?district=eq.${encodeURIComponent("x' OR '1'='1")}`, { token });
    expect(injection.status).toBe(200);
    expect(injection.body.rows).toEqual([]);
    const bad = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?nope=eq.1&hour_of_day=gt.${encodeURIComponent('1; DROP TABLE products')}&limit=99999999`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('delivery.invalid_query');
    expect(bad.body.error.details.problems.map((problem: { field: string; code: string }) => [problem.field, problem.code])).toEqual([
      ['nope', 'unknown_column'],
      ['hour_of_day', 'invalid_value'],
      ['limit', 'out_of_range'],
    ]);
    // Any whole number above the cap, however long, is "too many rows"; anything else that is not a whole number says what is accepted.
    for (const limit of ['10001', '1000000000', '99999999999999999999999']) {
      const tooMany = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=${limit}`, { token });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.details.problems).toEqual([expect.objectContaining({ field: 'limit', code: 'out_of_range' })]);
      expect(tooMany.body.error.message).toMatch(/^At most 10000 rows per page/);
    }
    for (const limit of ['1e5', '0', '2.5']) {
      const notWhole = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=${limit}`, { token });
      expect(notWhole.status).toBe(400);
      expect(notWhole.body.error.details.problems).toEqual([expect.objectContaining({ field: 'limit', code: 'invalid_value' })]);
      expect(notWhole.body.error.message).toContain('whole number of rows from 1 to 10000');
    }
    const bodyTooMany = await ctx.http.post(`/api/v1/data/${CONGESTION}/rows`, { limit: 1e9 }, { token });
    expect(bodyTooMany.status).toBe(400);
    expect(bodyTooMany.body.error.details.problems[0]).toMatchObject({ field: 'limit', code: 'out_of_range' });
    const badBody = await ctx.http.post(`/api/v1/data/${CONGESTION}/rows`, { filters: 'all' }, { token });
    expect(badBody.status).toBe(400);
    // A number past its column's type is the caller's mistake, named as such (not the engine's cast error).
    for (const query of ['hour_of_day=eq.99999999999999999999999', 'hour_of_day=gt.-99999999999999999999999', 'hour_of_day=in.(1,99999999999999999999999)']) {
      const huge = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?${query}`, { token });
      expect(huge.status).toBe(400);
      expect(huge.body.error.code).toBe('delivery.invalid_query');
      expect(huge.body.error.details.problems[0]).toMatchObject({ field: 'hour_of_day', code: 'invalid_value' });
      expect(huge.body.error.message).toMatch(/out of range for hour_of_day/);
    }
  });

  it('delivers NDJSON, CSV and Parquet and counts their bytes', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const ndjson = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=3&format=ndjson`, { token });
    expect(ndjson.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    expect(String(ndjson.body).trim().split('\n')).toHaveLength(3);
    const csv = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=3&format=csv&select=district,hour_of_day`, { token });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n')[0]).toBe('district,hour_of_day');
    const parquet = await fetch(`${ctx.platform.baseUrl}/api/v1/data/${CONGESTION}/rows?limit=3&format=parquet`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await parquet.arrayBuffer());
    expect(parquet.status).toBe(200);
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const usage = await ctx.http.get(`/api/v1/licenses/${licenseId}/usage`, { token });
    const totals = usage.body.days.reduce((sum: { row: number; byte: number }, day: { row: number; byte: number }) => ({ row: sum.row + day.row, byte: sum.byte + day.byte }), { row: 0, byte: 0 });
    expect(totals.row).toBe(9);
    expect(totals.byte).toBe(Buffer.byteLength(String(ndjson.body)) + Buffer.byteLength(String(csv.body)) + bytes.length);
  });

  it('chooses the format by the Accept header when the query names none', async () => {
    const { token } = await licensedBuyer(ctx.http);
    const rows = `/api/v1/data/${CONGESTION}/rows?limit=2&select=district,hour_of_day`;
    const csv = await ctx.http.get(rows, { token, headers: { accept: 'application/json;q=0.5, text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n')[0]).toBe('district,hour_of_day');
    const ndjson = await ctx.http.post(`/api/v1/data/${CONGESTION}/rows`, { limit: 2 }, { token, headers: { accept: 'application/x-ndjson' } });
    expect(ndjson.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    // The query's own format wins; a wildcard or an unknown type means JSON.
    expect((await ctx.http.get(`${rows}&format=json`, { token, headers: { accept: 'text/csv' } })).headers.get('content-type')).toMatch(/application\/json/);
    expect((await ctx.http.get(rows, { token, headers: { accept: '*/*' } })).headers.get('content-type')).toMatch(/application\/json/);
    expect((await ctx.http.get(rows, { token, headers: { accept: 'application/xml' } })).headers.get('content-type')).toMatch(/application\/json/);
  });

  it('takes the null tests as the URL and the body spell them', async () => {
    const { token } = await licensedBuyer(ctx.http);
    for (const written of ['is.null', 'is_null', 'not.null', 'not_null']) {
      expect((await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=1&weather=${written}`, { token })).status).toBe(200);
    }
    const wrong = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=1&weather=like.dry`, { token });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.problems[0].message).toContain('is.null, not.null');
  });

  it('works with an API key carrying data:read, stops at once when the key is revoked, and refuses keys without the scope', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const key = await ctx.http.post('/api/v1/api-keys', { name: 'pipeline', scopes: ['data:read'] }, { token });
    const catalogOnly = await ctx.http.post('/api/v1/api-keys', { name: 'catalog', scopes: ['catalog:read'] }, { token });
    expect((await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { apiKey: key.body.key })).status).toBe(200);
    // A usage:read key reads the licence's usage as a signed-in buyer does.
    const usageKey = await ctx.http.post('/api/v1/api-keys', { name: 'usage', scopes: ['usage:read'] }, { token });
    const viaKey = await ctx.http.get(`/api/v1/licenses/${licenseId}/usage`, { apiKey: usageKey.body.key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.days).toEqual((await ctx.http.get(`/api/v1/licenses/${licenseId}/usage`, { token })).body.days);
    expect((await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { apiKey: catalogOnly.body.key })).status).toBe(403);
    expect((await ctx.http.delete(`/api/v1/api-keys/${key.body.id}`, { token })).status).toBe(204);
    const revoked = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { apiKey: key.body.key });
    expect(revoked.status).toBe(401);
  });

  it('forgets what it knew of keys and licences as soon as they change, in this process or in another', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const key = await ctx.http.post('/api/v1/api-keys', { name: 'cached', scopes: ['data:read'] }, { token });
    const read = () => ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { apiKey: key.body.key });
    const soon = async (status: number) => {
      // Another process's change arrives by PostgreSQL's notification, a moment after its commit.
      const deadline = Date.now() + 5_000;
      let answer = await read();
      while (answer.status !== status && Date.now() < deadline) answer = await read();
      return answer.status;
    };
    expect((await read()).status).toBe(200);
    // Changed behind the API's back (as the worker or a second API process would): suspended, then in force again.
    const db = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await db.initialize();
    try {
      await db.query(`UPDATE licenses SET state = 'suspended', resume_to = 'active' WHERE id = $1`, [licenseId]);
      expect(await soon(403)).toBe(403);
      await db.query(`UPDATE licenses SET state = 'active', resume_to = NULL WHERE id = $1`, [licenseId]);
      expect(await soon(200)).toBe(200);
      await db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [key.body.id]);
      expect(await soon(401)).toBe(401);
    } finally {
      await db.destroy();
    }
    // Changed through this API: refused on the very next request.
    const session = () => ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { token });
    expect((await session()).status).toBe(200);
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    expect((await ctx.http.post(`/api/v1/sales/licenses/${licenseId}/revoke`, { reason: 'Shared the data with a third party.' }, { token: vendor.token })).status).toBe(200);
    const refused = await session();
    expect([refused.status, refused.body.error.code]).toEqual([403, 'licensing.revoked']);
  });

  it('refuses callers without a licence, hides what is not theirs, and never delivers restricted data', async () => {
    const stranger = await signUp(ctx.http);
    // A research-only licence is not sold for another purpose (it would allow nothing).
    const offers = await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}/offers`);
    const free = offers.body.items.find((offer: { pricePlan: { kind: string } }) => offer.pricePlan.kind === 'free');
    const terms = await ctx.http.get(`/api/v1/offers/${free.id}/terms`);
    const wrongPurpose = await ctx.http.post('/api/v1/licenses', { offerId: free.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'product_development' }, { token: stranger.token });
    expect([wrongPurpose.status, wrongPurpose.body.error.details[0].field]).toEqual([400, 'purpose']);
    const refused = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows`, { token: stranger.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('licensing.no_license');
    const missing = await ctx.http.get('/api/v1/data/no-such-product/rows', { token: stranger.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('delivery.not_found');
    const anonymous = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows`);
    expect(anonymous.status).toBe(401);

    // Another vendor's draft product is indistinguishable from a missing one.
    const vendor = await login(ctx.http, 'vendor@greengrid.demo');
    const drafts = await ctx.http.get('/api/v1/products', { token: (await login(ctx.http, 'vendor@cityflow.demo')).token });
    const unpublished = (drafts.body.items as Array<{ id: string; status: string }>).find((product) => product.status !== 'published');
    if (unpublished) {
      const foreign = await ctx.http.get(`/api/v1/data/${unpublished.id}/rows`, { token: vendor.token });
      expect([foreign.status, foreign.body.error.code]).toEqual([404, 'delivery.not_found']);
      expect(foreign.body.error.message).toBe(missing.body.error.message);
    }

    // Restricted raw data: no delivery route serves it, to anyone, under any name.
    const dataset = await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL_DATASET}`);
    expect(dataset.body.classification).toBe('restricted');
    const steward = await login(ctx.http, 'steward@health.demo');
    for (const caller of [stranger.token, steward.token]) {
      for (const ref of [HOSPITAL_DATASET, dataset.body.id]) {
        for (const route of [`/api/v1/data/${ref}/rows`, `/api/v1/catalog/datasets/${ref}/preview`, `/api/v1/catalog/datasets/${ref}/download?format=csv`, `/api/v1/catalog/datasets/${ref}/download?format=parquet`]) {
          const answer = await ctx.http.get(route, { token: caller });
          expect([route, answer.status >= 400]).toEqual([route, true]);
        }
      }
    }
  });

  it('fingerprints every page to its licensee with one canary row, in every format, without breaking cursors, filters or counts', async () => {
    const first = await licensedBuyer(ctx.http);
    const second = await licensedBuyer(ctx.http);
    const columns = ['district', 'hour_of_day', 'weather', 'congestion_index', 'observations'];
    // The version's rows: ordered by every column, a page leaves no column to draw a canary from.
    const truth = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?order=${columns.join(',')}&limit=10000`, { token: first.token });
    expect(truth.status).toBe(200);
    const real = new Set((truth.body.rows as object[]).map((row) => JSON.stringify(row)));
    expect(real.size).toBe(truth.body.rows.length);
    const canariesOf = (rows: object[]) => rows.filter((row) => !real.has(JSON.stringify(row)));

    // Paging through: each page holds `limit` rows, one of them its licensee's canary; every real row comes once.
    const seen: string[] = [];
    const pages: Array<{ rows: object[]; canaries: object[] }> = [];
    let rowsCounted = 0;
    for (let cursor: string | null = null, index = 0; index === 0 || cursor; index += 1) {
      const page: HttpResult = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { token: first.token });
      expect([page.status, page.body.licenseId, page.headers.get('x-row-count')]).toEqual([200, first.licenseId, String(page.body.rows.length)]);
      const canaries = canariesOf(page.body.rows);
      if (page.body.rows.length > 0) expect(canaries).toHaveLength(1);
      if (page.body.nextCursor) expect(page.body.rows).toHaveLength(50);
      seen.push(...(page.body.rows as object[]).map((row) => JSON.stringify(row)).filter((row) => real.has(row)));
      pages.push({ rows: page.body.rows, canaries });
      rowsCounted += page.body.rows.length;
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(real.size);
    expect(new Set(seen).size).toBe(real.size);
    // Canaries are made of the version's values, and differ from page to page.
    expect(Object.keys(pages[0]!.canaries[0]!)).toEqual(columns);
    expect(new Set(pages.flatMap((page) => page.canaries.map((row) => JSON.stringify(row)))).size).toBe(pages.filter((page) => page.rows.length > 0).length);

    // The same page again is the same page; another licensee gets the same rows of the version and a canary of its own.
    const again = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=50`, { token: first.token });
    expect(again.body.rows).toEqual(pages[0]!.rows);
    const theirs = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=50`, { token: second.token });
    expect(theirs.body.rows.filter((row: object) => real.has(JSON.stringify(row)))).toEqual(pages[0]!.rows.filter((row) => real.has(JSON.stringify(row))));
    expect(canariesOf(theirs.body.rows)).toHaveLength(1);
    expect(canariesOf(theirs.body.rows)).not.toEqual(pages[0]!.canaries);

    // A filtered, ordered page: the canary meets the filter and keeps the order.
    const district = truth.body.rows[0].district as string;
    const filtered = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?district=eq.${encodeURIComponent(district)}&order=hour_of_day.desc&limit=20`, { token: first.token });
    expect(filtered.body.rows).toHaveLength(20);
    expect(canariesOf(filtered.body.rows)).toHaveLength(1);
    expect(filtered.body.rows.every((row: { district: string }) => row.district === district)).toBe(true);
    const hours = filtered.body.rows.map((row: { hour_of_day: number }) => row.hour_of_day);
    expect(hours).toEqual([...hours].sort((a, b) => b - a));

    // NDJSON, CSV and Parquet pages carry the same canary as the JSON page.
    const raw = async (query: string) => Buffer.from(await (await fetch(`${ctx.platform.baseUrl}/api/v1/data/${CONGESTION}/rows?${query}`, { headers: { authorization: `Bearer ${first.token}` } })).arrayBuffer());
    const ndjson = (await raw('limit=50&format=ndjson')).toString('utf8');
    expect(ndjson.trim().split('\n').map((line) => JSON.parse(line))).toEqual(pages[0]!.rows);
    const csvPage = (await raw('limit=50&format=csv')).toString('utf8').trim().split('\n');
    expect(csvPage).toHaveLength(51);
    expect(csvPage).toContain(columns.map((column) => String((pages[0]!.canaries[0] as Record<string, unknown>)[column])).join(','));

    // What was counted: the truth, the pages above, the filtered page, the NDJSON and CSV pages (their rows, the canary among them).
    const usage = await ctx.http.get(`/api/v1/licenses/${first.licenseId}/usage`, { token: first.token });
    const counted = usage.body.days.reduce((sum: number, day: { row: number }) => sum + day.row, 0);
    expect(counted).toBe(truth.body.rows.length + rowsCounted + 50 + 20 + 50 + 50);

    // The seller traces a leaked JSON page, and the same page as NDJSON (no licence named in it), to the first licence.
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id as string;
    const leakedJson = (await raw('limit=50')).toString('utf8');
    for (const [name, bytes, named] of [
      ['page.json', leakedJson, true],
      ['page.ndjson', ndjson, false],
    ] as const) {
      const traced = await ctx.http.upload(`/api/v1/products/${productId}/leak-trace`, name, bytes, { token: vendor.token });
      expect(traced.status).toBe(200);
      expect(traced.body.matches[0]).toMatchObject({ licenseId: first.licenseId, canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: named, namedIn: named ? 'page_license_id' : null });
      expect(traced.body.matches.filter((match: { canariesFound: number }) => match.canariesFound > 0)).toHaveLength(1);
    }
    // The command line names it too.
    const dir = await mkdtemp(path.join(tmpdir(), 'civic-leak-page-'));
    await writeFile(path.join(dir, 'page.ndjson'), ndjson);
    const command = await runToExit('apps/api/dist/cli/trace-leak.js', { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' }, 30_000, [path.join(dir, 'page.ndjson'), CONGESTION]);
    await rm(dir, { recursive: true, force: true });
    expect([command.code, command.output]).toEqual([0, expect.stringContaining(`${first.licenseId}`)]);
    expect(command.output).toContain('1 of data API pages');
  });

  it("lets a product's owner read it unmetered by licence, and shows the owner its deliveries", async () => {
    const { token } = await licensedBuyer(ctx.http);
    await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=7`, { token });
    // Whole pages, so this buyer is among those who received the most today.
    let received = 7;
    for (let page = 0; page < 5; page += 1) received += (await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=10000`, { token })).body.rows.length;
    const buyerOrganization = (await ctx.http.get('/api/v1/me', { token })).body.organization.id as string;
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const own = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=2`, { token: vendor.token });
    expect(own.status).toBe(200);
    expect(own.headers.get('x-license-id')).toBeNull();
    const usage = await ctx.http.get(`/api/v1/products/${own.body.product.id}/usage`, { token: vendor.token });
    expect(usage.status).toBe(200);
    expect(usage.body.licensees).toBeGreaterThanOrEqual(1);
    expect(usage.body.totals.row).toBeGreaterThanOrEqual(9);
    const today = usage.body.days.at(-1);
    expect(today.consumers).toBeGreaterThanOrEqual(2);
    // Who received it, most rows first, this buyer named with what it received.
    const consumers = usage.body.consumers as Array<{ organization: { id: string; name: string }; own: boolean; api_call: number; row: number; byte: number }>;
    expect(consumers.length).toBeLessThanOrEqual(20);
    expect(consumers.map((consumer) => consumer.row)).toEqual([...consumers.map((consumer) => consumer.row)].sort((a, b) => b - a));
    const mine = consumers.find((consumer) => consumer.organization.id === buyerOrganization);
    expect(mine).toMatchObject({ own: false, api_call: 6, row: received });
    expect(mine!.byte).toBeGreaterThan(0);
    // Another organization's product usage is missing to it.
    const other = await login(ctx.http, 'vendor@greengrid.demo');
    expect((await ctx.http.get(`/api/v1/products/${own.body.product.id}/usage`, { token: other.token })).status).toBe(404);

    // The agencies whose data the product is built on see its deliveries under their datasets.
    const steward = await login(ctx.http, 'steward@transport.demo');
    const datasets = (await ctx.http.get('/api/v1/agency/datasets', { token: steward.token })).body.items as Array<{ id: string }>;
    const seen = [];
    for (const dataset of datasets) {
      const report = await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/product-usage`, { token: steward.token });
      expect(report.status).toBe(200);
      seen.push(...(report.body.items as Array<{ slug: string; api_call: number; licensees: number }>).filter((item) => item.slug === CONGESTION));
    }
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.api_call).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.licensees).toBeGreaterThanOrEqual(1);
    // Another agency's dataset is missing to it.
    const health = await login(ctx.http, 'steward@health.demo');
    expect((await ctx.http.get(`/api/v1/agency/datasets/${datasets[0]!.id}/product-usage`, { token: health.token })).status).toBe(404);
  });
});

describe('quotas of metered licences', () => {
  const ctx = usePlatform({});

  it('refuses calls beyond a metered plan’s maximum per period, counting exactly what was delivered', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id as string;
    const templates = await ctx.http.get('/api/v1/license-templates');
    const template = templates.body.items.find((item: { key: string }) => item.key === 'commercial-internal');
    const offer = await ctx.http.post(
      `/api/v1/products/${productId}/offers`,
      {
        templateId: template.id,
        nameZh: `限量试用 ${Date.now()}`,
        nameEn: `Capped trial ${Date.now()}`,
        requiresApproval: false,
        pricePlan: { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 2, unitAmount: 10, maxQuantity: 3 } },
      },
      { token: vendor.token },
    );
    expect([offer.status, offer.body.error]).toEqual([201, undefined]);
    expect((await ctx.http.post(`/api/v1/offers/${offer.body.id}/publish`, {}, { token: vendor.token })).status).toBe(200);
    const buyer = await signUp(ctx.http);
    const terms = await ctx.http.get(`/api/v1/offers/${offer.body.id}/terms`);
    const license = await ctx.http.post('/api/v1/licenses', { offerId: offer.body.id, termsSha256: terms.body.termsSha256, acceptTerms: true }, { token: buyer.token });
    expect(license.body.state).toBe('active');
    const statuses: number[] = [];
    let refusal: HttpResult | null = null;
    for (let index = 0; index < 5; index += 1) {
      const answer = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=1`, { token: buyer.token });
      statuses.push(answer.status);
      if (answer.status !== 200) refusal = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 403, 403]);
    expect(refusal!.body.error.code).toBe('licensing.quota_exceeded');
    const usage = await ctx.http.get(`/api/v1/licenses/${license.body.id}/usage`, { token: buyer.token });
    expect(usage.body.quota).toEqual({ unit: 'api_call', included: 2, max: 3, used: 3 });
    await ctx.http.post(`/api/v1/offers/${offer.body.id}/archive`, {}, { token: vendor.token });
  });
});

describe('bulk files: signed links, ranges, fingerprints and leak tracing', () => {
  const ctx = usePlatform({});

  it('serves a licence its own fingerprinted copy through an expiring link with ranges, counts it once, and traces a leak back to it', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const link = await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'csv' }, { token });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/api\/v1\/downloads\/[\w-]+\.[\w-]+$/);
    expect(new Date(link.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const whole = await fetch(`${ctx.platform.baseUrl}${link.body.path}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const csv = Buffer.from(await whole.arrayBuffer());
    const lines = csv.toString('utf8').trim().split('\n');
    // Every row of the version plus the licence's canary row.
    expect(lines.length - 1).toBe(link.body.rows + 1);
    const firstPart = await fetch(`${ctx.platform.baseUrl}${link.body.path}`, { headers: { range: 'bytes=0-99' } });
    expect(firstPart.status).toBe(206);
    expect(firstPart.headers.get('content-range')).toBe(`bytes 0-99/${csv.length}`);
    expect(Buffer.from(await firstPart.arrayBuffer())).toEqual(csv.subarray(0, 100));
    const rest = await fetch(`${ctx.platform.baseUrl}${link.body.path}`, { headers: { range: 'bytes=100-' } });
    expect(Buffer.concat([csv.subarray(0, 100), Buffer.from(await rest.arrayBuffer())])).toEqual(csv);
    const outside = await fetch(`${ctx.platform.baseUrl}${link.body.path}`, { headers: { range: `bytes=${csv.length + 10}-` } });
    expect(outside.status).toBe(416);
    // RFC 9110 §15.5.17: a 416 names the current length of the file.
    expect(outside.headers.get('content-range')).toBe(`bytes */${csv.length}`);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('delivery.range_not_satisfiable');
    // Three requests over one link: one delivery.
    const usage = await ctx.http.get(`/api/v1/licenses/${licenseId}/usage`, { token });
    const totals = usage.body.days.reduce((sum: { row: number; byte: number; api_call: number }, day: { row: number; byte: number; api_call: number }) => ({ row: sum.row + day.row, byte: sum.byte + day.byte, api_call: sum.api_call + day.api_call }), { row: 0, byte: 0, api_call: 0 });
    expect(totals).toEqual({ row: link.body.rows, byte: csv.length, api_call: 0 });

    // A tampered link is missing, including another spelling of the same signature bytes
    // (the last base64url character has two spare bits).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spareBit = link.body.path.replace(/.$/, (char: string) => alphabet[alphabet.indexOf(char) ^ 1]);
    const [payloadPart, signaturePart] = (link.body.path as string).split('/').pop()!.split('.');
    expect(Buffer.from(spareBit.split('.').pop()!, 'base64url')).toEqual(Buffer.from(signaturePart, 'base64url'));
    const flipped = link.body.path.replace(`${payloadPart}.`, `${payloadPart.replace(/^./, (char: string) => (char === 'e' ? 'f' : 'e'))}.`);
    for (const tampered of [spareBit, flipped]) expect((await fetch(`${ctx.platform.baseUrl}${tampered}`)).status).toBe(404);
    // A link of ours that has run out is gone (410) and says when, unlike a forged one.
    const db = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await db.initialize();
    try {
      const [{ key }] = (await db.query(`SELECT key FROM platform_keys WHERE name = 'download-link'`)) as Array<{ key: Buffer }>;
      const claims = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString('utf8')) as { e: number };
      const expiredPayload = Buffer.from(JSON.stringify({ ...claims, e: Math.floor(Date.now() / 1000) - 60 }), 'utf8').toString('base64url');
      const expiredPath = link.body.path.replace(`${payloadPart}.${signaturePart}`, `${expiredPayload}.${createHmac('sha256', key).update(expiredPayload).digest('base64url')}`);
      const expired = await fetch(`${ctx.platform.baseUrl}${expiredPath}`);
      expect(expired.status).toBe(410);
      const body = (await expired.json()) as { error: { code: string; details: { expiredAt: string } } };
      expect(body.error.code).toBe('delivery.link_expired');
      expect(new Date(body.error.details.expiredAt).getTime()).toBeLessThan(Date.now());
    } finally {
      await db.destroy();
    }

    // The vendor traces the file back to this licence, even stripped to a CSV.
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const product = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id as string;
    const form = new FormData();
    form.append('file', new Blob([csv]), 'found-on-a-forum.csv');
    const traced = await fetch(`${ctx.platform.baseUrl}/api/v1/products/${product}/leak-trace`, { method: 'POST', body: form, headers: { authorization: `Bearer ${vendor.token}` } });
    expect(traced.status).toBe(200);
    const matches = (await traced.json()).matches as Array<{ licenseId: string; canariesFound: number }>;
    expect(matches[0]).toMatchObject({ licenseId, canariesFound: 1 });
    expect(matches.filter((match) => match.canariesFound > 0)).toHaveLength(1);
    // A leak of some of the columns, as when a spreadsheet's columns were deleted and the others moved:
    // still traced, once the column dropped leaves the canary telling (no two rows of what is left alike).
    const [header, ...rows] = lines.map((line) => line.split(','));
    const dropped = ['observations', 'weather'].find((name) => new Set(rows.map((cells) => cells.filter((_, index) => header![index] !== name).join(','))).size === rows.length)!;
    expect(dropped).toBeDefined();
    const keptColumns = header!.filter((name) => name !== dropped).reverse();
    const partial = [keptColumns, ...rows.map((cells) => keptColumns.map((name) => cells[header!.indexOf(name)]))].map((cells) => cells.join(',')).join('\n');
    const partialTrace = await ctx.http.upload(`/api/v1/products/${product}/leak-trace`, 'some-columns.csv', partial, { token: vendor.token });
    expect(partialTrace.status).toBe(200);
    expect(partialTrace.body.matches[0]).toMatchObject({ licenseId, canariesFound: 1, canaries: 1, namedInMetadata: false });
    expect(partialTrace.body.matches.filter((match: { canariesFound: number }) => match.canariesFound > 0)).toHaveLength(1);
    // Too few columns to tell a canary from the version's rows: no licence is named.
    const narrow = ['district', ...rows.map((cells) => cells[header!.indexOf('district')])].join('\n');
    const narrowTrace = await ctx.http.upload(`/api/v1/products/${product}/leak-trace`, 'districts.csv', narrow, { token: vendor.token });
    expect([narrowTrace.status, narrowTrace.body]).toEqual([200, { matches: [] }]);
    // The same from the command line.
    const dir = await mkdtemp(path.join(tmpdir(), 'civic-leak-'));
    await writeFile(path.join(dir, 'leak.csv'), csv);
    const command = await runToExit('apps/api/dist/cli/trace-leak.js', { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' }, 30_000, [path.join(dir, 'leak.csv'), CONGESTION]);
    expect([command.code, command.output]).toEqual([0, expect.stringContaining(`${licenseId}`)]);
    // And through `npm run leak:trace` without DATABASE_URL or STORAGE_DIR: the database and storage `npm start` recorded.
    const state = path.join(dir, 'platform-state.json');
    await writeFile(state, JSON.stringify({ databaseUrl: process.env.DATABASE_URL, embedded: false, storageDir: process.env.STORAGE_DIR }));
    const npm = await runToExit('scripts/platform.mjs', { ...(process.env as Record<string, string>), DATABASE_URL: '', STORAGE_DIR: '', CIVIC_PLATFORM_STATE: state, INIT_CWD: dir }, 60_000, ['leak-trace', 'leak.csv', CONGESTION]);
    await rm(dir, { recursive: true, force: true });
    expect([npm.code, npm.output]).toEqual([0, expect.stringContaining(`${licenseId}`)]);
    expect(npm.output).toContain('using the database npm start runs against');
    expect(npm.output).not.toContain('embedded PostgreSQL');

    // For spreadsheets: the same copy behind a UTF-8 byte order mark, with ranges over its own bytes, traced alike.
    const bomLink = await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'csv', bom: true }, { token });
    expect(bomLink.status).toBe(201);
    const marked = Buffer.from(await (await fetch(`${ctx.platform.baseUrl}${bomLink.body.path}`)).arrayBuffer());
    expect(marked).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]));
    const markedTail = await fetch(`${ctx.platform.baseUrl}${bomLink.body.path}`, { headers: { range: 'bytes=2-9' } });
    expect([markedTail.status, markedTail.headers.get('content-range')]).toEqual([206, `bytes 2-9/${marked.length}`]);
    expect(Buffer.from(await markedTail.arrayBuffer())).toEqual(marked.subarray(2, 10));
    const markedTrace = await ctx.http.upload(`/api/v1/products/${product}/leak-trace`, 'excel.csv', marked, { token: vendor.token });
    expect(markedTrace.body.matches[0]).toMatchObject({ licenseId, canariesFound: 1 });
    expect((await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'csv', bom: 'yes' }, { token })).status).toBe(400);

    // Parquet copies name the licence in their metadata too; a revoked licence's links stop.
    const parquetLink = await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'parquet' }, { token });
    const parquet = await fetch(`${ctx.platform.baseUrl}${parquetLink.body.path}`);
    expect(Buffer.from(await parquet.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
    const revoked = await ctx.http.post(`/api/v1/sales/licenses/${licenseId}/revoke`, { reason: 'Redistributed the data on a public forum.' }, { token: vendor.token });
    expect(revoked.status).toBe(200);
    const afterRevocation = await fetch(`${ctx.platform.baseUrl}${parquetLink.body.path}`);
    expect(afterRevocation.status).toBe(403);
  });

  it('refuses a download link without a licence that allows downloads', async () => {
    const stranger = await signUp(ctx.http);
    const refused = await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'parquet' }, { token: stranger.token });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'licensing.no_license']);
    const badFormat = await ctx.http.post(`/api/v1/data/${CONGESTION}/downloads`, { format: 'xlsx' }, { token: stranger.token });
    expect(badFormat.status).toBe(400);
  });
});

describe('the data API rate limit', () => {
  const ctx = usePlatform({ DATA_RATE_LIMIT_PER_MINUTE: '3' });

  it('answers 429 with Retry-After beyond the per-licence budget and counts only what was delivered', async () => {
    const { token, licenseId } = await licensedBuyer(ctx.http);
    const statuses: number[] = [];
    let limited: HttpResult | null = null;
    for (let index = 0; index < 5; index += 1) {
      const answer = await ctx.http.get(`/api/v1/data/${CONGESTION}/rows?limit=1`, { token });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited!.body.error.code).toBe('delivery.rate_limited');
    expect(await apiCalls(ctx.http, token, licenseId)).toBe(3);
  });
});

describe('leak tracing: what it refuses and what it cannot find', () => {
  const ctx = usePlatform({ UPLOAD_MAX_BYTES: '4096' });

  it('answers no match, an empty file, a file over the limit and another seller’s product plainly', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const product = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id as string;
    const trace = (bytes: string, token = vendor.token) => ctx.http.upload(`/api/v1/products/${product}/leak-trace`, 'leak.csv', bytes, { token });

    // A file of the product's shape that is no licence's copy: nothing to name.
    const unrelated = await trace('district,hour,congestion_index\n不存在区,25,-1\n');
    expect([unrelated.status, unrelated.body]).toEqual([200, { matches: [] }]);
    const empty = await trace('');
    expect([empty.status, empty.body.error.code]).toEqual([400, 'request.invalid']);
    // Over UPLOAD_MAX_BYTES: refused, never traced from its first part.
    const large = await trace(`district,hour\n${'黄浦区,1\n'.repeat(1000)}`);
    expect([large.status, large.body.error.code, large.body.error.details]).toEqual([413, 'delivery.file_too_large', { limitBytes: 4096 }]);
    // Only the product's owner traces its leaks: to anyone else it does not exist.
    const other = await login(ctx.http, 'vendor@greengrid.demo');
    const foreign = await trace('district\n黄浦区\n', other.token);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'product.not_found']);
  });
});

describe('leak tracing from the command line, on a database without the platform', () => {
  it('says so in one line and exits non-zero, called directly and through npm run leak:trace with what npm start recorded', async () => {
    const server = process.env.TEST_POSTGRES_URL ?? databaseUrl(process.env.DATABASE_URL!, 'postgres');
    const empty = await createIsolatedDatabase(server, 'leak_empty');
    const dir = await mkdtemp(path.join(tmpdir(), 'civic-leak-empty-'));
    try {
      const leak = path.join(dir, 'leak.csv');
      await writeFile(leak, 'district,hour_of_day\nx,1\n');
      const oneLine = /^no platform data in \S*leak_empty_\S*: start the platform with npm start first, or set DATABASE_URL$/m;
      const direct = await runToExit('apps/api/dist/cli/trace-leak.js', { ...(process.env as Record<string, string>), DATABASE_URL: empty.url, LOG_LEVEL: 'silent' }, 30_000, [leak, CONGESTION]);
      expect(direct.code).toBe(69);
      expect(direct.output.trim()).toMatch(oneLine);
      expect(direct.output.trim().split('\n')).toHaveLength(1);

      const state = path.join(dir, 'platform-state.json');
      await writeFile(state, JSON.stringify({ databaseUrl: empty.url, embedded: false, storageDir: dir }));
      const npm = await runToExit('scripts/platform.mjs', { ...(process.env as Record<string, string>), DATABASE_URL: '', CIVIC_PLATFORM_STATE: state, INIT_CWD: dir }, 60_000, ['leak-trace', 'leak.csv', CONGESTION]);
      expect(npm.code).toBe(69);
      expect(npm.output).toMatch(oneLine);
      expect(npm.output).not.toMatch(/\n\s+at /);
      expect(npm.output).not.toContain('QueryFailedError');
      expect(npm.output).not.toContain('embedded PostgreSQL');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await empty.drop();
    }
  });
});
