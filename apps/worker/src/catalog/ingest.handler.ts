import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { appendAuditEvent, Dataset, DatasetVersion, Ingestion, recordDatasetVersion, versionParquetKey, type IngestionStage } from '@civic/db';
import { IngestError, ingestFile, type IngestResult } from '@civic/ingest';
import { jobOptions } from '@civic/jobs';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { OBJECT_STORE } from './object-store.provider.js';

/** Where each stage sits on the progress bar (percent at its start and end). */
const STAGE_SPAN: Record<IngestionStage, [number, number]> = {
  inspecting: [0, 30],
  converting: [30, 80],
  profiling: [80, 95],
  publishing: [95, 100],
};
const PROGRESS_INTERVAL_MS = 500;

type Outcome = { status: 'skipped' | 'succeeded' | 'duplicate' | 'failed'; version?: number };

/**
 * Turns one upload into a dataset version. Idempotent: it claims only queued or running
 * ingestions (a finished one is left alone), the Parquet key is addressed by content, and the
 * version is recorded under the dataset's row lock with (dataset, sha256) unique, so a second
 * run of the same job finds the version and reports it instead of making another. A bad file
 * fails the ingestion with the reason (the job itself succeeds: retrying cannot fix a file);
 * an outage throws so BullMQ retries, and the last attempt marks the ingestion failed.
 */
@Injectable()
@HandlesJob('catalog.ingest')
export class IngestHandler implements JobHandler<'catalog.ingest'> {
  private readonly logger = new Logger(IngestHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly config: WorkerConfig,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'catalog.ingest'>): Promise<Outcome> {
    // For UPDATE … RETURNING, TypeORM answers [rows, affected count].
    const [[claimed]]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE ingestions SET status = 'running', stage = 'inspecting', progress = 0, attempts = attempts + 1,
              started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [job.data.ingestionId],
    );
    if (!claimed) return { status: 'skipped' };
    const ingestion = await this.dataSource.manager.findOneByOrFail(Ingestion, { id: job.data.ingestionId });
    const dataset = await this.dataSource.manager.findOneByOrFail(Dataset, { id: ingestion.datasetId });

    const scratchRoot = this.config.INGEST_WORK_DIR ?? tmpdir();
    await mkdir(scratchRoot, { recursive: true });
    const workDir = await mkdtemp(path.join(scratchRoot, 'civic-ingest-'));
    const progress = this.progressReporter(ingestion.id, job);
    try {
      let result: IngestResult;
      const copy = await this.store.localCopy(ingestion.uploadKey, workDir);
      try {
        result = await ingestFile({
          sourcePath: copy.path,
          filename: ingestion.filename,
          outputPath: path.join(workDir, 'version.parquet'),
          workDir,
          memoryLimit: this.config.INGEST_MEMORY_LIMIT,
          threads: this.config.INGEST_THREADS,
          onProgress: (stage, fraction) => progress(stage, fraction),
        });
      } finally {
        await copy.release();
      }
      await progress('publishing', 0, true);
      const existing = await this.dataSource.manager.findOneBy(DatasetVersion, { datasetId: dataset.id, sha256: result.sha256 });
      const parquetKey = existing?.parquetKey ?? versionParquetKey(dataset.id, result.sha256);
      if (!existing) await this.store.putFile(parquetKey, result.parquetPath, { contentType: 'application/vnd.apache.parquet' });
      const outcome = await this.dataSource.transaction(async (manager) => {
        const recorded = await recordDatasetVersion(manager, {
          datasetId: dataset.id,
          ingestionId: ingestion.id,
          userId: ingestion.createdByUserId,
          file: {
            sha256: result.sha256,
            filename: ingestion.filename,
            format: result.format,
            encoding: result.encoding,
            bytes: result.bytes,
            rowCount: result.rowCount,
            schema: result.schema,
            profile: result.profile,
            parquetKey,
            parquetBytes: (await stat(result.parquetPath)).size,
          },
        });
        const status = recorded.created ? 'succeeded' : 'duplicate';
        await manager.update(Ingestion, { id: ingestion.id }, { status, stage: null, progress: 100, versionId: recorded.version.id, finishedAt: new Date() });
        return { status, version: recorded.version.version, versionId: recorded.version.id } as const;
      });
      await this.store.delete(ingestion.uploadKey);
      // Products built on this dataset are derived again over the new version (idempotent by job id).
      if (outcome.status === 'succeeded') await this.producer.enqueue({ name: 'products.refresh-dependents', data: { datasetVersionId: outcome.versionId } });
      return { status: outcome.status, version: outcome.version };
    } catch (error) {
      if (error instanceof IngestError) {
        await this.fail(ingestion, dataset, error.code, error.message, error.details ?? null);
        return { status: 'failed' };
      }
      const attempts = jobOptions({ name: 'catalog.ingest', data: job.data }).attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        this.logger.error({ err: error, ingestionId: ingestion.id }, 'ingestion failed on its last attempt');
        await this.fail(ingestion, dataset, 'ingest.internal', 'The file could not be processed because of an internal error; try again later.', null);
        return { status: 'failed' };
      }
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async fail(ingestion: Ingestion, dataset: Dataset, code: string, message: string, details: Record<string, unknown> | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ingestions SET status = 'failed', stage = NULL, error_code = $2, error_message = $3, error_details = $4, finished_at = now()
          WHERE id = $1`,
        [ingestion.id, code, message, details === null ? null : JSON.stringify(details)],
      );
      await appendAuditEvent(manager, {
        action: 'dataset.ingest_failed',
        actorUserId: null,
        actorOrganizationId: null,
        organizationId: dataset.organizationId,
        targetType: 'dataset',
        targetId: dataset.id,
        ip: null,
        requestId: null,
        data: { ingestionId: ingestion.id, filename: ingestion.filename, code, message, details },
      });
    });
    await this.store.delete(ingestion.uploadKey);
  }

  /** Writes progress to the ingestion row (what the UI polls) and the job, at most twice a second. */
  private progressReporter(ingestionId: string, job: JobContext<'catalog.ingest'>) {
    let last = 0;
    return async (stage: IngestionStage, fraction: number, force = false): Promise<void> => {
      const now = Date.now();
      if (!force && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const [from, to] = STAGE_SPAN[stage];
      const percent = Math.min(99, Math.round(from + (to - from) * Math.max(0, Math.min(1, fraction))));
      await this.dataSource.query(`UPDATE ingestions SET stage = $2, progress = $3 WHERE id = $1 AND status = 'running'`, [ingestionId, stage, percent]);
      await job.updateProgress(percent);
    };
  }
}
