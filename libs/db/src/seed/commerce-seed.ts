import { canonicalSha256, parsePricePlan, STANDARD_LICENSE_TEMPLATES, type PricePlan } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { LicenseTemplate, Offer, PriceCapRecord } from '../entities/commerce.entity.js';
import { Product } from '../entities/product.entity.js';
import { currentFinancePolicy, type CollectionAccount } from '../billing/revenue-store.js';

/** Inserts any standard licence template version not yet installed (safe from every process, any number of times). */
export async function installStandardTemplates(dataSource: DataSource): Promise<void> {
  for (const template of Object.values(STANDARD_LICENSE_TEMPLATES)) {
    await dataSource.query(
      `INSERT INTO license_templates (key, version, standard, title_zh, title_en, summary_zh, summary_en, policy, policy_sha256)
       VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8) ON CONFLICT (key, version) DO NOTHING`,
      [template.key, template.version, template.title.zh, template.title.en, template.summary.zh, template.summary.en, JSON.stringify(template.policy), canonicalSha256(template.policy)],
    );
  }
}

interface DemoOffer {
  productSlug: string;
  template: string;
  nameZh: string;
  nameEn: string;
  plan: PricePlan;
  requiresApproval?: boolean;
}

/** Demo offers: every kind of price plan over the demo products, all within the demo caps. */
export const DEMO_OFFERS: DemoOffer[] = [
  {
    productSlug: 'road-congestion-index-by-district-hour-weather',
    template: 'research-noncommercial',
    nameZh: '科研免费版',
    nameEn: 'Research (free)',
    plan: { kind: 'free', currency: 'CNY' },
  },
  {
    productSlug: 'road-congestion-index-by-district-hour-weather',
    template: 'commercial-internal',
    nameZh: '企业月度订阅',
    nameEn: 'Business monthly',
    plan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 120_000, trialDays: 14 },
  },
  {
    productSlug: 'road-congestion-index-by-district-hour-weather',
    template: 'commercial-derived-redistribution',
    nameZh: '按量计费（可再分发衍生结果）',
    nameEn: 'Pay as you go (redistribute derived results)',
    plan: {
      kind: 'metered',
      currency: 'CNY',
      interval: 'month',
      metered: { unit: 'row', mode: 'graduated', per: 1000, includedQuantity: 100_000, tiers: [{ upTo: 1_000_000, unitAmount: 50 }, { upTo: null, unitAmount: 30 }] },
    },
  },
  {
    productSlug: 'outpatient-demand-by-district-department-month',
    template: 'research-noncommercial',
    nameZh: '公共卫生研究（一次性）',
    nameEn: 'Public health research (one-time)',
    plan: { kind: 'one_time', currency: 'CNY', amount: 800_000 },
  },
  {
    productSlug: 'scenic-visitors-and-weather-by-district-month',
    template: 'commercial-internal',
    nameZh: '年度订阅 + 超量计费',
    nameEn: 'Yearly subscription + overage',
    plan: {
      kind: 'hybrid',
      currency: 'CNY',
      interval: 'year',
      amount: 960_000,
      metered: { unit: 'api_call', mode: 'volume', per: 1, includedQuantity: 50_000, tiers: [{ upTo: 200_000, unitAmount: 2 }, { upTo: null, unitAmount: 1 }] },
    },
  },
  {
    productSlug: 'scenic-visitors-and-weather-by-district-month',
    template: 'open-attribution',
    nameZh: '开放署名版',
    nameEn: 'Open with attribution',
    plan: { kind: 'free', currency: 'CNY' },
  },
];

/** Demo pricing rules: what public-data products of a class may cost at most. */
const DEMO_CAPS = [
  { classification: 'restricted', currency: 'CNY', maxOneTime: 5_000_000, maxMonthly: 500_000, note: '含受限数据的产品：单次不超过 ¥50,000，每月不超过 ¥5,000。Products with restricted data: at most ¥50,000 once, ¥5,000 a month.' },
  { classification: 'conditional', currency: 'CNY', maxOneTime: 3_000_000, maxMonthly: 300_000, note: '含有条件开放数据的产品。Products with conditional data.' },
  { theme: 'transport', currency: 'CNY', maxMonthly: 200_000, maxPerUnit: { unit: 'row', per: 1000, amount: 100 }, note: '交通主题：每月不超过 ¥2,000，每千行不超过 ¥1。Transport: at most ¥2,000 a month, ¥1 per 1,000 rows.' },
] as const;

/**
 * Licence templates, demo price caps and offers (published) for the demo products. Idempotent:
 * templates by key and version, caps and offers only when none exist yet.
 */
/** The demo platform's collection account (fictitious), set as finance would set it. */
export const DEMO_COLLECTION_ACCOUNT: CollectionAccount = {
  payee: '市公共数据运营服务中心 Civic Data Operations Centre',
  bank: '示例银行市分行营业部 Demo Bank, City Branch',
  accountNumber: '6212 2600 0000 0000 001',
};

/** The demo policy's note in both languages (a finance note is free text: the demo's reads in either UI). */
function demoPolicyNote(policy: { platformFeeBp: number; defaultRoyaltyBp: number; vatRateBp: number }): string {
  const percent = (bp: number) => `${bp / 100}%`;
  const [fee, royalty, vat] = [percent(policy.platformFeeBp), percent(policy.defaultRoyaltyBp), percent(policy.vatRateBp)];
  return `平台服务费 ${fee}、部门默认分成 ${royalty}、增值税 ${vat}（价内含税），设置演示收款账户。Platform fee ${fee}, default agency royalty ${royalty}, VAT ${vat} included in prices; demo collection account set.`;
}

/** Gives the finance policy in force the demo collection account when it has none (a new policy row: policies are never changed). */
async function seedCollectionAccount(dataSource: DataSource): Promise<void> {
  const policy = await currentFinancePolicy(dataSource);
  if (policy.collectionAccount) return;
  await dataSource.query(
    `INSERT INTO finance_policies (platform_fee_bp, default_royalty_bp, vat_rate_bp, note, collection_payee, collection_bank, collection_account)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [policy.platformFeeBp, policy.defaultRoyaltyBp, policy.vatRateBp, demoPolicyNote(policy), DEMO_COLLECTION_ACCOUNT.payee, DEMO_COLLECTION_ACCOUNT.bank, DEMO_COLLECTION_ACCOUNT.accountNumber],
  );
}

export async function seedDemoCommerce(dataSource: DataSource): Promise<{ offersCreated: number }> {
  await installStandardTemplates(dataSource);
  await seedCollectionAccount(dataSource);
  if ((await dataSource.manager.count(PriceCapRecord)) === 0) {
    for (const cap of DEMO_CAPS) await dataSource.manager.insert(PriceCapRecord, { ...cap, maxPerUnit: 'maxPerUnit' in cap ? { ...cap.maxPerUnit } : null } as never);
  }
  let offersCreated = 0;
  for (const [position, demo] of DEMO_OFFERS.entries()) {
    const product = await dataSource.manager.findOneBy(Product, { slug: demo.productSlug });
    if (!product || (await dataSource.manager.exists(Offer, { where: { productId: product.id, nameEn: demo.nameEn } }))) continue;
    const template = await dataSource.manager.findOneOrFail(LicenseTemplate, { where: { key: demo.template, standard: true }, order: { version: 'DESC' } });
    const plan = parsePricePlan(demo.plan);
    await dataSource.manager.insert(Offer, {
      productId: product.id,
      organizationId: product.organizationId,
      templateId: template.id,
      nameZh: demo.nameZh,
      nameEn: demo.nameEn,
      pricePlan: plan as never,
      currency: plan.currency,
      requiresApproval: demo.requiresApproval ?? false,
      status: 'published',
      position,
      publishedAt: new Date(),
    });
    offersCreated += 1;
  }
  return { offersCreated };
}
