import {
  activateForPaidInvoice,
  convergeLicenceStatus,
  Invoice,
  issueInvoice,
  License,
  recordPayment,
  recordRefund,
  reinstateChargeback,
  type LicenseChangeContext,
  type LicenseState,
} from '@civic/db';
import { describePricePlan, type LicenceStatus, type PricePlan } from '@civic/domain';
import type Stripe from 'stripe';
import type { DataSource, EntityManager } from 'typeorm';

const PROVIDER: LicenseChangeContext = { source: 'provider' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event types the platform acts on; anything else is stored and marked processed. */
export const STRIPE_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.expired',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.payment_failed',
  'account.updated',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.funds_reinstated',
  'charge.dispute.closed',
] as const;

export interface SyncOutcome {
  action: string;
  licenseId?: string;
  state?: LicenseState;
}

/**
 * Applies what Stripe knows to our records. Every handler re-reads the object from Stripe and
 * converges the licence, invoices and payments to it, so an event can arrive twice, late or out
 * of order: the result depends on Stripe's current state, not on the event's snapshot.
 */
export class StripeSync {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stripe: Stripe,
  ) {}

  async applyEvent(type: string, objectId: string | null): Promise<SyncOutcome> {
    if (!objectId) return { action: 'ignored' };
    if (type.startsWith('checkout.session.')) return this.syncCheckoutSession(objectId);
    if (type.startsWith('customer.subscription.')) return this.syncSubscription(objectId);
    if (type.startsWith('invoice.')) {
      const invoice = await this.stripe.invoices.retrieve(objectId);
      const subscription = subscriptionOfInvoice(invoice);
      if (subscription) return this.syncSubscription(subscription);
      return invoice.metadata?.invoiceId ? this.syncCollectedInvoice(invoice) : { action: 'ignored' };
    }
    if (type === 'account.updated') return this.syncAccount(objectId);
    if (type === 'charge.refunded') return this.syncCharge(objectId);
    if (type.startsWith('charge.dispute.')) {
      const dispute = await this.stripe.disputes.retrieve(objectId);
      return this.syncCharge(typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id);
    }
    return { action: 'ignored' };
  }

  /**
   * A charge's refunds and disputes, however they were made (our finance console, Stripe's
   * dashboard, the card network): each succeeded refund and each dispute is recorded against
   * our payment once (its Stripe id), which reverses the revenue shares in the ledger.
   */
  async syncCharge(chargeId: string): Promise<SyncOutcome> {
    const charge = await this.stripe.charges.retrieve(chargeId);
    const paymentIntent = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    const references = [chargeId, ...(paymentIntent ? [paymentIntent] : [])];
    if (paymentIntent) {
      // Subscription (and collected usage) payments are recorded by their Stripe invoice.
      for await (const payment of this.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent }, limit: 100 })) {
        references.push(typeof payment.invoice === 'string' ? payment.invoice : payment.invoice.id!);
      }
    }
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM payments WHERE provider = 'stripe' AND provider_reference = ANY($1) LIMIT 1`, [references]);
    const paymentId = rows[0]?.id;
    if (!paymentId) return { action: 'unknown_payment' };
    let recorded = 0;
    const give = (kind: 'refund' | 'chargeback', reference: string, amount: number, at: number, reason: string, creditNoteId?: string) =>
      this.dataSource.transaction(async (manager) => {
        const result = await recordRefund(manager, { paymentId, kind, amount, reference, reason, occurredAt: new Date(at * 1000), ...(creditNoteId ? { creditNoteId } : {}) });
        if (result.created) recorded += 1;
      });
    for await (const refund of this.stripe.refunds.list({ charge: chargeId, limit: 100 })) {
      // A refund paying out a credit note says so in its metadata (set when finance refunds it).
      if (refund.status === 'succeeded') await give('refund', refund.id, refund.amount, refund.created, refund.reason ?? 'Stripe refund', refund.metadata?.creditNoteId || undefined);
    }
    for await (const dispute of this.stripe.disputes.list({ charge: chargeId, limit: 100 })) {
      await give('chargeback', dispute.id, dispute.amount, dispute.created, `Dispute: ${dispute.reason}`);
      if (dispute.status === 'won') {
        // The bank decided for us: the disputed money came back (its balance transaction says when).
        const reinstatedAt = dispute.balance_transactions.filter((transaction) => transaction.amount > 0).at(-1)?.created ?? dispute.created;
        const result = await this.dataSource.transaction((manager) => reinstateChargeback(manager, { provider: 'stripe', reference: dispute.id, occurredAt: new Date(reinstatedAt * 1000) }));
        if (result?.created) recorded += 1;
      }
    }
    return { action: recorded ? 'refunds_recorded' : 'refunds_unchanged' };
  }

  /** A Checkout Session: a paid one-time purchase activates its licence; a subscription hands over to syncSubscription. */
  async syncCheckoutSession(sessionId: string): Promise<SyncOutcome> {
    const session = await this.stripe.checkout.sessions.retrieve(sessionId);
    const licenseId = session.metadata?.licenseId ?? session.client_reference_id;
    if (!licenseId) return { action: 'ignored' };
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId });
    if (!license) return { action: 'unknown_license' };
    if (session.status !== 'complete') return { action: `session_${session.status ?? 'unknown'}`, licenseId };
    if (session.mode === 'subscription') {
      const subscriptionId = typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
      if (!subscriptionId) return { action: 'no_subscription', licenseId };
      await this.dataSource.query(`UPDATE licenses SET stripe_subscription_id = $2, provider = 'stripe', updated_at = now() WHERE id = $1 AND stripe_subscription_id IS NULL`, [licenseId, subscriptionId]);
      return this.syncSubscription(subscriptionId);
    }
    if (session.payment_status !== 'paid') return { action: 'unpaid', licenseId };
    const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? session.id);
    const amount = session.amount_total ?? 0;
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(License, { where: { id: licenseId }, lock: { mode: 'pessimistic_write' } });
      const plan = locked.pricePlan as unknown as PricePlan;
      const paidAt = new Date((session.created ?? Math.floor(Date.now() / 1000)) * 1000);
      const { invoice } = await issueInvoice(manager, {
        license: locked,
        provider: 'stripe',
        kind: 'purchase',
        status: 'open',
        lines: [{ kind: 'one_time_fee', descriptionZh: describePricePlan(plan, 'zh-CN'), descriptionEn: describePricePlan(plan, 'en'), quantity: 1, unitAmount: amount, amount }],
        periodStart: null,
        periodEnd: null,
        dueAt: null,
      });
      if (amount > 0) await recordPayment(manager, { invoice, provider: 'stripe', reference: paymentIntent, amount, receivedAt: paidAt });
      const paid = await manager.findOneByOrFail(Invoice, { id: invoice.id });
      const outcome = await activateForPaidInvoice(manager, paid, PROVIDER);
      return { action: 'purchase_paid', licenseId, state: outcome.license.state };
    });
  }

  /** A subscription: its paid invoices recorded, the licence's state and period set to Stripe's. */
  async syncSubscription(subscriptionId: string): Promise<SyncOutcome> {
    const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
    const license =
      (await this.dataSource.manager.findOneBy(License, { stripeSubscriptionId: subscriptionId })) ??
      (subscription.metadata?.licenseId ? await this.dataSource.manager.findOneBy(License, { id: subscription.metadata.licenseId }) : null);
    if (!license) return { action: 'unknown_license' };
    const invoices = await this.stripe.invoices.list({ subscription: subscriptionId, limit: 100 });
    const item = subscription.items.data[0];
    const periodStart = item ? new Date(item.current_period_start * 1000) : null;
    const periodEndAt = item ? new Date(item.current_period_end * 1000) : null;
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(License, { where: { id: license.id }, lock: { mode: 'pessimistic_write' } });
      const plan = locked.pricePlan as unknown as PricePlan;
      for (const stripeInvoice of [...invoices.data].reverse()) {
        if (stripeInvoice.status !== 'paid') continue;
        const line = stripeInvoice.lines.data[0];
        const start = line ? new Date(line.period.start * 1000) : new Date(stripeInvoice.period_start * 1000);
        const end = line ? new Date(line.period.end * 1000) : new Date(stripeInvoice.period_end * 1000);
        const kind = stripeInvoice.billing_reason === 'subscription_create' ? 'purchase' : 'renewal';
        const { invoice } = await issueInvoice(manager, {
          license: locked,
          provider: 'stripe',
          kind,
          status: 'open',
          lines: [
            {
              kind: 'subscription_fee',
              descriptionZh: describePricePlan(plan, 'zh-CN'),
              descriptionEn: describePricePlan(plan, 'en'),
              quantity: 1,
              unitAmount: stripeInvoice.amount_paid,
              amount: stripeInvoice.amount_paid,
            },
          ],
          periodStart: start,
          periodEnd: end,
          dueAt: null,
          stripeInvoiceId: stripeInvoice.id ?? null,
        });
        const paidAt = new Date((stripeInvoice.status_transitions?.paid_at ?? stripeInvoice.created) * 1000);
        if (stripeInvoice.amount_paid > 0) await recordPayment(manager, { invoice, provider: 'stripe', reference: stripeInvoice.id as string, amount: stripeInvoice.amount_paid, receivedAt: paidAt });
        else if (invoice.status === 'open') await manager.update(Invoice, { id: invoice.id }, { status: 'paid', paidAt, updatedAt: new Date() });
      }
      let target = licenceStateFor(subscription, locked.state);
      // A subscription in good standing does not lift what the dunning of billed use set: while a
      // usage invoice is overdue, the licence stays where the sweep put it.
      if (target === 'active' && (locked.state === 'past_due' || locked.state === 'suspended')) {
        const overdue: unknown[] = await manager.query(
          `SELECT 1 FROM invoices WHERE license_id = $1 AND kind IN ('usage','adjustment') AND status = 'open' AND due_at < now() LIMIT 1`,
          [locked.id],
        );
        if (overdue.length) target = locked.state;
      }
      const ended = subscription.status === 'canceled' || subscription.status === 'incomplete_expired';
      const outcome = await convergeLicenceStatus(
        manager,
        locked.id,
        `stripe.subscription.${subscription.status}`,
        () => statusFor(target, subscription.cancel_at_period_end),
        { ...PROVIDER, details: { subscriptionId, stripeStatus: subscription.status } },
        {
          stripeSubscriptionId: subscriptionId,
          provider: 'stripe',
          currentPeriodStart: periodStart,
          currentPeriodEnd: periodEndAt,
          trialEndsAt: subscription.trial_end ? new Date(subscription.trial_end * 1000) : null,
          ...(target === 'active' && !locked.activatedAt ? { activatedAt: new Date() } : {}),
          ...(ended && !locked.endedAt ? { endedAt: subscription.ended_at ? new Date(subscription.ended_at * 1000) : new Date(), endReason: subscription.cancel_at_period_end ? 'cancelled at period end' : 'subscription ended' } : {}),
        },
      );
      return { action: 'subscription_synced', licenseId: locked.id, state: outcome.license.state };
    });
  }

  /**
   * A Stripe invoice collecting one of our usage or adjustment invoices (`metadata.invoiceId`,
   * see StripeCollector), as just read from Stripe. Once Stripe says it is paid, the payment is
   * recorded against our invoice once (the Stripe invoice is its reference), which posts it and
   * its revenue split to the ledger and lifts a licence held past due for it. Anything else
   * (open, declined, void) leaves our invoice open for dunning.
   */
  async syncCollectedInvoice(stripeInvoice: Stripe.Invoice): Promise<SyncOutcome> {
    const invoiceId = stripeInvoice.metadata?.invoiceId ?? '';
    if (!UUID.test(invoiceId) || !stripeInvoice.id) return { action: 'ignored' };
    const stripeInvoiceId = stripeInvoice.id;
    return this.dataSource.transaction(async (manager) => {
      const invoice = await manager.findOne(Invoice, { where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
      if (!invoice) return { action: 'unknown_invoice' };
      const licenseId = invoice.licenseId;
      // Only the Stripe invoice made for ours may pay it (a stray copy, or one for another of our invoices, does not).
      if (invoice.provider !== 'stripe' || (invoice.stripeInvoiceId !== null && invoice.stripeInvoiceId !== stripeInvoiceId) || stripeInvoice.currency.toUpperCase() !== invoice.currency) {
        return { action: 'invoice_mismatch', licenseId };
      }
      if (invoice.stripeInvoiceId === null) await manager.update(Invoice, { id: invoice.id }, { stripeInvoiceId, updatedAt: new Date() });
      if (stripeInvoice.status !== 'paid' || stripeInvoice.amount_paid <= 0) return { action: `stripe_invoice_${stripeInvoice.status ?? 'unknown'}`, licenseId };
      const paidAt = new Date((stripeInvoice.status_transitions?.paid_at ?? stripeInvoice.created) * 1000);
      const { created } = await recordPayment(manager, { invoice, provider: 'stripe', reference: stripeInvoiceId, amount: stripeInvoice.amount_paid, receivedAt: paidAt });
      const paid = await manager.findOneByOrFail(Invoice, { id: invoice.id });
      const license = await manager.findOneByOrFail(License, { id: licenseId });
      if (created && paid.status === 'paid' && (license.state === 'past_due' || license.state === 'suspended')) {
        const outcome = await activateForPaidInvoice(manager, paid, { ...PROVIDER, details: { stripeInvoiceId } });
        return { action: 'invoice_paid', licenseId, state: outcome.license.state };
      }
      return { action: created ? 'invoice_paid' : 'invoice_already_paid', licenseId, state: license.state };
    });
  }

  async syncAccount(accountId: string): Promise<SyncOutcome> {
    const account = await this.stripe.accounts.retrieve(accountId);
    await this.dataSource.query(
      `UPDATE stripe_connect_accounts SET charges_enabled = $2, payouts_enabled = $3, details_submitted = $4, updated_at = now() WHERE account_id = $1`,
      [accountId, account.charges_enabled ?? false, account.payouts_enabled ?? false, account.details_submitted ?? false],
    );
    return { action: 'account_synced' };
  }
}

/** Our licence state for a Stripe subscription status. */
export function licenceStateFor(subscription: Pick<Stripe.Subscription, 'status'>, current: LicenseState): LicenseState {
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
      return 'past_due';
    case 'unpaid':
    case 'paused':
      return 'suspended';
    case 'canceled':
      return current === 'pending_payment' ? 'cancelled' : 'expired';
    case 'incomplete':
      return current === 'pending_payment' ? 'pending_payment' : current;
    case 'incomplete_expired':
      return 'cancelled';
    default:
      return current;
  }
}

/** The full domain status for a state decided from Stripe (a suspension there is for non-payment). */
export function statusFor(state: LicenseState, cancelAtPeriodEnd: boolean): LicenceStatus {
  switch (state) {
    case 'active':
    case 'past_due':
      return { state, cancelAtPeriodEnd };
    case 'suspended':
      return { state, causes: ['non_payment'], resumeTo: 'past_due', cancelAtPeriodEnd };
    default:
      return { state };
  }
}

export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const details = invoice.parent?.subscription_details?.subscription;
  if (details) return typeof details === 'string' ? details : details.id;
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return legacy ? (typeof legacy === 'string' ? legacy : legacy.id) : null;
}

/** Stores an event (once) and says whether it still needs applying. */
export async function storeProviderEvent(
  manager: EntityManager | DataSource,
  event: { id: string; type: string; created: number; objectId: string | null },
  source: 'webhook' | 'sweep',
): Promise<{ stored: boolean; pending: boolean }> {
  const inserted: Array<{ event_id: string }> = await manager.query(
    `INSERT INTO payment_provider_events (provider, event_id, type, object_id, created_at_provider, source)
     VALUES ('stripe', $1, $2, $3, to_timestamp($4), $5) ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
    [event.id, event.type, event.objectId, event.created, source],
  );
  if (inserted.length) return { stored: true, pending: true };
  const rows: Array<{ processed_at: Date | null }> = await manager.query(`SELECT processed_at FROM payment_provider_events WHERE provider = 'stripe' AND event_id = $1`, [event.id]);
  return { stored: false, pending: rows[0]?.processed_at === null };
}
