import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Dataset, DatasetVersion, Organization } from '@civic/db';
import { buildSearchQuery } from '@civic/domain';
import { In, type DataSource } from 'typeorm';
import type { DatasetSearchResultDto, DatasetSummaryDto, FacetDto, SearchDatasetsQueryDto, SearchSort } from './dto/catalog.dto.js';
import { toSummaryDto } from './dto/mappers.js';

type FacetField = FacetDto['field'];

/** A search as the catalog runs it (the REST and CKAN APIs both map onto this). */
export interface CatalogQuery {
  q?: string;
  theme?: string;
  agency?: string;
  classification?: string;
  format?: string;
  updateFrequency?: string;
  sort?: SearchSort;
  offset: number;
  limit: number;
}
const FACET_COLUMNS: Record<FacetField, string> = {
  theme: 'theme',
  agency: 'organization_id',
  classification: 'classification',
  format: 'source_format',
  updateFrequency: 'update_frequency',
};

const ORDER_BY: Record<SearchSort, string> = {
  relevance: 'rank DESC, published_at DESC, id',
  recent: 'published_at DESC, id',
  popular: 'download_count DESC, published_at DESC, id',
  title: 'title_en ASC, id',
};

/**
 * Catalog search over published datasets: full-text match on the weighted search document
 * (Chinese and English terms from the domain's segmenter), filters, facet counts and paging.
 * Each facet is counted under every filter except its own, so a user sees what choosing
 * another value of that facet would give. Every value reaches SQL as a parameter.
 */
@Injectable()
export class CatalogSearchService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(query: SearchDatasetsQueryDto): Promise<DatasetSearchResultDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { ids, total, facets } = await this.find({ ...query, offset: (page - 1) * pageSize, limit: pageSize });
    return { items: await this.summaries(ids), total, page, pageSize, facets };
  }

  /** Ids of one page of matches, in order, with the total and the facet counts. */
  async find(query: CatalogQuery): Promise<{ ids: string[]; total: number; facets: FacetDto[] }> {
    const tsquery = query.q ? buildSearchQuery(query.q) : null;
    const sort = query.sort ?? (tsquery ? 'relevance' : 'recent');

    let agencyId: string | null = null;
    if (query.agency) {
      const agency = await this.dataSource.manager.findOne(Organization, { where: { slug: query.agency, kind: 'agency' } });
      agencyId = agency?.id ?? '00000000-0000-0000-0000-000000000000';
    }
    const filters: Record<FacetField, string | null> = {
      theme: query.theme ?? null,
      agency: agencyId,
      classification: query.classification ?? null,
      format: query.format ?? null,
      updateFrequency: query.updateFrequency ?? null,
    };
    const fields = Object.keys(FACET_COLUMNS) as FacetField[];
    // $1 = tsquery, $2..$6 = filters in the order of `fields`.
    const params: unknown[] = [tsquery, ...fields.map((field) => filters[field])];
    const condition = (field: FacetField) => `($${fields.indexOf(field) + 2}::text IS NULL OR ${FACET_COLUMNS[field]}::text = $${fields.indexOf(field) + 2})`;
    const allFilters = fields.map(condition).join(' AND ');
    const allBut = (skip: FacetField) => fields.filter((field) => field !== skip).map(condition).join(' AND ');

    const matched = `
      WITH matched AS MATERIALIZED (
        SELECT id, organization_id, theme, classification, source_format, update_frequency,
               published_at, download_count, title_en,
               CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(search_document, $1::tsquery) END AS rank
          FROM datasets
         WHERE status = 'published' AND ($1::text IS NULL OR search_document @@ $1::tsquery)
      )`;
    const facetSql = fields
      .map(
        (field) =>
          `SELECT '${field}' AS field, ${FACET_COLUMNS[field]}::text AS value, count(*)::int AS count
             FROM matched WHERE ${allBut(field)} AND ${FACET_COLUMNS[field]} IS NOT NULL GROUP BY 2`,
      )
      .join(' UNION ALL ');
    const [facetRows, pageRows] = await Promise.all([
      this.dataSource.query(`${matched} ${facetSql} UNION ALL SELECT 'total', NULL, count(*)::int FROM matched WHERE ${allFilters}`, params) as Promise<
        Array<{ field: FacetField | 'total'; value: string | null; count: number }>
      >,
      this.dataSource.query(
        `${matched} SELECT id FROM matched WHERE ${allFilters} ORDER BY ${ORDER_BY[sort]} LIMIT $7 OFFSET $8`,
        [...params, query.limit, query.offset],
      ) as Promise<Array<{ id: string }>>,
    ]);

    const agencyIds = [...new Set(facetRows.filter((row) => row.field === 'agency' && row.value).map((row) => row.value as string))];
    const agencies = new Map(
      (agencyIds.length ? await this.dataSource.manager.find(Organization, { where: { id: In(agencyIds) } }) : []).map((agency) => [agency.id, agency]),
    );
    const facets: FacetDto[] = fields.map((field) => ({
      field,
      counts: facetRows
        .filter((row) => row.field === field && row.value !== null)
        .map((row) => ({
          value: field === 'agency' ? (agencies.get(row.value as string)?.slug ?? (row.value as string)) : (row.value as string),
          ...(field === 'agency' ? { label: agencies.get(row.value as string)?.name ?? '' } : {}),
          count: row.count,
        }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    }));
    return { ids: pageRows.map((row) => row.id), total: facetRows.find((row) => row.field === 'total')?.count ?? 0, facets };
  }

  /** Search results in the given order. */
  async summaries(ids: string[]): Promise<DatasetSummaryDto[]> {
    const datasets = ids.length ? await this.dataSource.manager.find(Dataset, { where: { id: In(ids) } }) : [];
    const agencyIds = [...new Set(datasets.map((dataset) => dataset.organizationId))];
    const agencies = new Map(
      (agencyIds.length ? await this.dataSource.manager.find(Organization, { where: { id: In(agencyIds) } }) : []).map((agency) => [agency.id, agency]),
    );
    const versionIds = datasets.map((dataset) => dataset.currentVersionId).filter((id): id is string => id !== null);
    const versions = new Map(
      (versionIds.length ? await this.dataSource.manager.find(DatasetVersion, { where: { id: In(versionIds) }, select: { id: true, version: true, rowCount: true } }) : []).map(
        (version) => [version.id, version],
      ),
    );
    const byId = new Map(datasets.map((dataset) => [dataset.id, dataset]));
    return ids.map((id) => {
      const dataset = byId.get(id) as Dataset;
      return toSummaryDto(dataset, agencies.get(dataset.organizationId) as Organization, dataset.currentVersionId ? (versions.get(dataset.currentVersionId) ?? null) : null);
    });
  }
}
