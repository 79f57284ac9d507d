import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { buildSearchQuery } from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { DatasetSearchResultDto, DatasetSummaryDto, FacetDto, SearchDatasetsQueryDto, SearchSort } from './dto/catalog.dto.js';
import { toSummaryDto, type SummarySource } from './dto/mappers.js';
import { FACET_FIELDS, type FacetField } from './search/catalog-index.js';
import { CatalogIndexSync } from './search/catalog-index-sync.js';

/**
 * A search as the catalog runs it (the REST and CKAN APIs both map onto this). A facet filter
 * keeps datasets having any of its values (an empty list keeps none); filters of different
 * facets all apply.
 */
export interface CatalogQuery {
  q?: string;
  theme?: readonly string[];
  /** Agency slugs. */
  agency?: readonly string[];
  classification?: readonly string[];
  format?: readonly string[];
  updateFrequency?: readonly string[];
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

/**
 * Orders by columns both `datasets` and the matched rows have; relevance adds the rank first.
 * Titles in code-point order whatever the database's collation, as the index sorts them.
 */
const ORDER_BY: Record<SearchSort, string> = {
  relevance: 'published_at DESC, id',
  recent: 'published_at DESC, id',
  popular: 'download_count DESC, published_at DESC, id',
  title: 'title_en COLLATE "C" ASC, id',
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

/** How long the facet counts of the unfiltered catalog are reused (browsing without words, PostgreSQL path). */
const BROWSE_CACHE_MS = 5_000;

/** The quoted terms of a `tsquery` literal made by `buildSearchQuery` (letters, digits and `_` only). */
function termsOf(tsquery: string): string[] {
  return [...tsquery.matchAll(/'([^']+)'/g)].map((match) => match[1]);
}

type Found = { ids: string[]; total: number; facets: FacetDto[] };
type Filters = Record<FacetField, readonly string[] | null>;
type AgencyRow = { id: string; slug: string; name: string };
type SummaryRow = SummarySource & { agencyId: string; agencySlug: string; agencyName: string; rowCount: number | null; versionNumber: number | null };

/** What a search result shows of each dataset, with its agency and current version, under the names `toSummaryDto` reads. */
const SUMMARY_SQL = `
  SELECT d.id, d.slug, d.title_zh AS "titleZh", d.title_en AS "titleEn", d.description_zh AS "descriptionZh", d.description_en AS "descriptionEn",
         d.theme, d.keywords, d.classification, d.update_frequency AS "updateFrequency", d.status, d.source_format AS "sourceFormat",
         d.download_count::float8 AS "downloadCount", d.published_at AS "publishedAt", d.updated_at AS "updatedAt",
         o.id AS "agencyId", o.slug AS "agencySlug", o.name AS "agencyName", v.row_count::float8 AS "rowCount", v.version AS "versionNumber"
    FROM datasets d
    JOIN organizations o ON o.id = d.organization_id
    LEFT JOIN dataset_versions v ON v.id = d.current_version_id
   WHERE d.id = ANY($1::uuid[]) AND d.status = 'published'`;

/**
 * Catalog search over published datasets: full-text match on the weighted search document
 * (Chinese and English terms from the domain's segmenter), filters, facet counts and paging.
 * A facet filter may hold several values (any of them matches); each facet is counted under
 * every filter except its own, so a user sees what adding or choosing another value of that
 * facet would give.
 *
 * Searches are answered from an in-process index (`search/`), built from PostgreSQL at start
 * and kept in step with it (see `CatalogIndexSync`); until it is built, or with
 * CATALOG_SEARCH_INDEX=off, PostgreSQL answers: one statement computes the matching rows'
 * facet combinations and the requested page, and browsing without words reuses the whole
 * catalog's combinations for a few seconds. Every value reaches SQL as a parameter.
 */
@Injectable()
export class CatalogSearchService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CatalogSearchService.name);
  private readonly sync: CatalogIndexSync | null;
  private browse: { at: number; combinations: Promise<FacetCombination[]> } | null = null;
  private firstBuild: Promise<unknown> = Promise.resolve(null);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ApiConfig,
  ) {
    this.sync = config.CATALOG_SEARCH_INDEX === 'on' ? new CatalogIndexSync(dataSource, this.logger) : null;
  }

  onApplicationBootstrap(): void {
    if (this.sync) this.firstBuild = this.sync.start();
  }

  /** Resolves when the index's first build ends: true when searches are answered from it. */
  async indexBuilt(): Promise<boolean> {
    await this.firstBuild;
    return this.sync?.index != null;
  }

  async onModuleDestroy(): Promise<void> {
    await this.sync?.stop();
  }

  async search(query: SearchDatasetsQueryDto): Promise<DatasetSearchResultDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { ids, total, facets } = await this.find({ ...query, offset: (page - 1) * pageSize, limit: pageSize });
    return { items: await this.summaries(ids), total, page, pageSize, facets };
  }

  /**
   * The published catalog changed through this replica: its next search sees the change (the
   * index re-reads changed rows first; the cached PostgreSQL counts are dropped). Other replicas
   * see it within their poll interval.
   */
  invalidate(): void {
    this.browse = null;
    this.sync?.refreshNow();
  }

  /** Ids of one page of matches, in order, with the total and the facet counts. */
  async find(query: CatalogQuery): Promise<Found> {
    const tsquery = query.q ? buildSearchQuery(query.q) : null;
    const sort = query.sort ?? (tsquery ? 'relevance' : 'recent');

    // Agencies are filtered by id; unknown slugs match nothing.
    let agencyIds: string[] | null = null;
    if (query.agency) {
      const slugs = [...new Set(query.agency)];
      const rows = slugs.length ? ((await this.dataSource.query(`SELECT id FROM organizations WHERE slug = ANY($1::text[]) AND kind = 'agency'`, [slugs])) as Array<{ id: string }>) : [];
      agencyIds = rows.map((row) => row.id);
    }
    const list = (values: readonly string[] | undefined) => (values === undefined ? null : [...new Set(values)]);
    const filters: Filters = {
      theme: list(query.theme),
      agency: agencyIds,
      classification: list(query.classification),
      format: list(query.format),
      updateFrequency: list(query.updateFrequency),
    };
    // Once the index answers, a change this replica just made is read into it first.
    if (this.sync?.index) await this.sync.fresh();
    const index = this.sync?.index;
    if (index) {
      const found = index.search({ terms: tsquery ? termsOf(tsquery) : null, filters, sort, offset: query.offset, limit: query.limit });
      return { ids: found.ids, total: found.total, facets: await this.facetDtos(found.facets) };
    }
    return this.findInDatabase(tsquery, sort, filters, query);
  }

  /** The same search as one PostgreSQL statement (before the index is built, or without it). */
  private async findInDatabase(tsquery: string | null, sort: SearchSort, filters: Filters, query: CatalogQuery): Promise<Found> {
    const fields = FACET_FIELDS;
    // $1 = tsquery, $2..$6 = filters (lists of values) in the order of `fields`, $7 limit, $8 offset.
    const conditions = fields.map((field, index) => `($${index + 2}::text[] IS NULL OR ${FACET_COLUMNS[field]}::text = ANY($${index + 2}::text[]))`).join(' AND ');
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
    const kept = new Map(fields.map((field) => [field, filters[field] === null ? null : new Set(filters[field])]));
    const passes = (combination: FacetCombination, skip: FacetField | null) =>
      fields.every((field) => {
        const values = kept.get(field);
        if (field === skip || !values) return true;
        const value = valueOf(combination, field);
        return value !== null && values.has(value);
      });
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
    return { ids, total, facets: await this.facetDtos(counted) };
  }

  /** Facet counts as the API lists them: agencies by slug with their name, most frequent values first. */
  private async facetDtos(counted: Map<FacetField, Map<string, number>>): Promise<FacetDto[]> {
    const agencyIds = [...(counted.get('agency') as Map<string, number>).keys()];
    const rows = agencyIds.length ? ((await this.dataSource.query('SELECT id, slug, name FROM organizations WHERE id = ANY($1::uuid[])', [agencyIds])) as AgencyRow[]) : [];
    const agencies = new Map(rows.map((agency) => [agency.id, agency]));
    return FACET_FIELDS.map((field) => ({
      field,
      counts: [...(counted.get(field) as Map<string, number>)]
        .map(([value, count]) => ({
          value: field === 'agency' ? (agencies.get(value)?.slug ?? value) : value,
          ...(field === 'agency' ? { label: agencies.get(value)?.name ?? '' } : {}),
          count,
        }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    }));
  }

  private browseCombinations(): Promise<FacetCombination[]> {
    if (!this.browse || Date.now() - this.browse.at > BROWSE_CACHE_MS) {
      const combinations = this.dataSource.query(BROWSE_SQL) as Promise<FacetCombination[]>;
      this.browse = { at: Date.now(), combinations };
      combinations.catch(() => (this.browse = null));
    }
    return this.browse.combinations;
  }

  /**
   * Search results in the given order, in one query. Only published datasets: a replica's index
   * may list, for up to its poll interval, a dataset another replica has just withdrawn.
   */
  async summaries(ids: string[]): Promise<DatasetSummaryDto[]> {
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(SUMMARY_SQL, [ids])) as SummaryRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids
      .map((id) => byId.get(id))
      .filter((row): row is SummaryRow => row !== undefined)
      .map((row) =>
        toSummaryDto(
          row,
          { id: row.agencyId, slug: row.agencySlug, name: row.agencyName },
          row.versionNumber === null ? null : { rowCount: row.rowCount as number, version: row.versionNumber },
        ),
      );
  }
}
