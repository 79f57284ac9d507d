import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { WorkerConfig } from '@civic/config';
import {
  createDataSource,
  createDerivationRun,
  Dataset,
  DerivationRun,
  Ingestion,
  Membership,
  Organization,
  Product,
  ProductInput,
  ProductVersion,
  rawOutputKey,
  rederiveAfterPolicyChange,
  resolveProductInputs,
  runInputsOf,
  settingsChangedSince,
  User,
  versionPolicyConflicts,
} from '@civic/db';
import type { DeriveStageJob } from '@civic/jobs';
import { createObjectStore, type ObjectStore } from '@civic/storage';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { IngestHandler } from '../catalog/ingest.handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { DeriveStages } from './derive-stages.js';
import { DeriveDependencyProvider, GateStage, MaterializeStage, ProfileStage, PublishStage, ValidateStage } from './derive.handlers.js';

const CSV = 'district,year,value\nA,2021,10\nA,2022,12\nB,2021,7\nB,2022,9\n';

describe('derive flow stages', () => {
  let dataSource: DataSource;
  let store: ObjectStore;
  let storageRoot: string;
  let agencyId: string;
  let vendorId: string;
  let datasetId: string;
  const config = Object.assign(new WorkerConfig(), {
    INGEST_MEMORY_LIMIT: '256MB',
    INGEST_THREADS: 1,
    DERIVE_MEMORY_LIMIT: '256MB',
    DERIVE_THREADS: 1,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-derive-${process.pid}-${Date.now()}`,
  });
  const producer = new WorkerProducer(config);
  let provider: DeriveDependencyProvider;
  let handlers: { validate: ValidateStage; materialize: MaterializeStage; gate: GateStage; profile: ProfileStage; publish: PublishStage };

  const job = <Name extends DeriveStageJob>(name: Name, runId: string, attemptsMade = 0) => ({
    id: `${name}-${runId}`,
    name,
    data: { runId },
    attemptsMade,
    async updateProgress() {},
  });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 3 });
    await dataSource.initialize();
    storageRoot = await mkdtemp(path.join(tmpdir(), 'civic-derive-store-'));
    store = createObjectStore({ kind: 'local', root: storageRoot });
    const suffix = Date.now().toString(36);
    agencyId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `agency-${suffix}`, name: 'Agency', kind: 'agency', status: 'active' }))).id;
    vendorId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `vendor-${suffix}`, name: 'Vendor', kind: 'vendor', status: 'active' }))).id;
    const dataset = await dataSource.manager.save(
      dataSource.manager.create(Dataset, {
        organizationId: agencyId,
        slug: `ds-${suffix}`,
        titleZh: '来源',
        titleEn: 'Source',
        theme: 'statistics',
        updateFrequency: 'annual',
        licenseId: 'cc-by-4.0',
        classification: 'open',
        status: 'published',
        // Groups of two are enough for this tiny source (each district has two rows).
        minGroupSize: 2,
      }),
    );
    datasetId = dataset.id;
    const id = crypto.randomUUID();
    await store.put(`uploads/${id}`, Readable.from([Buffer.from(CSV)]));
    await dataSource.manager.save(dataSource.manager.create(Ingestion, { id, datasetId, organizationId: agencyId, uploadKey: `uploads/${id}`, filename: 'source.csv', bytes: CSV.length }));
    const ingest = new IngestHandler(dataSource, store, config, producer);
    await ingest.handle({ id: 'i', name: 'catalog.ingest', data: { ingestionId: id }, attemptsMade: 0, async updateProgress() {} });
    // Rows about people (a quasi-identifying value, only ever aggregated here): their counts are small cells to check.
    await dataSource.query(`UPDATE dataset_columns SET sensitivity = CASE WHEN name = 'value' THEN 'quasi_identifier' ELSE 'public' END WHERE dataset_id = $1`, [datasetId]);

    const stages = new DeriveStages(dataSource);
    provider = new DeriveDependencyProvider(dataSource, store, config);
    handlers = {
      validate: new ValidateStage(stages, provider),
      materialize: new MaterializeStage(stages, provider),
      gate: new GateStage(stages, provider),
      profile: new ProfileStage(stages, provider),
      publish: new PublishStage(stages, provider, producer),
    };
  });
  afterAll(async () => {
    await provider?.onApplicationShutdown();
    await producer.onApplicationShutdown();
    await dataSource?.destroy();
    await rm(storageRoot, { recursive: true, force: true });
  });

  async function newRun(sql: string, extraInputs: string[] = []): Promise<DerivationRun> {
    const product = await dataSource.manager.save(
      dataSource.manager.create(Product, {
        organizationId: vendorId,
        kind: 'derived',
        slug: `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
        titleZh: '产品',
        titleEn: 'Product',
        theme: 'statistics',
        sql,
      }),
    );
    await dataSource.manager.insert(ProductInput, { productId: product.id, name: 'source', position: 0, datasetId, sourceProductId: null, weight: 1 });
    for (const [index, name] of extraInputs.entries()) {
      await dataSource.manager.insert(ProductInput, { productId: product.id, name, position: index + 1, datasetId, sourceProductId: null, weight: 1 });
    }
    const inputs = await resolveProductInputs(dataSource.manager, vendorId, await dataSource.manager.findBy(ProductInput, { productId: product.id }));
    const { run } = await dataSource.transaction((manager) => createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'manual', userId: null }));
    return run;
  }

  it('makes exactly one version when every stage is delivered twice', async () => {
    const run = await newRun('SELECT district, sum(value) AS total, count(*) AS n FROM source GROUP BY district ORDER BY district');
    for (const [name, handler] of [
      ['derive.validate', handlers.validate],
      ['derive.materialize', handlers.materialize],
      ['derive.gate', handlers.gate],
      ['derive.profile', handlers.profile],
      ['derive.publish', handlers.publish],
    ] as const) {
      const outcome = await handler.handle(job(name, run.id) as never);
      const state = await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id });
      expect({ name, ...outcome, error: state.errorMessage }).toEqual({ name, status: 'done', error: null });
      // The gate profiles what it publishes in the same pass; the profile stage finds it made.
      if (name === 'derive.gate') expect(state.outputProfile?.map((column) => column.name)).toEqual(['district', 'total', 'n']);
      // A redelivery of a stage the run has not moved past repeats it harmlessly; a later one is skipped.
      expect(['done', 'skipped']).toContain((await handler.handle(job(name, run.id, 1) as never)).status);
    }
    // Every stage again, after the run finished: all skipped.
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'skipped' });
    expect(await handlers.publish.handle(job('derive.publish', run.id))).toEqual({ status: 'skipped' });

    const finished = await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id });
    expect(finished).toMatchObject({ status: 'succeeded', progress: 100, outputRows: 2, errorCode: null });
    const versions = await dataSource.manager.findBy(ProductVersion, { productId: run.productId });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, rowCount: 2, fingerprint: run.fingerprint });
    expect(versions[0]!.gateReport).toMatchObject({ outcome: 'passed', rule: 'small_cells', suppressedRows: 0 });
    expect(await store.head(rawOutputKey(run.id))).toBeNull();
    expect(await store.head(versions[0]!.parquetKey)).not.toBeNull();
  });

  it('fails the run with the reason (and the job succeeds) when the SQL is refused; later stages skip', async () => {
    const run = await newRun(`SELECT * FROM read_csv('/etc/passwd')`);
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'failed' });
    const failed = await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'derive.forbidden_function', versionId: null });
    expect(await handlers.materialize.handle(job('derive.materialize', run.id))).toEqual({ status: 'skipped' });
  });

  it('stops at the next stage once the run is cancelled', async () => {
    const run = await newRun('SELECT year, avg(value) AS mean FROM source GROUP BY year');
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'done' });
    await dataSource.query(`UPDATE derivation_runs SET status = 'cancelled', cancel_requested_at = now() WHERE id = $1`, [run.id]);
    expect(await handlers.materialize.handle(job('derive.materialize', run.id))).toEqual({ status: 'skipped' });
    expect(await dataSource.manager.countBy(ProductVersion, { productId: run.productId })).toBe(0);
  });

  it("fails the run whole with derive.out_of_memory when its output needs more than the gate's memory limit", async () => {
    // 120,000 distinct wide values from the four source rows: profiling them needs well over 8 MiB.
    const run = await newRun(`SELECT district || '-' || unnest(range(30000)) || repeat('x', 100) AS label FROM source`);
    const tight = new DeriveDependencyProvider(dataSource, store, Object.assign(new WorkerConfig(), config, { DERIVE_GATE_MEMORY_LIMIT: '8MiB' }));
    const stages = new DeriveStages(dataSource);
    try {
      expect(await new ValidateStage(stages, tight).handle(job('derive.validate', run.id))).toEqual({ status: 'done' });
      expect(await new MaterializeStage(stages, tight).handle(job('derive.materialize', run.id))).toEqual({ status: 'done' });
      expect(await new GateStage(stages, tight).handle(job('derive.gate', run.id))).toEqual({ status: 'failed' });
    } finally {
      await tight.onApplicationShutdown();
    }
    const failed = await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'derive.out_of_memory', versionId: null, gateReport: null });
    expect(failed.errorMessage).toMatch(/more memory than its limit \(8MiB\)/);
    expect(await dataSource.manager.countBy(ProductVersion, { productId: run.productId })).toBe(0);
  });

  it('retries an outage and fails the run as internal on the last attempt', async () => {
    const run = await newRun('SELECT district FROM source');
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'done' });
    // The input version's file vanished (an outage of the object store): not the vendor's fault.
    const [{ parquet_key: key }] = await dataSource.query(`SELECT parquet_key FROM dataset_versions WHERE dataset_id = $1`, [datasetId]);
    const backup = path.join(storageRoot, `${key}.bak`);
    await rename(path.join(storageRoot, key), backup);
    try {
      await expect(handlers.materialize.handle(job('derive.materialize', run.id, 0))).rejects.toThrow();
      expect((await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id })).status).toBe('running');
      expect(await handlers.materialize.handle(job('derive.materialize', run.id, 2))).toEqual({ status: 'failed' });
      expect(await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id })).toMatchObject({ status: 'failed', errorCode: 'derive.internal' });
    } finally {
      await rename(backup, path.join(storageRoot, key));
    }
  });
  /** Runs the stages of a run in order until one does not finish it ('done'); returns each outcome. */
  async function runStages(runId: string): Promise<string[]> {
    const outcomes: string[] = [];
    for (const [name, handler] of [
      ['derive.validate', handlers.validate],
      ['derive.materialize', handlers.materialize],
      ['derive.gate', handlers.gate],
      ['derive.profile', handlers.profile],
      ['derive.publish', handlers.publish],
    ] as const) {
      const { status } = await handler.handle(job(name, runId) as never);
      outcomes.push(`${name.slice(7)}:${status}`);
      if (status !== 'done') break;
    }
    return outcomes;
  }

  /** One group of 3 and one of 1 (B in 2022): with k = 2 the second is a small cell. */
  const SUPPRESSING_SQL = `SELECT CASE WHEN district = 'A' OR year = 2021 THEN 'x' ELSE 'y' END AS g, count(*) AS n FROM source GROUP BY g ORDER BY g`;

  async function setPolicy(policy: { k?: number; smallCells?: 'suppress' | 'fail' }): Promise<void> {
    if (policy.k !== undefined) await dataSource.query(`UPDATE datasets SET min_group_size = $2 WHERE id = $1`, [datasetId, policy.k]);
    if (policy.smallCells) await dataSource.query(`UPDATE datasets SET small_cells = $2 WHERE id = $1`, [datasetId, policy.smallCells]);
  }

  it('refuses SQL that leaves a declared input unread, naming it, before anything runs', async () => {
    const run = await newRun('SELECT district, sum(value) AS total, count(*) AS n FROM source GROUP BY district', ['unused']);
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'failed' });
    const failed = await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'derive.unused_input', errorDetails: { inputs: ['unused'] }, plan: null });
  });

  it('refuses a run whose inputs\' privacy settings changed after it was asked for', async () => {
    const run = await newRun('SELECT district, count(*) AS n FROM source GROUP BY district');
    await setPolicy({ k: 3 });
    try {
      expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'failed' });
      expect(await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id })).toMatchObject({
        errorCode: 'product.policy_changed',
        errorDetails: { inputs: [{ name: 'source', changes: [{ kind: 'k_raised', from: 2, to: 3 }] }] },
      });
    } finally {
      await setPolicy({ k: 2 });
    }
  });

  it('does not publish output that settings tightened while the run was in flight no longer allow', async () => {
    const run = await newRun(SUPPRESSING_SQL);
    expect(await handlers.validate.handle(job('derive.validate', run.id))).toEqual({ status: 'done' });
    expect(await handlers.materialize.handle(job('derive.materialize', run.id))).toEqual({ status: 'done' });
    expect(await handlers.gate.handle(job('derive.gate', run.id))).toEqual({ status: 'done' });
    expect((await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id })).gateReport).toMatchObject({ outcome: 'suppressed', suppressedRows: 1 });
    await setPolicy({ smallCells: 'fail' });
    try {
      expect(await handlers.profile.handle(job('derive.profile', run.id))).toEqual({ status: 'done' });
      expect(await handlers.publish.handle(job('derive.publish', run.id))).toEqual({ status: 'failed' });
      expect(await dataSource.manager.findOneByOrFail(DerivationRun, { id: run.id })).toMatchObject({ status: 'failed', errorCode: 'product.policy_changed', versionId: null });
      expect(await dataSource.manager.countBy(ProductVersion, { productId: run.productId })).toBe(0);
    } finally {
      await setPolicy({ smallCells: 'suppress' });
    }
  });

  it('re-derives a listed product when settings tighten, and suspends it once (telling its owner) when the new run fails them', async () => {
    // The vendor has an administrator to tell.
    const user = await dataSource.manager.save(
      dataSource.manager.create(User, { email: `owner-${Date.now().toString(36)}@vendor.test`, displayName: 'Owner', passwordHash: 'x' }),
    );
    await dataSource.manager.insert(Membership, { organizationId: vendorId, userId: user.id, role: 'vendor_admin' });
    const first = await newRun(SUPPRESSING_SQL);
    expect(await runStages(first.id)).toEqual(['validate:done', 'materialize:done', 'gate:done', 'profile:done', 'publish:done']);
    const productId = first.productId;
    await dataSource.query(`UPDATE products SET status = 'published', published_at = now() WHERE id = $1`, [productId]);
    const listed = await dataSource.manager.findOneByOrFail(Product, { id: productId });
    expect(await versionPolicyConflicts(dataSource.manager, listed)).toEqual([]);

    await setPolicy({ smallCells: 'fail' });
    try {
      // The version passed only by suppressing a small cell: it does not meet "fail".
      expect(await versionPolicyConflicts(dataSource.manager, listed)).toEqual([{ input: 'source', changes: [{ kind: 'small_cells_fail' }] }]);
      // Asked twice (a retried request, a redelivered job): one run, one notice.
      const changes = [{ kind: 'small_cells_fail' as const }];
      const asked = await dataSource.transaction((manager) => rederiveAfterPolicyChange(manager, datasetId, changes));
      const again = await dataSource.transaction((manager) => rederiveAfterPolicyChange(manager, datasetId, changes));
      const mine = asked.products.filter((entry) => entry.productId === productId);
      expect(mine).toHaveLength(1);
      expect(again.products.find((entry) => entry.productId === productId)).toEqual(mine[0]);
      expect(asked.queuedRunIds).toContain(mine[0]!.runId);
      const rederiving = await dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE kind = 'product.rederiving' AND reference LIKE $1`, [`${mine[0]!.runId}:%`]);
      expect(rederiving[0].n).toBe(1);
      const upstream = await dataSource.manager.findOneByOrFail(DerivationRun, { id: mine[0]!.runId });
      expect(upstream).toMatchObject({ trigger: 'upstream', status: 'queued' });

      // Under "fail" the small cell fails the run: the product is suspended, with the cause.
      expect(await runStages(upstream.id)).toEqual(['validate:done', 'materialize:done', 'gate:failed']);
      expect(await dataSource.manager.findOneByOrFail(DerivationRun, { id: upstream.id })).toMatchObject({ status: 'failed', errorCode: 'derive.gate_failed' });
      const suspended = await dataSource.manager.findOneByOrFail(Product, { id: productId });
      expect(suspended).toMatchObject({ status: 'suspended', suspendedFrom: 'published', suspensionReason: { cause: 'policy_tightened', datasetId } });
      // A redelivered gate job changes nothing: one suspension, one notice of each kind.
      expect(await handlers.gate.handle(job('derive.gate', upstream.id, 1) as never)).toEqual({ status: 'skipped' });
      const audit = await dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'product.suspended' AND target_id = $1`, [productId]);
      expect(audit[0].n).toBe(1);
      const notices = await dataSource.query(
        `SELECT kind, min(subject) AS subject, count(*)::int AS n FROM outbox_messages WHERE recipient = $1 AND kind IN ('product.suspended','product.run_failed') GROUP BY kind ORDER BY kind`,
        [user.email],
      );
      // Subjects in Chinese, then English, naming the product.
      expect(notices).toEqual([
        { kind: 'product.run_failed', subject: `自动重新生成失败：${suspended.titleZh} / Automatic re-derivation failed: ${suspended.titleEn}`, n: 1 },
        { kind: 'product.suspended', subject: `产品已暂停：${suspended.titleZh} / Product suspended: ${suspended.titleEn}`, n: 1 },
      ]);
    } finally {
      await setPolicy({ smallCells: 'suppress' });
    }
    // Put back, the version meets the settings again (the owner may resume).
    expect(await versionPolicyConflicts(dataSource.manager, await dataSource.manager.findOneByOrFail(Product, { id: productId }))).toEqual([]);
  });

  it('tells the owners of draft and submitted products when settings tighten, runs none of them, and says their last run predates the settings', async () => {
    const user = await dataSource.manager.save(
      dataSource.manager.create(User, { email: `unlisted-${Date.now().toString(36)}@vendor.test`, displayName: 'Owner', passwordHash: 'x' }),
    );
    await dataSource.manager.insert(Membership, { organizationId: vendorId, userId: user.id, role: 'vendor_admin' });
    // A draft whose version passed by suppressing a small cell, and a submitted product with nothing to group.
    const draftRun = await newRun(SUPPRESSING_SQL);
    expect(await runStages(draftRun.id)).toEqual(['validate:done', 'materialize:done', 'gate:done', 'profile:done', 'publish:done']);
    const submittedRun = await newRun('SELECT year, avg(value) AS mean FROM source GROUP BY year ORDER BY year');
    expect(await runStages(submittedRun.id)).toEqual(['validate:done', 'materialize:done', 'gate:done', 'profile:done', 'publish:done']);
    await dataSource.query(`UPDATE products SET status = 'submitted', review_round = 1, submitted_at = now() WHERE id = $1`, [submittedRun.productId]);
    const mine = [draftRun.productId, submittedRun.productId];
    const changedSince = async (run: DerivationRun) => {
      const product = await dataSource.manager.findOneByOrFail(Product, { id: run.productId });
      return settingsChangedSince(run.inputs, await resolveProductInputs(dataSource.manager, vendorId, await dataSource.manager.findBy(ProductInput, { productId: product.id })));
    };
    expect(await changedSince(draftRun)).toEqual([]);

    await setPolicy({ k: 3 });
    try {
      const changes = [{ kind: 'k_raised' as const, from: 2, to: 3 }];
      // Asked twice (a retried request): the owner is told once per product.
      const asked = await dataSource.transaction((manager) => rederiveAfterPolicyChange(manager, datasetId, changes));
      const again = await dataSource.transaction((manager) => rederiveAfterPolicyChange(manager, datasetId, changes));
      expect(asked.told.filter((entry) => mine.includes(entry.productId))).toEqual([
        { productId: draftRun.productId, status: 'draft' },
        { productId: submittedRun.productId, status: 'submitted' },
      ].sort((a, b) => a.productId.localeCompare(b.productId)));
      expect(again.told.filter((entry) => mine.includes(entry.productId))).toHaveLength(2);
      // Neither is run: the owner decides when.
      expect(asked.products.filter((entry) => mine.includes(entry.productId))).toEqual([]);
      const runs = await dataSource.query(`SELECT product_id, count(*)::int AS n FROM derivation_runs WHERE product_id = ANY($1) GROUP BY product_id`, [mine]);
      expect(runs.map((row: { n: number }) => row.n)).toEqual([1, 1]);
      const notices: Array<{ body: Record<string, unknown> }> = await dataSource.query(
        `SELECT body FROM outbox_messages WHERE kind = 'product.policy_changed' AND recipient = $1 AND body->>'productId' = ANY($2) ORDER BY body->>'status'`,
        [user.email, mine],
      );
      expect(notices.map((notice) => notice.body)).toEqual([
        expect.objectContaining({
          productId: draftRun.productId,
          status: 'draft',
          source: { datasetId, reason: 'policy_changed', changes },
          // Its version passed only under k = 2: submitting it now would be refused.
          versionMeetsSettings: false,
          conflicts: [{ input: 'source', changes }],
        }),
        expect.objectContaining({ productId: submittedRun.productId, status: 'submitted', versionMeetsSettings: true, conflicts: [] }),
      ]);
      // Each product's last run was made under the earlier settings, and says so.
      expect(await changedSince(draftRun)).toEqual([{ input: 'source', changes }]);
      expect(await changedSince(submittedRun)).toEqual([{ input: 'source', changes }]);
      // Run again under today's settings: nothing to say any more.
      const product = await dataSource.manager.findOneByOrFail(Product, { id: draftRun.productId });
      const inputs = await resolveProductInputs(dataSource.manager, vendorId, await dataSource.manager.findBy(ProductInput, { productId: product.id }));
      const { run: rerun } = await dataSource.transaction((manager) => createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'manual', userId: null }));
      expect(await changedSince(rerun)).toEqual([]);
    } finally {
      await setPolicy({ k: 2 });
    }
  });

  it('leaves a listed product alone when its automatic re-derivation fails for a reason other than tightened settings', async () => {
    const first = await newRun('SELECT district, count(*) AS n FROM source GROUP BY district');
    expect(await runStages(first.id)).toEqual(['validate:done', 'materialize:done', 'gate:done', 'profile:done', 'publish:done']);
    await dataSource.query(`UPDATE products SET status = 'published', sql = 'SELECT * FROM read_text(''/etc/hostname'')' WHERE id = $1`, [first.productId]);
    const product = await dataSource.manager.findOneByOrFail(Product, { id: first.productId });
    const inputs = await resolveProductInputs(dataSource.manager, vendorId, await dataSource.manager.findBy(ProductInput, { productId: product.id }));
    const { run } = await dataSource.transaction((manager) => createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'upstream', userId: null }));
    expect(await runStages(run.id)).toEqual(['validate:failed']);
    expect(await dataSource.manager.findOneByOrFail(Product, { id: product.id })).toMatchObject({ status: 'published', suspensionReason: null });
  });
});
