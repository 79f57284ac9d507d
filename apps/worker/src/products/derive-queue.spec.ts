import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { WorkerConfig } from '@civic/config';
import {
  createDataSource,
  createDerivationRun,
  Dataset,
  DerivationRun,
  derivationRunPriority,
  Ingestion,
  Organization,
  Product,
  ProductInput,
  resolveProductInputs,
  runInputsOf,
} from '@civic/db';
import { DERIVATION_PRIORITY_STARTED } from '@civic/domain';
import { DERIVE_STAGE_JOBS, QUEUES, queuePrefix, type DeriveStageJob } from '@civic/jobs';
import { createObjectStore, type ObjectStore } from '@civic/storage';
import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { IngestHandler } from '../catalog/ingest.handler.js';
import type { JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { DeriveStages } from './derive-stages.js';
import { DeriveDependencyProvider, GateStage, MaterializeStage, ProfileStage, PublishStage, ValidateStage } from './derive.handlers.js';
import { SweepRunsHandler } from './refresh-dependents.handler.js';

const CSV = 'district,year,value\nA,2021,10\nA,2022,12\nB,2021,7\nB,2022,9\n';

/**
 * The derive queue's order, on real Redis and PostgreSQL: flows added as the API and the worker
 * add them (priority from the organization's live runs), processed by a BullMQ worker running
 * the real stages one at a time (DERIVE_CONCURRENCY = 1).
 */
describe('derive queue order', () => {
  let dataSource: DataSource;
  let store: ObjectStore;
  let storageRoot: string;
  let agencyId: string;
  let datasetId: string;
  const config = Object.assign(new WorkerConfig(), {
    INGEST_MEMORY_LIMIT: '256MB',
    INGEST_THREADS: 1,
    DERIVE_MEMORY_LIMIT: '256MB',
    DERIVE_THREADS: 1,
    DERIVE_CONCURRENCY: 1,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-derive-queue-${process.pid}-${Date.now()}`,
  });
  const connection = { url: config.REDIS_URL, maxRetriesPerRequest: null };
  const prefix = queuePrefix(config.QUEUE_PREFIX);
  const producer = new WorkerProducer(config);
  let provider: DeriveDependencyProvider;
  let handlers: Map<DeriveStageJob, JobHandler<DeriveStageJob>>;
  let queue: Queue;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 3 });
    await dataSource.initialize();
    storageRoot = await mkdtemp(path.join(tmpdir(), 'civic-derive-queue-'));
    store = createObjectStore({ kind: 'local', root: storageRoot });
    const suffix = Date.now().toString(36);
    agencyId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `agency-q-${suffix}`, name: 'Agency', kind: 'agency', status: 'active' }))).id;
    const dataset = await dataSource.manager.save(
      dataSource.manager.create(Dataset, {
        organizationId: agencyId,
        slug: `ds-q-${suffix}`,
        titleZh: '来源',
        titleEn: 'Source',
        theme: 'statistics',
        updateFrequency: 'annual',
        licenseId: 'cc-by-4.0',
        classification: 'open',
        status: 'published',
        minGroupSize: 2,
      }),
    );
    datasetId = dataset.id;
    const id = crypto.randomUUID();
    await store.put(`uploads/${id}`, Readable.from([Buffer.from(CSV)]));
    await dataSource.manager.save(dataSource.manager.create(Ingestion, { id, datasetId, organizationId: agencyId, uploadKey: `uploads/${id}`, filename: 'source.csv', bytes: CSV.length }));
    await new IngestHandler(dataSource, store, config, producer).handle({ id: 'i', name: 'catalog.ingest', data: { ingestionId: id }, attemptsMade: 0, async updateProgress() {} });
    await dataSource.query(`UPDATE dataset_columns SET sensitivity = 'public' WHERE dataset_id = $1`, [datasetId]);

    const stages = new DeriveStages(dataSource);
    provider = new DeriveDependencyProvider(dataSource, store, config);
    handlers = new Map<DeriveStageJob, JobHandler<DeriveStageJob>>([
      ['derive.validate', new ValidateStage(stages, provider)],
      ['derive.materialize', new MaterializeStage(stages, provider)],
      ['derive.gate', new GateStage(stages, provider)],
      ['derive.profile', new ProfileStage(stages, provider)],
      ['derive.publish', new PublishStage(stages, provider, producer)],
    ] as Array<[DeriveStageJob, JobHandler<DeriveStageJob>]>);
    queue = new Queue(QUEUES.derive, { connection, prefix });
  });
  afterAll(async () => {
    for (const name of Object.values(QUEUES)) {
      const each = new Queue(name, { connection, prefix });
      await each.obliterate({ force: true }).catch(() => undefined);
      await each.close();
    }
    await queue?.close();
    await provider?.onApplicationShutdown();
    await producer.onApplicationShutdown();
    await dataSource?.destroy();
    await rm(storageRoot, { recursive: true, force: true });
  });

  async function vendor(name: string): Promise<string> {
    const slug = `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    return (await dataSource.manager.save(dataSource.manager.create(Organization, { slug, name, kind: 'vendor', status: 'active' }))).id;
  }

  /** A new product of the organization and its queued run (no flow yet). */
  async function newRun(organizationId: string): Promise<DerivationRun> {
    const product = await dataSource.manager.save(
      dataSource.manager.create(Product, {
        organizationId,
        kind: 'derived',
        slug: `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
        titleZh: '产品',
        titleEn: 'Product',
        theme: 'statistics',
        sql: 'SELECT district, sum(value) AS total, count(*) AS n FROM source GROUP BY district',
      }),
    );
    await dataSource.manager.insert(ProductInput, { productId: product.id, name: 'source', position: 0, datasetId, sourceProductId: null, weight: 1 });
    const inputs = await resolveProductInputs(dataSource.manager, organizationId, await dataSource.manager.findBy(ProductInput, { productId: product.id }));
    const { run } = await dataSource.transaction((manager) => createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'manual', userId: null }));
    return run;
  }

  /** What the API and the refresh job do after a run committed. */
  async function addFlow(run: DerivationRun): Promise<number> {
    const priority = await derivationRunPriority(dataSource, run.id);
    await producer.addDeriveFlow(run.id, priority);
    return priority;
  }

  /** A BullMQ worker on the derive queue dispatching to the real stages, as WorkerRunner does; records each stage as it starts. */
  function startWorker(started: string[], names: Map<string, string>, beforeStage: (name: string, runId: string) => Promise<void> = async () => {}): Worker {
    return new Worker(
      QUEUES.derive,
      async (job: Job) => {
        const runId = (job.data as { runId: string }).runId;
        started.push(`${names.get(runId) ?? runId}:${job.name.slice('derive.'.length)}`);
        await beforeStage(job.name, runId);
        return handlers.get(job.name as DeriveStageJob)!.handle({
          id: String(job.id),
          name: job.name as DeriveStageJob,
          data: job.data,
          attemptsMade: job.attemptsMade,
          updateProgress: (progress: number) => job.updateProgress(progress),
        });
      },
      { connection, prefix, concurrency: config.DERIVE_CONCURRENCY },
    );
  }

  async function finished(runIds: string[], timeoutMs = 90_000): Promise<DerivationRun[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const runs = await Promise.all(runIds.map((id) => dataSource.manager.findOneByOrFail(DerivationRun, { id })));
      if (runs.every((run) => !['queued', 'running'].includes(run.status))) return runs;
      if (Date.now() > deadline) throw new Error(`runs still live: ${runs.map((run) => `${run.id}:${run.status}/${run.stage}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** `count` new runs of one vendor, named `<prefix>1`, `<prefix>2`… in `names`, in the order requested. */
  async function namedRuns(owner: string, prefix: string, count: number, names: Map<string, string>): Promise<DerivationRun[]> {
    const runs: DerivationRun[] = [];
    for (let index = 1; index <= count; index += 1) {
      const run = await newRun(owner);
      names.set(run.id, `${prefix}${index}`);
      runs.push(run);
    }
    return runs;
  }

  /** The runs in the order they started, checking that each ran its five stages without another run's stage in between. */
  function runOrder(started: string[]): string[] {
    const stages = DERIVE_STAGE_JOBS.map((name) => name.slice('derive.'.length));
    const order: string[] = [];
    for (let index = 0; index < started.length; index += stages.length) {
      const run = started[index]!.split(':')[0]!;
      expect(started.slice(index, index + stages.length)).toEqual(stages.map((stage) => `${run}:${stage}`));
      order.push(run);
    }
    return order;
  }

  it("processes organization B's single run before organization A's later runs, though A queued several first", async () => {
    const [a, b] = [await vendor('busy'), await vendor('other')];
    const names = new Map<string, string>();
    const aRuns = await namedRuns(a, 'A', 3, names);
    const bRun = await newRun(b);
    names.set(bRun.id, 'B1');
    // A's runs queue one behind the other; B has none ahead of its own.
    expect([...aRuns, bRun].map((run) => run.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    const priorities = [];
    for (const run of [...aRuns, bRun]) priorities.push(await addFlow(run));
    expect(priorities).toEqual([1, 2, 3, 1]);
    // Adding a flow again (a retried request, the sweep) changes nothing.
    await addFlow(aRuns[2]!);
    expect(await queue.getJob(`derive.validate-${aRuns[2]!.id}`)).toMatchObject({ priority: 3 });
    expect(await queue.getJob(`derive.materialize-${aRuns[2]!.id}`)).toMatchObject({ priority: 0 });

    const started: string[] = [];
    const worker = startWorker(started, names);
    try {
      const runs = await finished([...aRuns, bRun].map((run) => run.id));
      expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    } finally {
      await worker.close();
    }
    expect(runOrder(started)).toEqual(['A1', 'B1', 'A2', 'A3']);
  }, 120_000);

  it('finishes the run in progress before starting a run queued meanwhile, and that run before the busy organization\'s next', async () => {
    const [a, b] = [await vendor('busy'), await vendor('late')];
    const names = new Map<string, string>();
    const aRuns = await namedRuns(a, 'A', 3, names);
    // The worker is running; A1's first stage waits until B has asked for its run.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const reachedValidate = new Promise<void>((resolve) => (reached = resolve));
    const started: string[] = [];
    const worker = startWorker(started, names, async (name, runId) => {
      if (name === 'derive.validate' && runId === aRuns[0]!.id) {
        reached();
        await released;
      }
    });
    try {
      for (const run of aRuns) await addFlow(run);
      await reachedValidate;
      const bRun = await newRun(b);
      names.set(bRun.id, 'B1');
      // A1 is running (it counts for A, not for B): B's run is first in line.
      expect(await addFlow(bRun)).toBe(1);
      release();
      const runs = await finished([...aRuns, bRun].map((run) => run.id));
      expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    } finally {
      release();
      await worker.close();
    }
    expect(runOrder(started)).toEqual(['A1', 'B1', 'A2', 'A3']);
  }, 120_000);

  it('gives a lost flow that the sweep adds again its place among its organization\'s runs, and a started run\'s flow none', async () => {
    const c = await vendor('swept');
    const first = await newRun(c);
    const second = await newRun(c);
    // Their flows never reached Redis (it was down): the sweep adds them.
    await new SweepRunsHandler(dataSource, producer).handle({ id: 's', name: 'derive.sweep-runs', data: { olderThanSeconds: 0 }, attemptsMade: 0, async updateProgress() {} });
    expect(await queue.getJob(`derive.validate-${first.id}`)).toMatchObject({ priority: 1 });
    expect(await queue.getJob(`derive.validate-${second.id}`)).toMatchObject({ priority: 2 });
    // Once the first has begun, the second's flow would be queued with the same place (one run ahead),
    // and a flow added for the started run has no priority: its stages go first.
    await dataSource.query(`UPDATE derivation_runs SET status = 'running', stage = 'validating', started_at = now() WHERE id = $1`, [first.id]);
    expect(await derivationRunPriority(dataSource, second.id)).toBe(2);
    expect(await derivationRunPriority(dataSource, first.id)).toBe(DERIVATION_PRIORITY_STARTED);
    // A run that is over, or gone, no longer holds a place.
    await dataSource.query(`UPDATE derivation_runs SET status = 'cancelled', cancel_requested_at = now(), finished_at = now() WHERE id = $1`, [first.id]);
    expect(await derivationRunPriority(dataSource, second.id)).toBe(1);
    expect(await derivationRunPriority(dataSource, crypto.randomUUID())).toBe(DERIVATION_PRIORITY_STARTED);
  });
});
