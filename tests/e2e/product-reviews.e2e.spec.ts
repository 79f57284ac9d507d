import { randomUUID } from 'node:crypto';
import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const SURVEY = 'urban-channel-construction-survey-2011-2015';
const HOSPITAL = 'hospital-outpatient-visits';
const ENERGY_PRODUCT = 'district-energy-consumption';
const OUTPATIENT = 'outpatient-demand-by-district-department-month';

type Reviewer = { reviewerKind: 'platform' | 'agency'; agencyId: string | null; agencyName: string | null; decision: 'approve' | 'reject' | null; decidedAt: string | null };
type Item = { id: string; slug: string; round: number; reviewStatus: string; decidedAt: string | null; awaitingYou: boolean; reviewers: Reviewer[] };
type Page = { items: Item[]; total: number; page: number; pageSize: number; counts: { in_review: number; decided: number; all: number } };

let sequence = 0;
async function createProduct(http: Http, token: string, body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  sequence += 1;
  const slug = `e2e-review-${Date.now().toString(36)}-${sequence}`;
  const created = await http.post('/api/v1/products', { kind: 'derived', slug, titleZh: `审核 ${slug}`, titleEn: `Review ${slug}`, descriptionEn: 'A product to review.', theme: 'health', ...body }, { token });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Creates, derives and submits a product; resolves once it is in review. */
async function submitted(http: Http, token: string, body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const product = await createProduct(http, token, body);
  const started = await http.post(`/api/v1/products/${product.id}/runs`, {}, { token });
  if (started.status !== 201) throw new Error(`run failed to start: ${started.status} ${JSON.stringify(started.body)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = (await http.get(`/api/v1/products/${product.id}/runs/${started.body.id}`, { token })).body;
    if (run.status === 'succeeded') break;
    if (!['queued', 'running'].includes(run.status) || Date.now() > deadline) throw new Error(`run ended ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const submit = await http.post(`/api/v1/products/${product.id}/submit`, {}, { token });
  if (submit.body.status !== 'submitted') throw new Error(`submit failed: ${JSON.stringify(submit.body)}`);
  return product;
}

describe('product reviews: the list by state, with every reviewer where it stands', () => {
  const ctx = usePlatform({}, { worker: true });

  const list = async (token: string, query = ''): Promise<Page> => {
    const result = await ctx.http.get(`/api/v1/product-reviews${query}`, { token });
    if (result.status !== 200) throw new Error(`list ${query}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };
  /** Every review of a state, page by page (small pages, so paging is exercised too). */
  const everything = async (token: string, state: string): Promise<Item[]> => {
    const items: Item[] = [];
    for (let page = 1; ; page += 1) {
      const result = await list(token, `?state=${state}&page=${page}&pageSize=3`);
      items.push(...result.items);
      if (result.items.length < 3) {
        expect(items.length).toBe(result.total);
        return items;
      }
    }
  };
  const ids = (items: Item[]) => items.map((item) => item.id);
  const stateOf = (item: Item | undefined) => item?.reviewers.map((reviewer) => [reviewer.reviewerKind, reviewer.decision]);

  it('shows a decided review to the operator, supervision and the involved agency under "decided", and to no other agency', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const operator = await login(ctx.http, 'admin@platform.demo');
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    const health = await login(ctx.http, 'steward@health.demo');
    const transport = await login(ctx.http, 'steward@transport.demo');
    const energy = await login(ctx.http, 'steward@energy.demo');
    const healthId = (await ctx.http.get('/api/v1/me', { token: health.token })).body.organization.id;
    const hospital = (await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}`)).body.id;
    const survey = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body.id;

    // Built on the health commission's restricted records: the platform and the commission review it.
    const product = await submitted(ctx.http, vendor.token, {
      sql: 'SELECT district, count(*) AS visits FROM visits GROUP BY district',
      inputs: [{ name: 'visits', datasetId: hospital }],
    });
    const queued = (await list(operator.token)).items.find((item) => item.id === product.id);
    expect(queued).toMatchObject({ round: 1, reviewStatus: 'pending', decidedAt: null, awaitingYou: true });
    expect(queued?.reviewers).toEqual([
      { reviewerKind: 'platform', agencyId: null, agencyName: null, decision: null, decidedAt: null },
      { reviewerKind: 'agency', agencyId: healthId, agencyName: expect.stringContaining('Health Commission'), decision: null, decidedAt: null },
    ]);

    // The commission approves: the operator's queue says so, and the commission's keeps it (decided, not awaiting it).
    expect((await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' }, { token: health.token })).status).toBe(200);
    const afterAgency = (await list(operator.token)).items.find((item) => item.id === product.id);
    expect(stateOf(afterAgency)).toEqual([
      ['platform', null],
      ['agency', 'approve'],
    ]);
    expect(afterAgency?.reviewers[1]?.decidedAt).toEqual(expect.any(String));
    expect(afterAgency?.awaitingYou).toBe(true);
    const agencyQueue = await list(health.token);
    expect(agencyQueue.items.find((item) => item.id === product.id)).toMatchObject({ awaitingYou: false, reviewStatus: 'pending' });
    // Undecided reviews come first in the caller's queue.
    const awaiting = agencyQueue.items.map((item) => item.awaitingYou);
    expect(awaiting).toEqual([...awaiting].sort((a, b) => Number(b) - Number(a)));
    // Supervision never awaits anything.
    expect((await list(supervisor.token)).items.every((item) => !item.awaitingYou)).toBe(true);

    // The operator approves: the review is decided.
    expect((await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' }, { token: operator.token })).body.status).toBe('approved');
    for (const [who, token] of [
      ['operator', operator.token],
      ['supervisor', supervisor.token],
      ['health', health.token],
    ] as const) {
      const decided = await everything(token, 'decided');
      const item = decided.find((entry) => entry.id === product.id);
      expect([who, item?.reviewStatus, stateOf(item)]).toEqual([
        who,
        'approved',
        [
          ['platform', 'approve'],
          ['agency', 'approve'],
        ],
      ]);
      expect(item?.decidedAt).toBe(item?.reviewers[0]?.decidedAt);
      expect(item?.awaitingYou).toBe(false);
      expect([who, ids(await everything(token, 'in_review')).includes(product.id)]).toEqual([who, false]);
      expect([who, ids(await everything(token, 'all')).includes(product.id)]).toEqual([who, true]);
      // Latest decision first.
      const times = decided.map((entry) => Date.parse(entry.decidedAt!));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    // A product built on that one reads the commission's records at one remove: the commission reviews it too.
    const derived = await submitted(ctx.http, vendor.token, { sql: 'SELECT count(*) AS pairs FROM base CROSS JOIN base AS other', inputs: [{ name: 'base', productId: product.id }] });
    const atOneRemove = (await everything(health.token, 'in_review')).find((item) => item.id === derived.id);
    expect(atOneRemove?.reviewers.map((reviewer) => [reviewer.reviewerKind, reviewer.agencyId, reviewer.decision])).toEqual([
      ['platform', null, null],
      ['agency', healthId, null],
    ]);
    expect(atOneRemove?.awaitingYou).toBe(true);
    expect(ids(await everything(transport.token, 'all'))).not.toContain(derived.id);
    // The demo's outpatient product, approved by the commission when seeded, is among its decided reviews.
    expect((await everything(health.token, 'decided')).map((item) => item.slug)).toContain(OUTPATIENT);

    // An agency whose data is not in the lineage sees it under no filter, and cannot open it.
    for (const state of ['in_review', 'decided', 'all']) expect([state, ids(await everything(transport.token, state)).includes(product.id)]).toEqual([state, false]);
    const foreign = await ctx.http.get(`/api/v1/product-reviews/${product.id}`, { token: transport.token });
    const missing = await ctx.http.get(`/api/v1/product-reviews/${randomUUID()}`, { token: transport.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);

    // Rejected and taken back: a rejection is decided; a round the owner took back is only under "all".
    const open = await submitted(ctx.http, vendor.token, { theme: 'statistics', sql: 'SELECT count(*) AS years FROM survey', inputs: [{ name: 'survey', datasetId: survey }] });
    const rejected = await ctx.http.post(`/api/v1/product-reviews/${open.id}/decision`, { decision: 'reject', reason: 'Say what the count means.' }, { token: operator.token });
    expect(rejected.body.status).toBe('draft');
    const rejectedItem = (await everything(operator.token, 'decided')).find((item) => item.id === open.id);
    expect(rejectedItem).toMatchObject({ reviewStatus: 'rejected', round: 1, reviewers: [{ reviewerKind: 'platform', decision: 'reject' }] });
    expect(rejectedItem?.decidedAt).toEqual(rejected.body.review.decisions[0].decidedAt);
    await ctx.http.post(`/api/v1/products/${open.id}/submit`, {}, { token: vendor.token });
    expect((await everything(operator.token, 'in_review')).find((item) => item.id === open.id)).toMatchObject({ round: 2, reviewStatus: 'pending', awaitingYou: true });
    await ctx.http.post(`/api/v1/products/${open.id}/cancel-submission`, {}, { token: vendor.token });
    expect(ids(await everything(operator.token, 'decided'))).not.toContain(open.id);
    expect(ids(await everything(operator.token, 'in_review'))).not.toContain(open.id);
    expect((await everything(operator.token, 'all')).find((item) => item.id === open.id)).toMatchObject({ round: 2, reviewStatus: 'cancelled', decidedAt: null });
    // Open data needs no agency: the commission never sees it.
    expect(ids(await everything(health.token, 'all'))).not.toContain(open.id);

    // Each agency reads only reviews its own data is in; the demo's energy product is the energy bureau's, not the commission's.
    const energyId = (await ctx.http.get('/api/v1/me', { token: energy.token })).body.organization.id;
    const energyAll = await everything(energy.token, 'all');
    const energyProduct = energyAll.find((item) => item.slug.startsWith(ENERGY_PRODUCT));
    expect(energyProduct?.reviewers.map((reviewer) => reviewer.agencyId)).toEqual([null, energyId]);
    expect(ids(await everything(health.token, 'all'))).not.toContain(energyProduct?.id);
    expect((await ctx.http.get(`/api/v1/product-reviews/${energyProduct?.id}`, { token: health.token })).status).toBe(404);
    for (const [token, agencyId] of [
      [health.token, healthId],
      [energy.token, energyId],
    ] as const) {
      const all = await everything(token, 'all');
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((item) => !item.reviewers.some((reviewer) => reviewer.agencyId === agencyId)).map((item) => item.slug)).toEqual([]);
      // Whatever the list shows, the agency can open.
      for (const item of all) expect([item.slug, (await ctx.http.get(`/api/v1/product-reviews/${item.id}`, { token })).status]).toEqual([item.slug, 200]);
    }
    // The operator and supervision read the same reviews.
    expect(ids(await everything(supervisor.token, 'all')).sort()).toEqual(ids(await everything(operator.token, 'all')).sort());
  });

  it('counts each state, pages and refuses what it does not know', async () => {
    const operator = await login(ctx.http, 'admin@platform.demo');
    const first = await list(operator.token, '?state=all&pageSize=1');
    expect(first).toMatchObject({ page: 1, pageSize: 1, total: first.counts.all });
    expect(first.counts.all).toBeGreaterThanOrEqual(first.counts.in_review + first.counts.decided);
    expect(first.counts.all).toBeGreaterThan(1);
    const second = await list(operator.token, '?state=all&page=2&pageSize=1');
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    // The default is what is in review.
    const byDefault = await list(operator.token);
    expect(byDefault).toMatchObject({ page: 1, pageSize: 20, total: byDefault.counts.in_review });
    expect(byDefault.items.every((item) => item.reviewStatus === 'pending')).toBe(true);
    const beyond = await list(operator.token, `?state=decided&page=1000`);
    expect(beyond).toMatchObject({ items: [], total: beyond.counts.decided });
    for (const query of ['?state=closed', '?page=0', '?pageSize=101', '?page=x']) {
      const refused = await ctx.http.get(`/api/v1/product-reviews${query}`, { token: operator.token });
      expect([query, refused.status, refused.body.error.code]).toEqual([query, 400, 'request.invalid']);
    }
  });
});
