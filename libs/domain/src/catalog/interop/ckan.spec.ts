import fc from 'fast-check';
import { DomainError } from '../../errors/domain-error.js';
import { CLASSIFICATION_KEYS, THEME_KEYS, UPDATE_FREQUENCY_KEYS } from '../vocabulary.js';
import {
  CKAN_SORTS,
  ckanEnvelope,
  ckanError,
  ckanTimestamp,
  parseCkanSearch,
  toCkanFacets,
  toCkanPackage,
  toCkanSearchResult,
  type CkanSearchFilters,
} from './ckan.js';
import { BASE_URL, CONDITIONAL_HEALTH, LINKS, OPEN_EMPTY_STATISTICS, OPEN_TRAFFIC, RESTRICTED_SAFETY, catalogViewArbitrary } from './test-support.js';

const CKAN_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The DomainError a call throws (fails the test when it does not throw one). */
function domainError(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function issueFields(call: () => unknown): string[] {
  const error = domainError(call);
  expect(error.code).toBe('request.invalid');
  return (error.details as { field: string }[]).map((issue) => issue.field);
}

describe('CKAN package', () => {
  const pkg = toCkanPackage(OPEN_TRAFFIC, LINKS);

  it('gives identity, bilingual texts (ckanext-fluent) and state', () => {
    expect(pkg).toMatchObject({
      id: OPEN_TRAFFIC.id,
      name: 'urban-road-traffic-flow',
      title: '城市道路交通流量',
      title_translated: { zh_Hans_CN: '城市道路交通流量', en: 'Urban road traffic flow' },
      notes: OPEN_TRAFFIC.descriptionZh,
      notes_translated: { zh_Hans_CN: OPEN_TRAFFIC.descriptionZh, en: OPEN_TRAFFIC.descriptionEn },
      type: 'dataset',
      state: 'active',
      private: false,
      url: `${BASE_URL}/datasets/urban-road-traffic-flow`,
      version: '3',
    });
  });

  it('gives licence, organization, maintainer, theme group and tags', () => {
    expect(pkg).toMatchObject({
      license_id: 'cc-by-4.0',
      license_title: '知识共享 署名 4.0',
      license_url: 'https://creativecommons.org/licenses/by/4.0/',
      isopen: true,
      maintainer: '数据开放办公室',
      maintainer_email: 'opendata@jtj.example.gov.cn',
      owner_org: OPEN_TRAFFIC.agency.id,
      organization: {
        id: OPEN_TRAFFIC.agency.id,
        name: 'transport-bureau',
        title: '市交通运输局',
        type: 'organization',
        is_organization: true,
        state: 'active',
      },
      num_tags: 3,
    });
    expect(pkg.groups).toEqual([expect.objectContaining({ id: 'transport', name: 'transport', title: '交通与客流' })]);
    expect(pkg.tags.map((tag) => [tag.name, tag.display_name])).toEqual([
      ['交通', '交通'],
      ['流量', '流量'],
      ['traffic', 'traffic'],
    ]);
  });

  it('puts catalog-only fields in extras', () => {
    expect(pkg.extras).toEqual([
      { key: 'classification', value: 'open' },
      { key: 'update_frequency', value: 'hourly' },
      { key: 'frequency', value: 'http://publications.europa.eu/resource/authority/frequency/HOURLY' },
      { key: 'spatial_text', value: '全市' },
      { key: 'temporal_start', value: '2023-01-01' },
      { key: 'temporal_end', value: '2024-12-31' },
    ]);
    expect(toCkanPackage(OPEN_EMPTY_STATISTICS, LINKS).extras.map((extra) => extra.key)).toEqual(['classification', 'update_frequency', 'frequency']);
  });

  it('writes timestamps the CKAN way', () => {
    expect(pkg.metadata_created).toBe('2024-03-01T08:00:00.000000');
    expect(pkg.metadata_modified).toBe('2025-01-15T02:30:00.000000');
    expect(toCkanPackage(OPEN_EMPTY_STATISTICS, LINKS).metadata_created).toBe('2025-01-15T02:30:00.000000');
    expect(ckanTimestamp('2024-06-01T10:00:00+08:00')).toBe('2024-06-01T02:00:00.000000');
    expect(ckanTimestamp('not a date')).toBe('not a date');
  });

  it('lists CSV and Parquet resources for open data', () => {
    expect(pkg.num_resources).toBe(2);
    const [csv, parquet] = pkg.resources;
    expect(csv).toMatchObject({
      package_id: OPEN_TRAFFIC.id,
      format: 'CSV',
      mimetype: 'text/csv',
      url: `${BASE_URL}/api/v1/datasets/${OPEN_TRAFFIC.id}/download?format=csv`,
      size: null,
      hash: '',
      position: 0,
      state: 'active',
    });
    expect(parquet).toMatchObject({
      format: 'Parquet',
      mimetype: 'application/vnd.apache.parquet',
      url: `${BASE_URL}/api/v1/datasets/${OPEN_TRAFFIC.id}/download?format=parquet`,
      size: 262_144,
      hash: '',
      position: 1,
    });
    expect(csv.created).toMatch(CKAN_TIMESTAMP);
    expect(new Set(pkg.resources.map((resource) => resource.id)).size).toBe(2);
  });

  it('lists no resources for conditional or restricted data, nor for open data without a version', () => {
    for (const view of [CONDITIONAL_HEALTH, RESTRICTED_SAFETY, OPEN_EMPTY_STATISTICS]) {
      const other = toCkanPackage(view, LINKS);
      expect(other.resources).toEqual([]);
      expect(other.num_resources).toBe(0);
      expect(JSON.stringify(other)).not.toContain('/download');
    }
    expect(toCkanPackage(CONDITIONAL_HEALTH, LINKS).isopen).toBe(false);
    expect(toCkanPackage(OPEN_EMPTY_STATISTICS, LINKS).version).toBeNull();
  });

  it('falls back to the English text when the Chinese is empty, and drops blank or repeated tags', () => {
    const other = toCkanPackage({ ...OPEN_TRAFFIC, titleZh: '', descriptionZh: '', keywords: [' traffic ', 'traffic', '  '] }, LINKS);
    expect(other.title).toBe('Urban road traffic flow');
    expect(other.notes).toBe(OPEN_TRAFFIC.descriptionEn);
    expect(other.tags.map((tag) => tag.name)).toEqual(['traffic']);
  });

  it('never lists resources of data that is not open (property)', () => {
    fc.assert(
      fc.property(catalogViewArbitrary, (view) => {
        const result = toCkanPackage(view, LINKS);
        expect(result.num_resources).toBe(result.resources.length);
        expect(result.num_tags).toBe(result.tags.length);
        expect(result.resources.length).toBe(view.classification === 'open' && view.currentVersion ? 2 : 0);
        expect(result.metadata_modified).toMatch(CKAN_TIMESTAMP);
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }),
    );
  });
});

describe('CKAN envelopes', () => {
  it('wraps a result', () => {
    expect(ckanEnvelope({ count: 0 }, 'https://data.example.gov.cn/api/3/action/help_show?name=package_search')).toEqual({
      help: 'https://data.example.gov.cn/api/3/action/help_show?name=package_search',
      success: true,
      result: { count: 0 },
    });
  });

  it('writes CKAN error bodies', () => {
    expect(ckanError('Not Found Error', 'Not found')).toEqual({
      help: '',
      success: false,
      error: { __type: 'Not Found Error', message: 'Not found' },
    });
    expect(ckanError('Validation Error', 'rows: must be a number', 'h')).toEqual({
      help: 'h',
      success: false,
      error: { __type: 'Validation Error', message: 'rows: must be a number' },
    });
  });
});

describe('CKAN search parameters', () => {
  it('has CKAN defaults', () => {
    expect(parseCkanSearch({})).toEqual({ q: '', filters: {}, rows: 10, start: 0, sort: 'relevance', facetFields: [] });
    expect(parseCkanSearch({ q: '*:*', fq: '', rows: '', sort: '' })).toEqual(parseCkanSearch({}));
  });

  it('maps fq terms onto catalog filters', () => {
    const search = parseCkanSearch({
      q: '交通 流量',
      fq: '+organization:transport-bureau groups:transport res_format:CSV tags:交通 extras_classification:open extras_update_frequency:hourly',
    });
    expect(search.q).toBe('交通 流量');
    expect(search.filters).toEqual({
      agency: ['transport-bureau'],
      theme: ['transport'],
      format: ['csv'],
      tags: ['交通'],
      classification: ['open'],
      updateFrequency: ['hourly'],
    });
  });

  it('reads several values of one field as any of them, in the forms Solr gives OR that meaning', () => {
    const theme = (fq: string | string[]) => parseCkanSearch({ fq }).filters.theme;
    expect(theme('groups:(transport OR energy)')).toEqual(['transport', 'energy']);
    expect(theme('groups:(transport || "energy" OR transport)')).toEqual(['transport', 'energy']);
    expect(theme('groups:transport OR groups:energy')).toEqual(['transport', 'energy']);
    expect(theme('+(groups:transport OR groups:energy OR groups:health) +organization:x')).toEqual(['transport', 'energy', 'health']);
    expect(parseCkanSearch({ fq: '+(res_format:CSV OR res_format:parquet)' }).filters).toEqual({ format: ['csv', 'parquet'] });
    expect(parseCkanSearch({ fq: 'organization:(a-bureau OR b-bureau) extras_classification:(open OR conditional)' }).filters).toEqual({
      agency: ['a-bureau', 'b-bureau'],
      classification: ['open', 'conditional'],
    });
    // Clauses are ANDed (CKAN's q.op): a field given again keeps the values both allow.
    expect(theme(['groups:(transport OR energy OR health)', 'groups:(health OR energy)'])).toEqual(['energy', 'health']);
    expect(parseCkanSearch({ q: 'groups:(transport OR energy) 交通' })).toMatchObject({ q: '交通', filters: { theme: ['transport', 'energy'] } });
  });

  it('reads quoted values, AND, several fq and fq_list', () => {
    const search = parseCkanSearch({
      fq: ['tags:"air quality" AND tags:"say \\"hi\\""', 'res_format:parquet'],
      fq_list: ['groups:"environment"'],
    });
    expect(search.filters).toEqual({ tags: ['air quality', 'say "hi"'], format: ['parquet'], theme: ['environment'] });
  });

  it('ignores the filters CKAN front ends always add', () => {
    expect(parseCkanSearch({ fq: '+dataset_type:dataset +state:active capacity:public' }).filters).toEqual({});
    expect(issueFields(() => parseCkanSearch({ fq: 'dataset_type:harvest' }))).toEqual(['fq']);
  });

  it('takes filter terms out of q, as CKAN does', () => {
    const search = parseCkanSearch({ q: 'organization:health-commission 门诊 title:visits "bed count"' });
    expect(search.filters).toEqual({ agency: ['health-commission'] });
    expect(search.q).toBe('门诊 visits "bed count"');
  });

  it('pages with rows and start, capping rows at 1000', () => {
    expect(parseCkanSearch({ rows: '25', start: '50' })).toMatchObject({ rows: 25, start: 50 });
    expect(parseCkanSearch({ rows: '0' }).rows).toBe(0);
    expect(parseCkanSearch({ rows: '5000' }).rows).toBe(1000);
    expect(parseCkanSearch({ rows: ['7'] }).rows).toBe(7);
  });

  it.each([
    ['score desc, metadata_modified desc', 'relevance'],
    ['score desc,metadata_modified desc', 'relevance'],
    ['score desc', 'relevance'],
    ['metadata_modified desc', 'recent'],
    ['  METADATA_MODIFIED   DESC ', 'recent'],
    ['metadata_created desc', 'recent'],
    ['title_string asc', 'title'],
    ['name asc', 'title'],
    ['views_recent desc', 'popular'],
    ['views_total desc', 'popular'],
  ])('reads sort %j as %s', (sort, expected) => {
    expect(parseCkanSearch({ sort }).sort).toBe(expected);
  });

  it('spells every sort the CKAN way, and reads it back', () => {
    for (const [sort, spelling] of Object.entries(CKAN_SORTS)) expect(parseCkanSearch({ sort: spelling }).sort).toBe(sort);
  });

  it('reads facet fields in CKAN names, dropping ones the catalog has not', () => {
    expect(parseCkanSearch({ 'facet.field': '["organization","groups","res_format","tags","license_id","extras_classification","extras_update_frequency"]' }).facetFields).toEqual([
      'agency',
      'theme',
      'format',
      'tags',
      'license',
      'classification',
      'updateFrequency',
    ]);
    expect(parseCkanSearch({ 'facet.field': ['organization', 'organization', 'author'] }).facetFields).toEqual(['agency']);
  });

  it.each([
    [{ rows: '-1' }, ['rows']],
    [{ rows: 'ten' }, ['rows']],
    [{ rows: '1.5' }, ['rows']],
    [{ start: '1e3' }, ['start']],
    [{ start: '99999999999999999999' }, ['start']],
    [{ sort: 'random' }, ['sort']],
    [{ q: ['a', 'b'] }, ['q']],
    [{ q: 'x'.repeat(501) }, ['q']],
    [{ q: '"unterminated' }, ['q']],
    [{ 'facet.field': '["organization"' }, ['facet.field']],
    [{ 'facet.field': '[1, 2]' }, ['facet.field']],
    [{ fq: 'author:someone' }, ['fq']],
    [{ fq: 'groups:weather' }, ['fq']],
    [{ fq: 'organization:Transport_Bureau' }, ['fq']],
    [{ fq: 'res_format:XLSX' }, ['fq']],
    [{ fq: 'extras_classification:secret' }, ['fq']],
    [{ fq: 'groups:transport groups:energy' }, ['fq']],
    [{ fq: 'organization:' }, ['fq']],
    [{ fq: 'traffic' }, ['fq']],
    [{ fq: '-organization:x' }, ['fq']],
    [{ fq: 'groups:transport OR organization:x' }, ['fq']],
    [{ fq: 'groups:transport OR groups:energy res_format:csv' }, ['fq']],
    [{ fq: 'groups:(transport energy)' }, ['fq']],
    [{ fq: 'groups:(transport AND energy)' }, ['fq']],
    [{ fq: 'groups:(transport OR)' }, ['fq']],
    [{ fq: 'groups:(transport OR energy' }, ['fq']],
    [{ fq: 'groups:((transport))' }, ['fq']],
    [{ fq: 'groups:(transport OR weather)' }, ['fq']],
    [{ fq: '(groups:transport organization:x)' }, ['fq']],
    [{ fq: '(groups:transport' }, ['fq']],
    [{ fq: 'tags:(a OR b)' }, ['fq']],
    [{ fq: ['groups:(transport OR energy)', 'groups:health'] }, ['fq']],
    [{ fq: 'tags:"open' }, ['fq']],
    [{ fq_list: 'groups:nope' }, ['fq_list']],
  ] as [Record<string, string | string[]>, string[]][])('rejects %j', (query, fields) => {
    expect(issueFields(() => parseCkanSearch(query))).toEqual(fields);
  });

  it('reports every problem at once', () => {
    const error = domainError(() => parseCkanSearch({ rows: 'x', start: '-2', sort: 'y', fq: 'groups:a res_format:b' }));
    expect(error.details).toEqual([
      { field: 'fq', messages: ['groups:a is not a known value', 'res_format:b is not a known value'] },
      { field: 'rows', messages: ['rows must be a whole number of 0 or more'] },
      { field: 'start', messages: ['start must be a whole number of 0 or more'] },
      { field: 'sort', messages: [expect.stringContaining('score desc, metadata_modified desc')] },
    ]);
  });

  it('accepts repeated identical filters', () => {
    expect(parseCkanSearch({ fq: 'groups:health groups:health tags:a tags:a' }).filters).toEqual({ theme: ['health'], tags: ['a'] });
  });

  const filtersArbitrary: fc.Arbitrary<CkanSearchFilters> = fc.record(
    {
      theme: fc.uniqueArray(fc.constantFrom(...THEME_KEYS), { minLength: 1, maxLength: 3 }),
      agency: fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,80}$/), { minLength: 1, maxLength: 3 }),
      classification: fc.uniqueArray(fc.constantFrom(...CLASSIFICATION_KEYS), { minLength: 1, maxLength: 3 }),
      format: fc.uniqueArray(fc.constantFrom('csv' as const, 'json' as const, 'ndjson' as const, 'parquet' as const), { minLength: 1, maxLength: 4 }),
      updateFrequency: fc.uniqueArray(fc.constantFrom(...UPDATE_FREQUENCY_KEYS), { minLength: 1, maxLength: 3 }),
      tags: fc.uniqueArray(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((tag) => tag.trim() === tag && tag !== ''),
        { minLength: 1, maxLength: 4 },
      ),
    },
    { requiredKeys: [] },
  );

  const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

  it('reads back any filters written as fq (property)', () => {
    fc.assert(
      fc.property(filtersArbitrary, fc.boolean(), fc.boolean(), (filters, plus, grouped) => {
        const terms: string[] = [];
        const sign = plus ? '+' : '';
        // One value as field:value; several as field:(a OR b), or as a group (field:a OR field:b).
        const term = (field: string, values: readonly string[] | undefined) => {
          if (!values) return;
          if (values.length === 1) terms.push(`${sign}${field}:${values[0]}`);
          else if (grouped) terms.push(`${sign}(${values.map((value) => `${field}:${value}`).join(' OR ')})`);
          else terms.push(`${sign}${field}:(${values.join(' OR ')})`);
        };
        term('groups', filters.theme);
        term('organization', filters.agency?.map(quote));
        term('extras_classification', filters.classification);
        term('res_format', filters.format?.map((format) => format.toUpperCase()));
        term('extras_update_frequency', filters.updateFrequency);
        for (const tag of filters.tags ?? []) terms.push(`tags:${quote(tag)}`);
        expect(parseCkanSearch({ fq: terms.join(' AND ') }).filters).toEqual(filters);
      }),
    );
  });

  it('fails only with request.invalid, whatever the parameters (property)', () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.record({ q: value, fq: value, fq_list: value, rows: value, start: value, sort: value, 'facet.field': value }), (query) => {
        try {
          const search = parseCkanSearch(query);
          expect(search.rows).toBeGreaterThanOrEqual(0);
          expect(search.rows).toBeLessThanOrEqual(1000);
          expect(Number.isSafeInteger(search.start)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('request.invalid');
        }
      }),
    );
  });
});

describe('CKAN facets', () => {
  const facets = [
    { field: 'theme', counts: [{ value: 'transport', count: 3 }, { value: 'health', count: 5 }] },
    { field: 'agency', counts: [{ value: 'transport-bureau', label: '市交通运输局', count: 3 }] },
    { field: 'format', counts: [{ value: 'csv', count: 4 }, { value: 'parquet', count: 4 }] },
    { field: 'classification', counts: [{ value: 'open', count: 6 }] },
    { field: 'updateFrequency', counts: [{ value: 'daily', count: 2 }] },
    { field: 'somethingElse', counts: [{ value: 'x', count: 1 }] },
  ];

  it('names fields and items the CKAN way, most frequent first', () => {
    expect(toCkanFacets(facets)).toEqual({
      groups: {
        title: 'groups',
        items: [
          { name: 'health', display_name: '卫生健康', count: 5 },
          { name: 'transport', display_name: '交通与客流', count: 3 },
        ],
      },
      organization: { title: 'organization', items: [{ name: 'transport-bureau', display_name: '市交通运输局', count: 3 }] },
      res_format: {
        title: 'res_format',
        items: [
          { name: 'CSV', display_name: 'CSV', count: 4 },
          { name: 'Parquet', display_name: 'Parquet', count: 4 },
        ],
      },
      extras_classification: { title: 'extras_classification', items: [{ name: 'open', display_name: '无条件开放', count: 6 }] },
      extras_update_frequency: { title: 'extras_update_frequency', items: [{ name: 'daily', display_name: '每日', count: 2 }] },
    });
  });

  it('labels in English when asked', () => {
    expect(toCkanFacets(facets, { language: 'en' }).groups.items.map((item) => item.display_name)).toEqual(['Health', 'Transport and passenger flow']);
  });

  it('facet names read back as filters', () => {
    const result = toCkanFacets(facets);
    const fq = [
      `groups:${result.groups.items[0].name}`,
      `organization:${result.organization.items[0].name}`,
      `res_format:${result.res_format.items[1].name}`,
      `extras_classification:${result.extras_classification.items[0].name}`,
      `extras_update_frequency:${result.extras_update_frequency.items[0].name}`,
    ].join(' ');
    expect(parseCkanSearch({ fq }).filters).toEqual({
      theme: ['health'],
      agency: ['transport-bureau'],
      format: ['parquet'],
      classification: ['open'],
      updateFrequency: ['daily'],
    });
  });

  it('makes a whole package_search result', () => {
    const result = toCkanSearchResult({ count: 42, datasets: [OPEN_TRAFFIC, CONDITIONAL_HEALTH], links: LINKS, sort: 'recent', facets });
    expect(result.count).toBe(42);
    expect(result.sort).toBe('metadata_modified desc');
    expect(result.results.map((pkg) => pkg.name)).toEqual(['urban-road-traffic-flow', 'outpatient-visits']);
    expect(result.facets.groups).toEqual({ health: 5, transport: 3 });
    expect(result.facets.res_format).toEqual({ CSV: 4, Parquet: 4 });
    expect(result.search_facets.groups.items).toHaveLength(2);
  });
});
