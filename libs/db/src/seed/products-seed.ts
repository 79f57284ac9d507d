import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grantExpiry, type Theme } from '@civic/domain';
import { createObjectStore, type StorageConfig } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { AccessGrant, AccessRequest, Dataset, Membership, Organization, Product, ProductInput, ProductReview, User } from '../entities/index.js';
import { deriveInline } from '../products/derive-run.js';
import { resolveProductInputs, runInputsOf } from '../products/product-inputs.js';
import { notifyOrganization } from '../notifications/notify-organization.js';
import { createDerivationRun } from '../products/product-store.js';

export interface ProductsSeedOptions {
  storage: StorageConfig;
  log?: (message: string) => void;
}

interface DemoProduct {
  slug: string;
  vendorSlug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  theme: Theme;
  keywords: string[];
  inputs: Array<{ name: string; datasetSlug: string; weight?: number }>;
  sql: string;
  /** Where the listing stands after the seed. */
  listing: 'published' | 'submitted';
}

const RAIN = `SELECT "所在区" AS district, "观测日期" AS day, max("降水量(毫米)") AS rain_mm FROM weather GROUP BY ALL`;

/** Value-added products over the demo catalog, one of them built on restricted data through the privacy gate. */
export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: 'road-congestion-index-by-district-hour-weather',
    vendorSlug: 'cityflow-analytics',
    titleZh: '道路拥堵指数（按行政区、时段与天气）',
    titleEn: 'Road congestion index by district, hour and weather',
    descriptionZh:
      '由道路交通流量与逐日气象观测派生：各区每个小时的拥堵指数（自由流车速 ÷ 实际平均车速，1 为畅通），区分雨天（日降水 ≥ 10 毫米）与非雨天；当天该区无降水观测的记为 unknown。适用于出行规划、物流排班与保险定价。',
    descriptionEn:
      'Derived from hourly road traffic and daily weather: the congestion index of each district and hour of the day (free-flow speed ÷ average speed; 1 is free flow), on rainy days (≥ 10 mm) and dry days; days without a rain measurement for the district are “unknown”. For trip planning, logistics scheduling and insurance pricing.',
    theme: 'transport',
    keywords: ['交通', '拥堵', '天气', 'congestion', 'traffic', 'weather'],
    inputs: [
      { name: 'traffic', datasetSlug: 'road-traffic-flow-hourly', weight: 3 },
      { name: 'weather', datasetSlug: 'daily-weather-observations', weight: 1 },
    ],
    sql: `WITH hourly AS (
  SELECT district, CAST(hour_start AS DATE) AS day, hour(hour_start) AS hour_of_day, avg(avg_speed_kmh) AS speed_kmh
  FROM traffic
  GROUP BY ALL
),
free_flow AS (
  SELECT district, quantile_cont(speed_kmh, 0.95) AS free_flow_kmh FROM hourly GROUP BY district
),
rain AS (${RAIN})
SELECT h.district, h.hour_of_day,
       CASE WHEN r.rain_mm IS NULL THEN 'unknown' WHEN r.rain_mm >= 10 THEN 'rain' ELSE 'dry' END AS weather,
       round(avg(f.free_flow_kmh / h.speed_kmh), 3) AS congestion_index,
       count(*) AS observations
FROM hourly h
JOIN free_flow f ON f.district = h.district
LEFT JOIN rain r ON r.district = h.district AND r.day = h.day
GROUP BY ALL
ORDER BY ALL`,
    listing: 'published',
  },
  {
    slug: 'outpatient-demand-by-district-department-month',
    vendorSlug: 'cityflow-analytics',
    titleZh: '门诊需求（按行政区、科室与月份）',
    titleEn: 'Outpatient demand by district, department and month',
    descriptionZh:
      '由受限的医院门诊就诊记录在平台内派生：各区居民每月到各科室就诊的人数、人次与平均费用。个人信息从不离开平台，人数少于 10 人的格子已按卫生健康委的要求隐去。',
    descriptionEn:
      'Derived inside the platform from restricted outpatient visit records: patients, visits and average cost by district of residence, department and month. Personal data never leaves the platform; cells of fewer than 10 patients are suppressed as the Health Commission requires.',
    theme: 'health',
    keywords: ['卫生健康', '门诊', '医疗需求', 'health', 'outpatient', 'demand'],
    inputs: [{ name: 'visits', datasetSlug: 'hospital-outpatient-visits' }],
    sql: `SELECT district, department, strftime(visit_date, '%Y-%m') AS month,
       count(DISTINCT patient_id) AS patients,
       count(*) AS visits,
       round(avg(cost_yuan), 0) AS avg_cost_yuan
FROM visits
GROUP BY ALL
ORDER BY ALL`,
    listing: 'published',
  },
  {
    slug: 'scenic-visitors-and-weather-by-district-month',
    vendorSlug: 'cityflow-analytics',
    titleZh: '景区客流与天气（按行政区与月份）',
    titleEn: 'Scenic-spot visitors and weather by district and month',
    descriptionZh: '由景区每日客流与逐日气象观测派生：各区每月游客总人次，以及雨天与非雨天景区的日均接待量（该区当天无降水观测的不计入两者）。适用于文旅运营与客流预测。',
    descriptionEn:
      'Derived from daily scenic-spot visitors and daily weather: monthly visitors by district and the average visitors per spot on rainy and dry days (days without a rain measurement for the district count in neither). For tourism operations and visitor forecasting.',
    theme: 'tourism',
    keywords: ['旅游', '客流', '天气', 'tourism', 'visitors', 'weather'],
    inputs: [
      { name: 'scenic', datasetSlug: 'scenic-spot-daily-visitors', weight: 2 },
      { name: 'weather', datasetSlug: 'daily-weather-observations', weight: 1 },
    ],
    sql: `WITH rain AS (${RAIN})
SELECT s."所在区" AS district, strftime(s."日期", '%Y-%m') AS month,
       sum(s."游客人次") AS visitors,
       round(avg(CASE WHEN r.rain_mm >= 10 THEN s."游客人次" END)) AS avg_visitors_rainy_day,
       round(avg(CASE WHEN r.rain_mm < 10 THEN s."游客人次" END)) AS avg_visitors_dry_day,
       count(*) AS spot_days
FROM scenic s
LEFT JOIN rain r ON r.district = s."所在区" AND r.day = s."日期"
GROUP BY ALL
ORDER BY ALL`,
    listing: 'published',
  },
  {
    slug: 'district-energy-consumption-by-year-utility',
    vendorSlug: 'greengrid-insights',
    titleZh: '分区能源消费（按年份与能源类别）',
    titleEn: 'District energy consumption by year and utility',
    descriptionZh: '由分区月度能源消费（有条件开放，经市能源局授权用于产品开发）派生：各区每年的用电、用气、用水总量与居民生活占比。',
    descriptionEn:
      'Derived from monthly district energy consumption (conditional, used under the Energy Bureau’s grant for product development): yearly power, gas and water consumption by district and the household share.',
    theme: 'energy',
    keywords: ['能源', '电力', '燃气', '自来水', 'energy', 'power', 'gas', 'water'],
    inputs: [{ name: 'energy', datasetSlug: 'district-energy-consumption-monthly' }],
    sql: `SELECT "行政区" AS district, substr("统计月份", 1, 4) AS year, "能源类别" AS utility, "计量单位" AS unit,
       round(sum("消费量"), 1) AS consumption,
       round(avg("居民生活占比(%)"), 1) AS household_share_pct,
       count(*) AS months
FROM energy
GROUP BY ALL
ORDER BY ALL`,
    listing: 'submitted',
  },
];

export interface ProductsSeedResult {
  productsCreated: number;
  versionsCreated: number;
}

/**
 * The demo products, each derived by the same stages as the worker runs (sandbox, privacy gate,
 * lineage), then reviewed and listed as a real product would be. Idempotent: a product that
 * exists is left alone.
 */
export async function seedDemoProducts(dataSource: DataSource, options: ProductsSeedOptions): Promise<ProductsSeedResult> {
  const store = createObjectStore(options.storage);
  const workRoot = await mkdtemp(path.join(tmpdir(), 'civic-seed-products-'));
  const result: ProductsSeedResult = { productsCreated: 0, versionsCreated: 0 };
  try {
    await grantEnergyToGreenGrid(dataSource);
    for (const demo of DEMO_PRODUCTS) {
      if (await dataSource.manager.exists(Product, { where: { slug: demo.slug } })) continue;
      const started = Date.now();
      const vendor = await dataSource.manager.findOneByOrFail(Organization, { slug: demo.vendorSlug });
      const owner = await dataSource.manager.findOneByOrFail(Membership, { organizationId: vendor.id });
      const product = await dataSource.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(Product, {
            organizationId: vendor.id,
            kind: 'derived',
            slug: demo.slug,
            titleZh: demo.titleZh,
            titleEn: demo.titleEn,
            descriptionZh: demo.descriptionZh,
            descriptionEn: demo.descriptionEn,
            theme: demo.theme,
            keywords: demo.keywords,
            sql: demo.sql,
            createdByUserId: owner.userId,
          }),
        );
        for (const [position, input] of demo.inputs.entries()) {
          const dataset = await manager.findOneByOrFail(Dataset, { slug: input.datasetSlug });
          await manager.insert(ProductInput, { productId: created.id, name: input.name, position, datasetId: dataset.id, sourceProductId: null, weight: input.weight ?? 1 });
        }
        return created;
      });
      result.productsCreated += 1;
      const inputs = await resolveProductInputs(dataSource.manager, vendor.id, await dataSource.manager.find(ProductInput, { where: { productId: product.id } }));
      const { run } = await dataSource.transaction((manager) => createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'manual', userId: owner.userId }));
      const finished = await deriveInline(
        { dataSource, store, workRoot, memoryLimit: '1GB', threads: 2, timeoutMs: 10 * 60_000 },
        run.id,
      );
      if (finished.status !== 'succeeded') throw new Error(`demo product ${demo.slug}: run ${finished.status} ${finished.errorCode ?? ''} ${finished.errorMessage ?? ''}`);
      result.versionsCreated += 1;
      await list(dataSource, product.id, demo.listing, inputs.map((input) => ({ agencyId: input.organizationId, classification: input.classification })));
      options.log?.(`demo product ${demo.slug}: ${finished.outputRows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
  return result;
}

/** Moves a freshly derived demo product through review as its reviewers would. */
async function list(
  dataSource: DataSource,
  productId: string,
  listing: DemoProduct['listing'],
  inputs: Array<{ agencyId: string; classification: string | null }>,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const product = await manager.findOneByOrFail(Product, { id: productId });
    await manager.update(Product, { id: productId }, { status: 'submitted', reviewRound: 1, submittedAt: new Date() });
    const reviewingAgencies = [...new Set(inputs.filter((input) => input.classification !== 'open').map((input) => input.agencyId))];
    if (listing === 'submitted') {
      // Its reviewers hear of it as they would of any submission (the outbox sweep mails them).
      const platforms = await manager.findBy(Organization, { kind: 'platform' });
      for (const organizationId of [...platforms.map((platform) => platform.id), ...reviewingAgencies.filter((agencyId) => agencyId !== product.organizationId)]) {
        await notifyOrganization(manager, organizationId, {
          kind: 'product.review_requested',
          reference: `${productId}:1`,
          subject: { kind: 'product.review_requested', product },
          target: { type: 'product_review', id: productId },
          body: { productId, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn, round: 1 },
        });
      }
      return;
    }
    const reviewers = [
      { kind: 'platform' as const, agencyId: null, email: 'admin@platform.demo' },
      ...reviewingAgencies.map((agencyId) => ({ kind: 'agency' as const, agencyId, email: null })),
    ];
    for (const reviewer of reviewers) {
      const userId = reviewer.email
        ? (await manager.findOneByOrFail(User, { email: reviewer.email })).id
        : (await manager.findOneByOrFail(Membership, { organizationId: reviewer.agencyId! })).userId;
      await manager.insert(ProductReview, {
        productId,
        round: 1,
        versionId: product.currentVersionId!,
        reviewerKind: reviewer.kind,
        agencyId: reviewer.agencyId,
        decision: 'approve',
        reason: '',
        decidedByUserId: userId,
      });
    }
    await manager.update(Product, { id: productId }, { status: 'published', publishedAt: new Date() });
  });
}

/** GreenGrid holds the Energy Bureau's grant for product development (the conditional demo input). */
async function grantEnergyToGreenGrid(dataSource: DataSource): Promise<void> {
  const vendor = await dataSource.manager.findOneByOrFail(Organization, { slug: 'greengrid-insights' });
  const dataset = await dataSource.manager.findOneByOrFail(Dataset, { slug: 'district-energy-consumption-monthly' });
  if (await dataSource.manager.exists(AccessGrant, { where: { organizationId: vendor.id, datasetId: dataset.id } })) return;
  const requester = await dataSource.manager.findOneByOrFail(Membership, { organizationId: vendor.id });
  const steward = await dataSource.manager.findOneByOrFail(Membership, { organizationId: dataset.organizationId });
  await dataSource.transaction(async (manager) => {
    const decidedAt = new Date();
    const request = await manager.save(
      manager.create(AccessRequest, {
        datasetId: dataset.id,
        organizationId: vendor.id,
        agencyId: dataset.organizationId,
        requestedByUserId: requester.userId,
        purpose: 'product_development',
        intendedUse: 'Yearly district energy indicators sold as a data product; monthly rows are never resold.',
        requestedDays: 365,
        status: 'approved',
        decidedByUserId: steward.userId,
        decidedAt,
      }),
    );
    await manager.insert(AccessGrant, {
      datasetId: dataset.id,
      organizationId: vendor.id,
      agencyId: dataset.organizationId,
      requestId: request.id,
      purpose: 'product_development',
      startsAt: decidedAt,
      expiresAt: grantExpiry(decidedAt, 365),
    });
  });
}
