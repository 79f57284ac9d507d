import { randomUUID } from 'node:crypto';
import { entryPrice, parsePricePlan } from '@civic/domain';
import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const OUTPATIENT = 'outpatient-demand-by-district-department-month';

async function offersOf(http: Http, slug: string) {
  const result = await http.get(`/api/v1/catalog/products/${slug}/offers`);
  expect(result.status).toBe(200);
  return result.body.items as Array<{ id: string; nameEn: string; pricePlan: { kind: string }; approvalNeeded: boolean; product: { id: string } }>;
}

async function accept(http: Http, token: string, offerId: string, extra: Record<string, unknown> = {}) {
  const terms = await http.get(`/api/v1/offers/${offerId}/terms`);
  expect(terms.status).toBe(200);
  return http.post('/api/v1/licenses', { offerId, termsSha256: terms.body.termsSha256, acceptTerms: true, ...extra }, { token });
}

describe('licensing and commerce: offers, terms, purchase, offline payment, approvals, entitlements', () => {
  const ctx = usePlatform({}, { worker: true });

  it('shows standard licence templates and published offers with readable terms, their hash and a price estimate', async () => {
    const templates = await ctx.http.get('/api/v1/license-templates');
    expect(templates.status).toBe(200);
    const keys = templates.body.items.map((template: { key: string }) => template.key);
    expect(keys).toEqual(expect.arrayContaining(['open-attribution', 'commercial-internal', 'commercial-derived-redistribution', 'research-noncommercial']));
    for (const template of templates.body.items) {
      expect(template.policy['@context']).toBeDefined();
      for (const language of ['zh', 'en'] as const) {
        const text = JSON.stringify(template.text[language]);
        expect(template.text[language].length).toBeGreaterThan(0);
        expect(text).not.toMatch(/undefined|\[object/);
      }
    }

    const offers = await offersOf(ctx.http, CONGESTION);
    // The seeded offers (other test files may add their own to the same product).
    expect(offers.map((offer) => offer.pricePlan.kind)).toEqual(expect.arrayContaining(['free', 'metered', 'subscription']));
    const terms = await ctx.http.get(`/api/v1/offers/${offers[1]!.id}/terms`);
    expect(terms.body.termsSha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await ctx.http.get(`/api/v1/offers/${offers[1]!.id}/terms`);
    expect(again.body.termsSha256).toBe(terms.body.termsSha256);

    const estimate = await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}/price-estimate?months=12&quantityPerMonth=2000000`);
    expect(estimate.status).toBe(200);
    const totals = estimate.body.items.map((item: { total: number }) => item.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(estimate.body.items[0].total).toBe(0); // the free research offer
    const bad = await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}/price-estimate?months=0&quantityPerMonth=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
  });

  it('shows on the storefront list what each product costs at the least, from its published offers', async () => {
    const listed = (await ctx.http.get('/api/v1/catalog/products')).body.items as Array<{ slug: string; entryPrice: unknown }>;
    expect(listed.length).toBeGreaterThan(0);
    for (const product of listed) {
      const offers = (await ctx.http.get(`/api/v1/catalog/products/${product.slug}/offers`)).body.items as Array<{ pricePlan: unknown }>;
      expect([product.slug, product.entryPrice]).toEqual([product.slug, entryPrice(offers.map((offer) => parsePricePlan(offer.pricePlan)))]);
    }
    // The demo sells free and paid plans: both kinds show.
    const kinds = new Set(listed.map((product) => (product.entryPrice as { kind: string } | null)?.kind));
    expect([kinds.has('free'), kinds.has('from')]).toEqual([true, true]);
  });

  it('sells a subscription offline: exact terms accepted, invoice, finance marks it paid, licence in force, entitlement follows', async () => {
    const buyer = await login(ctx.http, 'buyer@sunrise.demo');
    const finance = await login(ctx.http, 'analyst@finance.demo');
    // A monthly subscription paid up front. (The seeded one starts with a free trial instead of an
    // invoice: see offline-trial.e2e.spec.ts.)
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id as string;
    const templates = (await ctx.http.get('/api/v1/license-templates')).body.items as Array<{ id: string; key: string }>;
    const created = await ctx.http.post(
      `/api/v1/products/${productId}/offers`,
      {
        templateId: templates.find((template) => template.key === 'commercial-internal')!.id,
        nameZh: `企业月度订阅（无试用）${Date.now().toString(36)}`,
        nameEn: `Business monthly, no trial ${Date.now().toString(36)}`,
        pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 120_000 },
      },
      { token: vendor.token },
    );
    expect(created.status).toBe(201);
    expect((await ctx.http.post(`/api/v1/offers/${created.body.id}/publish`, {}, { token: vendor.token })).body.status).toBe('published');
    const subscription = created.body as { id: string };

    const before = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=query`, { token: buyer.token });
    expect(before.body).toMatchObject({ allowed: false, reason: 'licensing.no_license' });

    const stale = await ctx.http.post('/api/v1/licenses', { offerId: subscription.id, termsSha256: '0'.repeat(64), acceptTerms: true }, { token: buyer.token });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('licensing.terms_changed');
    const unaccepted = await ctx.http.post('/api/v1/licenses', { offerId: subscription.id, termsSha256: '0'.repeat(64), acceptTerms: false }, { token: buyer.token });
    expect(unaccepted.status).toBe(400);

    const accepted = await accept(ctx.http, buyer.token, subscription.id);
    expect(accepted.status).toBe(201);
    const license = accepted.body;
    expect(license).toMatchObject({ state: 'pending_payment', acceptedByEmail: 'buyer@sunrise.demo', offerRevision: 1 });
    expect(license.acceptedIp).toBeTruthy();
    const repeated = await accept(ctx.http, buyer.token, subscription.id);
    expect(repeated.body.id).toBe(license.id);

    const checkout = await ctx.http.post(`/api/v1/licenses/${license.id}/checkout`, {}, { token: buyer.token });
    expect(checkout.status).toBe(200);
    expect(checkout.body.provider).toBe('offline');
    const invoice = checkout.body.invoice;
    expect(invoice).toMatchObject({ status: 'open', total: 120_000, currency: 'CNY', provider: 'offline', kind: 'purchase' });
    expect(invoice.paymentInstructions.reference).toBe(invoice.number);
    // Paid to the collection account of the finance policy in force.
    const { collectionAccount } = (await ctx.http.get('/api/v1/finance/policy', { token: (await login(ctx.http, 'analyst@finance.demo')).token })).body.policy;
    expect(collectionAccount).not.toBeNull();
    expect(invoice.paymentInstructions).toEqual({ method: 'bank_transfer', reference: invoice.number, amount: 120_000, currency: 'CNY', ...collectionAccount });
    const checkoutAgain = await ctx.http.post(`/api/v1/licenses/${license.id}/checkout`, {}, { token: buyer.token });
    expect(checkoutAgain.body.invoice.id).toBe(invoice.id);

    const stillNo = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=query`, { token: buyer.token });
    expect(stillNo.body.allowed).toBe(false);

    // Only finance settles; the buyer cannot mark its own invoice paid.
    const byBuyer = await ctx.http.post(`/api/v1/finance/invoices/${invoice.id}/mark-paid`, { reference: 'BANK-1', amount: 120_000, receivedAt: new Date().toISOString() }, { token: buyer.token });
    expect(byBuyer.status).toBe(403);
    const wrongAmount = await ctx.http.post(`/api/v1/finance/invoices/${invoice.id}/mark-paid`, { reference: 'BANK-1', amount: 100_000, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(wrongAmount.status).toBe(400);
    expect(wrongAmount.body.error.code).toBe('billing.amount_mismatch');
    const reference = `BANK-${Date.now()}`;
    const paid = await ctx.http.post(`/api/v1/finance/invoices/${invoice.id}/mark-paid`, { reference, amount: 120_000, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', amountPaid: 120_000 });
    const paidTwice = await ctx.http.post(`/api/v1/finance/invoices/${invoice.id}/mark-paid`, { reference, amount: 120_000, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(paidTwice.status).toBe(200);

    const active = await ctx.http.get(`/api/v1/licenses/${license.id}`, { token: buyer.token });
    expect(active.body.state).toBe('active');
    expect(active.body.currentPeriodEnd).toBeTruthy();
    expect(active.body.events.map((event: { toState: string }) => event.toState)).toEqual(['pending_payment', 'active']);
    const now = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=query`, { token: buyer.token });
    expect(now.body).toMatchObject({ allowed: true, licenseId: license.id });

    // Another tenant sees nothing of it.
    const other = await login(ctx.http, 'buyer@harbor.demo');
    expect((await ctx.http.get(`/api/v1/licenses/${license.id}`, { token: other.token })).status).toBe(404);
    expect((await ctx.http.get(`/api/v1/invoices/${invoice.id}`, { token: other.token })).status).toBe(404);

    const cancelled = await ctx.http.post(`/api/v1/licenses/${license.id}/cancel`, {}, { token: buyer.token });
    expect(cancelled.body).toMatchObject({ state: 'active', cancelAtPeriodEnd: true });
    const resumed = await ctx.http.post(`/api/v1/licenses/${license.id}/resume`, {}, { token: buyer.token });
    expect(resumed.body).toMatchObject({ state: 'active', cancelAtPeriodEnd: false });

    // The licence page asks about this licence only; another organization's licence id answers nothing.
    const forThis = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=download&licenseId=${license.id}`, { token: buyer.token });
    expect(forThis.body).toMatchObject({ allowed: true, licenseId: license.id });
    const forOther = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=query&licenseId=${license.id}`, { token: other.token });
    expect(forOther.body).toMatchObject({ allowed: false, reason: 'licensing.no_license', licenseId: null });

    const sales = await login(ctx.http, 'vendor@cityflow.demo');
    const sold = await ctx.http.get('/api/v1/sales/licenses', { token: sales.token });
    expect(sold.body.items.some((item: { id: string }) => item.id === license.id)).toBe(true);
    // The seller reads the licence sold: buyer, accepted terms, history and invoices.
    const sale = await ctx.http.get(`/api/v1/sales/licenses/${license.id}`, { token: sales.token });
    expect(sale.status).toBe(200);
    expect(sale.body).toMatchObject({ id: license.id, buyer: { name: expect.any(String) }, termsSha256: license.termsSha256, state: 'active' });
    expect(sale.body.buyer.id).toBe(license.buyer.id);
    expect(sale.body.events.map((event: { event: string }) => event.event)).toEqual(expect.arrayContaining(['accepted', 'payment_succeeded', 'cancel_at_period_end', 'resume']));
    expect(sale.body.invoices.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([[invoice.id, 'paid']]);
    // Another seller gets the same 404 as for a licence that does not exist; a buyer may not ask at all.
    const otherSeller = await login(ctx.http, 'vendor@greengrid.demo');
    const notTheirs = await ctx.http.get(`/api/v1/sales/licenses/${license.id}`, { token: otherSeller.token });
    const missing = await ctx.http.get(`/api/v1/sales/licenses/${randomUUID()}`, { token: otherSeller.token });
    expect([notTheirs.status, notTheirs.body.error.code]).toEqual([404, 'licensing.not_found']);
    expect(missing.body).toEqual(notTheirs.body);
    expect((await ctx.http.get(`/api/v1/sales/licenses/${license.id}`, { token: buyer.token })).status).toBe(403);
  });

  it('needs the supervising agency and the vendor to approve a purchase over restricted data, with a stated purpose', async () => {
    const buyer = await login(ctx.http, 'buyer@harbor.demo');
    const health = await login(ctx.http, 'steward@health.demo');
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const [offer] = await offersOf(ctx.http, OUTPATIENT);
    expect(offer!.approvalNeeded).toBe(true);

    const noPurpose = await accept(ctx.http, buyer.token, offer!.id);
    expect(noPurpose.status).toBe(400);
    const accepted = await accept(ctx.http, buyer.token, offer!.id, { purpose: 'research', intendedUse: 'Capacity planning study for district clinics, results published in aggregate.' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.state).toBe('pending_approval');
    expect(accepted.body.approvals.map((approval: { approverKind: string }) => approval.approverKind).sort()).toEqual(['agency', 'vendor']);
    const checkoutEarly = await ctx.http.post(`/api/v1/licenses/${accepted.body.id}/checkout`, {}, { token: buyer.token });
    expect(checkoutEarly.status).toBe(409);

    const queue = await ctx.http.get('/api/v1/license-approvals', { token: health.token });
    expect(queue.body.items.some((item: { id: string }) => item.id === accepted.body.id)).toBe(true);
    const noReason = await ctx.http.post(`/api/v1/license-approvals/${accepted.body.id}/decision`, { decision: 'reject' }, { token: health.token });
    expect(noReason.status).toBe(400);
    const byVendor = await ctx.http.post(`/api/v1/license-approvals/${accepted.body.id}/decision`, { decision: 'approve' }, { token: vendor.token });
    expect(byVendor.body.state).toBe('pending_approval');
    const byAgency = await ctx.http.post(`/api/v1/license-approvals/${accepted.body.id}/decision`, { decision: 'approve' }, { token: health.token });
    expect(byAgency.body.state).toBe('pending_payment');
    const twice = await ctx.http.post(`/api/v1/license-approvals/${accepted.body.id}/decision`, { decision: 'approve' }, { token: health.token });
    expect(twice.status).toBe(409);

    const checkout = await ctx.http.post(`/api/v1/licenses/${accepted.body.id}/checkout`, {}, { token: buyer.token });
    expect(checkout.body.invoice).toMatchObject({ total: 800_000, status: 'open' });
  });

  it('lets platform operators save standard licence templates and their new versions, with every policy problem told', async () => {
    const admin = await login(ctx.http, 'admin@platform.demo');
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const base = (await ctx.http.get('/api/v1/license-templates')).body.items.find((template: { key: string }) => template.key === 'open-attribution');
    const key = `e2e-open-${Date.now().toString(36)}`;
    const body = { key, titleZh: '测试开放许可', titleEn: 'Test open licence', policy: base.policy };

    expect((await ctx.http.post('/api/v1/license-templates/standard', body, { token: vendor.token })).status).toBe(403);
    const invalid = await ctx.http.post(
      '/api/v1/license-templates/standard',
      { ...body, policy: { ...base.policy, '@type': 'Set', permission: [{ action: 'fly' }] } },
      { token: admin.token },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('licensing.invalid_policy');
    const problems = invalid.body.error.details.problems as Array<{ path: string; code: string; message: string }>;
    expect(problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['@type', 'permission[0].action']));
    for (const problem of problems) expect(problem.message).toEqual(expect.any(String));

    const first = await ctx.http.post('/api/v1/license-templates/standard', body, { token: admin.token });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ key, version: 1, standard: true, organization: null });
    expect(first.body.text.zh.length).toBeGreaterThan(0);
    const second = await ctx.http.post('/api/v1/license-templates/standard', { ...body, titleEn: 'Test open licence, revised' }, { token: admin.token });
    expect(second.body).toMatchObject({ key, version: 2, standard: true });
    // Every seller sees both versions; none may save its own template under the key.
    const listed = (await ctx.http.get('/api/v1/license-templates', { token: vendor.token })).body.items.filter((template: { key: string }) => template.key === key);
    expect(listed.map((template: { version: number }) => template.version)).toEqual([2, 1]);
    expect((await ctx.http.post('/api/v1/license-templates', body, { token: vendor.token })).status).toBe(409);
  });

  it('lets a seller draft, cap-check, publish and revise offers; sold licences keep the terms they were sold with', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const buyer = await login(ctx.http, 'buyer@harbor.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id;
    const templates = (await ctx.http.get('/api/v1/license-templates')).body.items as Array<{ id: string; key: string }>;
    const template = templates.find((candidate) => candidate.key === 'commercial-internal')!;

    const invalid = await ctx.http.post(`/api/v1/products/${productId}/offers`, { templateId: template.id, nameZh: '坏', nameEn: 'Bad', pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: -5 } }, { token: vendor.token });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('pricing.invalid_plan');

    const expensive = await ctx.http.post(
      `/api/v1/products/${productId}/offers`,
      { templateId: template.id, nameZh: '高价', nameEn: 'Too dear', pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 300_000 } },
      { token: vendor.token },
    );
    expect({ status: expensive.status, body: expensive.body }).toMatchObject({ status: 201 });
    const refused = await ctx.http.post(`/api/v1/offers/${expensive.body.id}/publish`, {}, { token: vendor.token });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('pricing.over_cap');

    const fixed = await ctx.http.patch(`/api/v1/offers/${expensive.body.id}`, { pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 50_000 } }, { token: vendor.token });
    expect(fixed.status).toBe(200);
    const published = await ctx.http.post(`/api/v1/offers/${expensive.body.id}/publish`, {}, { token: vendor.token });
    expect(published.body).toMatchObject({ status: 'published', revision: 1 });

    const sold = await accept(ctx.http, buyer.token, expensive.body.id);
    expect(sold.status).toBe(201);
    const revised = await ctx.http.patch(`/api/v1/offers/${expensive.body.id}`, { pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 60_000 } }, { token: vendor.token });
    expect(revised.body.revision).toBe(2);
    const licence = await ctx.http.get(`/api/v1/licenses/${sold.body.id}`, { token: buyer.token });
    expect(licence.body.pricePlan.amount).toBe(50_000);
    expect(licence.body.offerRevision).toBe(1);
    expect(licence.body.termsSha256).toBe(sold.body.termsSha256);

    // Another seller cannot touch it; the buyer cannot draft offers.
    const other = await login(ctx.http, 'vendor@greengrid.demo');
    expect((await ctx.http.patch(`/api/v1/offers/${expensive.body.id}`, { nameEn: 'x' }, { token: other.token })).status).toBe(404);
    expect((await ctx.http.post(`/api/v1/products/${productId}/offers`, {}, { token: buyer.token })).status).toBe(403);

    const archived = await ctx.http.post(`/api/v1/offers/${expensive.body.id}/archive`, {}, { token: vendor.token });
    expect(archived.body.status).toBe('archived');
    expect((await offersOf(ctx.http, CONGESTION)).some((offer) => offer.id === expensive.body.id)).toBe(false);
  });
});
