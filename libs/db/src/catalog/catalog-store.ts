import { buildSearchDocument, defaultSensitivity, diffSchemas, type SchemaColumn } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { appendAuditEvent } from '../audit/audit-chain.js';
import { DatasetColumn } from '../entities/dataset-column.entity.js';
import { DatasetVersion, type ColumnProfileRecord } from '../entities/dataset-version.entity.js';
import { Dataset, type SourceFormat } from '../entities/dataset.entity.js';
import { Organization } from '../entities/organization.entity.js';

/** What an ingestion produced, ready to become a version. */
export interface IngestedFile {
  sha256: string;
  filename: string;
  format: SourceFormat;
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' | null;
  bytes: number;
  rowCount: number;
  schema: SchemaColumn[];
  profile: ColumnProfileRecord[];
  parquetKey: string;
  parquetBytes: number;
}

export type RecordVersionResult = { created: true; version: DatasetVersion } | { created: false; version: DatasetVersion };

/** Where a Parquet version lives in object storage: addressed by content, so a retried job writes the same key. */
export function versionParquetKey(datasetId: string, sha256: string): string {
  return `datasets/${datasetId}/${sha256}.parquet`;
}

/**
 * Makes the next immutable version of a dataset from an ingested file, inside the caller's
 * transaction: locks the dataset row (so concurrent ingestions number versions one after
 * another), returns the existing version when the same bytes were ingested before, records the
 * schema changes, carries column descriptions and sensitivity over by name (new columns get the
 * classification's protective default), moves the dataset to the new version and audits it.
 */
export async function recordDatasetVersion(
  manager: EntityManager,
  input: { datasetId: string; file: IngestedFile; ingestionId: string | null; userId: string | null },
): Promise<RecordVersionResult> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('recordDatasetVersion must run inside a transaction');
  const dataset = await manager.findOne(Dataset, { where: { id: input.datasetId }, lock: { mode: 'pessimistic_write' } });
  if (!dataset) throw new Error(`dataset ${input.datasetId} not found`);
  const duplicate = await manager.findOne(DatasetVersion, { where: { datasetId: dataset.id, sha256: input.file.sha256 } });
  if (duplicate) return { created: false, version: duplicate };

  const previous = await manager.findOne(DatasetVersion, { where: { datasetId: dataset.id }, order: { version: 'DESC' } });
  const version = await manager.save(
    manager.create(DatasetVersion, {
      datasetId: dataset.id,
      organizationId: dataset.organizationId,
      version: (previous?.version ?? 0) + 1,
      sha256: input.file.sha256,
      sourceFilename: input.file.filename,
      sourceFormat: input.file.format,
      encoding: input.file.encoding,
      bytes: input.file.bytes,
      rowCount: input.file.rowCount,
      parquetKey: input.file.parquetKey,
      parquetBytes: input.file.parquetBytes,
      schema: input.file.schema,
      profile: input.file.profile,
      schemaChanges: previous ? diffSchemas(previous.schema, input.file.schema) : null,
      ingestionId: input.ingestionId,
      createdByUserId: input.userId,
    }),
  );

  const existing = new Map((await manager.find(DatasetColumn, { where: { datasetId: dataset.id } })).map((column) => [column.name, column]));
  await manager.update(DatasetColumn, { datasetId: dataset.id }, { inCurrentVersion: false });
  const columns = input.file.schema.map((column, position) => {
    const known = existing.get(column.name);
    return manager.create(DatasetColumn, {
      datasetId: dataset.id,
      name: column.name,
      position,
      dataType: column.type,
      descriptionZh: known?.descriptionZh ?? '',
      descriptionEn: known?.descriptionEn ?? '',
      sensitivity: known?.sensitivity ?? defaultSensitivity(dataset.classification),
      inCurrentVersion: true,
    });
  });
  if (columns.length > 0) await manager.save(DatasetColumn, columns);

  await manager.update(Dataset, { id: dataset.id }, { currentVersionId: version.id, sourceFormat: input.file.format, updatedAt: new Date() });
  await refreshSearchDocument(manager, dataset.id);
  await appendAuditEvent(manager, {
    action: 'dataset.version_created',
    actorUserId: input.userId,
    actorOrganizationId: input.userId ? dataset.organizationId : null,
    organizationId: dataset.organizationId,
    targetType: 'dataset',
    targetId: dataset.id,
    ip: null,
    requestId: null,
    data: {
      version: version.version,
      sha256: version.sha256,
      rows: version.rowCount,
      bytes: version.bytes,
      schemaChanges: version.schemaChanges,
      ingestionId: input.ingestionId,
    },
  });
  return { created: true, version };
}

/** Rebuilds a dataset's text-search document from its metadata, agency name and column names. */
export async function refreshSearchDocument(manager: EntityManager, datasetId: string): Promise<void> {
  const dataset = await manager.findOneByOrFail(Dataset, { id: datasetId });
  const agency = await manager.findOneByOrFail(Organization, { id: dataset.organizationId });
  const columns = await manager.find(DatasetColumn, { where: { datasetId, inCurrentVersion: true } });
  const document = buildSearchDocument({
    titles: [dataset.titleZh, dataset.titleEn],
    keywords: dataset.keywords,
    descriptions: [dataset.descriptionZh, dataset.descriptionEn],
    columnNames: columns.flatMap((column) => [column.name, column.descriptionZh, column.descriptionEn]),
    agencyName: agency.name,
  });
  await manager.query('UPDATE datasets SET search_document = $2::tsvector WHERE id = $1', [datasetId, document]);
}
