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

/** Orders by columns both `datasets` and the matched rows have; relevance adds the rank first. */
const ORDER_BY: Record<SearchSort, string> = {
  relevance: 'published_at DESC, id',
  recent: 'published_at DESC, id',
  popular: 'download_count DESC, published_at DESC, id',
  title: 'title_en ASC, id',
};

/** Published datasets per combination of facet values: enough to count every facet under any filters. */
interface FacetCombination {
  theme: string;
  organization_id: string;
  classification: string;
  source_format: string | null;
  update_frequency: string;
  count: number;
}

const BROWSE_SQL = `
  SELECT theme, organization_id::text AS organization_id, classification, source_format, update_frequency, count(*)::int AS count
    FROM datasets WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5`;

/** How long the facet counts of the unfiltered catalog are reused (browsing without words). */
const BROWSE_CACHE_MS = 5_000;

/**
 * Catalog search over published datasets: full-text match on the weighted search document
 * (Chinese and English terms from the domain's segmenter), filters, facet counts and paging.
 * Each facet is counted under every filter except its own, so a user sees what choosing
 * another value of that facet would give. The counts come from one aggregate per search: the
 * number of matching datasets per combination of facet values (a few thousand rows at most),
 * which is then filtered in memory. Browsing without words reuses the whole catalog's
 * combinations for a few seconds. Every value reaches SQL as a parameter.
 */
@Injectable()
export class CatalogSearchService {
  private browse: { at: number; combinations: Promise<FacetCombination[]> } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(query: SearchDatasetsQueryDto): Promise<DatasetSearchResultDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { ids, total, facets } = await this.find({ ...query, offset: (page - 1) * pageSize, limit: pageSize });
    return { items: await this.summaries(ids), total, page, pageSize, facets };
  }

  /** Forget cached counts after a change of what is published (this replica; others within BROWSE_CACHE_MS). */
  invalidate(): void {
    this.browse = null;
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
    // $1 = tsquery, $2..$6 = filters in the order of `fields`, $7 limit, $8 offset.
    const conditions = fields.map((field, index) => `($${index + 2}::text IS NULL OR ${FACET_COLUMNS[field]}::text = $${index + 2})`).join(' AND ');
    const params = [tsquery, ...fields.map((field) => filters[field]), query.limit, query.offset];
    let combinations: FacetCombination[];
    let ids: string[];
    if (tsquery) {
      // One pass over the matching rows: their facet combinations and the requested page.
      const order = sort === 'relevance' ? `rank DESC, ${ORDER_BY.recent}` : ORDER_BY[sort];
      const rows: Array<FacetCombination & { id: string | null; ordinal: number | null }> = await this.dataSource.query(
        `WITH matched AS MATERIALIZED (
           SELECT id, theme, organization_id::text AS organization_id, classification, source_format, update_frequency,
                  published_at, download_count, title_en, ts_rank(search_document, $1::tsquery) AS rank
             FROM datasets WHERE status = 'published' AND search_document @@ $1::tsquery)
         SELECT NULL::uuid AS id, NULL::int AS ordinal, theme, organization_id, classification, source_format, update_frequency, count(*)::int AS count
           FROM matched GROUP BY 3, 4, 5, 6, 7
         UNION ALL
         (SELECT id, row_number() OVER (ORDER BY ${order})::int, NULL, NULL, NULL, NULL, NULL, NULL
            FROM matched WHERE ${conditions} ORDER BY ${order} LIMIT $7 OFFSET $8)`,
        params,
      );
      combinations = rows.filter((row) => row.id === null);
      ids = rows
        .filter((row) => row.id !== null)
        .sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0))
        .map((row) => row.id as string);
    } else {
      const orderBy = ORDER_BY[sort === 'relevance' ? 'recent' : sort];
      const [browse, pageRows] = await Promise.all([
        this.browseCombinations(),
        this.dataSource.query(
          `SELECT id FROM datasets WHERE status = 'published' AND $1::text IS NULL AND ${conditions} ORDER BY ${orderBy} LIMIT $7 OFFSET $8`,
          params,
        ) as Promise<Array<{ id: string }>>,
      ]);
      combinations = browse;
      ids = pageRows.map((row) => row.id);
    }

    const valueOf = (combination: FacetCombination, field: FacetField) => combination[FACET_COLUMNS[field] as keyof FacetCombination] as string | null;
    const passes = (combination: FacetCombination, skip: FacetField | null) =>
      fields.every((field) => field === skip || filters[field] === null || valueOf(combination, field) === filters[field]);
    const counted = new Map<FacetField, Map<string, number>>(fields.map((field) => [field, new Map()]));
    let total = 0;
    for (const combination of combinations) {
      if (passes(combination, null)) total += combination.count;
      for (const field of fields) {
        const value = valueOf(combination, field);
        if (value === null || !passes(combination, field)) continue;
        const counts = counted.get(field) as Map<string, number>;
        counts.set(value, (counts.get(value) ?? 0) + combination.count);
      }
    }
    const agencyIds = [...(counted.get('agency') as Map<string, number>).keys()];
    const agencies = new Map(
      (agencyIds.length ? await this.dataSource.manager.find(Organization, { where: { id: In(agencyIds) } }) : []).map((agency) => [agency.id, agency]),
    );
    const facets: FacetDto[] = fields.map((field) => ({
      field,
      counts: [...(counted.get(field) as Map<string, number>)]
        .map(([value, count]) => ({
          value: field === 'agency' ? (agencies.get(value)?.slug ?? value) : value,
          ...(field === 'agency' ? { label: agencies.get(value)?.name ?? '' } : {}),
          count,
        }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    }));
    return { ids, total, facets };
  }

  private browseCombinations(): Promise<FacetCombination[]> {
    if (!this.browse || Date.now() - this.browse.at > BROWSE_CACHE_MS) {
      const combinations = this.dataSource.query(BROWSE_SQL) as Promise<FacetCombination[]>;
      this.browse = { at: Date.now(), combinations };
      combinations.catch(() => (this.browse = null));
    }
    return this.browse.combinations;
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
