import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { Dataset, DatasetColumn, DatasetVersion, Organization } from '@civic/db';
import type { CatalogDatasetView, CatalogLinks } from '@civic/domain';
import { In, type DataSource } from 'typeorm';

/** Published datasets as the plain views the DCAT-AP and CKAN mappings read. */
@Injectable()
export class CatalogViewService {
  readonly links: CatalogLinks;
  /** Where the API documents itself (CKAN's `help` field points here). */
  readonly apiDocs: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ApiConfig,
  ) {
    const api = config.PUBLIC_API_URL.replace(/\/+$/, '');
    const web = config.PUBLIC_WEB_URL.replace(/\/+$/, '');
    this.apiDocs = `${api}/api/docs`;
    this.links = {
      baseUrl: web,
      datasetPage: (dataset) => `${web}/catalog/${dataset.slug}`,
      download: (dataset, format) => `${api}/api/v1/catalog/datasets/${dataset.slug}/download?format=${format}`,
      apiEndpoint: `${api}/api/v1/catalog/datasets`,
    };
  }

  /** Views of the given published datasets, in the given order (unknown ids are dropped). */
  async views(ids: string[]): Promise<CatalogDatasetView[]> {
    if (ids.length === 0) return [];
    const manager = this.dataSource.manager;
    const datasets = await manager.find(Dataset, { where: { id: In(ids), status: 'published' } });
    const versionIds = datasets.map((d) => d.currentVersionId).filter((id): id is string => id !== null);
    const [agencies, versions, columns] = await Promise.all([
      manager.find(Organization, { where: { id: In([...new Set(datasets.map((d) => d.organizationId))]) } }),
      versionIds.length ? manager.find(DatasetVersion, { where: { id: In(versionIds) } }) : Promise.resolve([]),
      manager.find(DatasetColumn, { where: { datasetId: In(datasets.map((d) => d.id)), inCurrentVersion: true }, order: { position: 'ASC' } }),
    ]);
    const agencyById = new Map(agencies.map((a) => [a.id, a]));
    const versionById = new Map(versions.map((v) => [v.id, v]));
    const byId = new Map(datasets.map((d) => [d.id, d]));
    return ids
      .map((id) => byId.get(id))
      .filter((dataset): dataset is Dataset => dataset !== undefined)
      .map((dataset) => {
        const agency = agencyById.get(dataset.organizationId) as Organization;
        const version = dataset.currentVersionId ? versionById.get(dataset.currentVersionId) : undefined;
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
          contactName: dataset.contactName,
          contactEmail: dataset.contactEmail,
          updateFrequency: dataset.updateFrequency,
          spatialCoverage: dataset.spatialCoverage,
          temporalStart: dataset.temporalStart,
          temporalEnd: dataset.temporalEnd,
          licenseId: dataset.licenseId,
          classification: dataset.classification,
          minGroupSize: dataset.minGroupSize,
          publishedAt: dataset.publishedAt?.toISOString() ?? null,
          updatedAt: dataset.updatedAt.toISOString(),
          columns: columns
            .filter((column) => column.datasetId === dataset.id)
            .map((column) => ({
              name: column.name,
              type: column.dataType,
              descriptionZh: column.descriptionZh,
              descriptionEn: column.descriptionEn,
              sensitivity: column.sensitivity,
            })),
          currentVersion: version
            ? {
                id: version.id,
                version: version.version,
                sha256: version.sha256,
                bytes: version.bytes,
                parquetBytes: version.parquetBytes,
                rowCount: version.rowCount,
                sourceFormat: version.sourceFormat,
                createdAt: version.createdAt.toISOString(),
              }
            : null,
        };
      });
  }

  /** Ids of every published dataset, most recently published first (capped). */
  async publishedIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.manager.find(Dataset, { where: { status: 'published' }, select: { id: true }, order: { publishedAt: 'DESC' }, take: limit });
    return rows.map((row) => row.id);
  }

  /** Agencies publishing at least one dataset, with their counts. */
  async agencies(): Promise<Array<{ id: string; slug: string; name: string; packageCount: number; createdAt: Date }>> {
    const rows: Array<{ id: string; slug: string; name: string; created_at: Date; package_count: number }> = await this.dataSource.query(
      `SELECT o.id, o.slug, o.name, o.created_at, count(d.id)::int AS package_count
         FROM organizations o LEFT JOIN datasets d ON d.organization_id = o.id AND d.status = 'published'
        WHERE o.kind = 'agency' AND o.status = 'active'
        GROUP BY o.id ORDER BY o.slug`,
    );
    return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, packageCount: row.package_count, createdAt: row.created_at }));
  }

  /** Keywords of published datasets, optionally starting with `prefix`. */
  async tags(prefix: string | undefined, limit: number): Promise<string[]> {
    const rows: Array<{ tag: string }> = await this.dataSource.query(
      `SELECT DISTINCT k AS tag FROM datasets, unnest(keywords) AS k
        WHERE status = 'published' AND ($1::text IS NULL OR lower(k) LIKE lower($1) || '%')
        ORDER BY 1 LIMIT $2`,
      [prefix ? prefix.replace(/[%_\\]/g, (c) => `\\${c}`) : null, limit],
    );
    return rows.map((row) => row.tag);
  }
}
