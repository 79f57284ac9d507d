import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const SURVEY = 'urban-channel-construction-survey-2011-2015';
const WEATHER = 'daily-weather-observations';
const HOSPITAL = 'hospital-outpatient-visits';
const HOUSING = 'second-hand-housing-transactions';
const OUTPATIENT = 'outpatient-demand-by-district-department-month';

let sequence = 0;
function unique(label: string): string {
  sequence += 1;
  return `${label}-${Date.now().toString(36)}-${sequence}`;
}

async function datasetId(http: Http, slug: string): Promise<string> {
  return (await http.get(`/api/v1/catalog/datasets/${slug}`)).body.id;
}

async function createProduct(http: Http, token: string, body: Record<string, unknown>) {
  const slug = unique('e2e-product');
  const created = await http.post('/api/v1/products', { kind: 'derived', slug, titleZh: `测试产品 ${slug}`, titleEn: `Test product ${slug}`, descriptionEn: 'A product made by the end-to-end tests.', theme: 'statistics', ...body }, { token });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

async function waitForRun(http: Http, token: string, productId: string, runId: string) {
  const deadline = Date.now() + 60_000;
  const stages = new Set<string>();
  for (;;) {
    const result = await http.get(`/api/v1/products/${productId}/runs/${runId}`, { token });
    if (result.body.stage) stages.add(result.body.stage);
    if (!['queued', 'running'].includes(result.body.status)) return { ...result.body, stagesSeen: [...stages] };
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${result.body.status} (${result.body.stage})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Polls until `probe` returns something (or fails after a minute). */
async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runToEnd(http: Http, token: string, productId: string) {
  const started = await http.post(`/api/v1/products/${productId}/runs`, {}, { token });
  if (started.status !== 201) throw new Error(`run failed to start: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForRun(http, token, productId, started.body.id);
}

const SURVEY_SQL = `SELECT "年份" AS year, "渠道综合应用率(%)" - "渠道建设形式创新率(%)" AS gap FROM survey ORDER BY year`;

describe('derived products: sandboxed derivations, privacy gate, lineage and review', () => {
  const ctx = usePlatform({}, { worker: true });

  it('dry-runs, runs the derive flow stage by stage, and is idempotent for the same inputs', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    const product = await createProduct(ctx.http, vendor.token, { sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }] });
    expect(product).toMatchObject({ status: 'draft', kind: 'derived', currentVersion: null, inputs: [{ name: 'survey', kind: 'dataset', usable: true, classification: 'open' }] });

    const dry = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, {}, { token: vendor.token });
    expect(dry.status).toBe(200);
    expect(dry.body.columns.map((column: { name: string }) => column.name)).toEqual(['year', 'gap']);
    expect(dry.body.rows).toEqual([
      { year: 2011, gap: 13 },
      { year: 2012, gap: 14 },
      { year: 2013, gap: 22 },
      { year: 2014, gap: 21 },
      { year: 2015, gap: 21 },
    ]);
    expect(dry.body.gatePlan).toMatchObject({ rule: 'none', personalColumns: [] });

    const run = await runToEnd(ctx.http, vendor.token, product.id);
    expect(run).toMatchObject({ status: 'succeeded', version: 1, outputRows: 5, progress: 100, errorCode: null });
    expect(run.gateReport).toMatchObject({ outcome: 'passed', rowsPublished: 5 });

    // The same SQL over the same versions is the same version: no second computation.
    const again = await ctx.http.post(`/api/v1/products/${product.id}/runs`, {}, { token: vendor.token });
    expect(again.body).toMatchObject({ status: 'duplicate', versionId: run.versionId, version: 1 });
    const versions = await ctx.http.get(`/api/v1/products/${product.id}/versions`, { token: vendor.token });
    expect(versions.body.items).toHaveLength(1);
    expect(versions.body.items[0]).toMatchObject({ version: 1, rowCount: 5, schema: [{ name: 'year' }, { name: 'gap' }] });
    expect(versions.body.items[0].profile).toHaveLength(2);
    // Each exact input says what it is: the dataset's title and the number of the version read.
    const surveyPage = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body;
    expect(versions.body.items[0].inputs).toEqual([
      {
        name: 'survey',
        weight: 1,
        kind: 'dataset',
        datasetVersionId: expect.any(String),
        productVersionId: null,
        sourceId: survey,
        slug: SURVEY,
        titleZh: surveyPage.titleZh,
        titleEn: surveyPage.titleEn,
        version: expect.any(Number),
      },
    ]);
    expect(versions.body.items[0].inputs[0].version).toBeGreaterThanOrEqual(1);

    const lineage = await ctx.http.get(`/api/v1/products/${product.id}/lineage`, { token: vendor.token });
    expect(lineage.body.nodes.map((node: { kind: string; slug: string }) => [node.kind, node.slug])).toEqual([
      ['product_version', product.slug],
      ['dataset_version', SURVEY],
    ]);
    expect(lineage.body.agencies).toEqual([expect.objectContaining({ share: '1/1', basisPoints: 10_000 })]);

    // Another vendor cannot see it: a foreign product is a missing one.
    const other = await login(ctx.http, 'vendor@greengrid.demo');
    expect((await ctx.http.get(`/api/v1/products/${product.id}`, { token: other.token })).status).toBe(404);
    expect((await ctx.http.post(`/api/v1/products/${product.id}/runs`, {}, { token: other.token })).status).toBe(404);
  });

  it('publishes small counts of rows that are about no one: an input of public columns only has no small cells', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    // One survey row per year: every count is 1, under any k.
    const product = await createProduct(ctx.http, vendor.token, { sql: 'SELECT "年份" AS year, count(*) AS surveys FROM survey GROUP BY ALL ORDER BY year', inputs: [{ name: 'survey', datasetId: survey }] });
    const dry = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, {}, { token: vendor.token });
    expect(dry.body.gatePlan).toMatchObject({ rule: 'none', countColumns: [] });
    const run = await runToEnd(ctx.http, vendor.token, product.id);
    expect(run).toMatchObject({ status: 'succeeded', outputRows: 5 });
    expect(run.gateReport).toMatchObject({ rule: 'none', outcome: 'passed', suppressedRows: 0, rowsPublished: 5 });

    // Buyers read the description before they buy: a product without one is not submitted.
    expect((await ctx.http.patch(`/api/v1/products/${product.id}`, { descriptionEn: '' }, { token: vendor.token })).status).toBe(200);
    const undescribed = await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    expect([undescribed.status, undescribed.body.error.code, undescribed.body.error.details]).toEqual([400, 'product.description_required', [{ field: 'descriptionZh', messages: expect.any(Array) }]]);
    expect((await ctx.http.get(`/api/v1/products/${product.id}`, { token: vendor.token })).body.status).toBe('draft');
    await ctx.http.patch(`/api/v1/products/${product.id}`, { descriptionZh: '各年度渠道建设调查的份数。' }, { token: vendor.token });
    expect((await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token })).body.status).toBe('submitted');
  });

  it('refuses empty, blank and oversized SQL, reserved input names and a weight of 0 as field problems a client can word', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    // Without a slug the URL name is made from the English title: whole words, not ending in "of".
    const tag = `z${Date.now().toString(36)}`;
    const created = await ctx.http.post(
      '/api/v1/products',
      { kind: 'derived', titleZh: '房价与门诊', titleEn: `Housing prices and outpatient visits by district ${tag} of the city`, theme: 'health', sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }] },
      { token: vendor.token },
    );
    expect([created.status, created.body.slug]).toEqual([201, `housing-prices-and-outpatient-visits-by-district-${tag}`]);
    const product = created.body;
    const sqlProblem = (result: { status: number; body: { error: { code: string; details: unknown } } }) => [result.status, result.body.error.code, result.body.error.details];

    // Empty and blank SQL alike: a 400 naming the field, saving nothing and trying nothing.
    for (const sql of ['', '  \n\t ']) {
      const saved = await ctx.http.patch(`/api/v1/products/${product.id}`, { sql }, { token: vendor.token });
      expect(sqlProblem(saved)).toEqual([400, 'request.invalid', [{ field: 'sql', messages: ['sql is empty: write one SELECT over the inputs'], context: { notBlank: true } }]]);
      const tried = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, { sql }, { token: vendor.token });
      expect(sqlProblem(tried)).toEqual([400, 'request.invalid', [{ field: 'sql', messages: ['sql is empty: write one SELECT over the inputs'], context: { notBlank: true } }]]);
    }
    // Over the limit: the limit is in the problem's context.
    const long = await ctx.http.patch(`/api/v1/products/${product.id}`, { sql: `${SURVEY_SQL} -- ${'x'.repeat(170_000)}` }, { token: vendor.token });
    expect(sqlProblem(long)).toEqual([400, 'request.invalid', [{ field: 'sql', messages: ['sql must be at most 100000 characters long'], context: { maxLength: 100_000 } }]]);
    // Larger than a request may be: the body limit is in the details.
    const huge = await ctx.http.patch(`/api/v1/products/${product.id}`, { sql: 'x'.repeat(3_300_000) }, { token: vendor.token });
    expect(sqlProblem(huge)).toEqual([413, 'request.too_large', { limitBytes: 1_048_576 }]);
    expect(huge.body.error.message).toBe('The request body is larger than the limit of 1048576 bytes.');
    expect((await ctx.http.get(`/api/v1/products/${product.id}`, { token: vendor.token })).body.sql).toBe(SURVEY_SQL);

    // An input named after an SQL reserved word could not be read unquoted; a weight of 0 is refused, not read as 1.
    const reserved = await ctx.http.patch(`/api/v1/products/${product.id}`, { inputs: [{ name: 'select', datasetId: survey }] }, { token: vendor.token });
    expect([reserved.status, reserved.body.error.details]).toEqual([
      400,
      [{ field: 'inputs.0.name', messages: [`name "select" is a reserved word of DuckDB's SQL, which the SQL could not read unquoted: choose another name`], context: { reservedWord: true } }],
    ]);
    const zero = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, { inputs: [{ name: 'survey', datasetId: survey, weight: 0 }] }, { token: vendor.token });
    expect([zero.status, zero.body.error.details]).toEqual([400, [{ field: 'inputs.0.weight', messages: ['weight must be at least 1'], context: { min: 1, max: 1_000_000 } }]]);
    // Descriptions are refused over their limit, never cut.
    const description = await ctx.http.patch(`/api/v1/products/${product.id}`, { descriptionEn: 'd'.repeat(8_001) }, { token: vendor.token });
    expect([description.status, description.body.error.details]).toEqual([400, [expect.objectContaining({ field: 'descriptionEn', context: { maxLength: 8_000 } })]]);
    const after = (await ctx.http.get(`/api/v1/products/${product.id}`, { token: vendor.token })).body;
    expect([after.inputs.map((input: { name: string; weight: number }) => [input.name, input.weight]), after.descriptionEn]).toEqual([[['survey', 1]], '']);
  });

  it('refuses sandbox escapes and bad SQL with a clear error, before and while running', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    const product = await createProduct(ctx.http, vendor.token, { sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }] });
    const attempts: Array<[string, string]> = [
      [`SELECT * FROM read_csv('/etc/passwd')`, 'derive.forbidden_function'],
      [`SELECT * FROM '/etc/passwd'`, 'derive.unknown_input'],
      [`SELECT getenv('HOME') AS home`, 'derive.forbidden_function'],
      [`COPY (SELECT 1) TO '/tmp/out.csv'`, 'derive.not_a_query'],
      [`ATTACH '/tmp/x.db'`, 'derive.not_a_query'],
      [`SELECT 1; SELECT 2`, 'derive.not_a_query'],
      [`SELECT * FROM nowhere`, 'derive.unknown_input'],
      [`SELEC year FROM survey`, 'derive.syntax'],
    ];
    for (const [sql, code] of attempts) {
      const result = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, { sql }, { token: vendor.token });
      expect([sql, result.status, result.body.error?.code]).toEqual([sql, 400, code]);
    }
    // Where the SQL goes wrong: DuckDB's binder errors carry their line and column as syntax errors do.
    const located: Array<[string, string, Record<string, unknown>]> = [
      ['SELECT "年份" AS year,\n  "年份" "a" "b"\nFROM survey', 'derive.syntax', { line: 2, column: 12 }],
      ['SELECT "年份" AS year\nFROM survey\nORDER BY nothing', 'derive.unknown_column', { name: 'nothing', line: 3, column: 10 }],
      ['SELECT "年份" AS year\nFROM survey, nowhere', 'derive.unknown_input', { name: 'nowhere', line: 2, column: 14 }],
      ['SELECT "年份" AS year,\n  abs("年份", 2) AS a\nFROM survey', 'derive.invalid_query', { function: 'abs', line: 2, column: 3 }],
    ];
    for (const [sql, code, details] of located) {
      const result = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, { sql }, { token: vendor.token });
      expect([sql, result.status, result.body.error?.code, result.body.error?.details]).toEqual([sql, 400, code, expect.objectContaining(details)]);
    }
    // Every input is credited (and paid) in the lineage: SQL that reads none of them, or leaves one out, is refused.
    const none = await ctx.http.post(`/api/v1/products/${product.id}/dry-run`, { sql: 'SELECT 1 AS one' }, { token: vendor.token });
    expect([none.status, none.body.error.code, none.body.error.details]).toEqual([400, 'derive.no_input_read', { inputs: ['survey'] }]);
    const weather = await datasetId(ctx.http, WEATHER);
    const unread = await ctx.http.post(
      `/api/v1/products/${product.id}/dry-run`,
      { sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }, { name: 'weather', datasetId: weather }] },
      { token: vendor.token },
    );
    expect([unread.status, unread.body.error.code, unread.body.error.details]).toEqual([400, 'derive.unused_input', { inputs: ['weather'] }]);
    expect(unread.body.error.message).toContain('"weather"');
    // Saved and run anyway, the run fails whole with the reason, and makes no version.
    await ctx.http.patch(`/api/v1/products/${product.id}`, { sql: `SELECT * FROM read_text('/etc/hostname')` }, { token: vendor.token });
    const run = await runToEnd(ctx.http, vendor.token, product.id);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'derive.forbidden_function', versionId: null });
    expect((await ctx.http.get(`/api/v1/products/${product.id}/versions`, { token: vendor.token })).body.items).toEqual([]);
  });

  it('builds on restricted data only through the privacy gate: personal columns hidden, small cells suppressed', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const hospital = await datasetId(ctx.http, HOSPITAL);
    const inputs = [{ name: 'visits', datasetId: hospital }];

    const personal = await createProduct(ctx.http, vendor.token, { theme: 'health', sql: 'SELECT patient_name, count(*) AS n FROM visits GROUP BY patient_name', inputs });
    const refused = await ctx.http.post(`/api/v1/products/${personal.id}/dry-run`, {}, { token: vendor.token });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('derive.unknown_column');
    expect(refused.body.error.message).toContain('patient_name');

    // A dry run shows only what the gate lets through: no row-level records of restricted data.
    const peek = await createProduct(ctx.http, vendor.token, { theme: 'health', sql: 'SELECT * FROM visits WHERE age > 85', inputs });
    const peeked = await ctx.http.post(`/api/v1/products/${peek.id}/dry-run`, {}, { token: vendor.token });
    expect(peeked.status).toBe(200);
    expect(peeked.body.gatePlan).toMatchObject({ rule: 'k_anonymity', k: 10 });
    expect(peeked.body.rows).toEqual([]);
    expect(peeked.body.rowsWithheld).toBeGreaterThan(0);

    // Row-level quasi-identifiers: rows whose (age, sex, district) occurs fewer than k times are dropped.
    const rows = await createProduct(ctx.http, vendor.token, { theme: 'health', sql: 'SELECT age, sex, district, cost_yuan FROM visits', inputs });
    const rowRun = await runToEnd(ctx.http, vendor.token, rows.id);
    expect(rowRun.status).toBe('succeeded');
    expect(rowRun.gateReport).toMatchObject({ rule: 'k_anonymity', k: 10, outcome: 'suppressed', checkedColumns: { quasiIdentifiers: ['age', 'sex', 'district'] } });
    expect(rowRun.gateReport.suppressedRows).toBeGreaterThan(0);
    expect(rowRun.outputRows).toBe(rowRun.gateReport.rowCount - rowRun.gateReport.suppressedRows);

    // Each combination once: every row is a group of one, nothing may be published, the run fails.
    const distinct = await createProduct(ctx.http, vendor.token, { theme: 'health', sql: 'SELECT DISTINCT age, sex, district FROM visits', inputs });
    const distinctRun = await runToEnd(ctx.http, vendor.token, distinct.id);
    expect(distinctRun).toMatchObject({ status: 'failed', errorCode: 'derive.gate_failed', versionId: null });
    expect(distinctRun.errorDetails.report.reasons.map((reason: { code: string }) => reason.code)).toEqual(['k_anonymity', 'all_rows_suppressed']);

    // Aggregates with counts: cells under k (10 for hospital data) are suppressed, the rest published.
    const sql = `SELECT district, department, count(*) AS visits, round(avg(cost_yuan)) AS avg_cost
                   FROM visits GROUP BY district, department`;
    const aggregate = await createProduct(ctx.http, vendor.token, { theme: 'health', sql, inputs });
    const dry = await ctx.http.post(`/api/v1/products/${aggregate.id}/dry-run`, {}, { token: vendor.token });
    expect(dry.body.gatePlan).toMatchObject({ rule: 'small_cells', k: 10, quasiIdentifiers: ['district'], countColumns: ['visits'] });
    const run = await runToEnd(ctx.http, vendor.token, aggregate.id);
    expect(run.status).toBe('succeeded');
    expect(['passed', 'suppressed']).toContain(run.gateReport.outcome);
    const version = (await ctx.http.get(`/api/v1/products/${aggregate.id}/versions`, { token: vendor.token })).body.items[0];
    expect(version.schema.map((column: { name: string }) => column.name)).toEqual(['district', 'department', 'visits', 'avg_cost']);
    expect(version.gateReport).toMatchObject({ rule: 'small_cells', k: 10 });

    // Tightening the agency's settings makes the same SQL over the same version a new derivation.
    const health0 = await login(ctx.http, 'steward@health.demo');
    expect((await ctx.http.patch(`/api/v1/agency/datasets/${hospital}`, { minGroupSize: 11 }, { token: health0.token })).status).toBe(200);
    const stricter = await runToEnd(ctx.http, vendor.token, aggregate.id);
    expect(stricter).toMatchObject({ status: 'succeeded', version: 2 });
    expect(stricter.gateReport).toMatchObject({ k: 11 });
    // Listed products over the hospital data follow by themselves: the demo's outpatient product is derived again under k = 11.
    const listed = (await ctx.http.get('/api/v1/products?status=published', { token: vendor.token })).body.items.find(
      (item: { slug: string }) => item.slug === OUTPATIENT,
    );
    expect(listed).toBeDefined();
    const rederived = await waitFor(async () => {
      const runs = (await ctx.http.get(`/api/v1/products/${listed.id}/runs`, { token: vendor.token })).body.items as Array<{ trigger: string; status: string; gateReport: { k: number } | null }>;
      return runs.find((candidate) => candidate.trigger === 'upstream' && candidate.gateReport?.k === 11 && !['queued', 'running'].includes(candidate.status));
    });
    expect(rederived).toMatchObject({ status: 'succeeded' });
    expect((await ctx.http.get(`/api/v1/products/${listed.id}`, { token: vendor.token })).body).toMatchObject({ status: 'published', currentVersion: { gateReport: { k: 11 } } });
    expect((await ctx.http.patch(`/api/v1/agency/datasets/${hospital}`, { minGroupSize: 10 }, { token: health0.token })).status).toBe(200);
    // Put back, the derivation is the first version again (no third computation), and it is current.
    const back = await ctx.http.post(`/api/v1/products/${aggregate.id}/runs`, {}, { token: vendor.token });
    expect(back.body).toMatchObject({ status: 'duplicate', version: 1 });
    expect((await ctx.http.get(`/api/v1/products/${aggregate.id}`, { token: vendor.token })).body.currentVersion.version).toBe(1);

    // Submitted, it needs the platform and the health commission; the commission sees the report.
    const submitted = await ctx.http.post(`/api/v1/products/${aggregate.id}/submit`, {}, { token: vendor.token });
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.review.required.map((reviewer: { reviewerKind: string }) => reviewer.reviewerKind)).toEqual(['platform', 'agency']);
    const health = await login(ctx.http, 'steward@health.demo');
    const queue = await ctx.http.get('/api/v1/product-reviews', { token: health.token });
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(aggregate.id);
    const transport = await login(ctx.http, 'steward@transport.demo');
    expect((await ctx.http.get(`/api/v1/product-reviews/${aggregate.id}`, { token: transport.token })).status).toBe(404);
    const reviewed = await ctx.http.get(`/api/v1/product-reviews/${aggregate.id}`, { token: health.token });
    expect(reviewed.body.currentVersion.gateReport).toMatchObject({ rule: 'small_cells' });
    // Reviewers see the output's first rows, as buyers would get them: the gate's output columns, no personal one.
    const sample = await ctx.http.get(`/api/v1/product-reviews/${aggregate.id}/sample`, { token: health.token });
    expect(sample.body.columns).toEqual(['district', 'department', 'visits', 'avg_cost']);
    expect(sample.body.rows.length).toBe(Math.min(20, reviewed.body.currentVersion.rowCount));
    expect(sample.body.rows.every((row: { visits: number }) => Number(row.visits) >= 10)).toBe(true);
    expect((await ctx.http.get(`/api/v1/product-reviews/${aggregate.id}/sample`, { token: transport.token })).status).toBe(404);

    const approvedByAgency = await ctx.http.post(`/api/v1/product-reviews/${aggregate.id}/decision`, { decision: 'approve' }, { token: health.token });
    expect(approvedByAgency.body.status).toBe('submitted');
    const operator = await login(ctx.http, 'admin@platform.demo');
    const approved = await ctx.http.post(`/api/v1/product-reviews/${aggregate.id}/decision`, { decision: 'approve' }, { token: operator.token });
    expect(approved.body.status).toBe('approved');
    const published = await ctx.http.post(`/api/v1/products/${aggregate.id}/publish`, {}, { token: vendor.token });
    expect(published.body.status).toBe('published');

    // In the storefront: lineage to the health commission, and no sample (restricted lineage).
    const page = await ctx.http.get(`/api/v1/catalog/products/${aggregate.slug}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ sample: null, privacy: { rule: 'small_cells', k: 10 } });
    expect(page.body.lineage.nodes.map((node: { slug: string }) => node.slug)).toContain(HOSPITAL);
    expect(page.body).not.toHaveProperty('sql');
  });

  it('lets agencies reject with a reason, and refuses conditional inputs without a grant covering derivation', async () => {
    const vendor = await login(ctx.http, 'vendor@greengrid.demo');
    // GreenGrid holds a grant for the energy data, not for housing transactions.
    const housing = await datasetId(ctx.http, HOUSING);
    const denied = await ctx.http.post(
      '/api/v1/products',
      { kind: 'derived', slug: unique('e2e-denied'), titleZh: '房屋', titleEn: 'Housing', theme: 'housing', sql: 'SELECT 1 AS one FROM housing', inputs: [{ name: 'housing', datasetId: housing }] },
      { token: vendor.token },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('product.input_denied');

    const survey = await datasetId(ctx.http, SURVEY);
    const weather = await datasetId(ctx.http, WEATHER);
    const product = await createProduct(ctx.http, vendor.token, {
      sql: `SELECT s."年份" AS year, count(*) AS days FROM survey s CROSS JOIN weather w GROUP BY year ORDER BY year`,
      inputs: [
        { name: 'survey', datasetId: survey, weight: 3 },
        { name: 'weather', datasetId: weather, weight: 1 },
      ],
    });
    expect((await runToEnd(ctx.http, vendor.token, product.id)).status).toBe('succeeded');
    const lineage = await ctx.http.get(`/api/v1/products/${product.id}/lineage`, { token: vendor.token });
    expect(lineage.body.agencies.map((agency: { share: string }) => agency.share).sort()).toEqual(['1/4', '3/4']);

    await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    const operator = await login(ctx.http, 'admin@platform.demo');
    const noReason = await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'reject' }, { token: operator.token });
    expect(noReason.status).toBe(400);
    const rejected = await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'reject', reason: 'Describe the method.' }, { token: operator.token });
    expect(rejected.body).toMatchObject({ status: 'draft', rejectionReason: 'Describe the method.' });
    // The owner's list says it was sent back, and why; submitting again clears it.
    const listed = async () => (await ctx.http.get('/api/v1/products', { token: vendor.token })).body.items.find((item: { id: string }) => item.id === product.id);
    expect(await listed()).toMatchObject({ status: 'draft', rejectionReason: 'Describe the method.' });
    await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    expect(await listed()).toMatchObject({ status: 'submitted', rejectionReason: null });
  });

  it('lets an agency sell its own dataset as a base product, and follows lineage through derived-of-derived products', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    // A base product sells one of the agency's own datasets as it is.
    const own = (await ctx.http.get('/api/v1/agency/datasets', { token: steward.token })).body.items[0];
    const base = await ctx.http.post(
      '/api/v1/products',
      { kind: 'base', slug: unique('e2e-base'), titleZh: '基础产品', titleEn: 'Base product', theme: 'statistics', inputs: [{ name: 'data', datasetId: own.id }] },
      { token: steward.token },
    );
    expect(base.status).toBe(201);
    expect(base.body).toMatchObject({ kind: 'base', sql: 'SELECT * FROM data' });
    // Restricted data is never sold as it is, not even by its own agency.
    const health = await login(ctx.http, 'steward@health.demo');
    const raw = await ctx.http.post(
      '/api/v1/products',
      { kind: 'base', slug: unique('e2e-base'), titleZh: '门诊', titleEn: 'Visits', theme: 'health', inputs: [{ name: 'visits', datasetId: await datasetId(ctx.http, HOSPITAL) }] },
      { token: health.token },
    );
    expect([raw.status, raw.body.error.code, raw.body.error.details.rule]).toEqual([400, 'product.invalid_inputs', 'not_restricted']);
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const notOwn = await ctx.http.post(
      '/api/v1/products',
      { kind: 'base', slug: unique('e2e-base'), titleZh: '基础', titleEn: 'Base', theme: 'statistics', inputs: [{ name: 'data', datasetId: survey }] },
      { token: vendor.token },
    );
    expect(notOwn.status).toBe(403);
    expect(notOwn.body.error.code).toBe('product.kind_not_allowed');

    // Product B reads product A (its own) and the weather: the lineage reaches both datasets.
    const weather = await datasetId(ctx.http, WEATHER);
    const first = await createProduct(ctx.http, vendor.token, { sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }] });
    expect((await runToEnd(ctx.http, vendor.token, first.id)).status).toBe('succeeded');
    const second = await createProduct(ctx.http, vendor.token, {
      sql: 'SELECT g.year, g.gap, count(*) AS days FROM gaps g CROSS JOIN weather w GROUP BY ALL ORDER BY g.year',
      inputs: [
        { name: 'gaps', productId: first.id },
        { name: 'weather', datasetId: weather },
      ],
    });
    expect((await runToEnd(ctx.http, vendor.token, second.id)).status).toBe('succeeded');
    const lineage = (await ctx.http.get(`/api/v1/products/${second.id}/lineage`, { token: vendor.token })).body;
    expect(lineage.nodes.map((node: { kind: string; slug: string }) => `${node.kind}:${node.slug}`)).toEqual([
      `product_version:${second.slug}`,
      `product_version:${first.slug}`,
      `dataset_version:${SURVEY}`,
      `dataset_version:${WEATHER}`,
    ]);
    // Equal weights at each level: the statistics bureau (through A) and the weather bureau half each.
    expect(lineage.agencies.map((agency: { share: string; basisPoints: number }) => [agency.share, agency.basisPoints])).toEqual([
      ['1/2', 5_000],
      ['1/2', 5_000],
    ]);

    // Another vendor may not read an unpublished product of CityFlow.
    const other = await login(ctx.http, 'vendor@greengrid.demo');
    const borrowed = await ctx.http.post(
      '/api/v1/products',
      { kind: 'derived', slug: unique('e2e-borrow'), titleZh: '借用', titleEn: 'Borrowed', theme: 'statistics', sql: 'SELECT * FROM gaps', inputs: [{ name: 'gaps', productId: first.id }] },
      { token: other.token },
    );
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.code).toBe('product.input_not_found');
  });

  it("re-derives listed products when an agency tightens its privacy settings, suspends those that no longer pass, and lists no version checked under weaker ones", async () => {
    const health = await login(ctx.http, 'steward@health.demo');
    const slug = unique('e2e-clinic');
    const created = await ctx.http.post(
      '/api/v1/agency/datasets',
      { slug, titleZh: `门诊 ${slug}`, titleEn: `Clinic ${slug}`, theme: 'health', classification: 'restricted', minGroupSize: 2, smallCells: 'suppress' },
      { token: health.token },
    );
    expect(created.status).toBe(201);
    const dataset = created.body;
    // Three patients in A and in B, one in C: a small cell under any k above 1.
    await uploadAndWait(ctx.http, health.token, dataset.id, 'patient_id,district,year\nP1,A,2021\nP2,A,2021\nP3,A,2022\nP4,B,2021\nP5,B,2022\nP6,B,2022\nP7,C,2021\n');
    const columns = [
      { name: 'patient_id', sensitivity: 'personal', joinPseudonym: true },
      { name: 'district', sensitivity: 'quasi_identifier' },
      { name: 'year', sensitivity: 'public' },
    ];
    expect((await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns }, { token: health.token })).status).toBe(200);
    expect((await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/publish`, {}, { token: health.token })).status).toBe(200);

    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const sql = 'SELECT district, count(DISTINCT patient_id) AS patients FROM clinic GROUP BY district ORDER BY district';
    const inputs = [{ name: 'clinic', datasetId: dataset.id }];
    const listed = await createProduct(ctx.http, vendor.token, { theme: 'health', sql, inputs });
    const first = await runToEnd(ctx.http, vendor.token, listed.id);
    expect(first).toMatchObject({ status: 'succeeded', gateReport: { outcome: 'suppressed', k: 2, suppressedRows: 1 } });
    expect((await ctx.http.post(`/api/v1/products/${listed.id}/submit`, {}, { token: vendor.token })).body.status).toBe('submitted');
    const operator = await login(ctx.http, 'admin@platform.demo');
    await ctx.http.post(`/api/v1/product-reviews/${listed.id}/decision`, { decision: 'approve' }, { token: health.token });
    await ctx.http.post(`/api/v1/product-reviews/${listed.id}/decision`, { decision: 'approve' }, { token: operator.token });
    expect((await ctx.http.post(`/api/v1/products/${listed.id}/publish`, {}, { token: vendor.token })).body.status).toBe('published');
    // A draft over the same data, whose version also passed by suppressing the small cell.
    const draft = await createProduct(ctx.http, vendor.token, { theme: 'health', sql, inputs });
    expect((await runToEnd(ctx.http, vendor.token, draft.id)).gateReport).toMatchObject({ outcome: 'suppressed' });

    const latestRun = async (productId: string) => (await ctx.http.get(`/api/v1/products/${productId}/runs`, { token: vendor.token })).body.items[0];
    const finished = (productId: string, k: number) =>
      waitFor(async () => {
        const run = await latestRun(productId);
        return run?.trigger === 'upstream' && !['queued', 'running'].includes(run.status) && (run.gateReport?.k === k || run.errorCode) ? run : null;
      });

    // k raised to 3: the listed product is derived again by itself (C is still suppressed) and stays listed.
    expect((await ctx.http.patch(`/api/v1/agency/datasets/${dataset.id}`, { minGroupSize: 3 }, { token: health.token })).status).toBe(200);
    expect(await finished(listed.id, 3)).toMatchObject({ status: 'succeeded', version: 2, gateReport: { k: 3, outcome: 'suppressed' } });
    expect((await ctx.http.get(`/api/v1/products/${listed.id}`, { token: vendor.token })).body).toMatchObject({ status: 'published', currentVersion: { version: 2 } });
    // The draft is not derived again by itself; its owner runs it. Its editor says its last run was
    // made under the earlier settings, and that its version no longer meets today's.
    expect((await latestRun(draft.id)).trigger).toBe('manual');
    const draftNow = (await ctx.http.get(`/api/v1/products/${draft.id}`, { token: vendor.token })).body;
    expect(draftNow.settingsChanged).toEqual({
      runId: draftNow.latestRun.id,
      inputs: [{ name: 'clinic', changes: [{ kind: 'k_raised', from: 2, to: 3 }] }],
      versionMeetsSettings: false,
    });
    // The listed product was derived again under them: nothing to say.
    expect((await ctx.http.get(`/api/v1/products/${listed.id}`, { token: vendor.token })).body.settingsChanged).toBeNull();

    // Small cells now fail the run: the re-derivation fails the gate and suspends the listed product.
    expect((await ctx.http.patch(`/api/v1/agency/datasets/${dataset.id}`, { smallCells: 'fail' }, { token: health.token })).status).toBe(200);
    const failed = await waitFor(async () => {
      const run = await latestRun(listed.id);
      return run.trigger === 'upstream' && run.status === 'failed' ? run : null;
    });
    expect(failed).toMatchObject({ errorCode: 'derive.gate_failed', versionId: null });
    const suspended = await waitFor(async () => {
      const product = (await ctx.http.get(`/api/v1/products/${listed.id}`, { token: vendor.token })).body;
      return product.status === 'suspended' ? product : null;
    });
    expect(suspended.suspensionReason).toMatchObject({ cause: 'policy_tightened', datasetId: dataset.id });
    expect((await ctx.http.get(`/api/v1/catalog/products/${listed.slug}`)).body.error.code).toBe('product.suspended');
    const resume = await ctx.http.post(`/api/v1/products/${listed.id}/resume`, {}, { token: vendor.token });
    expect([resume.status, resume.body.error.code]).toEqual([409, 'product.policy_changed']);

    // The draft's version passed only by suppression under k = 2: it cannot be submitted now.
    const submit = await ctx.http.post(`/api/v1/products/${draft.id}/submit`, {}, { token: vendor.token });
    expect([submit.status, submit.body.error.code]).toEqual([409, 'product.policy_changed']);
    expect(submit.body.error.details.inputs).toEqual([{ name: 'clinic', changes: [{ kind: 'k_raised', from: 2, to: 3 }, { kind: 'small_cells_fail' }] }]);

    // Small cells suppressed again: the version derived under k = 3 meets the settings, and the product resumes.
    expect((await ctx.http.patch(`/api/v1/agency/datasets/${dataset.id}`, { smallCells: 'suppress' }, { token: health.token })).status).toBe(200);
    expect((await ctx.http.post(`/api/v1/products/${listed.id}/resume`, {}, { token: vendor.token })).body.status).toBe('published');

    // The join pseudonym withdrawn: patients can no longer be counted, the re-derivation fails and the product is suspended again.
    const withdrawn = [{ name: 'patient_id', sensitivity: 'personal', joinPseudonym: false }];
    expect((await ctx.http.put(`/api/v1/agency/datasets/${dataset.id}/columns`, { columns: withdrawn }, { token: health.token })).status).toBe(200);
    const unread = await waitFor(async () => {
      const run = await latestRun(listed.id);
      return run.trigger === 'upstream' && run.status === 'failed' && run.id !== failed.id ? run : null;
    });
    expect(unread.errorCode).toBe('derive.unknown_column');
    const again = await waitFor(async () => {
      const product = (await ctx.http.get(`/api/v1/products/${listed.id}`, { token: vendor.token })).body;
      return product.status === 'suspended' ? product : null;
    });
    expect(again.suspensionReason).toMatchObject({ cause: 'policy_tightened', datasetId: dataset.id });
  });

  it('re-derives when an input gets a new version, and suspends dependents when it is withdrawn', async () => {
    const steward = await login(ctx.http, 'steward@stats.demo');
    const slug = unique('e2e-source');
    const dataset = (
      await ctx.http.post('/api/v1/agency/datasets', { slug, titleZh: `来源 ${slug}`, titleEn: `Source ${slug}`, theme: 'statistics', classification: 'open' }, { token: steward.token })
    ).body;
    await uploadAndWait(ctx.http, steward.token, dataset.id, 'year,value\n2021,10\n2022,12\n');
    expect((await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/publish`, {}, { token: steward.token })).status).toBe(200);

    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const product = await createProduct(ctx.http, vendor.token, { sql: 'SELECT sum(value) AS total FROM source', inputs: [{ name: 'source', datasetId: dataset.id }] });
    expect((await runToEnd(ctx.http, vendor.token, product.id)).status).toBe('succeeded');
    await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    const operator = await login(ctx.http, 'admin@platform.demo');
    await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' }, { token: operator.token });
    expect((await ctx.http.post(`/api/v1/products/${product.id}/publish`, {}, { token: vendor.token })).body.status).toBe('published');

    // A new upstream version makes a new product version by itself.
    await uploadAndWait(ctx.http, steward.token, dataset.id, 'year,value\n2021,10\n2022,12\n2023,15\n');
    const deadline = Date.now() + 60_000;
    let versions: Array<{ version: number; rowCount: number }> = [];
    while (Date.now() < deadline) {
      versions = (await ctx.http.get(`/api/v1/products/${product.id}/versions`, { token: vendor.token })).body.items;
      if (versions.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(versions.map((version) => version.version)).toEqual([2, 1]);
    const runs = (await ctx.http.get(`/api/v1/products/${product.id}/runs`, { token: vendor.token })).body.items;
    expect(runs[0]).toMatchObject({ trigger: 'upstream', status: 'succeeded', version: 2 });

    // Before withdrawing, the agency sees what it would suspend: listed products built on the dataset.
    const draft = await createProduct(ctx.http, vendor.token, { sql: 'SELECT count(*) AS n FROM source', inputs: [{ name: 'source', datasetId: dataset.id }] });
    const dependents = await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/dependents`, { token: steward.token });
    expect(dependents.status).toBe(200);
    expect(dependents.body).toEqual({
      items: [{ id: null, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn, organizationName: expect.any(String), status: 'published', own: false }],
      unlisted: 0,
    });
    expect(JSON.stringify(dependents.body)).not.toContain(draft.slug);
    const otherAgency = await login(ctx.http, 'steward@transport.demo');
    expect((await ctx.http.get(`/api/v1/agency/datasets/${dataset.id}/dependents`, { token: otherAgency.token })).status).toBe(404);

    // Withdrawing the source suspends the product at once, with the agency's reason; the storefront says it is unavailable.
    await ctx.http.post(`/api/v1/agency/datasets/${dataset.id}/withdraw`, { reason: 'superseded' }, { token: steward.token });
    const suspended = await ctx.http.get(`/api/v1/products/${product.id}`, { token: vendor.token });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionReason: { cause: 'source_withdrawn', datasetId: dataset.id, note: 'superseded' } });
    const unavailable = await ctx.http.get(`/api/v1/catalog/products/${product.slug}`);
    expect([unavailable.status, unavailable.body.error.code]).toEqual([409, 'product.suspended']);
    expect(unavailable.body.error.details).toEqual({ slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn, since: suspended.body.suspensionReason.at });
    expect(JSON.stringify(unavailable.body)).not.toContain('schema');
    // A product never published stays not found, suspended or not.
    expect((await ctx.http.get(`/api/v1/catalog/products/${draft.slug}`)).status).toBe(404);
    const resume = await ctx.http.post(`/api/v1/products/${product.id}/resume`, {}, { token: vendor.token });
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('product.input_unavailable');
  });
});

describe('product reviews: rounds, supervision, storefront search', () => {
  const ctx = usePlatform({}, { worker: true });

  it('keeps every round with who decided and when, and lets government supervisors read reviews without deciding', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const operator = await login(ctx.http, 'admin@platform.demo');
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    const survey = await datasetId(ctx.http, SURVEY);
    const product = await createProduct(ctx.http, vendor.token, { sql: SURVEY_SQL, inputs: [{ name: 'survey', datasetId: survey }] });
    // Nobody reads the review of a product never submitted.
    expect((await ctx.http.get(`/api/v1/product-reviews/${product.id}`, { token: supervisor.token })).status).toBe(404);
    expect((await runToEnd(ctx.http, vendor.token, product.id)).status).toBe('succeeded');

    const submitted = (await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token })).body;
    expect(submitted.review).toMatchObject({ round: 1, status: 'pending', open: true, submittedAt: expect.any(String), history: [] });
    const queued = (await ctx.http.get('/api/v1/product-reviews', { token: operator.token })).body.items.find((item: { id: string }) => item.id === product.id);
    expect(queued.submittedAt).toBe(submitted.review.submittedAt);

    // Supervision reads the queue, the product and its lineage, and decides nothing.
    const supervised = await ctx.http.get('/api/v1/product-reviews', { token: supervisor.token });
    expect(supervised.body.items.map((item: { id: string }) => item.id)).toContain(product.id);
    expect((await ctx.http.get(`/api/v1/product-reviews/${product.id}`, { token: supervisor.token })).body).toMatchObject({ id: product.id, review: { open: true } });
    expect((await ctx.http.get(`/api/v1/product-reviews/${product.id}/lineage`, { token: supervisor.token })).status).toBe(200);
    const decision = await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' }, { token: supervisor.token });
    expect([decision.status, decision.body.error.code]).toEqual([403, 'auth.forbidden']);
    const buyer = await login(ctx.http, 'buyer@harbor.demo');
    expect((await ctx.http.get(`/api/v1/product-reviews/${product.id}`, { token: buyer.token })).status).toBe(403);

    // Round 1 rejected; round 2 taken back by the owner; round 3 approved.
    const rejected = await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'reject', reason: 'Describe the method.' }, { token: operator.token });
    expect(rejected.body.review).toMatchObject({ round: 1, status: 'rejected', open: false, decisions: [{ decision: 'reject', decidedByName: '平台管理员 Platform Admin' }] });
    await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    const cancelled = (await ctx.http.post(`/api/v1/products/${product.id}/cancel-submission`, {}, { token: vendor.token })).body;
    expect(cancelled.review).toMatchObject({ round: 2, status: 'cancelled', open: false, decisions: [] });
    expect((await ctx.http.get('/api/v1/product-reviews', { token: supervisor.token })).body.items.map((item: { id: string }) => item.id)).not.toContain(product.id);
    await ctx.http.post(`/api/v1/products/${product.id}/submit`, {}, { token: vendor.token });
    await ctx.http.post(`/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' }, { token: operator.token });

    const reviewed = (await ctx.http.get(`/api/v1/product-reviews/${product.id}`, { token: supervisor.token })).body;
    expect(reviewed.status).toBe('approved');
    expect(reviewed.review).toMatchObject({
      round: 3,
      status: 'approved',
      open: false,
      decisions: [{ round: 3, version: 1, reviewerKind: 'platform', decision: 'approve', decidedByName: '平台管理员 Platform Admin' }],
      history: [{ round: 1, version: 1, reviewerKind: 'platform', decision: 'reject', reason: 'Describe the method.', decidedByName: '平台管理员 Platform Admin' }],
    });
    expect(Date.parse(reviewed.review.history[0].decidedAt)).toBeLessThan(Date.parse(reviewed.review.decisions[0].decidedAt));
    // The owner sees which organization decided, not who.
    const owned = (await ctx.http.get(`/api/v1/products/${product.id}`, { token: vendor.token })).body;
    expect(owned.review.history).toEqual([expect.objectContaining({ round: 1, decision: 'reject', decidedByName: null })]);
  });

  it('finds published products by the words of their titles, descriptions and keywords', async () => {
    const slugsFor = async (query: string) =>
      ((await ctx.http.get(`/api/v1/catalog/products?${query}`)).body.items as Array<{ slug: string }>).map((item) => item.slug).sort();
    expect(await slugsFor(`q=${encodeURIComponent('拥堵')}`)).toEqual(['road-congestion-index-by-district-hour-weather']);
    // Every word must occur (any case); a word may come from the keywords.
    expect(await slugsFor('q=WEATHER%20district')).toEqual(['road-congestion-index-by-district-hour-weather', 'scenic-visitors-and-weather-by-district-month']);
    expect(await slugsFor(`q=${encodeURIComponent('客流 weather')}&theme=tourism`)).toEqual(['scenic-visitors-and-weather-by-district-month']);
    // Wildcards are taken literally; an unpublished product is never found.
    expect(await slugsFor(`q=${encodeURIComponent('%')}congestion%25`)).toEqual([]);
    expect(await slugsFor(`q=${encodeURIComponent('能源')}`)).toEqual([]);
    const tooLong = await ctx.http.get(`/api/v1/catalog/products?q=${'x'.repeat(101)}`);
    expect([tooLong.status, tooLong.body.error.code]).toEqual([400, 'request.invalid']);
  });
});

async function uploadAndWait(http: Http, token: string, datasetId: string, csv: string): Promise<void> {
  const uploaded = await http.upload(`/api/v1/agency/datasets/${datasetId}/uploads`, 'source.csv', csv, { token });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ingestion = await http.get(`/api/v1/agency/ingestions/${uploaded.body.id}`, { token });
    if (ingestion.body.status === 'succeeded') return;
    if (!['queued', 'running'].includes(ingestion.body.status) || Date.now() > deadline) throw new Error(`ingestion ended ${JSON.stringify(ingestion.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
