// Licensing and commerce bodies for rendering tests, typed by the generated schema.
import type { Invoice, License, LicenseTemplate, Offer, OfferEstimate, OfferTerms, PriceCap, PricePlan, RenderedLicence } from '../api/schema-types';

export const cityflow = { id: 'a0000000-0000-4000-8000-0000000000f1', slug: 'cityflow', name: '城流数据科技 CityFlow Analytics' };
export const harborOrg = { id: 'c0000000-0000-4000-8000-000000000001', slug: 'harbor', name: '港湾物流 Harbor Logistics' };
export const healthBureau = { id: '0b1e4d1e-0000-4000-8000-000000000008', slug: 'health', name: '市卫生健康委员会 Health Commission' };
export const congestion = { id: 'b0000000-0000-4000-8000-0000000000a1', slug: 'road-congestion', titleZh: '道路拥堵指数', titleEn: 'Road congestion index' };

export const SHA = 'ab'.repeat(32);
export const OTHER_SHA = 'cd'.repeat(32);

export const licenceText: RenderedLicence = {
  zh: [
    { heading: '允许', items: ['在本组织内部使用'] },
    { heading: '禁止', items: ['再分发'] },
  ],
  en: [
    { heading: 'You may', items: ['Use within your organization'] },
    { heading: 'You may not', items: ['Redistribute'] },
  ],
};

export function template(overrides: Partial<LicenseTemplate> = {}): LicenseTemplate {
  return {
    id: 'f0000000-0000-4000-8000-000000000001',
    key: 'commercial-internal',
    version: 1,
    standard: true,
    organization: null,
    titleZh: '商业内部使用许可',
    titleEn: 'Commercial internal use',
    summaryZh: '仅限本组织内部使用。',
    summaryEn: 'Use inside your organization only.',
    policy: { '@context': 'http://www.w3.org/ns/odrl.jsonld', permission: [{ action: 'use' }] },
    policySha256: 'ef'.repeat(32),
    text: licenceText,
    used: true,
    createdAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

export const subscriptionPlan: PricePlan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 120_000, trialDays: 14 };
export const meteredPlan: PricePlan = {
  kind: 'metered',
  currency: 'CNY',
  interval: 'month',
  metered: { unit: 'row', mode: 'graduated', per: 1000, includedQuantity: 100_000, tiers: [{ upTo: 1_000_000, unitAmount: 50 }, { upTo: null, unitAmount: 30 }] },
};

export function offer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: 'e1000000-0000-4000-8000-000000000001',
    product: congestion,
    seller: cityflow,
    nameZh: '企业月度订阅',
    nameEn: 'Business monthly',
    pricePlan: subscriptionPlan,
    priceText: { zh: '每月 ¥1,200.00，首 14 天免费试用', en: '¥1,200.00 a month, first 14 days free' },
    currency: 'CNY',
    requiresApproval: false,
    approvalNeeded: false,
    status: 'published',
    revision: 1,
    position: 0,
    template: template(),
    licenseCount: 0,
    updatedAt: '2026-11-20T00:00:00.000Z',
    publishedAt: '2026-11-20T00:00:00.000Z' as unknown as Offer['publishedAt'],
    ...overrides,
  };
}

export const meteredOffer = offer({
  id: 'e1000000-0000-4000-8000-000000000002',
  nameZh: '按量计费',
  nameEn: 'Pay as you go',
  pricePlan: meteredPlan,
  priceText: { zh: '按行计费', en: 'Per 1,000 rows: ¥0.50 up to 1,000,000 rows, ¥0.30 above' },
  template: template({ id: 'f0000000-0000-4000-8000-000000000002', key: 'commercial-derived-redistribution', titleZh: '可再分发衍生结果', titleEn: 'Redistribute derived results' }),
});

export function terms(overrides: Partial<OfferTerms> = {}): OfferTerms {
  return {
    offerId: offer().id,
    revision: 1,
    terms: { schema: 'civic.licence-terms/1', policy: { permission: [{ action: 'use' }] }, plan: subscriptionPlan },
    termsSha256: SHA,
    text: licenceText,
    priceText: offer().priceText,
    approvalNeeded: false,
    ...overrides,
  };
}

export function estimate(overrides: Partial<OfferEstimate> = {}): OfferEstimate {
  return {
    offerId: offer().id,
    nameZh: '企业月度订阅',
    nameEn: 'Business monthly',
    currency: 'CNY',
    total: 1_440_000,
    oneTime: 0,
    perPeriod: 120_000,
    interval: 'month',
    periods: 12,
    trialDays: 14,
    trialSavings: 0,
    lines: [{ kind: 'subscription_fee', description: { zh: '订阅费', en: 'Subscription fee' }, amount: 120_000 }],
    unit: 'none',
    ...overrides,
  };
}

const at = (value: string | null) => value as unknown as License['activatedAt'];

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  const made: Omit<Invoice, 'amountDue'> = {
    id: 'd1000000-0000-4000-8000-000000000001',
    number: 'INV-2026-000123',
    buyer: harborOrg,
    licenseId: 'c1000000-0000-4000-8000-000000000001',
    product: congestion,
    provider: 'offline',
    kind: 'purchase',
    status: 'open',
    currency: 'CNY',
    total: 120_000,
    subtotal: 113_208,
    tax: 6_792,
    taxRateBp: 600,
    amountPaid: 0,
    amountRefunded: 0,
    amountCredited: 0,
    credits: [],
    payments: [],
    periodStart: at('2026-11-20T00:00:00.000Z'),
    periodEnd: at('2026-12-20T00:00:00.000Z'),
    issuedAt: at('2026-11-20T00:00:00.000Z'),
    dueAt: at('2026-12-04T00:00:00.000Z'),
    paidAt: null,
    overdue: false,
    lines: [{ kind: 'subscription_fee', descriptionZh: '每月 ¥1,200.00', descriptionEn: '¥1,200.00 a month', quantity: 1, unitAmount: 120_000, amount: 120_000 }],
    paymentInstructions: {
      method: 'bank_transfer',
      reference: 'INV-2026-000123',
      amount: 120_000,
      currency: 'CNY',
      payee: 'Civic Data Operations Centre',
      bank: 'Demo Bank, City Branch',
      accountNumber: '6212 2600 0000 0000 001',
    },
    payOnlineUrl: null,
    ...overrides,
  };
  return { ...made, amountDue: overrides.amountDue ?? (made.status === 'open' ? made.total - made.amountPaid - made.amountCredited : 0) };
}

export function license(overrides: Partial<License> = {}): License {
  return {
    id: 'c1000000-0000-4000-8000-000000000001',
    buyer: harborOrg,
    seller: cityflow,
    product: congestion,
    offerId: offer().id,
    offerNameZh: '企业月度订阅',
    offerNameEn: 'Business monthly',
    offerRevision: 1,
    state: 'pending_payment',
    provider: 'none',
    pricePlan: subscriptionPlan,
    priceText: offer().priceText,
    terms: terms().terms,
    termsSha256: SHA,
    text: licenceText,
    purpose: null,
    purposeDetail: '',
    intendedUse: '',
    acceptedByEmail: 'buyer_admin@example.test' as unknown as License['acceptedByEmail'],
    acceptedAt: '2026-11-20T08:00:00.000Z',
    acceptedIp: '203.0.113.7',
    currentPeriodStart: null,
    currentPeriodEnd: null,
    trialEndsAt: null,
    cancelAtPeriodEnd: false,
    expiresAt: null,
    activatedAt: null,
    endedAt: null,
    endReason: null,
    approvals: [],
    events: [
      {
        event: 'accepted',
        fromState: null,
        toState: 'pending_payment',
        source: 'user',
        actorEmail: 'buyer_admin@example.test' as unknown as License['acceptedByEmail'],
        details: {},
        occurredAt: '2026-11-20T08:00:00.000Z',
      },
    ],
    invoices: [],
    createdAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

export function activeLicense(overrides: Partial<License> = {}): License {
  return license({
    state: 'active',
    provider: 'offline',
    activatedAt: at('2026-11-21T00:00:00.000Z'),
    currentPeriodStart: at('2026-11-21T00:00:00.000Z'),
    currentPeriodEnd: at('2026-12-21T00:00:00.000Z'),
    invoices: [invoice({ status: 'paid', amountPaid: 120_000, paidAt: at('2026-11-21T00:00:00.000Z'), paymentInstructions: null })],
    events: [
      ...license().events,
      { event: 'payment_succeeded', fromState: 'pending_payment', toState: 'active', source: 'user', actorEmail: null, details: {}, occurredAt: '2026-11-21T00:00:00.000Z' },
    ],
    ...overrides,
  });
}

export function priceCap(overrides: Partial<PriceCap> = {}): PriceCap {
  return {
    id: 'a9000000-0000-4000-8000-000000000001',
    theme: 'transport',
    classification: null,
    currency: 'CNY',
    maxOneTime: null,
    maxMonthly: 200_000,
    maxPerUnit: { unit: 'row', per: 1000, amount: 100 },
    note: '交通主题',
    active: true,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The body of the first request to `method path` (parsed JSON), or undefined. */
export async function bodyOf(requests: Request[], method: string, path: string): Promise<unknown> {
  const request = requests.find((candidate) => candidate.method === method && new URL(candidate.url).pathname === path);
  return request ? request.clone().json() : undefined;
}

/** The query strings of every request to `path`. */
export function queriesOf(requests: Request[], path: string): string[] {
  return requests.filter((request) => new URL(request.url).pathname === path).map((request) => new URL(request.url).search);
}
