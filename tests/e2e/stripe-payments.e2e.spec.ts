import { signPayload, startStripeFake, type StripeFake } from '@civic/stripe-fake';
import Stripe from 'stripe';
import { login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const SCENIC = 'scenic-visitors-and-weather-by-district-month';
const WEBHOOK_SECRET = 'whsec_e2e_platform_endpoint';
const DAY = 86_400;

async function accept(http: Http, token: string, offerId: string) {
  const terms = await http.get(`/api/v1/offers/${offerId}/terms`);
  const accepted = await http.post('/api/v1/licenses', { offerId, termsSha256: terms.body.termsSha256, acceptTerms: true }, { token });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return accepted.body;
}

async function offerOf(http: Http, slug: string, kind: string) {
  const offers = await http.get(`/api/v1/catalog/products/${slug}/offers`);
  return offers.body.items.find((offer: { pricePlan: { kind: string } }) => offer.pricePlan.kind === kind);
}

/** Polls a licence until the check passes (the worker applies webhook events asynchronously). */
let output: (() => string) | undefined;

async function waitForLicense(http: Http, token: string, id: string, check: (license: any) => boolean, label: string) {
  const deadline = Date.now() + 20_000;
  let last: any;
  while (Date.now() < deadline) {
    last = (await http.get(`/api/v1/licenses/${id}`, { token })).body;
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`licence ${id} never became ${label}: ${JSON.stringify({ state: last?.state, events: last?.events })}\n${output?.() ?? ''}`);
}

/** Polls the Stripe fake until the offer revision's Price (by its lookup key) passes the check (the worker syncs offers asynchronously). */
async function waitForPrice(stripe: Stripe, offerId: string, revision: number, check: (price: Stripe.Price) => boolean, label: string): Promise<Stripe.Price> {
  const deadline = Date.now() + 20_000;
  let last: Stripe.Price | undefined;
  while (Date.now() < deadline) {
    last = (await stripe.prices.list({ lookup_keys: [`offer_${offerId}_r${revision}`], limit: 1 })).data[0];
    if (last && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the price of offer ${offerId} r${revision} never became ${label}: ${JSON.stringify(last ?? null)}\n${output?.() ?? ''}`);
}

function sessionIdOf(url: string): string {
  const match = /\/checkout\/(cs_[A-Za-z0-9_]+)/.exec(url);
  if (!match) throw new Error(`not a checkout url: ${url}`);
  return match[1]!;
}

describe('payments through Stripe: checkout, signed webhooks in any order, renewals and dunning', () => {
  let fake: StripeFake;
  beforeAll(async () => {
    fake = await startStripeFake();
  });
  const ctx = usePlatform(() => ({ STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }), { worker: true });
  const webhookUrl = () => `${ctx.platform.baseUrl}/api/v1/payments/stripe/webhook`;
  beforeAll(() => {
    output = () => ctx.platform.output().split('\n').filter((line) => /error|warn|fail/i.test(line)).slice(-30).join('\n');
    fake.addWebhookEndpoint({ url: webhookUrl(), secret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('activates a subscription from a checkout whose events arrive reversed, twice and three days late', async () => {
    expect((await ctx.http.get('/api/v1/payments/config')).body.provider).toBe('stripe');
    const buyer = await login(ctx.http, 'buyer@sunrise.demo');
    const offer = await offerOf(ctx.http, SCENIC, 'hybrid');
    const license = await accept(ctx.http, buyer.token, offer.id);
    expect(license.state).toBe('pending_payment');

    const checkout = await ctx.http.post(`/api/v1/licenses/${license.id}/checkout`, {}, { token: buyer.token });
    expect(checkout.status).toBe(200);
    expect(checkout.body.provider).toBe('stripe');
    expect(checkout.body.url).toContain(fake.url);
    const sessionId = sessionIdOf(checkout.body.url);
    // Asking again while the session is open returns the same page.
    expect((await ctx.http.post(`/api/v1/licenses/${license.id}/checkout`, {}, { token: buyer.token })).body.url).toBe(checkout.body.url);

    // The buyer pays on Stripe's page (the real HTML form of the hosted page).
    const page = await fetch(checkout.body.url);
    expect(page.status).toBe(200);
    fake.completeCheckout(sessionId, { outcome: 'paid' });
    // Stripe's webhooks stall for three days, then arrive newest first, each twice.
    fake.advanceTime(3 * DAY);
    const deliveries = await fake.deliverAll({ order: 'reversed', duplicate: true });
    expect(deliveries.length).toBeGreaterThanOrEqual(6);
    expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true);

    const active = await waitForLicense(ctx.http, buyer.token, license.id, (current) => current.state === 'active', 'active');
    expect(active.provider).toBe('stripe');
    expect(active.currentPeriodEnd).toBeTruthy();
    const purchases = active.invoices.filter((invoice: { kind: string }) => invoice.kind === 'purchase');
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({ provider: 'stripe', status: 'paid', total: 960_000, amountPaid: 960_000 });
    // Applying each event twice changed nothing twice: one activation in the history.
    expect(active.events.filter((event: { toState: string }) => event.toState === 'active')).toHaveLength(1);
    const entitled = await ctx.http.get(`/api/v1/entitlements?productId=${active.product.id}&action=query`, { token: buyer.token });
    expect(entitled.body).toMatchObject({ allowed: true, licenseId: license.id });

    // A year later the renewal fails: the licence is past due; the retry succeeds: active again.
    const session = fake.get(sessionId) as { customer: string };
    fake.setNextPaymentOutcome(session.customer, 'fail', { times: 1 });
    // Renewal falls due at day 365 (we are at day 3); the first retry comes three days later.
    fake.advanceTime(363 * DAY);
    await fake.deliverAll({ order: 'shuffled', seed: 7 });
    const pastDue = await waitForLicense(ctx.http, buyer.token, license.id, (current) => current.state === 'past_due', 'past_due');
    expect(pastDue.state).toBe('past_due');
    fake.advanceTime(4 * DAY);
    await fake.deliverAll({ order: 'as_recorded' });
    const renewed = await waitForLicense(
      ctx.http,
      buyer.token,
      license.id,
      (current) => current.state === 'active' && current.invoices.some((invoice: { kind: string; status: string }) => invoice.kind === 'renewal' && invoice.status === 'paid'),
      'renewed',
    );
    expect(new Date(renewed.currentPeriodEnd).getTime()).toBeGreaterThan(new Date(active.currentPeriodEnd).getTime());

    // Cancelling at period end goes to Stripe; the subscription's deletion later ends the licence.
    const cancelled = await ctx.http.post(`/api/v1/licenses/${license.id}/cancel`, {}, { token: buyer.token });
    expect(cancelled.body.cancelAtPeriodEnd).toBe(true);
    fake.advanceTime(400 * DAY);
    await fake.deliverAll({ order: 'shuffled', seed: 3 });
    const ended = await waitForLicense(ctx.http, buyer.token, license.id, (current) => current.state === 'expired', 'expired');
    expect(ended.endedAt).toBeTruthy();
  });

  it('activates a one-time purchase paid through Checkout', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const buyer = await login(ctx.http, 'buyer@harbor.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id;
    const templates = (await ctx.http.get('/api/v1/license-templates')).body.items as Array<{ id: string; key: string }>;
    const created = await ctx.http.post(
      `/api/v1/products/${productId}/offers`,
      { templateId: templates.find((template) => template.key === 'commercial-internal')!.id, nameZh: '一次性购买', nameEn: 'One-time purchase', pricePlan: { kind: 'one_time', currency: 'CNY', amount: 45_000 } },
      { token: vendor.token },
    );
    expect(created.status).toBe(201);
    expect((await ctx.http.post(`/api/v1/offers/${created.body.id}/publish`, {}, { token: vendor.token })).status).toBe(200);

    // Publishing puts the offer in the Stripe catalog before anyone buys: the product's Product, the revision's Price.
    const stripe = new Stripe(fake.secretKey, fake.clientOptions);
    const price = await waitForPrice(stripe, created.body.id, 1, (candidate) => candidate.active, 'active');
    expect(price).toMatchObject({ unit_amount: 45_000, currency: 'cny', recurring: null, metadata: expect.objectContaining({ offerId: created.body.id, revision: '1' }) });
    const stripeProduct = await stripe.products.retrieve(price.product as string);
    expect(stripeProduct).toMatchObject({ active: true, metadata: expect.objectContaining({ productId }) });
    expect(stripeProduct.name).toContain('Road congestion');

    const license = await accept(ctx.http, buyer.token, created.body.id);
    const checkout = await ctx.http.post(`/api/v1/licenses/${license.id}/checkout`, {}, { token: buyer.token });
    // Checkout sells that Price; it creates none.
    const lineItems = await stripe.checkout.sessions.listLineItems(sessionIdOf(checkout.body.url));
    expect(lineItems.data.map((item) => item.price?.id)).toEqual([price.id]);
    expect((await stripe.prices.list({ product: price.product as string, limit: 100 })).data.filter((candidate) => candidate.metadata.offerId === created.body.id)).toHaveLength(1);
    fake.completeCheckout(sessionIdOf(checkout.body.url), { outcome: 'paid' });
    await fake.deliverAll({ order: 'shuffled', seed: 11, duplicate: true });
    const active = await waitForLicense(ctx.http, buyer.token, license.id, (current) => current.state === 'active', 'active');
    expect(active.invoices).toHaveLength(1);
    expect(active.invoices[0]).toMatchObject({ kind: 'purchase', status: 'paid', total: 45_000, provider: 'stripe' });
    expect(active.currentPeriodEnd).toBeNull();

    // Finance refunds part of it through Stripe; the card network then takes the rest back.
    const finance = await login(ctx.http, 'analyst@finance.demo');
    const invoice = (await ctx.http.get(`/api/v1/finance/invoices/${active.invoices[0].id}`, { token: finance.token })).body;
    const payment = invoice.payments[0];
    expect(payment).toMatchObject({ provider: 'stripe', amount: 45_000, refunded: 0 });
    const refund = await ctx.http.post(`/api/v1/finance/payments/${payment.id}/refunds`, { amount: 5_000, reason: 'Goodwill' }, { token: finance.token });
    expect(refund.status).toBe(201);
    expect(refund.body.reference).toMatch(/^re_/);
    fake.openDispute(payment.reference);
    await fake.deliverAll({ order: 'shuffled', seed: 12, duplicate: true });
    const deadline = Date.now() + 20_000;
    let kinds: string[] = [];
    while (Date.now() < deadline) {
      const journal = await ctx.http.get(`/api/v1/finance/journal?invoiceId=${invoice.id}`, { token: finance.token });
      kinds = journal.body.items.map((entry: { kind: string }) => entry.kind).sort();
      if (kinds.includes('chargeback')) break;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // The refund is recorded once (by us, then again by its webhook), the dispute once.
    expect(kinds).toEqual(['chargeback', 'invoice_issued', 'payment', 'refund']);
    const after = (await ctx.http.get(`/api/v1/finance/invoices/${invoice.id}`, { token: finance.token })).body;
    expect(after.payments[0].refunded).toBe(45_000);

    // Reconciled with Stripe's own records: every balance transaction of this Stripe account
    // (this test's and the subscription's before it) matches a record of ours. Stripe payments
    // other test files recorded with their own Stripe fakes are, rightly, unknown to this one.
    const foreign = (issues: Array<{ kind: string; reference: string }>) =>
      issues.filter((issue) => !(issue.kind === 'record_missing_at_provider' && !fake.events().some((event) => JSON.stringify(event.data.object).includes(issue.reference.replace(/^stripe:/, '')))));
    const reconciliation = async () => (await ctx.http.get('/api/v1/finance/reconciliation', { token: finance.token })).body;
    const charged = await reconciliation();
    expect(foreign(charged.issues)).toEqual([]);
    expect(charged.providerRecords).toMatchObject({ provider: 'stripe', error: null });
    // The checkout's charge, the refund, the dispute's withdrawal, and the subscription's charges.
    expect(charged.providerRecords.movements).toBeGreaterThanOrEqual(4);
    expect(charged.providerRecords.matched).toBe(charged.providerRecords.movements);

    // The bank decides for us: the money comes back, the shares stand again, and a refund is possible again.
    const [dispute] = fake.events({ type: 'charge.dispute.created' }).map((event) => event.data.object as { id: string });
    fake.closeDispute(dispute!.id, { outcome: 'won' });
    await fake.deliverAll({ order: 'shuffled', seed: 13, duplicate: true });
    const wonBy = Date.now() + 20_000;
    while (Date.now() < wonBy) {
      const journal = await ctx.http.get(`/api/v1/finance/journal?invoiceId=${invoice.id}`, { token: finance.token });
      kinds = journal.body.items.map((entry: { kind: string }) => entry.kind).sort();
      if (kinds.includes('dispute_won')) break;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(kinds).toEqual(['chargeback', 'dispute_won', 'invoice_issued', 'payment', 'refund']);
    const reinstated = (await ctx.http.get(`/api/v1/finance/invoices/${invoice.id}`, { token: finance.token })).body;
    expect(reinstated.payments[0].refunded).toBe(5_000);
    const journal = (await ctx.http.get(`/api/v1/finance/journal?invoiceId=${invoice.id}`, { token: finance.token })).body.items as Array<{ kind: string; postings: Array<{ account: string; amount: number }> }>;
    const net = (account: string) => journal.flatMap((entry) => entry.postings).filter((posting) => posting.account.startsWith(account)).reduce((sum, posting) => sum + posting.amount, 0);
    expect(net('clearing:stripe')).toBe(45_000 - 5_000);
    const won = await reconciliation();
    expect(foreign(won.issues)).toEqual([]);
    expect(won.providerRecords.movements).toBe(charged.providerRecords.movements + 1);
    expect(won.providerRecords.matched).toBe(won.providerRecords.movements);

    // Money Stripe moved that we never recorded (a charge made outside the platform) is flagged.
    const stranger = await new Stripe(fake.secretKey, fake.clientOptions).checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'cny', unit_amount: 1_234, product_data: { name: 'Outside the platform' } }, quantity: 1 }],
      success_url: 'http://elsewhere.test/ok',
    });
    fake.completeCheckout(stranger.id, { outcome: 'paid' });
    const flagged = await reconciliation();
    expect(flagged.matched).toBe(false);
    expect(foreign(flagged.issues)).toEqual([expect.objectContaining({ kind: 'provider_movement_unrecorded', currency: 'CNY', expected: 1_234, actual: null })]);
  });

  it('keeps the Stripe catalog in step with the offer: a new revision gets its own Price, retiring deactivates it', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id;
    const templates = (await ctx.http.get('/api/v1/license-templates')).body.items as Array<{ id: string; key: string }>;
    const created = await ctx.http.post(
      `/api/v1/products/${productId}/offers`,
      { templateId: templates.find((template) => template.key === 'commercial-internal')!.id, nameZh: '月度订阅', nameEn: 'Monthly', pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 9_900 } },
      { token: vendor.token },
    );
    expect(created.status).toBe(201);
    const offerId = created.body.id as string;
    expect((await ctx.http.post(`/api/v1/offers/${offerId}/publish`, {}, { token: vendor.token })).status).toBe(200);
    const stripe = new Stripe(fake.secretKey, fake.clientOptions);
    const first = await waitForPrice(stripe, offerId, 1, (price) => price.active, 'active');
    expect(first).toMatchObject({ unit_amount: 9_900, recurring: expect.objectContaining({ interval: 'month' }) });

    const revised = await ctx.http.patch(`/api/v1/offers/${offerId}`, { pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 12_000 } }, { token: vendor.token });
    expect(revised.body.revision).toBe(2);
    const second = await waitForPrice(stripe, offerId, 2, (price) => price.active, 'active');
    expect(second.unit_amount).toBe(12_000);
    await waitForPrice(stripe, offerId, 1, (price) => !price.active, 'inactive');

    expect((await ctx.http.post(`/api/v1/offers/${offerId}/archive`, {}, { token: vendor.token })).status).toBe(200);
    await waitForPrice(stripe, offerId, 2, (price) => !price.active, 'inactive');
  });

  it('refuses a bad signature and a stale timestamp with 400 and changes nothing', async () => {
    const event = { id: 'evt_forged_1', object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cs_forged_1', object: 'checkout.session' } } };
    const body = JSON.stringify(event);
    const post = (signature: string) => fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });

    const wrongSecret = await post(signPayload(body, 'whsec_not_ours'));
    expect(wrongSecret.status).toBe(400);
    expect((await wrongSecret.json()).error.code).toBe('payments.invalid_signature');
    const stale = await post(signPayload(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(400);
    const unsigned = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(400);
    const tampered = await post(signPayload(body.replace('cs_forged_1', 'cs_forged_2'), WEBHOOK_SECRET));
    expect(tampered.status).toBe(400);

    // A correctly signed event naming no licence of ours is stored once and changes nothing.
    const genuine = JSON.stringify({ ...event, id: `evt_unknown_${Date.now()}` });
    const signedPost = () => fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(genuine, WEBHOOK_SECRET) }, body: genuine });
    const first = await signedPost();
    expect(await first.json()).toMatchObject({ received: true, duplicate: false });
    const again = await signedPost();
    expect(await again.json()).toMatchObject({ received: true, duplicate: true });
  });
});
