import fc from 'fast-check';
import { DomainError } from '../../errors/domain-error.js';
import { slugify } from '../../identity/opaque-token.js';
import { DATASET_LICENSE_KEYS, THEME_KEYS, UPDATE_FREQUENCY_KEYS } from '../vocabulary.js';
import { ckanEnvelope, toCkanPackage } from './ckan.js';
import { normalizeHarvestSource, parseCkanHarvest, type HarvestedDatasetDraft } from './ckan-harvest.js';
import { LINKS, catalogViewArbitrary } from './test-support.js';

const SOURCE = 'https://opendata.example-city.gov.cn/api/3/action/package_search?rows=100&start=0';

/** A package_search answer in the shape CKAN 2.10 portals return, with the oddities they have. */
const PACKAGE_SEARCH = {
  help: 'https://opendata.example-city.gov.cn/api/3/action/help_show?name=package_search',
  success: true,
  result: {
    count: 11,
    facets: {},
    search_facets: {},
    sort: 'score desc, metadata_modified desc',
    results: [
      {
        id: '7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
        name: 'bus-passenger-flow-2024',
        title: '公交客流统计（2024年）',
        title_translated: { zh_Hans_CN: '公交客流统计（2024年）', en: 'Bus passenger flow (2024)' },
        notes: '全市公交线路**每日**客流。\n\n数据来源：市交通委。',
        notes_translated: { zh_Hans_CN: '全市公交线路**每日**客流。\n\n数据来源：市交通委。', en: 'Daily passengers on every bus route in the city.' },
        type: 'dataset',
        state: 'active',
        private: false,
        license_id: 'cc-by',
        license_title: 'Creative Commons Attribution',
        license_url: 'http://www.opendefinition.org/licenses/cc-by',
        author: '市交通委员会',
        author_email: 'jtw@example-city.gov.cn',
        maintainer: '数据管理处 王工',
        maintainer_email: 'mailto:data@jtw.example-city.gov.cn',
        metadata_created: '2024-01-05T03:12:45.123456',
        metadata_modified: '2025-02-01T09:00:00.654321',
        organization: { id: 'org-1', name: 'jtw', title: '市交通委员会', type: 'organization', is_organization: true },
        owner_org: 'org-1',
        groups: [{ id: 'g-1', name: 'jiaotong-chuxing', title: '交通出行', display_name: '交通出行' }],
        tags: [
          { id: 't1', name: '公交', display_name: '公交', state: 'active', vocabulary_id: null },
          { id: 't2', name: '客流', display_name: '客流', state: 'active', vocabulary_id: null },
          { id: 't3', name: '公交', display_name: '公交', state: 'active', vocabulary_id: null },
        ],
        extras: [
          { key: 'frequency', value: 'http://publications.europa.eu/resource/authority/frequency/DAILY' },
          { key: 'spatial', value: '{"type":"Polygon","coordinates":[[[121.1,31.0],[121.9,31.0],[121.9,31.5],[121.1,31.0]]]}' },
          { key: 'spatial_text', value: '上海市' },
          { key: 'temporal_start', value: '2024-01-01' },
          { key: 'temporal_end', value: '2024-12-31T23:59:59' },
        ],
        resources: [
          { id: 'r1', name: '客流明细.csv', format: 'CSV', url: 'https://opendata.example-city.gov.cn/dataset/7b3f/resource/r1/download/flow.csv' },
          { id: 'r2', name: '接口', format: 'API', url: 'javascript:alert(1)' },
          { id: 'r3', name: 'relative', format: 'JSON', url: '/download/flow.json' },
        ],
        num_resources: 3,
        num_tags: 3,
      },
      {
        id: 'c0ffee00-0000-4000-8000-000000000002',
        name: 'air_quality_hourly',
        title: 'Hourly air quality by monitoring station',
        notes: 'PM2.5, PM10, NO2 and O3 readings from 57 stations.',
        type: 'dataset',
        state: 'active',
        private: false,
        license_id: 'CC-BY-4.0',
        author: 'Environmental Monitoring Centre',
        author_email: 'emc@example-city.gov.cn',
        maintainer: '',
        maintainer_email: null,
        metadata_modified: '2025-03-10T00:00:00',
        groups: [],
        tags: [{ name: 'air quality' }, { name: 'pm2.5' }],
        extras: [{ key: 'accrual_periodicity', value: 'R/PT1H' }],
        resources: [],
      },
      {
        id: 'c0ffee00-0000-4000-8000-000000000003',
        name: 'hospital-beds',
        title: '全市医院床位数',
        notes: null,
        type: 'dataset',
        state: 'active',
        license_id: 'notspecified',
        tags: [],
        extras: [{ key: 'update_frequency', value: '每年' }],
      },
      { id: 'c0ffee00-0000-4000-8000-000000000004', name: 'old-dataset', title: '已删除数据', state: 'deleted', type: 'dataset' },
      { id: 'c0ffee00-0000-4000-8000-000000000005', name: 'internal', title: '内部数据', state: 'active', private: true },
      { id: 'c0ffee00-0000-4000-8000-000000000006', name: 'no-title', title: '   ', state: 'active' },
      null,
      { title: '没有标识' },
      { id: '7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b', name: 'bus-passenger-flow-2024', title: 'repeat' },
      { id: 'c0ffee00-0000-4000-8000-000000000009', name: 'app-showcase', title: 'A showcase', type: 'showcase' },
      {
        id: 42,
        name: { not: 'a string' },
        title: 'Tourist arrivals\u0000 by month',
        notes: ['not', 'text'],
        tags: 'tourism',
        extras: { frequency: 'monthly' },
        groups: [null, 7, { name: 'Tourism' }],
        resources: 'none',
        maintainer_email: 'not an email',
        license_id: 17,
      },
    ],
  },
};

function harvest(body: unknown = PACKAGE_SEARCH) {
  return parseCkanHarvest(body, { sourceUrl: SOURCE });
}

function draftById(id: string): HarvestedDatasetDraft {
  const draft = harvest().drafts.find((candidate) => candidate.harvestIdentifier === id);
  if (!draft) throw new Error(`no draft ${id}`);
  return draft;
}

function invalid(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('request.invalid');
    return error as DomainError;
  }
  throw new Error('expected request.invalid');
}

describe('CKAN harvest of a realistic package_search answer', () => {
  it('drafts the usable packages and says why it skipped the others', () => {
    const { drafts, skipped } = harvest();
    expect(drafts.map((draft) => draft.harvestIdentifier)).toEqual([
      '7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
      'c0ffee00-0000-4000-8000-000000000002',
      'c0ffee00-0000-4000-8000-000000000003',
      '42',
    ]);
    expect(skipped).toEqual([
      { identifier: 'c0ffee00-0000-4000-8000-000000000004', reason: 'not active (state deleted)' },
      { identifier: 'c0ffee00-0000-4000-8000-000000000005', reason: 'private' },
      { identifier: 'c0ffee00-0000-4000-8000-000000000006', reason: 'no title' },
      { identifier: null, reason: 'not a package object' },
      { identifier: null, reason: 'no id or name' },
      { identifier: '7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b', reason: 'listed twice' },
      { identifier: 'c0ffee00-0000-4000-8000-000000000009', reason: 'not a dataset (type showcase)' },
    ]);
  });

  it('reads a bilingual Chinese package completely', () => {
    expect(draftById('7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b')).toEqual({
      harvestSource: 'https://opendata.example-city.gov.cn',
      harvestIdentifier: '7b3f6a2e-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
      slug: 'bus-passenger-flow-2024',
      titleZh: '公交客流统计（2024年）',
      titleEn: 'Bus passenger flow (2024)',
      descriptionZh: '全市公交线路**每日**客流。\n\n数据来源：市交通委。',
      descriptionEn: 'Daily passengers on every bus route in the city.',
      keywords: ['公交', '客流'],
      theme: 'transport',
      licenseId: 'cc-by-4.0',
      updateFrequency: 'daily',
      contactName: '数据管理处 王工',
      contactEmail: 'data@jtw.example-city.gov.cn',
      spatialCoverage: '上海市',
      temporalStart: '2024-01-01',
      temporalEnd: '2024-12-31',
      remoteModified: '2025-02-01T09:00:00.654321',
      resources: [{ url: 'https://opendata.example-city.gov.cn/dataset/7b3f/resource/r1/download/flow.csv', format: 'CSV', name: '客流明细.csv' }],
    });
  });

  it('fills both languages from English-only text and falls back to the author as contact', () => {
    const draft = draftById('c0ffee00-0000-4000-8000-000000000002');
    expect(draft).toMatchObject({
      slug: 'air-quality-hourly',
      titleZh: 'Hourly air quality by monitoring station',
      titleEn: 'Hourly air quality by monitoring station',
      descriptionZh: 'PM2.5, PM10, NO2 and O3 readings from 57 stations.',
      descriptionEn: 'PM2.5, PM10, NO2 and O3 readings from 57 stations.',
      keywords: ['air quality', 'pm2.5'],
      theme: 'environment',
      licenseId: 'cc-by-4.0',
      updateFrequency: 'hourly',
      contactName: 'Environmental Monitoring Centre',
      contactEmail: 'emc@example-city.gov.cn',
      spatialCoverage: null,
      temporalStart: null,
      temporalEnd: null,
      resources: [],
    });
  });

  it('fills both languages from Chinese-only text and applies defaults', () => {
    expect(draftById('c0ffee00-0000-4000-8000-000000000003')).toMatchObject({
      titleZh: '全市医院床位数',
      titleEn: '全市医院床位数',
      descriptionZh: '',
      descriptionEn: '',
      keywords: [],
      theme: 'health', // from the title
      licenseId: 'gov-open-terms',
      updateFrequency: 'annual',
      contactName: null,
      contactEmail: null,
      remoteModified: null,
    });
  });

  it('survives fields of the wrong type', () => {
    const draft = draftById('42');
    expect(draft).toMatchObject({
      slug: 'tourist-arrivals-by-month',
      titleZh: 'Tourist arrivals by month',
      descriptionEn: '',
      keywords: [],
      theme: 'tourism',
      licenseId: 'gov-open-terms',
      updateFrequency: 'irregular',
      contactEmail: null,
      resources: [],
    });
  });
});

describe('CKAN harvest envelope', () => {
  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['an array', []],
    ['no success flag', { result: { results: [] } }],
    ['results missing', { success: true, result: { count: 0 } }],
    ['results not a list', { success: true, result: { results: {} } }],
    ['a package_show answer', { success: true, result: { id: 'x', name: 'y' } }],
  ])('rejects %s', (_name, body) => {
    expect(invalid(() => harvest(body)).message).toMatch(/CKAN/);
  });

  it("reports the portal's own error", () => {
    const error = invalid(() => harvest({ success: false, error: { __type: 'Authorization Error', message: 'Access denied' } }));
    expect(error.message).toBe('The CKAN portal answered with an error: Authorization Error: Access denied.');
  });

  it('accepts an empty result', () => {
    expect(harvest({ success: true, result: { count: 0, results: [] } })).toEqual({ drafts: [], skipped: [] });
  });
});

describe('CKAN harvest source', () => {
  it.each([
    ['https://opendata.example-city.gov.cn/api/3/action/package_search?q=x#top', 'https://opendata.example-city.gov.cn'],
    ['https://user:secret@Data.Example.org:443/', 'https://data.example.org'],
    ['http://data.example.org:8080/ckan/api/action/package_search', 'http://data.example.org:8080/ckan'],
    ['https://data.example.org/ckan/', 'https://data.example.org/ckan'],
    ['https://data.example.org/api/3', 'https://data.example.org'],
    ['  https://data.example.org  ', 'https://data.example.org'],
  ])('normalises %s', (url, expected) => {
    expect(normalizeHarvestSource(url)).toBe(expected);
  });

  it.each(['ftp://data.example.org', 'not a url', '', 'javascript:alert(1)'])('rejects %j', (url) => {
    const error = invalid(() => normalizeHarvestSource(url));
    expect(error.details).toEqual([{ field: 'sourceUrl', messages: ['must be an http or https URL'] }]);
    invalid(() => parseCkanHarvest(PACKAGE_SEARCH, { sourceUrl: url }));
  });
});

/** A one-package answer, for field-by-field cases. */
function one(pkg: Record<string, unknown>): HarvestedDatasetDraft {
  const { drafts, skipped } = harvest({ success: true, result: { results: [{ id: 'p1', name: 'p1', title: '测试数据', ...pkg }] } });
  expect(skipped).toEqual([]);
  return drafts[0];
}

describe('CKAN harvest fields', () => {
  it('prefers Simplified over Traditional Chinese and the bare language over regions', () => {
    expect(one({ title_translated: { zh_Hant_TW: '公車客流', zh_Hans_CN: '公交客流', en_GB: 'Bus flow' } })).toMatchObject({
      titleZh: '公交客流',
      titleEn: 'Bus flow',
    });
    expect(one({ title_translated: { 'zh-TW': '公車客流' } }).titleZh).toBe('公車客流');
    expect(one({ title_translated: { zh: '', en: 'Only English' }, title: '中文标题' })).toMatchObject({ titleZh: '中文标题', titleEn: 'Only English' });
    expect(one({ title_translated: { fr: 'Titre' }, title: 'Plain title' })).toMatchObject({ titleZh: 'Plain title', titleEn: 'Plain title' });
  });

  it('cleans texts and cuts them to the catalog limits', () => {
    const long = one({
      title: `${'长'.repeat(250)}`,
      notes: `a\u0000b\r\n${'x'.repeat(9000)}`,
      maintainer: 'n'.repeat(300),
      extras: [{ key: 'spatial_text', value: '区'.repeat(300) }],
    });
    expect([...long.titleZh]).toHaveLength(200);
    expect(long.descriptionEn.startsWith('ab\nxxx')).toBe(true);
    expect(long.descriptionEn).toHaveLength(8000);
    expect(long.contactName).toHaveLength(120);
    expect(long.spatialCoverage).toHaveLength(200);
    expect(one({ title: '😀'.repeat(201) }).titleZh).toBe('😀'.repeat(200)); // never half a surrogate pair
    expect(one({ title: '  多个   空格\t标题 ' }).titleZh).toBe('多个 空格 标题');
  });

  it('keeps at most 30 distinct keywords of at most 60 characters', () => {
    const tags = [...Array.from({ length: 40 }, (_, index) => ({ name: `tag${index}` })), { name: 'tag1' }, { name: 'y'.repeat(61) }];
    const draft = one({ tags: [{ name: 'k'.repeat(61) }, { name: '', display_name: ' 显示名 ' }, ...tags] });
    expect(draft.keywords).toHaveLength(30);
    expect(draft.keywords[0]).toBe('显示名');
    expect(new Set(draft.keywords).size).toBe(30);
    expect(draft.keywords.every((keyword) => keyword.length <= 60)).toBe(true);
  });

  it.each([
    ['cc-by', 'cc-by-4.0'],
    ['CC-BY-4.0', 'cc-by-4.0'],
    ['cc-by-4.0', 'cc-by-4.0'],
    ['cc-zero', 'cc0-1.0'],
    ['CC0-1.0', 'cc0-1.0'],
    ['odc-by', 'odc-by-1.0'],
    ['odc-by-1.0', 'odc-by-1.0'],
    ['gov-conditional-agreement', 'gov-conditional-agreement'],
    ['odc-odbl', 'gov-open-terms'],
    ['other-closed', 'gov-open-terms'],
    ['', 'gov-open-terms'],
  ])('maps licence %j to %s', (licenseId, expected) => {
    expect(one({ license_id: licenseId }).licenseId).toBe(expected);
  });

  it('maps a licence by its URL when the id is unknown', () => {
    expect(one({ license_id: 'custom-1', license_url: 'https://creativecommons.org/publicdomain/zero/1.0/' }).licenseId).toBe('cc0-1.0');
    expect(one({ license_id: 'custom-2', license_url: 'https://opendatacommons.org/licenses/by/1-0/' }).licenseId).toBe('odc-by-1.0');
  });

  it.each([
    ['http://publications.europa.eu/resource/authority/frequency/MONTHLY', 'monthly'],
    ['http://publications.europa.eu/resource/authority/frequency/CONT', 'continuous'],
    ['http://purl.org/cld/freq/quarterly', 'quarterly'],
    ['WEEKLY', 'weekly'],
    ['Annually', 'annual'],
    ['yearly', 'annual'],
    ['real-time', 'continuous'],
    ['R/P1M', 'monthly'],
    ['P1D', 'daily'],
    ['每月', 'monthly'],
    ['实时', 'continuous'],
    ['每季度', 'quarterly'],
    ['quarterly', 'quarterly'],
    ['every full moon', 'irregular'],
    ['http://publications.europa.eu/resource/authority/frequency/BIENNIAL', 'irregular'],
  ])('maps frequency %j to %s', (value, expected) => {
    expect(one({ extras: [{ key: 'frequency', value }] }).updateFrequency).toBe(expected);
  });

  it('reads frequency from a top-level field (ckanext-scheming) too', () => {
    expect(one({ accrual_periodicity: 'weekly' }).updateFrequency).toBe('weekly');
  });

  it.each([
    [{ groups: [{ name: 'health' }] }, 'health'],
    [{ groups: [{ name: 'g1', title: 'Education and schools' }] }, 'education'],
    [{ groups: [{ name: 'g2', display_name: '生态环境' }] }, 'environment'],
    [{ extras: [{ key: 'theme', value: 'http://publications.europa.eu/resource/authority/data-theme/TRAN' }] }, 'transport'],
    [{ extras: [{ key: 'theme', value: 'ENER' }] }, 'energy'],
    [{ tags: [{ name: 'just' }] }, 'statistics'],
    [{ tags: [{ name: '天气' }] }, 'meteorology'],
    [{ tags: [{ name: 'business licences' }] }, 'statistics'],
    [{ tags: [{ name: 'bus stops' }] }, 'transport'],
    [{ tags: [{ name: 'buses' }] }, 'transport'],
    [{ tags: [{ name: 'Environmental noise' }] }, 'environment'],
    [{ tags: [{ name: 'firewall logs' }] }, 'statistics'],
    [{ tags: [{ name: 'hotel occupancy' }] }, 'tourism'],
    [{ groups: [{ name: 'housing' }], tags: [{ name: 'traffic' }] }, 'housing'],
    [{ title: '海关进出口统计' }, 'customs_immigration'],
    [{ title: 'Miscellaneous' }, 'statistics'],
  ])('finds theme in %j', (pkg, theme) => {
    expect(one(pkg).theme).toBe(theme);
  });

  it('reads contacts, keeping only valid email addresses', () => {
    expect(one({ maintainer: '王工', maintainer_email: 'MAILTO:wang@example.cn' })).toMatchObject({ contactName: '王工', contactEmail: 'wang@example.cn' });
    expect(one({ maintainer_email: 'wang at example.cn', author_email: 'li@example.cn' }).contactEmail).toBe('li@example.cn');
    expect(one({ extras: [{ key: 'contact_email', value: 'c@example.org' }, { key: 'contact_name', value: 'Data desk' }] })).toMatchObject({
      contactName: 'Data desk',
      contactEmail: 'c@example.org',
    });
  });

  it('reads periods, dropping invalid dates and ends before starts', () => {
    expect(one({ extras: [{ key: 'temporal_start', value: '2024-02-30' }, { key: 'temporal_end', value: '2024-03-01' }] })).toMatchObject({
      temporalStart: null,
      temporalEnd: '2024-03-01',
    });
    expect(one({ extras: [{ key: 'temporal_start', value: '2024-05-01' }, { key: 'temporal_end', value: '2024-01-01' }] })).toMatchObject({
      temporalStart: '2024-05-01',
      temporalEnd: null,
    });
    expect(one({ temporal_coverage_from: '2019-01-01T00:00:00Z', 'temporal-extent-end': '2020-01-01' } as Record<string, unknown>)).toMatchObject({
      temporalStart: '2019-01-01',
      temporalEnd: '2020-01-01',
    });
  });

  it('reads a place name, never GeoJSON, as spatial coverage', () => {
    expect(one({ extras: [{ key: 'spatial', value: '{"type":"Point","coordinates":[121.4,31.2]}' }] }).spatialCoverage).toBeNull();
    expect(one({ extras: [{ key: 'spatial', value: '浦东新区' }] }).spatialCoverage).toBe('浦东新区');
  });

  it('suggests a slug from the name, else the English title, else the identifier', () => {
    expect(one({ name: 'Road_Works__2024' }).slug).toBe('road-works-2024');
    expect(harvest({ success: true, result: { results: [{ id: 'x-1', title: 'Road works' }] } }).drafts[0].slug).toBe('road-works');
    expect(harvest({ success: true, result: { results: [{ id: 'ABC_123', title: '道路施工' }] } }).drafts[0].slug).toBe('abc-123');
    expect(harvest({ success: true, result: { results: [{ id: '道路', title: '道路施工' }] } }).drafts[0].slug).toBe('dataset');
  });
});

const SLUG = /^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/;

function expectSavable(draft: HarvestedDatasetDraft): void {
  expect(draft.slug).toMatch(SLUG);
  for (const title of [draft.titleZh, draft.titleEn]) {
    expect([...title].length).toBeGreaterThanOrEqual(1);
    expect([...title].length).toBeLessThanOrEqual(200);
  }
  expect([...draft.descriptionZh].length).toBeLessThanOrEqual(8000);
  expect([...draft.descriptionEn].length).toBeLessThanOrEqual(8000);
  expect(draft.keywords.length).toBeLessThanOrEqual(30);
  expect(new Set(draft.keywords).size).toBe(draft.keywords.length);
  for (const keyword of draft.keywords) expect([...keyword].length).toBeGreaterThanOrEqual(1);
  for (const keyword of draft.keywords) expect([...keyword].length).toBeLessThanOrEqual(60);
  expect(THEME_KEYS).toContain(draft.theme);
  expect(DATASET_LICENSE_KEYS).toContain(draft.licenseId);
  expect(UPDATE_FREQUENCY_KEYS).toContain(draft.updateFrequency);
  if (draft.contactEmail !== null) expect(draft.contactEmail).toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  if (draft.temporalStart && draft.temporalEnd) expect(draft.temporalStart <= draft.temporalEnd).toBe(true);
  expect(JSON.stringify(draft)).not.toMatch(/\\u0000/);
}

describe('CKAN harvest properties', () => {
  const junkPackage = fc.oneof(
    fc.anything(),
    fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.string(), fc.integer(), fc.constant(null)),
        name: fc.oneof(fc.string(), fc.constant(undefined)),
        title: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.anything()),
        title_translated: fc.oneof(fc.dictionary(fc.constantFrom('zh_Hans_CN', 'zh', 'en', 'zh_Hant_TW', 'fr'), fc.string()), fc.anything()),
        notes: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.anything()),
        tags: fc.oneof(fc.array(fc.oneof(fc.record({ name: fc.string() }), fc.anything()), { maxLength: 40 }), fc.anything()),
        groups: fc.anything(),
        extras: fc.oneof(fc.array(fc.record({ key: fc.constantFrom('frequency', 'temporal_start', 'temporal_end', 'spatial', 'theme'), value: fc.string() })), fc.anything()),
        resources: fc.oneof(fc.array(fc.record({ url: fc.oneof(fc.webUrl(), fc.string()), format: fc.string() })), fc.anything()),
        license_id: fc.oneof(fc.constantFrom('cc-by', 'cc-zero', 'odc-by'), fc.anything()),
        maintainer_email: fc.oneof(fc.emailAddress(), fc.string()),
        state: fc.constantFrom('active', 'deleted', undefined),
        type: fc.constantFrom('dataset', 'harvest', undefined),
        private: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  );

  it('never throws on a valid envelope, accounts for every package and drafts only savable datasets', () => {
    fc.assert(
      fc.property(fc.array(junkPackage, { maxLength: 8 }), (results) => {
        const { drafts, skipped } = harvest({ success: true, result: { count: results.length, results } });
        expect(drafts.length + skipped.length).toBe(results.length);
        for (const draft of drafts) expectSavable(draft);
        expect(new Set(drafts.map((draft) => draft.harvestIdentifier)).size).toBe(drafts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back what this catalog publishes through its CKAN API', () => {
    fc.assert(
      fc.property(catalogViewArbitrary, (view) => {
        const body = ckanEnvelope({ count: 1, results: [toCkanPackage(view, LINKS)] }, 'help');
        const { drafts, skipped } = parseCkanHarvest(JSON.parse(JSON.stringify(body)), { sourceUrl: 'https://data.example.gov.cn/' });
        expect(skipped).toEqual([]);
        const [draft] = drafts;
        expect(draft).toMatchObject({
          harvestSource: 'https://data.example.gov.cn',
          harvestIdentifier: view.id,
          slug: slugify(view.slug, 'unused'),
          theme: view.theme,
          licenseId: view.licenseId,
          updateFrequency: view.updateFrequency,
          temporalStart: view.temporalStart,
          temporalEnd: view.temporalEnd,
          contactEmail: view.contactEmail || null,
        });
        const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
        expect(draft.titleZh).toBe(oneLine(view.titleZh));
        expect(draft.titleEn).toBe(oneLine(view.titleEn));
        expect(draft.keywords).toEqual([...new Set(view.keywords.map(oneLine))].filter(Boolean));
        expectSavable(draft);
      }),
    );
  });
});
