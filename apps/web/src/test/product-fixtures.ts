// Bodies shaped like the API's product responses, typed by the generated schema.
import type { GateReport, LineageGraph, Product, ProductInput, PublicProduct, Run } from '../api/schema-types';

export const productId = 'b0000000-0000-4000-8000-0000000000a1';

export function gateReport(overrides: Partial<GateReport> = {}): GateReport {
  return {
    version: 1,
    outcome: 'suppressed',
    rule: 'small_cells',
    k: 10,
    smallCells: 'suppress',
    checkedColumns: { quasiIdentifiers: ['district'], countColumns: ['visits'], personal: [] },
    rowCount: 120,
    violatingRows: 3,
    violatingGroups: 3,
    suppressedRows: 3,
    rowsPublished: 117,
    reasons: [{ code: 'small_cells', k: 10, countColumns: ['visits'], violatingRows: 3, violatingGroups: 3, handling: 'suppress' }],
    ...overrides,
  };
}

export function productInput(overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    name: 'survey',
    position: 0,
    weight: 1,
    kind: 'dataset',
    id: 'd0000000-0000-4000-8000-000000000001',
    slug: 'urban-channel-construction-survey-2011-2015',
    titleZh: '城市渠道建设调查',
    titleEn: 'Urban channel construction survey',
    organizationId: 'a0000000-0000-4000-8000-000000000001',
    organizationName: '市统计局 Statistics Bureau',
    classification: 'open',
    usable: true,
    unusableReason: null,
    columns: [
      { name: '年份', type: 'BIGINT', sensitivity: 'public', pseudonym: false },
      { name: '渠道综合应用率(%)', type: 'BIGINT', sensitivity: 'public', pseudonym: false },
    ],
    ...overrides,
  };
}

export function run(overrides: Partial<Run> = {}): Run {
  return {
    id: 'c0000000-0000-4000-8000-000000000001',
    productId,
    trigger: 'manual',
    status: 'running',
    stage: 'materializing',
    progress: 35,
    attempts: 1,
    outputRows: null,
    gateReport: null,
    errorCode: null,
    errorMessage: null,
    errorDetails: null,
    versionId: null,
    version: null,
    createdAt: '2026-11-20T08:00:00.000Z',
    startedAt: '2026-11-20T08:00:01.000Z',
    finishedAt: null,
    ...overrides,
  };
}

export function product(overrides: Partial<Product> = {}): Product {
  return {
    id: productId,
    organizationId: 'a0000000-0000-4000-8000-0000000000f1',
    organizationName: '城流数据科技 CityFlow Analytics',
    kind: 'derived',
    slug: 'channel-gap-by-year',
    titleZh: '渠道差距（按年份）',
    titleEn: 'Channel gap by year',
    descriptionZh: '',
    descriptionEn: '',
    theme: 'statistics',
    keywords: [],
    sql: 'SELECT "年份" AS year FROM survey',
    status: 'draft',
    suspensionReason: null,
    rejectionReason: null,
    inputs: [productInput()],
    currentVersion: null,
    latestRun: null,
    settingsChanged: null,
    review: { round: 0, status: 'not_submitted', open: false, submittedAt: null, required: [{ reviewerKind: 'platform', agencyId: null, agencyName: null, decided: false }], decisions: [], history: [] },
    createdAt: '2026-11-20T07:00:00.000Z',
    updatedAt: '2026-11-20T07:30:00.000Z',
    publishedAt: null,
    ...overrides,
  };
}

/** A derived product over a product and two datasets of two agencies, one dataset read twice. */
export function lineageGraph(): LineageGraph {
  return {
    nodes: [
      node('pv-root', 'product_version', 'road-congestion', '道路拥堵指数', 'Road congestion index', 'CityFlow Analytics', null),
      node('pv-sub', 'product_version', 'rain-days', '雨天', 'Rain days', 'CityFlow Analytics', null),
      node('dv-traffic', 'dataset_version', 'road-traffic-flow-hourly', '道路交通流量', 'Road traffic flow', 'Transport Bureau', 'open'),
      node('dv-weather', 'dataset_version', 'daily-weather-observations', '逐日气象观测', 'Daily weather', 'Meteorological Bureau', 'open'),
    ],
    edges: [
      { from: 'dv-traffic', to: 'pv-root', weight: 3, share: 0.75 },
      { from: 'pv-sub', to: 'pv-root', weight: 1, share: 0.25 },
      { from: 'dv-weather', to: 'pv-sub', weight: 1, share: 1 },
      { from: 'dv-traffic', to: 'pv-root', weight: 3, share: 0.75 },
    ],
    agencies: [
      { agencyId: 'a-weather', agencyName: 'Meteorological Bureau', share: '1/4', basisPoints: 2500 },
      { agencyId: 'a-transport', agencyName: 'Transport Bureau', share: '3/4', basisPoints: 7500 },
    ],
  };
}

function node(id: string, kind: LineageGraph['nodes'][number]['kind'], slug: string, titleZh: string, titleEn: string, organizationName: string, classification: 'open' | null) {
  return { id, kind, ownerId: `${id}-owner`, slug, titleZh, titleEn, version: 1, organizationId: `${organizationName}-id`, organizationName, classification };
}

export function publicProduct(overrides: Partial<PublicProduct> = {}): PublicProduct {
  return {
    id: productId,
    slug: 'outpatient-demand',
    kind: 'derived',
    titleZh: '门诊需求（按区、科室与月份）',
    titleEn: 'Outpatient demand by district, department and month',
    descriptionZh: '由医院门诊数据派生。',
    descriptionEn: 'Derived from hospital outpatient visits.',
    theme: 'health',
    keywords: ['医疗', 'health'],
    organizationName: '城流数据科技 CityFlow Analytics',
    version: 2,
    rowCount: 117,
    schema: [
      { name: 'district', type: 'VARCHAR' },
      { name: 'visits', type: 'BIGINT' },
    ],
    publishedAt: '2026-11-21T08:00:00.000Z',
    updatedAt: '2026-11-21T07:00:00.000Z',
    privacy: { outcome: 'suppressed', rule: 'small_cells', k: 10, suppressedRows: 3 },
    sample: null,
    lineage: lineageGraph(),
    ...overrides,
  };
}
