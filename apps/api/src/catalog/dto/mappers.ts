import type { Dataset, DatasetColumn, DatasetVersion, Ingestion, Organization } from '@civic/db';
import type { ColumnDto, DatasetSummaryDto, DatasetVersionDto, IngestionDto } from './catalog.dto.js';

export function toVersionDto(version: DatasetVersion): DatasetVersionDto {
  return {
    id: version.id,
    version: version.version,
    sha256: version.sha256,
    sourceFilename: version.sourceFilename,
    sourceFormat: version.sourceFormat,
    encoding: version.encoding,
    bytes: version.bytes,
    parquetBytes: version.parquetBytes,
    rowCount: version.rowCount,
    schema: version.schema,
    schemaChanges: version.schemaChanges,
    createdAt: version.createdAt.toISOString(),
  };
}

/** The fields of a dataset a summary shows (entities, or rows read with these names). */
export type SummarySource = Pick<
  Dataset,
  | 'id'
  | 'slug'
  | 'titleZh'
  | 'titleEn'
  | 'descriptionZh'
  | 'descriptionEn'
  | 'theme'
  | 'keywords'
  | 'classification'
  | 'updateFrequency'
  | 'status'
  | 'sourceFormat'
  | 'downloadCount'
  | 'publishedAt'
  | 'updatedAt'
>;

export function toSummaryDto(
  dataset: SummarySource,
  agency: Pick<Organization, 'id' | 'slug' | 'name'>,
  version: Pick<DatasetVersion, 'rowCount' | 'version'> | null,
): DatasetSummaryDto {
  return {
    id: dataset.id,
    slug: dataset.slug,
    titleZh: dataset.titleZh,
    titleEn: dataset.titleEn,
    descriptionZh: dataset.descriptionZh,
    descriptionEn: dataset.descriptionEn,
    theme: dataset.theme,
    keywords: dataset.keywords,
    agency: { id: agency.id, slug: agency.slug, name: agency.name },
    classification: dataset.classification,
    updateFrequency: dataset.updateFrequency,
    status: dataset.status,
    sourceFormat: dataset.sourceFormat,
    rowCount: version?.rowCount ?? null,
    versionNumber: version?.version ?? null,
    downloadCount: dataset.downloadCount,
    publishedAt: dataset.publishedAt?.toISOString() ?? null,
    updatedAt: dataset.updatedAt.toISOString(),
  };
}

export function toColumnDto(column: DatasetColumn): ColumnDto {
  return {
    name: column.name,
    position: column.position,
    dataType: column.dataType,
    descriptionZh: column.descriptionZh,
    descriptionEn: column.descriptionEn,
    sensitivity: column.sensitivity,
    joinPseudonym: column.joinPseudonym,
    inCurrentVersion: column.inCurrentVersion,
  };
}

export function toIngestionDto(ingestion: Ingestion, versionNumber: number | null): IngestionDto {
  return {
    id: ingestion.id,
    datasetId: ingestion.datasetId,
    status: ingestion.status,
    stage: ingestion.stage,
    progress: ingestion.progress,
    filename: ingestion.filename,
    bytes: ingestion.bytes,
    error: ingestion.errorCode
      ? { code: ingestion.errorCode, message: ingestion.errorMessage ?? '', details: ingestion.errorDetails }
      : null,
    version: versionNumber,
    createdAt: ingestion.createdAt.toISOString(),
    finishedAt: ingestion.finishedAt?.toISOString() ?? null,
  };
}
