/**
 * Sample catalog views and a fast-check generator of views, shared by the interop specs.
 * Not exported from the package.
 */
import fc from 'fast-check';
import type { CatalogDatasetView, CatalogLinks } from '../catalog-view.js';
import { CLASSIFICATION_KEYS, DATASET_LICENSE_KEYS, SENSITIVITY_KEYS, THEME_KEYS, UPDATE_FREQUENCY_KEYS } from '../vocabulary.js';

export const BASE_URL = 'https://data.example.gov.cn';

export const LINKS: CatalogLinks = {
  baseUrl: `${BASE_URL}/`,
  datasetPage: (dataset) => `${BASE_URL}/datasets/${dataset.slug}`,
  download: (dataset, format) => `${BASE_URL}/api/v1/datasets/${dataset.id}/download?format=${format}`,
  apiEndpoint: `${BASE_URL}/api/v1`,
};

const TRANSPORT_AGENCY = { id: '6f1c9a52-7d0e-4b8a-9a43-1f0c2d3e4a51', slug: 'transport-bureau', name: '市交通运输局' };
const HEALTH_AGENCY = { id: '0b7e4c1d-2a3f-4e5d-8c6b-7a9f0e1d2c3b', slug: 'health-commission', name: '市卫生健康委员会' };

/** Open data with a CSV upload as its current version. */
export const OPEN_TRAFFIC: CatalogDatasetView = {
  id: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
  slug: 'urban-road-traffic-flow',
  titleZh: '城市道路交通流量',
  titleEn: 'Urban road traffic flow',
  descriptionZh: '主要道路每小时机动车流量，按路段统计。',
  descriptionEn: 'Hourly motor-vehicle counts on main roads, by road segment.',
  theme: 'transport',
  keywords: ['交通', '流量', 'traffic'],
  agency: TRANSPORT_AGENCY,
  contactName: '数据开放办公室',
  contactEmail: 'opendata@jtj.example.gov.cn',
  updateFrequency: 'hourly',
  spatialCoverage: '全市',
  temporalStart: '2023-01-01',
  temporalEnd: '2024-12-31',
  licenseId: 'cc-by-4.0',
  classification: 'open',
  minGroupSize: 10,
  publishedAt: '2024-03-01T08:00:00.000Z',
  updatedAt: '2025-01-15T02:30:00.000Z',
  columns: [
    { name: '路段编号', type: 'VARCHAR', descriptionZh: '路段编号', descriptionEn: 'Segment id', sensitivity: 'public' },
    { name: '小时', type: 'TIMESTAMP', descriptionZh: '统计小时', descriptionEn: 'Hour', sensitivity: 'public' },
    { name: '车流量', type: 'BIGINT', descriptionZh: '机动车数量', descriptionEn: 'Vehicles', sensitivity: 'public' },
  ],
  currentVersion: {
    id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    version: 3,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    bytes: 1_048_576,
    parquetBytes: 262_144,
    rowCount: 87_600,
    sourceFormat: 'csv',
    createdAt: '2025-01-15T02:00:00.000Z',
  },
};

/** Conditional data: listed, requested through the dataset page. */
export const CONDITIONAL_HEALTH: CatalogDatasetView = {
  ...OPEN_TRAFFIC,
  id: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
  slug: 'outpatient-visits',
  titleZh: '门诊就诊人次',
  titleEn: 'Outpatient visits',
  descriptionZh: '各医院每日门诊人次。',
  descriptionEn: 'Daily outpatient visits per hospital.',
  theme: 'health',
  keywords: ['医疗', 'hospital'],
  agency: HEALTH_AGENCY,
  updateFrequency: 'daily',
  licenseId: 'gov-conditional-agreement',
  classification: 'conditional',
  currentVersion: { ...OPEN_TRAFFIC.currentVersion!, id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', version: 1, sourceFormat: 'parquet' },
};

/** Restricted data: described, never delivered. */
export const RESTRICTED_SAFETY: CatalogDatasetView = {
  ...OPEN_TRAFFIC,
  id: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
  slug: 'emergency-calls',
  titleZh: '应急求助电话记录',
  titleEn: 'Emergency call records',
  theme: 'public_safety',
  keywords: [],
  licenseId: 'gov-conditional-agreement',
  classification: 'restricted',
};

/** Open, but nothing uploaded yet, and sparse metadata. */
export const OPEN_EMPTY_STATISTICS: CatalogDatasetView = {
  ...OPEN_TRAFFIC,
  id: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
  slug: 'population-census',
  titleZh: '人口普查汇总',
  titleEn: 'Population census summary',
  theme: 'statistics',
  keywords: [],
  contactName: '',
  contactEmail: '',
  updateFrequency: 'irregular',
  spatialCoverage: '',
  temporalStart: null,
  temporalEnd: null,
  licenseId: 'gov-open-terms',
  publishedAt: null,
  currentVersion: null,
};

const text = (maxLength: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength }).filter((value) => value.trim() === value && value !== '');
const isoDay = fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const isoTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((date) => date.toISOString());

/** Any view the catalog could hold (texts within the metadata limits). */
export const catalogViewArbitrary: fc.Arbitrary<CatalogDatasetView> = fc
  .record({
    id: fc.uuid(),
    slug: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/),
    titleZh: text(200),
    titleEn: text(200),
    descriptionZh: fc.string({ unit: 'grapheme', maxLength: 300 }),
    descriptionEn: fc.string({ unit: 'grapheme', maxLength: 300 }),
    theme: fc.constantFrom(...THEME_KEYS),
    keywords: fc.uniqueArray(text(60), { maxLength: 30 }),
    agency: fc.record({ id: fc.uuid(), slug: fc.stringMatching(/^[a-z0-9-]{1,20}$/), name: text(60) }),
    contactName: fc.oneof(fc.constant(''), text(120)),
    contactEmail: fc.oneof(fc.constant(''), fc.emailAddress()),
    updateFrequency: fc.constantFrom(...UPDATE_FREQUENCY_KEYS),
    spatialCoverage: fc.oneof(fc.constant(''), text(200)),
    temporal: fc.option(fc.tuple(isoDay, isoDay).map(([a, b]) => (a <= b ? [a, b] : [b, a]))),
    licenseId: fc.constantFrom(...DATASET_LICENSE_KEYS),
    classification: fc.constantFrom(...CLASSIFICATION_KEYS),
    minGroupSize: fc.integer({ min: 2, max: 1000 }),
    publishedAt: fc.option(isoTime),
    updatedAt: isoTime,
    sensitivity: fc.constantFrom(...SENSITIVITY_KEYS),
    currentVersion: fc.option(
      fc.record({
        id: fc.uuid(),
        version: fc.integer({ min: 1, max: 500 }),
        sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
        bytes: fc.nat(),
        parquetBytes: fc.nat(),
        rowCount: fc.nat(),
        sourceFormat: fc.constantFrom('csv' as const, 'json' as const, 'ndjson' as const, 'parquet' as const),
        createdAt: isoTime,
      }),
    ),
  })
  .map(({ temporal, sensitivity, ...view }) => ({
    ...view,
    temporalStart: temporal?.[0] ?? null,
    temporalEnd: temporal?.[1] ?? null,
    columns: [{ name: 'value', type: 'DOUBLE', descriptionZh: '数值', descriptionEn: 'Value', sensitivity }],
  }));
