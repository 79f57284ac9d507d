import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessGrant, Dataset, DatasetColumn, DatasetDelivery, DatasetVersion, Organization } from '@civic/db';
import { createHash } from 'node:crypto';
import { disclosedProfile, DomainError, mayPreview, rowAccess, undeliverableColumns, type RowAccess } from '@civic/domain';
import { copyParquetToCsv, copyParquetWithout, readParquetRows } from '@civic/ingest';
import type { ObjectStore } from '@civic/storage';
import { MoreThan, IsNull, type DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import type { DatasetDetailDto, PreviewDto } from './dto/catalog.dto.js';
import { toColumnDto, toSummaryDto, toVersionDto } from './dto/mappers.js';
import { OBJECT_STORE } from './object-store.provider.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PREVIEW_ROWS = 20;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function* withByteOrderMark(stream: Readable): AsyncGenerator<Buffer> {
  yield UTF8_BOM;
  for await (const chunk of stream) yield chunk as Buffer;
}

export interface Delivery {
  stream: Readable;
  filename: string;
  contentType: string;
  bytes: number;
}

/**
 * What the catalog shows of a dataset and delivers from it. A dataset that is not published is
 * visible only to its agency; everyone else gets the same 404 as for a missing one. Rows are
 * released by the domain's access policy: open to anyone, conditional with a grant in force,
 * restricted never. Every delivery is recorded; every delivery of conditional data is audited.
 */
@Injectable()
export class CatalogReadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly audit: AuditService,
  ) {}

  async find(ref: string, principal: Principal | null): Promise<Dataset> {
    const dataset = await this.dataSource.manager.findOne(Dataset, { where: UUID.test(ref) ? { id: ref } : { slug: ref.toLowerCase() } });
    if (!dataset || (dataset.status !== 'published' && dataset.organizationId !== principal?.organizationId)) {
      throw new DomainError('catalog.not_found', 'Dataset not found.');
    }
    return dataset;
  }

  async access(dataset: Dataset, principal: Principal | null): Promise<{ access: RowAccess; grant: AccessGrant | null }> {
    const isOwner = dataset.organizationId === principal?.organizationId;
    const grants =
      principal && !isOwner && dataset.classification === 'conditional'
        ? await this.dataSource.manager.find(AccessGrant, {
            where: { datasetId: dataset.id, organizationId: principal.organizationId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
            order: { expiresAt: 'DESC' },
          })
        : [];
    const access = rowAccess({ classification: dataset.classification, isOwner, grants, now: new Date() });
    return { access, grant: access === 'granted' ? (grants[0] ?? null) : null };
  }

  async detail(ref: string, principal: Principal | null): Promise<DatasetDetailDto> {
    const dataset = await this.find(ref, principal);
    const manager = this.dataSource.manager;
    const [agency, version, columns, { access }] = await Promise.all([
      manager.findOneByOrFail(Organization, { id: dataset.organizationId }),
      dataset.currentVersionId ? manager.findOneBy(DatasetVersion, { id: dataset.currentVersionId }) : Promise.resolve(null),
      manager.find(DatasetColumn, { where: { datasetId: dataset.id }, order: { inCurrentVersion: 'DESC', position: 'ASC' } }),
      this.access(dataset, principal),
    ]);
    return {
      ...toSummaryDto(dataset, agency, version),
      contactName: dataset.contactName,
      contactEmail: dataset.contactEmail,
      spatialCoverage: dataset.spatialCoverage,
      temporalStart: dataset.temporalStart,
      temporalEnd: dataset.temporalEnd,
      licenseId: dataset.licenseId,
      minGroupSize: dataset.minGroupSize,
      smallCells: dataset.smallCells,
      columns: columns.map(toColumnDto),
      currentVersion: version ? toVersionDto(version) : null,
      // The agency sees its whole profile; everyone else what the disclosure rules allow.
      profile: !version
        ? []
        : dataset.organizationId === principal?.organizationId
          ? version.profile
          : disclosedProfile(version.profile, new Map(columns.map((column) => [column.name, column.sensitivity])), dataset.minGroupSize),
      rowAccess: access,
      previewAvailable: version !== null && mayPreview(dataset.classification),
    };
  }

  async versions(ref: string, principal: Principal | null): Promise<DatasetVersion[]> {
    const dataset = await this.find(ref, principal);
    return this.dataSource.manager.find(DatasetVersion, { where: { datasetId: dataset.id }, order: { version: 'DESC' } });
  }

  async preview(ref: string, actor: Actor): Promise<PreviewDto> {
    const dataset = await this.find(ref, actor.principal);
    if (!mayPreview(dataset.classification)) {
      throw new DomainError('catalog.rows_not_available', 'A preview of rows is shown for open data only; this dataset shows its schema and profile.');
    }
    const version = await this.currentVersion(dataset);
    const excluded = await this.personalColumns(dataset);
    const copy = await this.store.localCopy(version.parquetKey, tmpdir());
    try {
      const { columns, rows } = await readParquetRows(copy.path, { limit: PREVIEW_ROWS, excludeColumns: excluded });
      await this.record(dataset, version, actor, null, 'preview', 'json', rows.length);
      return { columns, rows, totalRows: version.rowCount };
    } finally {
      await copy.release();
    }
  }

  async download(ref: string, actor: Actor, format: 'csv' | 'parquet', options: { bom?: boolean } = {}): Promise<Delivery> {
    const dataset = await this.find(ref, actor.principal);
    const { access, grant } = await this.access(dataset, actor.principal);
    if (access === 'denied') {
      if (!actor.principal && dataset.classification === 'conditional') throw new DomainError('auth.unauthenticated', 'Sign in with an organization that holds an access grant.');
      throw new DomainError(
        'catalog.rows_not_available',
        dataset.classification === 'restricted'
          ? 'Restricted data never leaves the platform; it can only be used inside platform-run derivations.'
          : 'This dataset is conditional: file an access request and wait for the agency to approve it.',
      );
    }
    const version = await this.currentVersion(dataset);
    const key = await this.distribution(version, format, await this.personalColumns(dataset));
    const info = await this.store.head(key);
    if (!info) throw new DomainError('service.unavailable', 'The file of this version is not available right now.');
    const stored = await this.store.get(key);
    const bom = format === 'csv' && options.bom === true;
    const stream = bom ? Readable.from(withByteOrderMark(stored)) : stored;
    await this.record(dataset, version, actor, grant, 'download', format, version.rowCount);
    return {
      stream,
      filename: `${dataset.slug}-v${version.version}.${format}`,
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
      bytes: info.bytes + (bom ? UTF8_BOM.length : 0),
    };
  }

  private async currentVersion(dataset: Dataset): Promise<DatasetVersion> {
    if (!dataset.currentVersionId) throw new DomainError('catalog.no_version', 'This dataset has no data yet.');
    return this.dataSource.manager.findOneByOrFail(DatasetVersion, { id: dataset.currentVersionId });
  }

  /** Columns whose values never leave the platform (sensitivity `personal`), by current marking. */
  private async personalColumns(dataset: Dataset): Promise<string[]> {
    return undeliverableColumns(await this.dataSource.manager.find(DatasetColumn, { where: { datasetId: dataset.id, inCurrentVersion: true } }));
  }

  /**
   * The file delivered for a version in a format: the stored Parquet itself when nothing is
   * withheld, otherwise a rendering without the personal columns, made once on first request
   * and kept beside the version (keyed by the withheld columns, so re-marking a column makes a
   * new rendering).
   */
  private async distribution(version: DatasetVersion, format: 'csv' | 'parquet', excluded: string[]): Promise<string> {
    if (format === 'parquet' && excluded.length === 0) return version.parquetKey;
    const suffix = excluded.length === 0 ? '' : `.without-${createHash('sha256').update(JSON.stringify([...excluded].sort())).digest('hex').slice(0, 16)}`;
    const key = version.parquetKey.replace(/\.parquet$/, `${suffix}.${format}`);
    if (await this.store.head(key)) return key;
    const workDir = await mkdtemp(path.join(tmpdir(), 'civic-distribution-'));
    const copy = await this.store.localCopy(version.parquetKey, workDir);
    try {
      const output = path.join(workDir, `distribution.${format}`);
      if (format === 'csv') await copyParquetToCsv(copy.path, output, { excludeColumns: excluded });
      else await copyParquetWithout(copy.path, output, excluded);
      await stat(output);
      await this.store.putFile(key, output, { contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet' });
      return key;
    } finally {
      await copy.release();
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async record(
    dataset: Dataset,
    version: DatasetVersion,
    actor: Actor,
    grant: AccessGrant | null,
    channel: 'download' | 'preview',
    format: string,
    rows: number,
  ): Promise<void> {
    const principal = actor.principal;
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(DatasetDelivery, {
        datasetId: dataset.id,
        versionId: version.id,
        organizationId: principal?.organizationId ?? null,
        userId: principal?.userId ?? null,
        apiKeyId: principal?.apiKeyId ?? null,
        grantId: grant?.id ?? null,
        channel,
        format,
        rows,
      });
      if (channel === 'download') await manager.increment(Dataset, { id: dataset.id }, 'downloadCount', 1);
      if (dataset.classification !== 'open') {
        await this.audit.record(manager, actor, {
          action: 'dataset.rows_delivered',
          organizationId: dataset.organizationId,
          targetType: 'dataset',
          targetId: dataset.id,
          data: { channel, format, version: version.version, rows, grantId: grant?.id ?? null, recipientOrganizationId: principal?.organizationId ?? null },
        });
      }
    });
  }
}
