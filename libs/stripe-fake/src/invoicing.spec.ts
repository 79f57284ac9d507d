import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

const DAY = 86_400;

describe('one-off invoices: create, add items, finalize, pay', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startStripeFake({ clock: () => Date.UTC(2026, 2, 1, 9, 0, 0) });
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const types = (events: Stripe.Event[]) => events.map((event) => event.type);

  async function draft(customer: string, params: Partial<Stripe.InvoiceCreateParams> = {}) {
    return stripe.invoices.create({ customer, collection_method: 'charge_automatically', currency: 'cny', metadata: { invoiceId: 'ours-1' }, pending_invoice_items_behavior: 'exclude', ...params });
  }

  it('charges the customer for a draft with one item once it is finalized and paid, with Stripe’s events in order', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer', invoice_prefix: 'BUYER01' });
    const before = fake.events().length;
    const invoice = await draft(customer.id, { description: 'Usage in February' });
    expect(invoice).toMatchObject({ status: 'draft', customer: customer.id, currency: 'cny', billing_reason: 'manual', amount_due: 0, auto_advance: false, metadata: { invoiceId: 'ours-1' }, number: null });
    expect(invoice.lines.data).toEqual([]);

    const item = await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 12_345, currency: 'cny', description: 'Usage 2026-02-01 – 2026-03-01' });
    expect(item).toMatchObject({ object: 'invoiceitem', invoice: invoice.id, amount: 12_345, currency: 'cny' });
    const withItem = await stripe.invoices.retrieve(invoice.id);
    expect(withItem).toMatchObject({ status: 'draft', amount_due: 12_345, total: 12_345, amount_remaining: 12_345 });
    expect(withItem.lines.data.map((line) => [line.amount, line.description, line.parent?.invoice_item_details?.invoice_item])).toEqual([[12_345, 'Usage 2026-02-01 – 2026-03-01', item.id]]);

    const finalized = await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: true });
    expect(finalized).toMatchObject({ status: 'open', number: 'BUYER01-0001', auto_advance: true, attempted: false });
    expect(finalized.hosted_invoice_url).toContain(`/invoice/${invoice.id}`);
    const paid = await stripe.invoices.pay(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 12_345, amount_remaining: 0, attempted: true, attempt_count: 1 });
    expect(paid.status_transitions.paid_at).toBe(fake.now());

    expect(types(fake.events().slice(before))).toEqual([
      'invoice.created',
      'invoiceitem.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
    const payment = expanded.payments?.data[0];
    expect(payment).toMatchObject({ status: 'paid', amount_paid: 12_345 });
    const intent = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 12_345, currency: 'cny', customer: customer.id, description: 'Payment for Invoice' });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 12_345 });
    expect(charge.balance_transaction).toMatch(/^txn_/);
  });

  it('replays calls made with the same idempotency key and refuses the key with other parameters', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const params = { customer: customer.id, currency: 'cny', metadata: { invoiceId: 'ours-2' } };
    const first = await stripe.invoices.create(params, { idempotencyKey: 'collect-ours-2' });
    const second = await stripe.invoices.create(params, { idempotencyKey: 'collect-ours-2' });
    expect(second.id).toBe(first.id);
    const item = { customer: customer.id, invoice: first.id, amount: 500, currency: 'cny' };
    await stripe.invoiceItems.create(item, { idempotencyKey: 'collect-ours-2-item' });
    await stripe.invoiceItems.create(item, { idempotencyKey: 'collect-ours-2-item' });
    await stripe.invoices.finalizeInvoice(first.id, {}, { idempotencyKey: 'collect-ours-2-finalize' });
    const replayed = await stripe.invoices.finalizeInvoice(first.id, {}, { idempotencyKey: 'collect-ours-2-finalize' });
    expect(replayed.status).toBe('open');
    await stripe.invoices.pay(first.id, {}, { idempotencyKey: 'collect-ours-2-pay' });
    await stripe.invoices.pay(first.id, {}, { idempotencyKey: 'collect-ours-2-pay' });

    const invoices = await stripe.invoices.list({ customer: customer.id });
    const ours = invoices.data.filter((invoice) => invoice.metadata?.invoiceId === 'ours-2');
    expect(ours.map((invoice) => [invoice.status, invoice.amount_paid, invoice.lines.data.length])).toEqual([['paid', 500, 1]]);
    expect(fake.events({ type: 'charge.succeeded' })).toHaveLength(1);
    await expect(stripe.invoices.create({ customer: customer.id, currency: 'usd' }, { idempotencyKey: 'collect-ours-2' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
  });

  it('answers a declined card with 402 and leaves the invoice open; Stripe retries an auto-advancing invoice on its schedule', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const invoice = await draft(customer.id);
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 9_900 });
    await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: true });
    fake.setNextPaymentOutcome(customer.id, 'fail', { times: 1 });
    const before = fake.events().length;
    await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ type: 'StripeCardError', code: 'card_declined' });
    expect(types(fake.events().slice(before))).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed']);
    const declined = await stripe.invoices.retrieve(invoice.id);
    expect(declined).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_paid: 0, next_payment_attempt: fake.now() + 3 * DAY });

    const retried = fake.advanceTime(3 * DAY);
    expect(types(retried)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'invoice.paid', 'invoice.payment_succeeded']);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 9_900, next_payment_attempt: null });
    // One PaymentIntent for the invoice, attempted twice.
    expect(fake.events({ type: 'payment_intent.created' }).length).toBe(1);
  });

  it('does not retry an invoice that is not left to Stripe', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const invoice = await draft(customer.id);
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100 });
    await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
    fake.setNextPaymentOutcome(customer.id, 'fail');
    await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ type: 'StripeCardError' });
    expect((await stripe.invoices.retrieve(invoice.id)).next_payment_attempt).toBeNull();
    expect(fake.advanceTime(30 * DAY)).toEqual([]);
  });

  it('finalizes and charges an auto-advancing draft about an hour after it was created', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const invoice = await draft(customer.id, { auto_advance: true });
    expect(invoice.automatically_finalizes_at).toBe(fake.now() + 3600);
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 700 });
    expect(fake.advanceTime(3599)).toEqual([]);
    expect(types(fake.advanceTime(1))).toEqual(['invoice.finalized', 'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'invoice.paid', 'invoice.payment_succeeded']);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', amount_paid: 700, automatically_finalizes_at: null });
  });

  it('takes pending items only when asked, and pays a $0 invoice on finalization', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const pending = await stripe.invoiceItems.create({ customer: customer.id, amount: 250, currency: 'cny' });
    expect(pending.invoice).toBeNull();
    const excluded = await draft(customer.id);
    expect(excluded.lines.data).toEqual([]);
    const finalized = await stripe.invoices.finalizeInvoice(excluded.id);
    expect(finalized).toMatchObject({ status: 'paid', amount_paid: 0 });
    const included = await draft(customer.id, { pending_invoice_items_behavior: 'include' });
    expect(included.lines.data.map((line) => line.parent?.invoice_item_details?.invoice_item)).toEqual([pending.id]);
    expect(included.amount_due).toBe(250);
    expect((await stripe.invoiceItems.retrieve(pending.id)).invoice).toBe(included.id);
  });

  it('refuses what Stripe refuses', async () => {
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const other = await stripe.customers.create({ name: 'Other' });
    await expect(draft('cus_missing')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'customer' });
    await expect(draft(customer.id, { days_until_due: 30 })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'days_until_due' });
    await expect(stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice' })).rejects.toMatchObject({ param: 'days_until_due' });
    await expect(draft(customer.id, { subscription: 'sub_x' })).rejects.toMatchObject({ message: expect.stringContaining('stripe-fake does not implement the parameter `subscription`') });

    const invoice = await draft(customer.id);
    await expect(stripe.invoiceItems.create({ customer: other.id, invoice: invoice.id, amount: 100 })).rejects.toMatchObject({ param: 'invoice' });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100, currency: 'usd' })).rejects.toMatchObject({ param: 'currency' });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: 'in_missing', amount: 100 })).rejects.toMatchObject({ code: 'resource_missing', param: 'invoice' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100 });
    await stripe.invoices.finalizeInvoice(invoice.id);
    await expect(stripe.invoices.finalizeInvoice(invoice.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'invoice_not_editable' });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100 })).rejects.toMatchObject({ code: 'invoice_not_editable' });
    await expect(stripe.invoices.finalizeInvoice('in_missing')).rejects.toMatchObject({ statusCode: 404 });
  });
});
