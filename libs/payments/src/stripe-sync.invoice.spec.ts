import { createDataSource, Invoice, issueInvoice, License, Payment } from '@civic/db';
import { createCommerceFixture, type CommerceFixture } from '@civic/db/testing';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { StripeSync } from './stripe-sync.js';

const DAY_MS = 86_400_000;

/**
 * The invoice branch of StripeSync for one-off Stripe invoices that collect our usage
 * invoices: the payment is recorded once when Stripe says paid, whatever event brings it,
 * however often and in whatever order; nothing else pays our invoice.
 */
describe('StripeSync: Stripe invoices collecting our usage invoices', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let fixture: CommerceFixture;
  let stripe: Stripe;
  let sync: StripeSync;
  let customerId: string;

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await dataSource.initialize();
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    sync = new StripeSync(dataSource, stripe);
    fixture = await createCommerceFixture(dataSource, 'sync');
    customerId = (await stripe.customers.create({ name: 'Buyer', metadata: { organizationId: fixture.buyerId } })).id;
    await dataSource.query(`INSERT INTO stripe_customers (organization_id, customer_id) VALUES ($1, $2)`, [fixture.buyerId, customerId]);
  });
  afterAll(async () => {
    await fake?.close();
    await dataSource?.destroy();
  });

  /** A Stripe licence in the given state with one open usage invoice of ours (provider stripe). */
  async function usageInvoice(total: number, state: License['state'] = 'active'): Promise<Invoice> {
    const plan = { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 0, unitAmount: 100 } };
    const start = new Date(Date.now() - 40 * DAY_MS);
    const license = await fixture.license(plan, { acceptedAt: start, state, provider: 'stripe', activatedAt: start });
    const { invoice } = await dataSource.transaction((manager) =>
      issueInvoice(manager, {
        license,
        provider: 'stripe',
        kind: 'usage',
        status: 'open',
        lines: [{ kind: 'usage', descriptionZh: '用量', descriptionEn: 'Usage', quantity: total / 100, unitAmount: 100, amount: total }],
        periodStart: start,
        periodEnd: new Date(start.getTime() + 30 * DAY_MS),
        dueAt: new Date(Date.now() + 14 * DAY_MS),
      }),
    );
    return invoice;
  }

  /** A finalized Stripe invoice for ours, as the collector makes it. */
  async function stripeInvoiceFor(invoice: Invoice, metadata: Record<string, string> = { invoiceId: invoice.id, licenseId: invoice.licenseId }): Promise<Stripe.Invoice> {
    const draft = await stripe.invoices.create({ customer: customerId, collection_method: 'charge_automatically', currency: 'cny', metadata, pending_invoice_items_behavior: 'exclude' });
    await stripe.invoiceItems.create({ customer: customerId, invoice: draft.id, amount: invoice.total, currency: 'cny', description: invoice.number });
    return stripe.invoices.finalizeInvoice(draft.id, { auto_advance: true });
  }

  const payments = (invoiceId: string) => dataSource.manager.findBy(Payment, { invoiceId });

  it('records the payment once when Stripe says paid, whichever invoice event arrives, twice and out of order', async () => {
    const ours = await usageInvoice(12_000);
    const theirs = await stripeInvoiceFor(ours);
    // Before payment: an event about the open invoice changes nothing but remembers the Stripe invoice.
    expect(await sync.applyEvent('invoice.finalized', theirs.id)).toMatchObject({ action: 'stripe_invoice_open', licenseId: ours.licenseId });
    expect(await payments(ours.id)).toEqual([]);
    expect((await dataSource.manager.findOneByOrFail(Invoice, { id: ours.id })).stripeInvoiceId).toBe(theirs.id);

    await stripe.invoices.pay(theirs.id);
    const outcomes = await Promise.all(['invoice.payment_succeeded', 'invoice.paid', 'invoice.paid'].map((type) => sync.applyEvent(type, theirs.id)));
    // An older event delivered late: Stripe's invoice is paid by now, and that is what counts.
    outcomes.push(await sync.applyEvent('invoice.finalized', theirs.id));
    expect(outcomes.map((outcome) => outcome.action).sort()).toEqual(['invoice_already_paid', 'invoice_already_paid', 'invoice_already_paid', 'invoice_paid']);

    const recorded = await payments(ours.id);
    expect(recorded.map((payment) => [payment.provider, payment.providerReference, payment.amount, payment.currency])).toEqual([['stripe', theirs.id, 12_000, 'CNY']]);
    expect(await dataSource.manager.findOneByOrFail(Invoice, { id: ours.id })).toMatchObject({ status: 'paid', amountPaid: 12_000, stripeInvoiceId: theirs.id });
    // Posted once, with its split: clearing:stripe receives the total, the entry balances.
    const postings: Array<{ account: string; amount: string }> = await dataSource.query(
      `SELECT p.account, p.amount::text FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id WHERE e.idempotency_key = $1`,
      [`payment:${recorded[0]!.id}`],
    );
    expect(postings.find((posting) => posting.account === 'clearing:stripe')?.amount).toBe('12000');
    expect(postings.some((posting) => posting.account.startsWith('vendor_payable:'))).toBe(true);
    expect(postings.reduce((sum, posting) => sum + Number(posting.amount), 0)).toBe(0);
  });

  it('leaves our invoice open while the card is declined, and records the payment when a retry succeeds', async () => {
    const ours = await usageInvoice(3_300, 'past_due');
    const theirs = await stripeInvoiceFor(ours);
    fake.setNextPaymentOutcome(customerId, 'fail', { times: 1 });
    await expect(stripe.invoices.pay(theirs.id)).rejects.toMatchObject({ type: 'StripeCardError' });
    expect(await sync.applyEvent('invoice.payment_failed', theirs.id)).toMatchObject({ action: 'stripe_invoice_open' });
    expect(await payments(ours.id)).toEqual([]);
    expect((await dataSource.manager.findOneByOrFail(Invoice, { id: ours.id })).status).toBe('open');

    // Stripe's automatic collection tries again three days later and the card goes through.
    fake.advanceTime(3 * 86_400);
    expect(await sync.applyEvent('invoice.paid', theirs.id)).toMatchObject({ action: 'invoice_paid', state: 'active' });
    expect((await payments(ours.id)).map((payment) => payment.amount)).toEqual([3_300]);
    const license = await dataSource.manager.findOneByOrFail(License, { id: ours.licenseId });
    expect(license.state).toBe('active');
  });

  it('pays nothing of ours for a Stripe invoice that is not the one collecting it', async () => {
    const ours = await usageInvoice(5_000);
    const collecting = await stripeInvoiceFor(ours);
    await dataSource.query(`UPDATE invoices SET stripe_invoice_id = $2 WHERE id = $1`, [ours.id, collecting.id]);
    // A second Stripe invoice naming ours (made by hand in Stripe's dashboard), paid.
    const stray = await stripeInvoiceFor(ours);
    await stripe.invoices.pay(stray.id);
    expect(await sync.applyEvent('invoice.paid', stray.id)).toMatchObject({ action: 'invoice_mismatch' });
    // Metadata naming no invoice of ours, or not an id at all.
    const unknown = await stripeInvoiceFor(ours, { invoiceId: '00000000-0000-4000-8000-000000000000' });
    await stripe.invoices.pay(unknown.id);
    expect(await sync.applyEvent('invoice.paid', unknown.id)).toEqual({ action: 'unknown_invoice' });
    const garbage = await stripeInvoiceFor(ours, { invoiceId: "1' OR '1'='1" });
    await stripe.invoices.pay(garbage.id);
    expect(await sync.applyEvent('invoice.paid', garbage.id)).toEqual({ action: 'ignored' });
    expect(await payments(ours.id)).toEqual([]);
    expect((await dataSource.manager.findOneByOrFail(Invoice, { id: ours.id })).status).toBe('open');

    // The offline invoice of an offline licence is never paid by a Stripe invoice either.
    const offline = await usageInvoice(700);
    await dataSource.query(`UPDATE invoices SET provider = 'offline' WHERE id = $1`, [offline.id]);
    const wrong = await stripeInvoiceFor(offline);
    await stripe.invoices.pay(wrong.id);
    expect(await sync.applyEvent('invoice.paid', wrong.id)).toMatchObject({ action: 'invoice_mismatch' });
    expect(await payments(offline.id)).toEqual([]);
  });

  it('keeps a licence past due while a usage invoice is overdue, though its subscription is in good standing', async () => {
    const ours = await usageInvoice(2_500, 'past_due');
    const product = await stripe.products.create({ name: 'Subscription' });
    const price = await stripe.prices.create({ product: product.id, currency: 'cny', unit_amount: 10_000, recurring: { interval: 'month' } });
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', customer: customerId, line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://shop.test/ok' });
    const subscriptionId = fake.completeCheckout(session.id).subscription as string;
    await dataSource.query(`UPDATE licenses SET stripe_subscription_id = $2 WHERE id = $1`, [ours.licenseId, subscriptionId]);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');

    // Overdue: the subscription's good standing does not lift the usage dunning.
    await dataSource.query(`UPDATE invoices SET due_at = now() - interval '2 days' WHERE id = $1`, [ours.id]);
    expect(await sync.syncSubscription(subscriptionId)).toMatchObject({ action: 'subscription_synced', state: 'past_due' });
    // Not yet due: the subscription decides again.
    await dataSource.query(`UPDATE invoices SET due_at = now() + interval '2 days' WHERE id = $1`, [ours.id]);
    expect(await sync.syncSubscription(subscriptionId)).toMatchObject({ action: 'subscription_synced', state: 'active' });
  });
});
