import fc from 'fast-check';
import { THEME_KEYS, UPDATE_FREQUENCY_KEYS } from '../vocabulary.js';
import { DCAT_CONTEXT, toDcatCatalog, toDcatDataset, type JsonLdNode } from './dcat.js';
import { EU_DATA_THEMES } from './shared.js';
import { BASE_URL, CONDITIONAL_HEALTH, LINKS, OPEN_EMPTY_STATISTICS, OPEN_TRAFFIC, RESTRICTED_SAFETY, catalogViewArbitrary } from './test-support.js';

const META = {
  title: { zh: '城市公共数据开放平台', en: 'City Open Data Platform' },
  description: { zh: '政府数据目录', en: 'Government data catalog' },
  publisherName: '市大数据中心',
  issued: '2024-01-01',
};

const EU = 'http://publications.europa.eu/resource/authority';

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function dataset(view = OPEN_TRAFFIC): Node {
  return toDcatDataset(view, LINKS) as Node;
}

/** Every node and value in a JSON-LD tree. */
function* walk(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) for (const item of value) yield* walk(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* walk(item);
}

function* keysOf(value: unknown): Generator<string> {
  for (const node of walk(value)) if (node && typeof node === 'object' && !Array.isArray(node)) yield* Object.keys(node);
}

describe('DCAT-AP catalog', () => {
  const catalog = toDcatCatalog([OPEN_TRAFFIC, CONDITIONAL_HEALTH, RESTRICTED_SAFETY, OPEN_EMPTY_STATISTICS], LINKS, META) as Node;

  it('is a dcat:Catalog with the vocabularies in its context', () => {
    expect(catalog['@context']).toEqual(DCAT_CONTEXT);
    expect(catalog['@context']).toMatchObject({
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    });
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog['@id']).toBe(`${BASE_URL}/#catalog`);
    expect(catalog['dct:title']).toEqual([
      { '@value': '城市公共数据开放平台', '@language': 'zh-CN' },
      { '@value': 'City Open Data Platform', '@language': 'en' },
    ]);
    expect(catalog['dct:publisher']).toMatchObject({ '@type': 'foaf:Agent', 'foaf:name': { '@value': '市大数据中心', '@language': 'zh-CN' } });
    expect(catalog['dct:issued']).toEqual({ '@value': '2024-01-01', '@type': 'xsd:date' });
    expect(catalog['dct:modified']).toEqual({ '@value': '2025-01-15T02:30:00.000Z', '@type': 'xsd:dateTime' });
    expect(catalog['dct:language']).toEqual([{ '@id': `${EU}/language/ZHO` }, { '@id': `${EU}/language/ENG` }]);
    expect(catalog['foaf:homepage']).toEqual({ '@id': BASE_URL });
  });

  it('lists every dataset', () => {
    expect(catalog['dcat:dataset'].map((node: Node) => node['dct:identifier'])).toEqual([
      OPEN_TRAFFIC.id,
      CONDITIONAL_HEALTH.id,
      RESTRICTED_SAFETY.id,
      OPEN_EMPTY_STATISTICS.id,
    ]);
  });

  it('describes the row API as a data service serving the deliverable datasets', () => {
    const [service] = catalog['dcat:service'];
    expect(service['@type']).toBe('dcat:DataService');
    expect(service['dcat:endpointURL']).toEqual({ '@id': LINKS.apiEndpoint });
    expect(service['dcat:servesDataset']).toEqual([
      { '@id': `${BASE_URL}/datasets/urban-road-traffic-flow#dataset` },
      { '@id': `${BASE_URL}/datasets/outpatient-visits#dataset` },
      { '@id': `${BASE_URL}/datasets/population-census#dataset` },
    ]);
  });

  it('uses only prefixes declared in its context', () => {
    const prefixes = new Set(Object.keys(DCAT_CONTEXT));
    const names = [...keysOf(catalog)].filter((key) => !key.startsWith('@'));
    for (const node of walk(catalog)) {
      if (node && typeof node === 'object' && '@type' in node) names.push(String((node as Node)['@type']));
    }
    for (const name of names) expect(prefixes.has(name.split(':')[0])).toBe(true);
  });

  it('omits issued when not given and modified when there are no datasets', () => {
    const empty = toDcatCatalog([], LINKS, { ...META, issued: undefined }) as Node;
    expect(empty['dct:issued']).toBeUndefined();
    expect(empty['dct:modified']).toBeUndefined();
    expect(empty['dcat:dataset']).toEqual([]);
    expect(empty['dcat:service'][0]['dcat:servesDataset']).toEqual([]);
  });
});

describe('DCAT-AP dataset', () => {
  it('carries identity, bilingual texts, keywords and landing page', () => {
    const node = dataset();
    expect(node['@type']).toBe('dcat:Dataset');
    expect(node['@id']).toBe(`${BASE_URL}/datasets/urban-road-traffic-flow#dataset`);
    expect(node['dct:identifier']).toBe(OPEN_TRAFFIC.id);
    expect(node['dct:title']).toEqual([
      { '@value': '城市道路交通流量', '@language': 'zh-CN' },
      { '@value': 'Urban road traffic flow', '@language': 'en' },
    ]);
    expect(node['dct:description']).toEqual([
      { '@value': OPEN_TRAFFIC.descriptionZh, '@language': 'zh-CN' },
      { '@value': OPEN_TRAFFIC.descriptionEn, '@language': 'en' },
    ]);
    expect(node['dcat:keyword']).toEqual([
      { '@value': '交通', '@language': 'zh-CN' },
      { '@value': '流量', '@language': 'zh-CN' },
      'traffic',
    ]);
    expect(node['dcat:landingPage']).toEqual({ '@id': `${BASE_URL}/datasets/urban-road-traffic-flow` });
    expect(node['dcat:version']).toBe('3');
  });

  it('names the publishing agency and its contact point', () => {
    const node = dataset();
    expect(node['dct:publisher']).toEqual({
      '@id': `${BASE_URL}/#agency-${OPEN_TRAFFIC.agency.id}`,
      '@type': 'foaf:Agent',
      'foaf:name': { '@value': '市交通运输局', '@language': 'zh-CN' },
      'dct:type': { '@id': 'http://purl.org/adms/publishertype/LocalAuthority' },
    });
    expect(node['dcat:contactPoint']).toEqual({
      '@type': 'vcard:Kind',
      'vcard:fn': '数据开放办公室',
      'vcard:hasEmail': { '@id': 'mailto:opendata@jtj.example.gov.cn' },
    });
  });

  it('falls back to the agency as contact and omits an absent email', () => {
    expect(dataset(OPEN_EMPTY_STATISTICS)['dcat:contactPoint']).toEqual({ '@type': 'vcard:Kind', 'vcard:fn': '市交通运输局' });
  });

  it('gives the theme on the EU vocabulary and on our own', () => {
    expect(dataset()['dcat:theme']).toEqual([
      { '@id': `${EU}/data-theme/TRAN` },
      {
        '@id': `${BASE_URL}/vocabulary/theme/transport`,
        '@type': 'skos:Concept',
        'skos:prefLabel': [
          { '@value': '交通与客流', '@language': 'zh-CN' },
          { '@value': 'Transport and passenger flow', '@language': 'en' },
        ],
      },
    ]);
    const statistics = dataset(OPEN_EMPTY_STATISTICS)['dcat:theme'];
    expect(statistics).toHaveLength(1);
    expect(statistics[0]['@id']).toBe(`${BASE_URL}/vocabulary/theme/statistics`);
  });

  it.each(THEME_KEYS)('maps theme %s onto an EU data theme or none', (theme) => {
    const code = EU_DATA_THEMES[theme];
    if (code !== null) expect(['TRAN', 'ENER', 'ECON', 'ENVI', 'HEAL', 'EDUC', 'GOVE', 'SOCI', 'JUST', 'REGI', 'TECH', 'AGRI', 'INTR']).toContain(code);
    const themes = dataset({ ...OPEN_TRAFFIC, theme })['dcat:theme'].map((node: Node) => node['@id']);
    expect(themes).toEqual(code ? [`${EU}/data-theme/${code}`, `${BASE_URL}/vocabulary/theme/${theme}`] : [`${BASE_URL}/vocabulary/theme/${theme}`]);
  });

  const FREQUENCIES = [
    ['continuous', 'CONT'],
    ['hourly', 'HOURLY'],
    ['daily', 'DAILY'],
    ['weekly', 'WEEKLY'],
    ['monthly', 'MONTHLY'],
    ['quarterly', 'QUARTERLY'],
    ['annual', 'ANNUAL'],
    ['irregular', 'IRREG'],
  ] as const;

  it.each(FREQUENCIES)('maps update frequency %s to the EU frequency %s', (updateFrequency, code) => {
    expect(dataset({ ...OPEN_TRAFFIC, updateFrequency })['dct:accrualPeriodicity']).toEqual({ '@id': `${EU}/frequency/${code}` });
  });

  it('has a frequency case for every update frequency', () => {
    expect(FREQUENCIES.map(([key]) => key).sort()).toEqual([...UPDATE_FREQUENCY_KEYS].sort());
  });

  it.each([
    ['open', OPEN_TRAFFIC, 'PUBLIC'],
    ['conditional', CONDITIONAL_HEALTH, 'RESTRICTED'],
    ['restricted', RESTRICTED_SAFETY, 'NON_PUBLIC'],
  ] as const)('maps classification %s to an EU access right', (_name, view, code) => {
    expect(dataset(view)['dct:accessRights']).toEqual({ '@id': `${EU}/access-right/${code}` });
  });

  it('gives spatial and temporal coverage', () => {
    const node = dataset();
    expect(node['dct:spatial']).toEqual({ '@type': 'dct:Location', 'skos:prefLabel': { '@value': '全市', '@language': 'zh-CN' } });
    expect(node['dct:temporal']).toEqual({
      '@type': 'dct:PeriodOfTime',
      'dcat:startDate': { '@value': '2023-01-01', '@type': 'xsd:date' },
      'dcat:endDate': { '@value': '2024-12-31', '@type': 'xsd:date' },
    });
  });

  it('gives an open-ended period and omits absent coverage', () => {
    expect(dataset({ ...OPEN_TRAFFIC, temporalEnd: null })['dct:temporal']).toEqual({
      '@type': 'dct:PeriodOfTime',
      'dcat:startDate': { '@value': '2023-01-01', '@type': 'xsd:date' },
    });
    expect(dataset({ ...OPEN_TRAFFIC, temporalStart: null, temporalEnd: '2020-06-30T00:00:00Z' })['dct:temporal']).toEqual({
      '@type': 'dct:PeriodOfTime',
      'dcat:endDate': { '@value': '2020-06-30', '@type': 'xsd:date' },
    });
    const sparse = dataset(OPEN_EMPTY_STATISTICS);
    expect(sparse['dct:temporal']).toBeUndefined();
    expect(sparse['dct:spatial']).toBeUndefined();
    expect(sparse['dct:issued']).toBeUndefined();
    expect(dataset({ ...OPEN_TRAFFIC, temporalStart: '2023-02-30', temporalEnd: 'soon' })['dct:temporal']).toBeUndefined();
  });

  it('gives the licence and publication dates', () => {
    const node = dataset();
    expect(node['dct:license']).toEqual({
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
      '@type': 'dct:LicenseDocument',
      'dct:title': [
        { '@value': '知识共享 署名 4.0', '@language': 'zh-CN' },
        { '@value': 'Creative Commons Attribution 4.0', '@language': 'en' },
      ],
    });
    expect(node['dct:issued']).toEqual({ '@value': '2024-03-01T08:00:00.000Z', '@type': 'xsd:dateTime' });
    expect(node['dct:modified']).toEqual({ '@value': '2025-01-15T02:30:00.000Z', '@type': 'xsd:dateTime' });
  });
});

describe('DCAT-AP distributions', () => {
  it('offers open data as CSV and Parquet downloads', () => {
    const [csv, parquet] = dataset()['dcat:distribution'];
    const csvUrl = `${BASE_URL}/api/v1/datasets/${OPEN_TRAFFIC.id}/download?format=csv`;
    expect(csv).toMatchObject({
      '@type': 'dcat:Distribution',
      'dcat:downloadURL': { '@id': csvUrl },
      'dcat:accessURL': { '@id': csvUrl },
      'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/text/csv' },
      'dct:format': { '@id': `${EU}/file-type/CSV` },
    });
    expect(parquet).toMatchObject({
      '@type': 'dcat:Distribution',
      'dcat:downloadURL': { '@id': `${BASE_URL}/api/v1/datasets/${OPEN_TRAFFIC.id}/download?format=parquet` },
      'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/application/vnd.apache.parquet' },
      'dct:format': { '@id': `${EU}/file-type/PARQUET` },
      'dcat:byteSize': { '@value': '262144', '@type': 'xsd:nonNegativeInteger' },
    });
  });

  it('gives the Parquet byte size and no checksum: downloads are rendered from the stored Parquet, not the upload', () => {
    const [csv, parquet] = dataset()['dcat:distribution'];
    expect(csv['dcat:byteSize']).toBeUndefined();
    expect(parquet['dcat:byteSize']).toEqual({ '@value': '262144', '@type': 'xsd:nonNegativeInteger' });
    expect(JSON.stringify(dataset())).not.toContain('spdx:checksum');
  });

  it('offers conditional data through the dataset page only', () => {
    const node = dataset(CONDITIONAL_HEALTH);
    expect(node['dcat:distribution']).toEqual([
      expect.objectContaining({
        '@type': 'dcat:Distribution',
        'dcat:accessURL': { '@id': `${BASE_URL}/datasets/outpatient-visits` },
        'dcat:accessService': { '@id': `${BASE_URL}/#api` },
      }),
    ]);
    const text = JSON.stringify(node);
    expect(text).not.toContain('downloadURL');
    expect(text).not.toContain('/download');
  });

  it('offers no distribution for restricted data or for open data without a version', () => {
    expect(dataset(RESTRICTED_SAFETY)['dcat:distribution']).toBeUndefined();
    expect(JSON.stringify(dataset(RESTRICTED_SAFETY))).not.toContain('/download');
    expect(dataset(OPEN_EMPTY_STATISTICS)['dcat:distribution']).toBeUndefined();
  });
});

describe('DCAT-AP properties', () => {
  it('never links a download of data that is not open', () => {
    fc.assert(
      fc.property(catalogViewArbitrary, (view) => {
        const text = JSON.stringify(toDcatDataset(view, LINKS));
        const downloads = text.includes('downloadURL');
        expect(downloads).toBe(view.classification === 'open' && view.currentVersion !== null);
        if (view.classification === 'restricted') expect(text).not.toContain('dcat:distribution');
      }),
    );
  });

  it('writes plain JSON whose IRIs are absolute', () => {
    fc.assert(
      fc.property(fc.array(catalogViewArbitrary, { maxLength: 4 }), (views) => {
        const catalog = toDcatCatalog(views, LINKS, META);
        expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
        for (const node of walk(catalog)) {
          if (!node || typeof node !== 'object' || Array.isArray(node) || !('@id' in node)) continue;
          const iri = String((node as JsonLdNode)['@id']);
          expect(() => new URL(iri)).not.toThrow();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('always gives titles in both languages and the theme in our vocabulary', () => {
    fc.assert(
      fc.property(catalogViewArbitrary, (view) => {
        const node = toDcatDataset(view, LINKS) as Node;
        const titles = node['dct:title'] as { '@value': string; '@language': string }[];
        expect(titles.map((title) => title['@language'])).toEqual(['zh-CN', 'en']);
        expect(node['dcat:theme'].at(-1)['@id']).toBe(`${BASE_URL}/vocabulary/theme/${view.theme}`);
      }),
    );
  });
});
