import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

/** The error a rejected SDK call raised. */
async function failure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await call.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof Stripe.errors.StripeError)) throw new Error(`expected a StripeError, got ${String(error)}`);
  return error;
}

describe('charges, refunds and disputes through the real Stripe SDK', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  /** A one-off Checkout payment of 100.00 USD, paid; returns its PaymentIntent. */
  async function paidPayment(options: { email?: string; transferGroup?: string } = {}): Promise<Stripe.PaymentIntent> {
    const product = await stripe.products.create({ name: 'Dataset licence' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 10_000 });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
      payment_intent_data: { metadata: { order_id: 'order-1' }, ...(options.transferGroup ? { transfer_group: options.transferGroup } : {}) },
    });
    const done = fake.completeCheckout(session.id, { email: options.email ?? 'buyer@example.org', name: 'Buyer' });
    return stripe.paymentIntents.retrieve(done.payment_intent as string);
  }

  it('gives every payment attempt a charge: succeeded, or failed for a declined card', async () => {
    const paymentIntent = await paidPayment();
    expect(paymentIntent.latest_charge).toMatch(/^ch_/);
    const expanded = await stripe.paymentIntents.retrieve(paymentIntent.id, { expand: ['latest_charge'] });
    const charge = expanded.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      paid: true,
      captured: true,
      amount: 10_000,
      amount_captured: 10_000,
      amount_refunded: 0,
      refunded: false,
      disputed: false,
      currency: 'usd',
      payment_intent: paymentIntent.id,
      payment_method: paymentIntent.payment_method,
      metadata: { order_id: 'order-1' },
      billing_details: { email: 'buyer@example.org', name: 'Buyer' },
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
      outcome: { type: 'authorized', network_status: 'approved_by_network' },
      livemode: false,
    });
    expect(charge.refunds).toBeUndefined();
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const receipt = await fetch(charge.receipt_url as string);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain('$100.00');
    expect((await stripe.charges.retrieve(charge.id)).id).toBe(charge.id);
    expect((await stripe.charges.list({ payment_intent: paymentIntent.id })).data.map((item) => item.id)).toEqual([charge.id]);
    expect(fake.events().map((event) => event.type).slice(-4)).toEqual([
      'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed',
    ]);

    // A declined card leaves a failed charge behind, and nothing to refund.
    const product = await stripe.products.create({ name: 'Another' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 500 });
    const session = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] });
    const declined = fake.completeCheckout(session.id, { outcome: 'failed' });
    const failedIntent = await stripe.paymentIntents.retrieve(declined.payment_intent as string, { expand: ['latest_charge'] });
    expect(failedIntent.status).toBe('requires_payment_method');
    expect(failedIntent.latest_charge).toMatchObject({
      status: 'failed', paid: false, captured: false, failure_code: 'card_declined', failure_message: 'Your card was declined.', balance_transaction: null,
    });
    expect(failedIntent.last_payment_error?.charge).toBe((failedIntent.latest_charge as Stripe.Charge).id);
    expect(fake.events({ type: 'charge.failed' })).toHaveLength(1);
    const nothing = await failure(stripe.refunds.create({ payment_intent: failedIntent.id }));
    expect(nothing).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    expect(nothing.message).toBe(`This PaymentIntent (${failedIntent.id}) does not have a successful charge to refund.`);
  });

  it('refunds a payment in parts, then the rest, and refuses to refund more', async () => {
    const paymentIntent = await paidPayment();
    const chargeId = paymentIntent.latest_charge as string;

    const first = await stripe.refunds.create(
      { payment_intent: paymentIntent.id, amount: 2_500, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } },
      { idempotencyKey: 'refund-order-1-a' },
    );
    expect(first.id).toMatch(/^re_/);
    expect(first).toMatchObject({
      object: 'refund',
      amount: 2_500,
      currency: 'usd',
      status: 'succeeded',
      charge: chargeId,
      payment_intent: paymentIntent.id,
      payment_method: paymentIntent.payment_method,
      reason: 'requested_by_customer',
      metadata: { ticket: 'T-1' },
      destination_details: { type: 'card', card: { type: 'refund' } },
    });
    // The same key replays the refund; no second refund happens.
    const replay = await stripe.refunds.create(
      { payment_intent: paymentIntent.id, amount: 2_500, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } },
      { idempotencyKey: 'refund-order-1-a' },
    );
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    await expect(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 100 }, { idempotencyKey: 'refund-order-1-a' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );

    const partly = await stripe.charges.retrieve(chargeId);
    expect(partly).toMatchObject({ amount_refunded: 2_500, refunded: false });
    const viaIntent = await stripe.paymentIntents.retrieve(paymentIntent.id, { expand: ['latest_charge'] });
    expect(viaIntent.status).toBe('succeeded');
    expect(viaIntent.latest_charge).toMatchObject({ id: chargeId, amount_refunded: 2_500, refunded: false });

    const [refundCreated, chargeRefunded] = fake.events().slice(-2);
    expect(refundCreated.type).toBe('refund.created');
    expect(refundCreated.data.object).toMatchObject({ id: first.id, amount: 2_500 });
    expect(refundCreated.request?.idempotency_key).toBe('refund-order-1-a');
    expect(chargeRefunded.type).toBe('charge.refunded');
    expect(chargeRefunded.data.object).toMatchObject({ id: chargeId, amount_refunded: 2_500, refunded: false });
    expect(chargeRefunded.data.previous_attributes).toEqual({ amount_refunded: 0 });

    // More than what is left: Stripe's refusal names the amounts and `amount`, with no code.
    const tooMuch = await failure(stripe.refunds.create({ charge: chargeId, amount: 7_501 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount', code: undefined });
    expect(tooMuch.message).toBe('Refund amount ($75.01) is greater than unrefunded amount on charge ($75.00)');

    // No amount: the rest.
    const rest = await stripe.refunds.create({ charge: chargeId });
    expect(rest).toMatchObject({ amount: 7_500, payment_intent: paymentIntent.id, reason: null, metadata: {} });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 10_000, refunded: true });
    const last = fake.events({ type: 'charge.refunded' }).at(-1) as Stripe.Event;
    expect(last.data.previous_attributes).toEqual({ amount_refunded: 2_500, refunded: false });

    const again = await failure(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1 }));
    expect(again).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'charge_already_refunded' });
    expect(again.message).toBe(`Charge ${chargeId} has already been refunded.`);

    // Reads: newest first, by payment intent or charge; a charge includes its refunds when asked.
    expect((await stripe.refunds.list({ payment_intent: paymentIntent.id })).data.map((refund) => refund.id)).toEqual([rest.id, first.id]);
    expect((await stripe.refunds.list({ charge: chargeId, limit: 1 })).data.map((refund) => refund.id)).toEqual([rest.id]);
    expect((await stripe.refunds.list({ charge: 'ch_other' })).data).toEqual([]);
    expect((await stripe.refunds.retrieve(first.id, { expand: ['charge'] })).charge).toMatchObject({ id: chargeId, refunded: true });
    const withRefunds = await stripe.charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(withRefunds.refunds).toMatchObject({ object: 'list', url: `/v1/charges/${chargeId}/refunds` });
    expect(withRefunds.refunds?.data.map((refund) => refund.id)).toEqual([rest.id, first.id]);
    const updated = await stripe.refunds.update(first.id, { metadata: { ticket: '', note: 'goodwill' } });
    expect(updated.metadata).toEqual({ note: 'goodwill' });
    expect(fake.events().at(-1)?.type).toBe('refund.updated');
    await expect(stripe.refunds.cancel(first.id)).rejects.toThrow('Canceling this refund is unsupported.');
  });

  it('refuses malformed refunds the way Stripe does', async () => {
    const paymentIntent = await paidPayment();
    const neither = await failure(stripe.refunds.create({ amount: 100 }));
    expect(neither).toMatchObject({ statusCode: 400, code: undefined, param: undefined });
    expect(neither.message).toBe('One of the following params should be provided for this request: payment_intent or charge.');
    expect(await failure(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 0 }))).toMatchObject({
      statusCode: 400, code: 'parameter_invalid_integer', param: 'amount', message: 'This value must be greater than or equal to 1.',
    });
    expect(await failure(stripe.refunds.create({ payment_intent: paymentIntent.id, reason: 'expired_uncaptured_charge' }))).toMatchObject({
      statusCode: 400, param: 'reason',
    });
    expect(await failure(stripe.refunds.create({ charge: 'ch_missing' }))).toMatchObject({
      statusCode: 404, code: 'resource_missing', param: 'id', message: "No such charge: 'ch_missing'",
    });
    expect(await failure(stripe.refunds.create({ payment_intent: 'pi_missing' }))).toMatchObject({
      statusCode: 400, code: 'resource_missing', param: 'payment_intent',
    });
    expect((await failure(stripe.refunds.create({ payment_intent: paymentIntent.id, reverse_transfer: true }))).message).toMatch(
      /stripe-fake does not implement the parameter `reverse_transfer`/,
    );
    // None of these ran: nothing was refunded.
    expect(await stripe.charges.retrieve(paymentIntent.latest_charge as string)).toMatchObject({ amount_refunded: 0 });
    expect(fake.events({ type: 'refund.*' })).toEqual([]);
  });

  it('refunds a subscription invoice paid through Checkout', async () => {
    const product = await stripe.products.create({ name: 'Live feed' });
    const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 4_900, recurring: { interval: 'month' } });
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://shop.test/ok' });
    const done = fake.completeCheckout(session.id, { email: 'sub@example.org' });
    const invoice = await stripe.invoices.retrieve(done.invoice as string, { expand: ['payments.data.payment.payment_intent'] });
    const paymentIntent = invoice.payments?.data[0].payment.payment_intent as Stripe.PaymentIntent;
    const charge = await stripe.charges.retrieve(paymentIntent.latest_charge as string);
    expect(charge).toMatchObject({ status: 'succeeded', amount: 4_900, currency: 'eur', customer: done.customer, billing_details: { email: 'sub@example.org' } });

    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 900 });
    expect(refund).toMatchObject({ amount: 900, currency: 'eur', customer: done.customer, charge: charge.id });
    const over = await failure(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 5_000 }));
    expect(over.message).toBe('Refund amount (€50.00) is greater than unrefunded amount on charge (€40.00)');
    // The invoice stays paid, as on Stripe (a credit note would record the refund there).
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
  });

  it('opens a chargeback through the test controls, which blocks refunds until it is won', async () => {
    const paymentIntent = await paidPayment();
    const chargeId = paymentIntent.latest_charge as string;
    await stripe.refunds.create({ charge: chargeId, amount: 1_000 });

    const dispute = fake.openDispute(paymentIntent.id);
    expect(dispute.id).toMatch(/^du_/);
    expect(dispute).toMatchObject({
      object: 'dispute',
      status: 'needs_response',
      reason: 'fraudulent',
      amount: 9_000,
      currency: 'usd',
      charge: chargeId,
      payment_intent: paymentIntent.id,
      is_charge_refundable: false,
      livemode: false,
      evidence_details: { has_evidence: false, past_due: false, submission_count: 0 },
      payment_method_details: { type: 'card', card: { case_type: 'chargeback', network_reason_code: '10.4' } },
    });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(fake.now() + 7 * 86_400);
    expect(dispute.balance_transactions).toHaveLength(1);
    expect(dispute.balance_transactions[0]).toMatchObject({ object: 'balance_transaction', amount: -9_000, fee: 1_500, net: -10_500, type: 'adjustment', source: dispute.id });
    expect(fake.events().slice(-2).map((event) => [event.type, (event.data.object as { id: string }).id])).toEqual([
      ['charge.dispute.created', dispute.id],
      ['charge.dispute.funds_withdrawn', dispute.id],
    ]);
    expect(fake.events({ type: 'charge.dispute.created' })[0].request).toEqual({ id: null, idempotency_key: null });

    expect(await stripe.disputes.retrieve(dispute.id)).toMatchObject({ id: dispute.id, status: 'needs_response' });
    expect((await stripe.disputes.retrieve(dispute.id, { expand: ['charge'] })).charge).toMatchObject({ id: chargeId, disputed: true });
    expect((await stripe.disputes.list({ charge: chargeId })).data.map((item) => item.id)).toEqual([dispute.id]);
    expect((await stripe.disputes.list({ payment_intent: paymentIntent.id })).data.map((item) => item.id)).toEqual([dispute.id]);
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);

    const blocked = await failure(stripe.refunds.create({ charge: chargeId }));
    expect(blocked).toMatchObject({ statusCode: 400, code: 'charge_disputed', message: `Charge ${chargeId} has been charged back; cannot issue a refund.` });
    expect(() => fake.openDispute(chargeId)).toThrow(/already been disputed/);

    // The bank decides for the merchant: the money comes back and the charge is refundable again.
    const won = fake.closeDispute(dispute.id, { outcome: 'won' });
    expect(won).toMatchObject({ status: 'won', is_charge_refundable: true });
    expect(won.balance_transactions.map((transaction) => transaction.amount)).toEqual([-9_000, 9_000]);
    expect(fake.events().slice(-2).map((event) => event.type)).toEqual(['charge.dispute.funds_reinstated', 'charge.dispute.closed']);
    expect(fake.events().at(-1)?.data.previous_attributes).toMatchObject({ status: 'needs_response' });
    expect(await stripe.refunds.create({ charge: chargeId })).toMatchObject({ amount: 9_000 });
    await expect(stripe.disputes.close(dispute.id)).rejects.toThrow('This dispute is already closed');
  });

  it('lists every movement of the balance: charges, refunds, disputes withdrawn and reinstated', async () => {
    const first = await paidPayment();
    const second = await paidPayment();
    const refund = await stripe.refunds.create({ payment_intent: first.id, amount: 2_500 });
    const dispute = fake.openDispute(second.id, { fee: 1_500 });
    fake.closeDispute(dispute.id, { outcome: 'won' });

    const all = await stripe.balanceTransactions.list({ limit: 100 });
    // Newest first, as Stripe lists them.
    expect(all.data.map((transaction) => [transaction.type, transaction.source, transaction.amount, transaction.fee, transaction.net])).toEqual([
      ['adjustment', dispute.id, 10_000, 0, 10_000],
      ['adjustment', dispute.id, -10_000, 1_500, -11_500],
      ['refund', refund.id, -2_500, 0, -2_500],
      ['charge', second.latest_charge, 10_000, 0, 10_000],
      ['charge', first.latest_charge, 10_000, 0, 10_000],
    ]);
    const charge = await stripe.charges.retrieve(first.latest_charge as string);
    expect(await stripe.balanceTransactions.retrieve(charge.balance_transaction as string)).toMatchObject({ object: 'balance_transaction', type: 'charge', source: charge.id, currency: 'usd', reporting_category: 'charge' });
    expect(refund.balance_transaction).toBe(all.data[2]!.id);
    expect((await stripe.balanceTransactions.list({ type: 'refund' })).data.map((transaction) => transaction.source)).toEqual([refund.id]);
    expect((await stripe.balanceTransactions.list({ source: dispute.id })).data).toHaveLength(2);
    expect((await stripe.balanceTransactions.list({ limit: 2 })).has_more).toBe(true);
    expect((await stripe.balanceTransactions.list({ created: { gt: fake.now() } })).data).toEqual([]);
    // What the balance moved by: 20,000 in, 2,500 refunded, the dispute's fee kept by the bank.
    expect(all.data.reduce((sum, transaction) => sum + transaction.net, 0)).toBe(20_000 - 2_500 - 1_500);
    await expect(stripe.balanceTransactions.retrieve('txn_missing')).rejects.toThrow(/No such balance_transaction/);
  });

  it('tells which invoice a PaymentIntent paid', async () => {
    const product = await stripe.products.create({ name: 'Live feed' });
    const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 4_900, recurring: { interval: 'month' } });
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://shop.test/ok' });
    const done = fake.completeCheckout(session.id, { email: 'sub@example.org' });
    const invoice = await stripe.invoices.retrieve(done.invoice as string, { expand: ['payments'] });
    const paymentIntent = invoice.payments?.data[0]?.payment.payment_intent as string;
    expect(paymentIntent).toMatch(/^pi_/);
    const found = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent } });
    expect(found.data.map((payment) => [payment.invoice, payment.status])).toEqual([[invoice.id, 'paid']]);
    expect((await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: 'pi_other' } })).data).toEqual([]);
  });

  it('offers disputes over HTTP, and lets the merchant accept one', async () => {
    const paymentIntent = await paidPayment();
    const response = await fetch(`${fake.url}/_fake/open-dispute`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ charge: paymentIntent.latest_charge, amount: 4_000, reason: 'product_not_received' }),
    });
    expect(response.status).toBe(200);
    const dispute = (await response.json()) as Stripe.Dispute;
    expect(dispute).toMatchObject({ object: 'dispute', amount: 4_000, reason: 'product_not_received', status: 'needs_response' });

    const accepted = await stripe.disputes.close(dispute.id);
    expect(accepted).toMatchObject({ status: 'lost', is_charge_refundable: false });
    expect(fake.events().at(-1)?.type).toBe('charge.dispute.closed');
    expect((await failure(stripe.refunds.create({ payment_intent: paymentIntent.id }))).code).toBe('charge_disputed');

    const closeAgain = await fetch(`${fake.url}/_fake/close-dispute`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ dispute: dispute.id, outcome: 'won' }),
    });
    expect(closeAgain.status).toBe(400);
    expect(((await closeAgain.json()) as { error: { message: string } }).error.message).toBe('This dispute is already closed');
    const unknown = await fetch(`${fake.url}/_fake/open-dispute`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"charge":"ch_missing"}' });
    expect(unknown.status).toBe(404);
    await expect(stripe.disputes.retrieve('du_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
