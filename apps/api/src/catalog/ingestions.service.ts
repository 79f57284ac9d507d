import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { DatasetVersion, Ingestion, TenantRepository, type TenantScope } from '@civic/db';
import { DomainError } from '@civic/domain';
import { ObjectTooLargeError, type ObjectStore } from '@civic/storage';
import { In, type DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import { JobProducer } from '../queues/job-producer.service.js';
import { DatasetsService } from './datasets.service.js';
import { OBJECT_STORE } from './object-store.provider.js';

const ACCEPTED_EXTENSIONS = /\.(csv|json|ndjson|jsonl|parquet)$/i;

/**
 * Uploads of data files: the bytes stream into object storage (never held in memory), then an
 * ingestion row and its audit event commit together, then the ingest job is queued. A file
 * over the limit or an interrupted upload leaves nothing behind. A job that could not be
 * queued (Redis down) is picked up by the worker's ingestion sweep.
 */
@Injectable()
export class IngestionsService {
  private readonly logger = new Logger(IngestionsService.name);
  private readonly ingestions: TenantRepository<Ingestion>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly datasets: DatasetsService,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
    private readonly config: ApiConfig,
  ) {
    this.ingestions = new TenantRepository(dataSource.manager, Ingestion);
  }

  async upload(actor: Actor, scope: TenantScope, datasetId: string, file: { filename: string; stream: Readable & { truncated?: boolean } }): Promise<Ingestion> {
    await this.datasets.get(scope, datasetId);
    const filename = file.filename.split(/[\\/]/).pop()?.trim() ?? '';
    if (!ACCEPTED_EXTENSIONS.test(filename)) {
      file.stream.resume();
      throw new DomainError('request.invalid', 'Upload a .csv, .json, .ndjson or .parquet file.', [{ field: 'file', messages: ['unsupported file type'] }]);
    }
    const id = randomUUID();
    const uploadKey = `uploads/${id}`;
    let bytes: number;
    try {
      bytes = (await this.store.put(uploadKey, file.stream, { maxBytes: this.config.UPLOAD_MAX_BYTES })).bytes;
      // The multipart parser stops a file at the limit by truncating its stream.
      if (file.stream.truncated) throw new ObjectTooLargeError(this.config.UPLOAD_MAX_BYTES);
    } catch (error) {
      await this.store.delete(uploadKey).catch(() => undefined);
      if (error instanceof ObjectTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new DomainError('catalog.upload_too_large', `The file is larger than the limit of ${this.config.UPLOAD_MAX_BYTES} bytes.`, {
          limitBytes: this.config.UPLOAD_MAX_BYTES,
        });
      }
      throw error;
    }
    if (bytes === 0) {
      await this.store.delete(uploadKey);
      throw new DomainError('request.invalid', 'The file is empty.', [{ field: 'file', messages: ['empty file'] }]);
    }
    const ingestion = await this.dataSource.transaction(async (manager) => {
      const created = await this.ingestions.withManager(manager).insert(scope, {
        id,
        datasetId,
        uploadKey,
        filename,
        bytes,
        status: 'queued',
        createdByUserId: actor.principal?.userId ?? null,
      });
      await this.audit.record(manager, actor, {
        action: 'dataset.upload_received',
        targetType: 'dataset',
        targetId: datasetId,
        data: { ingestionId: id, filename, bytes },
      });
      return created;
    });
    await this.jobs.enqueue({ name: 'catalog.ingest', data: { ingestionId: id } }).catch((error: unknown) => {
      this.logger.warn({ err: error, ingestionId: id }, 'ingest job not queued now; the ingestion sweep will queue it');
    });
    return ingestion;
  }

  async get(scope: TenantScope, id: string): Promise<{ ingestion: Ingestion; version: number | null }> {
    const ingestion = await this.ingestions.findOne(scope, { id });
    if (!ingestion) throw new DomainError('catalog.ingestion_not_found', 'Upload not found.');
    return { ingestion, version: await this.versionNumber(ingestion.versionId) };
  }

  async listForDataset(scope: TenantScope, datasetId: string): Promise<Array<{ ingestion: Ingestion; version: number | null }>> {
    await this.datasets.get(scope, datasetId);
    const ingestions = await this.ingestions.find(scope, { datasetId }, { createdAt: 'DESC' }, 50);
    const versionIds = ingestions.map((ingestion) => ingestion.versionId).filter((id): id is string => id !== null);
    const versions = new Map(
      (versionIds.length ? await this.dataSource.manager.find(DatasetVersion, { where: { id: In(versionIds) }, select: { id: true, version: true } }) : []).map((v) => [v.id, v.version]),
    );
    return ingestions.map((ingestion) => ({ ingestion, version: ingestion.versionId ? (versions.get(ingestion.versionId) ?? null) : null }));
  }

  private async versionNumber(versionId: string | null): Promise<number | null> {
    if (!versionId) return null;
    return (await this.dataSource.manager.findOne(DatasetVersion, { where: { id: versionId }, select: { id: true, version: true } }))?.version ?? null;
  }
}
