import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { WorkerConfig } from '@civic/config';
import { queuePrefix } from '@civic/jobs';
import { Queue } from 'bullmq';
import { createDataSource, Dataset, DatasetVersion, Ingestion, Organization } from '@civic/db';
import { createObjectStore, type ObjectStore } from '@civic/storage';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { IngestHandler } from './ingest.handler.js';

const CSV = '年份,渠道综合应用率(%)\n2011,33\n2012,37\n2013,45\n2014,47\n2015,50\n';

describe('catalog.ingest handler', () => {
  let dataSource: DataSource;
  let store: ObjectStore;
  let storageRoot: string;
  let agencyId: string;
  const config = Object.assign(new WorkerConfig(), {
    INGEST_MEMORY_LIMIT: '256MB',
    INGEST_THREADS: 1,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-ingest-${process.pid}-${Date.now()}`,
  });
  const producer = new WorkerProducer(config);
  const job = (ingestionId: string, attemptsMade = 0) => ({
    id: `ingest-${ingestionId}`,
    name: 'catalog.ingest' as const,
    data: { ingestionId },
    attemptsMade,
    progress: [] as number[],
    async updateProgress(percent: number) {
      this.progress.push(percent);
    },
  });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
    storageRoot = await mkdtemp(path.join(tmpdir(), 'civic-worker-store-'));
    store = createObjectStore({ kind: 'local', root: storageRoot });
    const agency = await dataSource.manager.save(
      dataSource.manager.create(Organization, { slug: `agency-${Date.now()}`, name: 'Test agency', kind: 'agency', status: 'active' }),
    );
    agencyId = agency.id;
  });
  afterAll(async () => {
    await producer.onApplicationShutdown();
    await dataSource?.destroy();
    await rm(storageRoot, { recursive: true, force: true });
  });

  async function upload(content: string, filename = 'survey.csv'): Promise<Ingestion> {
    const dataset = await dataSource.manager.save(
      dataSource.manager.create(Dataset, {
        organizationId: agencyId,
        slug: `ds-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        titleZh: '测试',
        titleEn: 'Test',
        theme: 'statistics',
        updateFrequency: 'annual',
        licenseId: 'cc-by-4.0',
        classification: 'open',
      }),
    );
    const id = crypto.randomUUID();
    await store.put(`uploads/${id}`, Readable.from([Buffer.from(content)]));
    if (!(await store.head(`uploads/${id}`))) throw new Error('put did not store');
    return dataSource.manager.save(
      dataSource.manager.create(Ingestion, { id, datasetId: dataset.id, organizationId: agencyId, uploadKey: `uploads/${id}`, filename, bytes: Buffer.byteLength(content) }),
    );
  }

  it('makes exactly one version however often the job is delivered, and reports progress', async () => {
    const ingestion = await upload(CSV);
    const handler = new IngestHandler(dataSource, store, config, producer);
    const first = job(ingestion.id);
    expect(await handler.handle(first)).toEqual({ status: 'succeeded', version: 1 });
    expect(first.progress.length).toBeGreaterThan(0);
    expect(await handler.handle(job(ingestion.id))).toEqual({ status: 'skipped' });

    // A redelivery after a crash between recording the version and finishing the ingestion
    // finds the version instead of making a second one.
    await dataSource.query(`UPDATE ingestions SET status = 'running', version_id = NULL WHERE id = $1`, [ingestion.id]);
    await store.put(ingestion.uploadKey, Readable.from([Buffer.from(CSV)]));
    expect(await handler.handle(job(ingestion.id, 1))).toEqual({ status: 'duplicate', version: 1 });

    const versions = await dataSource.manager.find(DatasetVersion, { where: { datasetId: ingestion.datasetId } });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ rowCount: 5, sourceFormat: 'csv', encoding: 'utf-8' });
    expect(await store.head(versions[0].parquetKey)).not.toBeNull();
    expect(await store.head(ingestion.uploadKey)).toBeNull();
    const dataset = await dataSource.manager.findOneByOrFail(Dataset, { id: ingestion.datasetId });
    expect(dataset.currentVersionId).toBe(versions[0].id);

    // Products built on the dataset are told once about the new version (the job id deduplicates).
    const products = new Queue('products', { connection: { url: config.REDIS_URL }, prefix: queuePrefix(config.QUEUE_PREFIX) });
    try {
      const refresh = await products.getJob(`refresh-${versions[0].id}-p`);
      expect(refresh?.data).toEqual({ datasetVersionId: versions[0].id });
      await products.obliterate({ force: true });
    } finally {
      await products.close();
    }
  });

  it('fails a bad file whole, with the reason, and keeps nothing', async () => {
    const ingestion = await upload('a,b\n1,2\n3\n', 'ragged.csv');
    const handler = new IngestHandler(dataSource, store, config, producer);
    expect(await handler.handle(job(ingestion.id))).toEqual({ status: 'failed' });
    const failed = await dataSource.manager.findOneByOrFail(Ingestion, { id: ingestion.id });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'ingest.ragged_rows', versionId: null });
    expect(failed.errorDetails).toMatchObject({ line: 3 });
    expect(await dataSource.manager.countBy(DatasetVersion, { datasetId: ingestion.datasetId })).toBe(0);
    expect(await store.head(ingestion.uploadKey)).toBeNull();
    expect((await readdir(path.join(storageRoot))).includes('datasets') ? await readdir(path.join(storageRoot, 'datasets')) : []).not.toContain(ingestion.datasetId);
    expect(await handler.handle(job(ingestion.id))).toEqual({ status: 'skipped' });
  });
});
