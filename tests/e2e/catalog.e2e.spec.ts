import { login } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const SURVEY = 'urban-channel-construction-survey-2011-2015';
const TRAFFIC = 'road-traffic-flow-hourly';
const ENERGY = 'district-energy-consumption-monthly';
const HOSPITAL = 'hospital-outpatient-visits';
const AIR = 'air-quality-hourly';

describe('catalog: finding and reading data', () => {
  const ctx = usePlatform();

  it('finds Chinese titles from a Chinese word, ranks title matches first and counts facets', async () => {
    const result = await ctx.http.get(`/api/v1/catalog/datasets?q=${encodeURIComponent('交通')}`);
    expect(result.status).toBe(200);
    const slugs = result.body.items.map((item: { slug: string }) => item.slug);
    expect(slugs).toContain(TRAFFIC);
    expect(result.body.items[0].titleZh).toContain('交通');
    expect(result.body.total).toBe(result.body.items.length);
    const themes = result.body.facets.find((facet: { field: string }) => facet.field === 'theme').counts;
    expect(themes.find((count: { value: string }) => count.value === 'transport').count).toBeGreaterThanOrEqual(1);
    for (const item of result.body.items) expect(item.status).toBe('published');
  });

  it('finds English words and narrows by facet filters', async () => {
    const english = await ctx.http.get('/api/v1/catalog/datasets?q=Air%20Quality');
    expect(english.body.items.map((item: { slug: string }) => item.slug)).toContain(AIR);
    const conditional = await ctx.http.get('/api/v1/catalog/datasets?classification=conditional&pageSize=100');
    expect(conditional.body.items.length).toBeGreaterThan(0);
    for (const item of conditional.body.items) expect(item.classification).toBe('conditional');
    // A facet is counted under the other filters, not its own: other classifications stay visible.
    const classes = conditional.body.facets.find((facet: { field: string }) => facet.field === 'classification').counts.map((c: { value: string }) => c.value);
    expect(classes).toEqual(expect.arrayContaining(['open', 'conditional', 'restricted']));
    const agency = await ctx.http.get('/api/v1/catalog/datasets?agency=transport-bureau&pageSize=100');
    for (const item of agency.body.items) expect(item.agency.slug).toBe('transport-bureau');
    const agencyFacet = agency.body.facets.find((facet: { field: string }) => facet.field === 'agency').counts;
    expect(agencyFacet.find((count: { value: string }) => count.value === 'transport-bureau').label).toContain('交通');
  });

  it('keeps any of several values of a facet (repeated parameters), ANDs facets, and counts a facet without its own selection', async () => {
    type Facets = Array<{ field: string; counts: Array<{ value: string; count: number }> }>;
    const counts = (facets: Facets, field: string) => Object.fromEntries(facets.find((facet) => facet.field === field)!.counts.map((count) => [count.value, count.count]));
    const both = await ctx.http.get('/api/v1/catalog/datasets?classification=open&classification=conditional&pageSize=100');
    expect(both.status).toBe(200);
    const classes = new Set(both.body.items.map((item: { classification: string }) => item.classification));
    expect(classes).toEqual(new Set(['open', 'conditional']));
    // The classification facet ignores its own selection: restricted data is still offered, and
    // the selected values' counts add up to the total (each dataset has one classification).
    const byClass = counts(both.body.facets, 'classification');
    expect(byClass.restricted).toBeGreaterThan(0);
    expect(byClass.open + byClass.conditional).toBe(both.body.total);
    expect(both.body.total).toBe(both.body.items.length);

    const mixed = await ctx.http.get('/api/v1/catalog/datasets?theme=environment&theme=meteorology&classification=open&pageSize=100');
    expect(mixed.body.total).toBeGreaterThan(0);
    for (const item of mixed.body.items) {
      expect(['environment', 'meteorology']).toContain(item.theme);
      expect(item.classification).toBe('open');
    }
    const themes = counts(mixed.body.facets, 'theme');
    expect(themes.environment + themes.meteorology).toBe(mixed.body.total);
    expect(Object.keys(themes).length).toBeGreaterThan(2);
    // Other facets are counted under every selection: only open datasets of the two themes.
    expect(Object.values(counts(mixed.body.facets, 'agency')).reduce((sum, count) => sum + count, 0)).toBe(mixed.body.total);

    // One refused value refuses the request, naming the facet.
    const bad = await ctx.http.get('/api/v1/catalog/datasets?theme=transport&theme=weather');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { field: string }) => detail.field)).toEqual(['theme']);
    // Unknown agencies match nothing; known ones still count.
    const agencies = await ctx.http.get('/api/v1/catalog/datasets?agency=transport-bureau&agency=no-such-bureau&pageSize=100');
    expect(agencies.body.total).toBeGreaterThan(0);
    for (const item of agencies.body.items) expect(item.agency.slug).toBe('transport-bureau');
  });

  it('pages and sorts', async () => {
    const first = await ctx.http.get('/api/v1/catalog/datasets?pageSize=3&page=1&sort=title');
    const second = await ctx.http.get('/api/v1/catalog/datasets?pageSize=3&page=2&sort=title');
    expect(first.body.items).toHaveLength(3);
    const titles = [...first.body.items, ...second.body.items].map((item: { titleEn: string }) => item.titleEn);
    expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id)).size).toBe(titles.length);
  });

  it('rejects malformed search parameters with a field-level 400', async () => {
    const bad = await ctx.http.get('/api/v1/catalog/datasets?theme=weather&pageSize=5000&sort=random');
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['pageSize', 'sort', 'theme']);
    // Text-search syntax in a query is just text.
    const syntax = await ctx.http.get(`/api/v1/catalog/datasets?q=${encodeURIComponent("') | ('x':* & !")}`);
    expect(syntax.status).toBe(200);
  });

  it('shows an open dataset with schema, profile, versions and a preview of the exact survey values', async () => {
    const detail = await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ classification: 'open', rowAccess: 'free', previewAvailable: true, rowCount: 5 });
    expect(detail.body.columns.map((column: { name: string }) => column.name)[0]).toBe('年份');
    const year = detail.body.profile.find((column: { name: string }) => column.name === '年份');
    expect(year).toMatchObject({ min: '2011', max: '2015', nullShare: 0 });
    const preview = await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((row: Record<string, unknown>) => Number(row['年份']))).toEqual([2011, 2012, 2013, 2014, 2015]);
    expect(Number(preview.body.rows[4]['城市整体建设优化率(%)'])).toBe(70);
  });

  it('shows version history with the schema change of the GB18030 air-quality file', async () => {
    const versions = await ctx.http.get(`/api/v1/catalog/datasets/${AIR}/versions`);
    expect(versions.body.items.map((version: { version: number }) => version.version)).toEqual([2, 1]);
    expect(versions.body.items[1]).toMatchObject({ encoding: 'gb18030', schemaChanges: null });
    expect(versions.body.items[0].schemaChanges.added.length).toBeGreaterThan(0);
  });

  it('downloads open data as CSV and Parquet, for anyone, and counts it', async () => {
    const before = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body.downloadCount;
    const csv = await ctx.http.bytes(`/api/v1/catalog/datasets/${SURVEY}/download?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = csv.body.toString('utf8');
    expect(text.split('\n')[0]).toContain('年份');
    expect(text).toContain('2015,48,50,29,70');
    expect(csv.body[0]).not.toBe(0xef);
    const parquet = await ctx.http.bytes(`/api/v1/catalog/datasets/${SURVEY}/download?format=parquet`);
    expect(parquet.body.subarray(0, 4).toString()).toBe('PAR1');
    // For spreadsheet programs: the same CSV with a UTF-8 byte order mark.
    const excel = await ctx.http.bytes(`/api/v1/catalog/datasets/${SURVEY}/download?format=csv&bom=true`);
    expect([...excel.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(excel.body.subarray(3).equals(csv.body)).toBe(true);
    expect(Number(excel.headers.get('content-length'))).toBe(csv.body.length + 3);
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}/download?bom=maybe`)).status).toBe(400);
    const after = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body.downloadCount;
    expect(after).toBe(before + 3);
  });

  it('never shows rows of conditional data without a grant, nor of restricted data to anyone', async () => {
    const energy = await ctx.http.get(`/api/v1/catalog/datasets/${ENERGY}`);
    expect(energy.body).toMatchObject({ classification: 'conditional', rowAccess: 'denied', previewAvailable: false });
    expect(energy.body.profile.length).toBeGreaterThan(0);
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${ENERGY}/preview`)).body.error.code).toBe('catalog.rows_not_available');
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${ENERGY}/download`)).status).toBe(401);

    const health = await login(ctx.http, 'steward@health.demo');
    const hospital = await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}`, { token: health.token });
    expect(hospital.body).toMatchObject({ classification: 'restricted', rowAccess: 'denied' });
    expect(hospital.body.columns.some((column: { sensitivity: string }) => column.sensitivity === 'personal')).toBe(true);
    for (const path of ['preview', 'download?format=csv', 'download?format=parquet']) {
      const refused = await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}/${path}`, { token: health.token });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('catalog.rows_not_available');
    }
  });

  it('discloses no value of a personal column in the public profile, and only k-sized groups of quasi-identifiers', async () => {
    const anonymous = await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}`);
    const sensitivity = new Map(anonymous.body.columns.map((column: { name: string; sensitivity: string }) => [column.name, column.sensitivity]));
    const k = anonymous.body.minGroupSize;
    for (const column of anonymous.body.profile) {
      if (sensitivity.get(column.name) === 'personal') expect(column).toMatchObject({ min: null, max: null, topValues: [] });
      if (sensitivity.get(column.name) === 'quasi_identifier') {
        expect(column).toMatchObject({ min: null, max: null });
        for (const top of column.topValues) expect(top.count).toBeGreaterThanOrEqual(k);
      }
    }
    // The agency itself sees its whole profile.
    const health = await login(ctx.http, 'steward@health.demo');
    const own = await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}`, { token: health.token });
    const personal = own.body.profile.find((column: { name: string }) => sensitivity.get(column.name) === 'personal');
    expect(personal.min).not.toBeNull();
    expect(JSON.stringify(anonymous.body)).not.toContain(personal.min);
  });

  it('answers 404 for unknown datasets, by slug or id', async () => {
    expect((await ctx.http.get('/api/v1/catalog/datasets/no-such-dataset')).body.error.code).toBe('catalog.not_found');
    expect((await ctx.http.get('/api/v1/catalog/datasets/00000000-0000-4000-8000-000000000000/versions')).status).toBe(404);
  });
});
