import { Logger } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { createDataSource } from '@civic/db';
import { buildSearchDocument, CLASSIFICATION_KEYS, UPDATE_FREQUENCY_KEYS } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { CatalogSearchService, type CatalogQuery } from './catalog-search.service.js';
import type { SearchSort } from './dto/catalog.dto.js';
import { CatalogIndexSync } from './search/catalog-index-sync.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTRICTS = [
  ['福田区', 'Futian'],
  ['南山区', 'Nanshan'],
  ['大鹏新区', 'Dapeng'],
];
const TOPICS = [
  ['城市道路交通流量', 'road traffic flow', 'transport'],
  ['公交客流', 'bus passenger flow', 'transport'],
  ['空气质量', 'Air Quality', 'environment'],
  ['用电量', 'electricity consumption', 'energy'],
  ['门诊人次', 'outpatient visits', 'health'],
];
const PERIODS = [
  ['月报', 'monthly report'],
  ['实时数据', 'real-time data'],
];
const FORMATS = ['csv', 'json', 'parquet', null];
const STATUSES = ['published', 'published', 'published', 'published', 'draft', 'withdrawn'];
const QUERIES = ['交通', '交通流量', '道路交通', '空气质量', '南山区 用电量', '月报', '统计日期', 'traffic', 'Air Quality', 'monthly report', '检查机构', 'traf', 'nothing-like-this', "') | ('x':* & !", ''];
const SORTS: Array<SearchSort | undefined> = [undefined, 'relevance', 'recent', 'popular', 'title'];

function config(index: 'on' | 'off'): ApiConfig {
  return Object.assign(new ApiConfig(), { CATALOG_SEARCH_INDEX: index });
}

const quiet = { log: () => undefined, warn: () => undefined };

describe('catalog search: the in-process index answers like PostgreSQL', () => {
  let dataSource: DataSource;
  let database: CatalogSearchService;
  let indexed: CatalogSearchService;
  const agencies: Array<{ id: string; slug: string }> = [];
  let serial = 0;

  /** Inserts a dataset as the catalog stores it (search document included); returns its id. */
  async function insertDataset(next: () => number, overrides: { status?: string; titleZh?: string; publishedDaysAgo?: number | null } = {}): Promise<string> {
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
    const [districtZh, districtEn] = pick(DISTRICTS);
    const [topicZh, topicEn, theme] = pick(TOPICS);
    const [periodZh, periodEn] = pick(PERIODS);
    const agency = pick(agencies);
    const titleZh = overrides.titleZh ?? `${districtZh}${topicZh}${periodZh}`;
    const titleEn = `${next() < 0.5 ? districtEn : districtEn.toLowerCase()} ${topicEn} ${periodEn}`;
    const description = `${districtZh}${topicZh}的${periodZh}。${topicEn} in ${districtEn}.`;
    const keywords = next() < 0.5 ? [topicZh, topicEn] : [];
    const columns = next() < 0.5 ? ['统计日期', 'value'] : ['district'];
    const status = overrides.status ?? pick(STATUSES);
    const daysAgo = overrides.publishedDaysAgo === undefined ? (next() < 0.05 ? null : Math.floor(next() * 8)) : overrides.publishedDaysAgo;
    serial += 1;
    const [row] = (await dataSource.query(
      `INSERT INTO datasets (slug, organization_id, title_zh, title_en, description_zh, theme, keywords, classification, update_frequency,
                             license_id, status, source_format, download_count, published_at, search_document)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'cc-by-4.0', $10, $11, $12,
               CASE WHEN $13::int IS NULL THEN NULL ELSE date_trunc('day', now()) - make_interval(days => $13::int) END, $14::tsvector)
       RETURNING id`,
      [
        `search-spec-${serial}`,
        agency.id,
        titleZh,
        titleEn,
        description,
        theme,
        keywords,
        pick(CLASSIFICATION_KEYS),
        pick(UPDATE_FREQUENCY_KEYS.slice(0, 3)),
        status,
        pick(FORMATS),
        Math.floor(next() * 4),
        daysAgo,
        buildSearchDocument({ titles: [titleZh, titleEn], keywords, descriptions: [description], columnNames: columns, agencyName: agency.slug === 'search-spec-0' ? '检查机构' : '交通运输局' }),
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    dataSource = createDataSource({ url: process.env.DATABASE_URL as string, poolSize: 4 });
    await dataSource.initialize();
    for (let index = 0; index < 4; index += 1) {
      const [row] = (await dataSource.query(`INSERT INTO organizations (slug, name, kind, status) VALUES ($1, $2, 'agency', 'active') RETURNING id`, [
        `search-spec-${index}`,
        `检索机构 ${index} Search agency ${index}`,
      ])) as Array<{ id: string }>;
      agencies.push({ id: row.id, slug: `search-spec-${index}` });
    }
    const next = random(42);
    for (let index = 0; index < 400; index += 1) await insertDataset(next);
    database = new CatalogSearchService(dataSource, config('off'));
    indexed = new CatalogSearchService(dataSource, config('on'));
    indexed.onApplicationBootstrap();
    expect(await indexed.indexBuilt()).toBe(true);
    expect(await database.indexBuilt()).toBe(false);
  });

  afterAll(async () => {
    await indexed?.onModuleDestroy();
    await dataSource?.destroy();
  });

  it('returns the same ids, totals and facets as the SQL search for random queries, filters, sorts and pages', async () => {
    const next = random(7);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
    // No filter, or one or several values (any of them matches), now and then an empty list.
    const maybe = <T>(values: readonly T[]) => (next() < 0.35 ? values.filter(() => next() < 0.35) : undefined);
    let nonEmpty = 0;
    for (let round = 0; round < 300; round += 1) {
      const query: CatalogQuery = {
        q: pick(QUERIES) || undefined,
        theme: maybe(['transport', 'environment', 'energy', 'health', 'housing']),
        agency: maybe([...agencies.map((agency) => agency.slug), 'no-such-agency']),
        classification: maybe(CLASSIFICATION_KEYS),
        format: maybe(['csv', 'json', 'parquet', 'ndjson']),
        updateFrequency: maybe(UPDATE_FREQUENCY_KEYS),
        sort: pick(SORTS),
        offset: pick([0, 0, 5, 20]),
        limit: pick([1, 10, 20, 100]),
      };
      const expected = await database.find(query);
      const actual = await indexed.find(query);
      const context = JSON.stringify(query);
      expect({ context, total: actual.total, facets: actual.facets }).toEqual({ context, total: expected.total, facets: expected.facets });
      if (expected.total > 0) nonEmpty += 1;
      const relevance = query.q && (query.sort ?? 'relevance') === 'relevance' && expected.total > 0;
      if (relevance) {
        // Ranking differs (ts_rank vs BM25); the matched set and page sizes must not.
        const everything = { ...query, offset: 0, limit: 1000 };
        expect({ context, ids: new Set((await indexed.find(everything)).ids) }).toEqual({ context, ids: new Set((await database.find(everything)).ids) });
        expect(actual.ids).toHaveLength(expected.ids.length);
      } else {
        expect({ context, ids: actual.ids }).toEqual({ context, ids: expected.ids });
      }
    }
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('keeps any of several values of a facet and counts each facet without its own selection, in both paths', async () => {
    const query: CatalogQuery = { theme: ['transport', 'energy'], classification: ['open', 'conditional'], agency: [agencies[0].slug, agencies[1].slug, 'no-such-agency'], offset: 0, limit: 1000 };
    const [expected, actual] = [await database.find(query), await indexed.find(query)];
    expect(actual).toEqual(expected);
    const rows = (await dataSource.query(
      `SELECT d.id, d.theme, d.classification, o.slug FROM datasets d JOIN organizations o ON o.id = d.organization_id WHERE d.status = 'published'`,
    )) as Array<{ id: string; theme: string; classification: string; slug: string }>;
    const keep = (row: (typeof rows)[number], skip?: 'theme' | 'classification' | 'agency') =>
      (skip === 'theme' || ['transport', 'energy'].includes(row.theme)) &&
      (skip === 'classification' || ['open', 'conditional'].includes(row.classification)) &&
      (skip === 'agency' || [agencies[0].slug, agencies[1].slug].includes(row.slug));
    expect(new Set(actual.ids)).toEqual(new Set(rows.filter((row) => keep(row)).map((row) => row.id)));
    const counts = (field: 'theme' | 'classification') =>
      Object.fromEntries(actual.facets.find((facet) => facet.field === field)!.counts.map((count) => [count.value, count.count]));
    const expectedCounts = (field: 'theme' | 'classification') => {
      const result: Record<string, number> = {};
      for (const row of rows.filter((candidate) => keep(candidate, field))) result[row[field]] = (result[row[field]] ?? 0) + 1;
      return result;
    };
    expect(counts('theme')).toEqual(expectedCounts('theme'));
    expect(counts('classification')).toEqual(expectedCounts('classification'));
    expect(Object.keys(counts('theme')).length).toBeGreaterThan(2);
    // An empty list, or only unknown agencies, keeps nothing.
    expect((await indexed.find({ agency: ['no-such-agency'], offset: 0, limit: 10 })).total).toBe(0);
    expect((await database.find({ theme: [], offset: 0, limit: 10 })).total).toBe(0);
  });

  it('finds Chinese words inside longer words, whole terms only, and column names', async () => {
    const search = (q: string) => indexed.find({ q, offset: 0, limit: 1000 });
    const traffic = await search('交通');
    expect(traffic.total).toBeGreaterThan(0);
    expect((await search('交通流量')).total).toBeGreaterThan(0);
    expect((await search('交通流量')).total).toBeLessThanOrEqual(traffic.total);
    expect((await search('统计日期')).total).toBeGreaterThan(0);
    expect((await search('traffic')).total).toBeGreaterThan(0);
    expect((await search('traf')).total).toBe(0);
    // Title matches rank first.
    const [first] = await dataSource.query('SELECT title_zh FROM datasets WHERE id = $1', [traffic.ids[0]]);
    expect(first.title_zh).toContain('交通');
  });

  it('lists the summaries of published datasets only, in the order found', async () => {
    const found = await indexed.find({ sort: 'title', offset: 0, limit: 5 });
    const [withdrawn] = (await dataSource.query(`SELECT id FROM datasets WHERE status = 'withdrawn' LIMIT 1`)) as Array<{ id: string }>;
    const items = await indexed.summaries([...found.ids, withdrawn.id]);
    expect(items.map((item) => item.id)).toEqual(found.ids);
    const [row] = (await dataSource.query(
      `SELECT d.title_en, d.download_count::int AS downloads, d.published_at, o.slug FROM datasets d JOIN organizations o ON o.id = d.organization_id WHERE d.id = $1`,
      [found.ids[0]],
    )) as Array<{ title_en: string; downloads: number; published_at: Date | null; slug: string }>;
    expect(items[0]).toMatchObject({
      titleEn: row.title_en,
      status: 'published',
      downloadCount: row.downloads,
      publishedAt: row.published_at?.toISOString() ?? null,
      agency: { slug: row.slug },
      versionNumber: null,
      rowCount: null,
    });
    expect(items[0].keywords).toEqual(expect.any(Array));
  });

  it('shows this replica’s publication at once and hides its withdrawal at once', async () => {
    const next = random(99);
    const id = await insertDataset(next, { status: 'draft', titleZh: '深圳湾红树林观鸟记录', publishedDaysAgo: null });
    const find = () => indexed.find({ q: '红树林 观鸟', offset: 0, limit: 10 });
    expect((await find()).ids).toEqual([]);

    await dataSource.query(`UPDATE datasets SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1`, [id]);
    indexed.invalidate();
    database.invalidate();
    expect((await find()).ids).toEqual([id]);
    const recent = { offset: 0, limit: 50, sort: 'recent' } as const;
    expect((await indexed.find(recent)).ids).toContain(id);
    expect(await indexed.find(recent)).toEqual(await database.find(recent));

    await dataSource.query(`UPDATE datasets SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [id]);
    indexed.invalidate();
    database.invalidate();
    expect((await find()).ids).toEqual([]);
    expect((await indexed.find(recent)).ids).not.toContain(id);
    expect(await indexed.find(recent)).toEqual(await database.find(recent));
  });

  it('sees another replica’s changes within the poll interval, and download counts and missed changes at the sweep', async () => {
    const replica = new CatalogIndexSync(dataSource, quiet, { pollMs: 100, sweepMs: 60_000, overlapMs: 1_000, batchSize: 50 });
    try {
      const index = await replica.start();
      if (!index) throw new Error('index not built');
      const next = random(5);
      const id = await insertDataset(next, { status: 'draft', titleZh: '梧桐山登山步道客流' });
      const find = (q: string, sort: SearchSort = 'relevance') =>
        index.search({ terms: [q], filters: { theme: null, agency: null, classification: null, format: null, updateFrequency: null }, sort, offset: 0, limit: 5 });
      expect(find('梧桐').ids).toEqual([]);

      await dataSource.query(`UPDATE datasets SET status = 'published', published_at = now(), download_count = 0, updated_at = now() WHERE id = $1`, [id]);
      const started = Date.now();
      while (find('梧桐').ids.length === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(find('梧桐').ids).toEqual([id]);
      expect(Date.now() - started).toBeLessThan(2_000);

      // Downloads do not touch updated_at: the sweep brings the count.
      await dataSource.query(`UPDATE datasets SET download_count = 1000000 WHERE id = $1`, [id]);
      await replica.poll();
      expect(find('梧桐', 'popular').ids).toEqual([id]);
      expect(index.search({ ...allOf(), sort: 'popular', limit: 1 }).ids).not.toEqual([id]);
      await replica.sweep();
      expect(index.search({ ...allOf(), sort: 'popular', limit: 1 }).ids).toEqual([id]);

      // A change stamped long before the previous poll (a slow transaction, a clock behind) is caught by the sweep.
      await dataSource.query(`UPDATE datasets SET status = 'withdrawn', updated_at = now() - interval '1 hour' WHERE id = $1`, [id]);
      await replica.poll();
      expect(find('梧桐').ids).toEqual([id]);
      await replica.sweep();
      expect(find('梧桐').ids).toEqual([]);
    } finally {
      await replica.stop();
    }
  });
});

function allOf() {
  return { terms: null, filters: { theme: null, agency: null, classification: null, format: null, updateFrequency: null }, offset: 0, limit: 5 };
}
