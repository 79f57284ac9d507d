// API bodies for rendering tests, typed by the generated schema so they stay shaped like the API's.
import type { AccessRequest, DatasetDetail, DatasetSearchResult, DatasetSummary, DatasetVersion, Grant, Ingestion, Me, UsageReport } from '../api/schema-types';

const transportBureau = { id: '0b1e4d1e-0000-4000-8000-000000000001', slug: 'transport', name: '市交通运输局 Municipal Transport Bureau' };
const housingBureau = { id: '0b1e4d1e-0000-4000-8000-000000000002', slug: 'housing', name: '市住房和建设局 Housing and Construction Bureau' };

export function datasetSummary(overrides: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id: 'd0000000-0000-4000-8000-000000000001',
    slug: 'road-traffic-flow',
    titleZh: '城市道路交通流量',
    titleEn: 'Urban road traffic flow',
    descriptionZh: '主要道路每小时的车流量。',
    descriptionEn: 'Hourly vehicle counts on the main roads.',
    theme: 'transport',
    keywords: ['交通', 'traffic'],
    agency: transportBureau,
    classification: 'open',
    updateFrequency: 'hourly',
    status: 'published',
    sourceFormat: 'csv',
    rowCount: 125000,
    versionNumber: 2,
    downloadCount: 17,
    publishedAt: '2026-10-01T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

export const housingTransactions = datasetSummary({
  id: 'd0000000-0000-4000-8000-000000000002',
  slug: 'housing-transactions',
  titleZh: '商品房成交记录',
  titleEn: 'Housing transactions',
  descriptionZh: '新建商品房网签成交记录。',
  descriptionEn: 'Registered sales of new homes.',
  theme: 'housing',
  agency: housingBureau,
  classification: 'conditional',
  updateFrequency: 'monthly',
  rowCount: 48000,
  versionNumber: 1,
});

export function searchResult(items: DatasetSummary[], total = items.length): DatasetSearchResult {
  return {
    items,
    total,
    page: 1,
    pageSize: 10,
    facets: [
      { field: 'theme', counts: [{ value: 'transport', count: 1 }, { value: 'housing', count: 1 }] },
      { field: 'agency', counts: [{ value: 'transport', label: transportBureau.name, count: 1 }, { value: 'housing', label: housingBureau.name, count: 1 }] },
      { field: 'classification', counts: [{ value: 'open', count: 1 }, { value: 'conditional', count: 1 }] },
      { field: 'format', counts: [{ value: 'csv', count: 2 }] },
      { field: 'updateFrequency', counts: [{ value: 'hourly', count: 1 }, { value: 'monthly', count: 1 }] },
    ],
  };
}

export const versionOne: DatasetVersion = {
  id: 'e0000000-0000-4000-8000-000000000001',
  version: 1,
  sha256: 'a'.repeat(64),
  sourceFilename: 'traffic-2026-09.csv',
  sourceFormat: 'csv',
  encoding: 'gb18030',
  bytes: 2_400_000,
  parquetBytes: 600_000,
  rowCount: 100000,
  schema: [
    { name: '道路名称', type: 'VARCHAR' },
    { name: 'hour', type: 'TIMESTAMP' },
    { name: 'vehicles', type: 'INTEGER' },
  ],
  schemaChanges: null,
  createdAt: '2026-10-01T08:00:00.000Z',
};

export const versionTwo: DatasetVersion = {
  ...versionOne,
  id: 'e0000000-0000-4000-8000-000000000002',
  version: 2,
  sourceFilename: 'traffic-2026-10.csv',
  encoding: 'utf-8',
  rowCount: 125000,
  schema: [
    { name: '道路名称', type: 'VARCHAR' },
    { name: 'hour', type: 'TIMESTAMP' },
    { name: 'vehicles', type: 'BIGINT' },
    { name: 'district', type: 'VARCHAR' },
  ],
  schemaChanges: { added: [{ name: 'district', type: 'VARCHAR' }], removed: [], retyped: [{ name: 'vehicles', from: 'INTEGER', to: 'BIGINT' }] },
  createdAt: '2026-11-20T08:00:00.000Z',
};

export function datasetDetail(overrides: Partial<DatasetDetail> = {}): DatasetDetail {
  return {
    ...datasetSummary(),
    contactName: '数据开放科 Open Data Office',
    contactEmail: 'opendata@transport.example',
    spatialCoverage: '全市 City-wide',
    temporalStart: '2026-01-01',
    temporalEnd: null,
    licenseId: 'cc-by-4.0',
    minGroupSize: 5,
    smallCells: 'suppress',
    columns: [
      { name: '道路名称', position: 0, dataType: 'VARCHAR', descriptionZh: '道路名称', descriptionEn: 'Road name', sensitivity: 'public', joinPseudonym: false, inCurrentVersion: true },
      { name: 'hour', position: 1, dataType: 'TIMESTAMP', descriptionZh: '统计小时', descriptionEn: 'Hour counted', sensitivity: 'public', joinPseudonym: false, inCurrentVersion: true },
      { name: 'vehicles', position: 2, dataType: 'BIGINT', descriptionZh: '车辆数', descriptionEn: 'Vehicles', sensitivity: 'public', joinPseudonym: false, inCurrentVersion: true },
      { name: 'district', position: 3, dataType: 'VARCHAR', descriptionZh: '', descriptionEn: '', sensitivity: 'quasi_identifier', joinPseudonym: false, inCurrentVersion: true },
    ],
    currentVersion: versionTwo,
    profile: [
      {
        name: '道路名称',
        type: 'VARCHAR',
        nullShare: 0,
        approxDistinct: 42,
        min: '中山路',
        max: '解放路',
        topValues: [
          { value: '中山路', count: 3000 },
          { value: '解放路', count: 2800 },
        ],
      },
      { name: 'vehicles', type: 'BIGINT', nullShare: 0.125, approxDistinct: 900, min: '0', max: '4211', topValues: [{ value: null, count: 15625 }] },
    ],
    rowAccess: 'free',
    previewAvailable: true,
    ...overrides,
  };
}

export function ingestion(overrides: Partial<Ingestion> = {}): Ingestion {
  return {
    id: 'f0000000-0000-4000-8000-000000000001',
    datasetId: 'd0000000-0000-4000-8000-000000000001',
    status: 'succeeded',
    stage: null,
    progress: 100,
    filename: 'traffic-2026-10.csv',
    bytes: 2_400_000,
    error: null,
    version: 2,
    createdAt: '2026-11-20T07:59:00.000Z',
    finishedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

const harbor = { id: 'c0000000-0000-4000-8000-000000000001', slug: 'harbor', name: '港湾物流 Harbor Logistics' };

export function grant(overrides: Partial<Grant> = {}): Grant {
  return {
    id: 'a1000000-0000-4000-8000-000000000001',
    dataset: { id: housingTransactions.id, slug: housingTransactions.slug, titleZh: housingTransactions.titleZh, titleEn: housingTransactions.titleEn, classification: 'conditional' },
    organization: harbor,
    agency: housingBureau,
    purpose: 'risk_management',
    startsAt: '2026-11-01T00:00:00.000Z',
    expiresAt: '2027-11-01T00:00:00.000Z',
    revokedAt: null,
    revokedReason: null,
    state: 'active',
    ...overrides,
  };
}

export function accessRequest(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'b0000000-0000-4000-8000-000000000001',
    dataset: { id: housingTransactions.id, slug: housingTransactions.slug, titleZh: housingTransactions.titleZh, titleEn: housingTransactions.titleEn, classification: 'conditional' },
    organization: harbor,
    agency: housingBureau,
    requestedByEmail: 'buyer@harbor.example',
    purpose: 'risk_management',
    purposeDetail: '',
    intendedUse: 'Price risk models for warehouse leases, published only as district aggregates.',
    requestedDays: 180,
    status: 'pending',
    decisionReason: null,
    decidedAt: null,
    createdAt: '2026-11-18T09:00:00.000Z',
    grant: null,
    ...overrides,
  };
}

export function member(role: Me['role'], permissions: Me['permissions'], kind: Me['organization']['kind'] = 'enterprise'): Me {
  const organization = kind === 'agency' ? housingBureau : harbor;
  return {
    user: { id: 'a2000000-0000-4000-8000-000000000001', email: `${role}@example.test`, displayName: 'Test User', locale: 'en' },
    organization: { ...organization, kind, status: 'active', createdAt: '2026-01-01T00:00:00.000Z' },
    role,
    permissions,
    memberships: [{ organizationId: organization.id, organizationName: organization.name, organizationKind: kind, role }],
  };
}

/** A usage report of three days: previews and downloads by a buyer, the agency itself and anonymous visitors. */
export function usageReport(overrides: Partial<UsageReport> = {}): UsageReport {
  return {
    from: '2026-11-18',
    to: '2026-11-20',
    granularity: 'day',
    timeZone: 'UTC',
    series: [
      { start: '2026-11-18', preview: 2, csv: 1, parquet: 0, deliveries: 3, rows: 125040 },
      { start: '2026-11-19', preview: 0, csv: 0, parquet: 0, deliveries: 0, rows: 0 },
      { start: '2026-11-20', preview: 1, csv: 2, parquet: 1, deliveries: 4, rows: 375020 },
    ],
    totals: { preview: 3, csv: 3, parquet: 1, deliveries: 7, rows: 500060, organizations: 2, anonymousDeliveries: 3 },
    topConsumers: [
      { organization: { id: harbor.id, slug: harbor.slug, name: harbor.name, kind: 'enterprise' }, own: false, deliveries: 3, rows: 375000, lastDeliveredAt: '2026-11-20T09:30:00.000Z' },
      { organization: null, own: false, deliveries: 3, rows: 60, lastDeliveredAt: '2026-11-20T08:00:00.000Z' },
      { organization: { ...housingBureau, kind: 'agency' }, own: true, deliveries: 1, rows: 125000, lastDeliveredAt: '2026-11-18T10:00:00.000Z' },
    ],
    ...overrides,
  };
}
