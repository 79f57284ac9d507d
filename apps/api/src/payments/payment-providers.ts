import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { applyLicenceEvent, Invoice, issueInvoice, License, Offer, Organization, StripeCustomer } from '@civic/db';
import { DomainError, describePricePlan, trialEnd, type PricePlan } from '@civic/domain';
import { StripeCatalog, upfrontFee, type UpfrontFee } from '@civic/payments';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { Actor } from '../common/principal.js';
import { STRIPE_CLIENT } from './stripe-client.js';

export interface CheckoutResult {
  provider: 'offline' | 'stripe';
  /** Where to send the buyer (Stripe's hosted checkout). */
  url: string | null;
  /** The invoice to pay (offline); null when the plan's free trial started instead. */
  invoiceId: string | null;
}

/** One interface for taking a buyer's money, whichever provider does it. */
export interface PaymentProvider {
  readonly name: 'offline' | 'stripe';
  checkout(license: License, actor: Actor): Promise<CheckoutResult>;
  setCancelAtPeriodEnd(license: License, cancel: boolean): Promise<void>;
  endNow(license: License): Promise<void>;
}

export function periodEnd(start: Date, interval: 'month' | 'year'): Date {
  const end = new Date(start);
  if (interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

/** The licence's snapshotted plan and what it asks up front; a plan with nothing due cannot be checked out. */
function payable(license: License): { plan: PricePlan; fee: UpfrontFee } {
  const plan = license.pricePlan as unknown as PricePlan;
  const fee = upfrontFee(plan);
  if (fee.amount <= 0) throw new DomainError('licensing.not_payable', 'Nothing is due up front under this plan.');
  return { plan, fee };
}

/**
 * Offline: an invoice paid by bank transfer and marked paid by government finance. Checkout
 * issues the purchase invoice (once: asking again returns the same invoice).
 *
 * A recurring plan with a free trial is not invoiced at checkout: the licence comes into force
 * at once (`trial_started`) with the trial as its first billing period, [now, trialEndsAt).
 * When that period ends, the licence sweep (payments.sweep-licenses) issues the first fixed fee
 * as the renewal invoice of the first paid period, which starts at the trial's end (once: the
 * invoice's unique key per period), or ends the licence if it was cancelled meanwhile, nothing
 * charged. The billing close bills metered use only from trialEndsAt on.
 */
@Injectable()
export class OfflinePaymentProvider implements PaymentProvider {
  readonly name = 'offline' as const;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ApiConfig,
  ) {}

  async checkout(license: License, actor: Actor): Promise<CheckoutResult> {
    const { plan, fee } = payable(license);
    const invoice = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(License, { where: { id: license.id }, lock: { mode: 'pessimistic_write' } });
      if (locked.provider === 'stripe') throw new DomainError('licensing.provider_mismatch', 'This purchase was started with Stripe.');
      const existing = await manager.findOne(Invoice, { where: { licenseId: license.id, kind: 'purchase', status: 'open' } });
      if (existing) return existing;
      const trialStart = new Date();
      const trialEndsAt = fee.interval ? trialEnd(plan, trialStart) : null;
      if (trialEndsAt) {
        // Started by a concurrent or earlier checkout: nothing more to do.
        if (locked.state !== 'pending_payment' && locked.trialEndsAt) return null;
        await applyLicenceEvent(
          manager,
          locked.id,
          { type: 'trial_started' },
          {
            source: 'user',
            actorUserId: actor.principal?.userId ?? null,
            actorOrganizationId: actor.principal?.organizationId ?? null,
            ip: actor.ip,
            requestId: actor.requestId,
            details: { trialEndsAt: trialEndsAt.toISOString() },
          },
          { provider: 'offline', activatedAt: locked.activatedAt ?? trialStart, trialEndsAt, currentPeriodStart: trialStart, currentPeriodEnd: trialEndsAt },
        );
        return null;
      }
      if (locked.provider === 'none') await manager.update(License, { id: license.id }, { provider: 'offline', updatedAt: new Date() });
      const now = new Date();
      const periodStart = fee.interval ? now : null;
      const periodEndAt = fee.interval ? periodEnd(now, fee.interval) : null;
      const { invoice } = await issueInvoice(manager, {
        license: locked,
        provider: 'offline',
        kind: 'purchase',
        status: 'open',
        lines: [
          {
            kind: plan.kind === 'one_time' ? 'one_time_fee' : 'subscription_fee',
            descriptionZh: describePricePlan(plan, 'zh-CN'),
            descriptionEn: describePricePlan(plan, 'en'),
            quantity: 1,
            unitAmount: fee.amount,
            amount: fee.amount,
          },
        ],
        periodStart,
        periodEnd: periodEndAt,
        dueAt: new Date(now.getTime() + this.config.INVOICE_DUE_DAYS * 86_400_000),
      });
      return invoice;
    });
    return { provider: 'offline', url: null, invoiceId: invoice?.id ?? null };
  }

  async setCancelAtPeriodEnd(): Promise<void> {
    // Offline subscriptions are renewed by the licence sweep, which reads cancel_at_period_end.
  }

  async endNow(): Promise<void> {
    // Nothing to stop at a provider: open invoices are voided by the caller's transition.
  }
}

/**
 * Stripe Checkout: one Customer per buyer organization, and a Checkout Session per purchase with
 * the licence id in its metadata, selling the Price of the licence's offer revision that the
 * `payments.sync-offer` job keeps in the Stripe catalog (`StripeCatalog.lineItemFor`, which finds
 * or creates it if the job has not run yet). The licence becomes active when the webhook (or the
 * sweep) sees the session completed.
 */
@Injectable()
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ApiConfig,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  private client(): Stripe {
    if (!this.stripe) throw new DomainError('payments.unavailable', 'Stripe is not configured on this platform.');
    return this.stripe;
  }

  async checkout(license: License): Promise<CheckoutResult> {
    const stripe = this.client();
    const { plan, fee } = payable(license);
    if (license.provider === 'offline') throw new DomainError('licensing.provider_mismatch', 'This purchase is being paid by bank transfer.');
    if (license.stripeCheckoutSessionId) {
      const existing = await stripe.checkout.sessions.retrieve(license.stripeCheckoutSessionId);
      if (existing.status === 'open' && existing.url) return { provider: 'stripe', url: existing.url, invoiceId: null };
      if (existing.status === 'complete') throw new DomainError('licensing.payment_processing', 'The payment went through; the licence will be active in a moment.');
    }
    const customer = await this.customerFor(license.organizationId);
    const offer = await this.dataSource.manager.findOneByOrFail(Offer, { id: license.offerId });
    const lineItem = await new StripeCatalog(this.dataSource, stripe).lineItemFor(offer, license.offerRevision, plan);
    const web = this.config.PUBLIC_WEB_URL.replace(/\/$/, '');
    const metadata = { licenseId: license.id, organizationId: license.organizationId, productId: license.productId };
    const session = await stripe.checkout.sessions.create(
      {
        mode: fee.interval ? 'subscription' : 'payment',
        customer,
        client_reference_id: license.id,
        line_items: [lineItem],
        success_url: `${web}/console/licenses/${license.id}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${web}/console/licenses/${license.id}?checkout=cancelled`,
        metadata,
        ...(fee.interval
          ? { subscription_data: { metadata, ...('trialDays' in plan && plan.trialDays ? { trial_period_days: plan.trialDays } : {}) } }
          : { payment_intent_data: { metadata } }),
      },
      { idempotencyKey: `checkout-${license.id}-${license.stripeCheckoutSessionId ?? 'first'}` },
    );
    await this.dataSource.query(`UPDATE licenses SET provider = 'stripe', stripe_checkout_session_id = $2, updated_at = now() WHERE id = $1`, [license.id, session.id]);
    if (!session.url) throw new DomainError('payments.provider_error', 'Stripe returned no checkout page.');
    return { provider: 'stripe', url: session.url, invoiceId: null };
  }

  async setCancelAtPeriodEnd(license: License, cancel: boolean): Promise<void> {
    if (!license.stripeSubscriptionId) return;
    await this.client().subscriptions.update(license.stripeSubscriptionId, { cancel_at_period_end: cancel }, { idempotencyKey: `cape-${license.id}-${cancel}-${Date.now() >> 16}` });
  }

  async endNow(license: License): Promise<void> {
    if (!license.stripeSubscriptionId) return;
    await this.client().subscriptions.cancel(license.stripeSubscriptionId);
  }

  /** The buyer organization's Stripe Customer, created once (a unique row per organization). */
  private async customerFor(organizationId: string): Promise<string> {
    const known = await this.dataSource.manager.findOneBy(StripeCustomer, { organizationId });
    if (known) return known.customerId;
    const organization = await this.dataSource.manager.findOneByOrFail(Organization, { id: organizationId });
    const customer = await this.client().customers.create(
      { name: organization.name, metadata: { organizationId } },
      { idempotencyKey: `customer-${organizationId}` },
    );
    await this.dataSource.query(`INSERT INTO stripe_customers (organization_id, customer_id) VALUES ($1, $2) ON CONFLICT (organization_id) DO NOTHING`, [organizationId, customer.id]);
    return (await this.dataSource.manager.findOneByOrFail(StripeCustomer, { organizationId })).customerId;
  }
}

/** Chooses the provider: Stripe when configured, else offline invoices; a licence keeps the one it was paid with. */
@Injectable()
export class PaymentProviders {
  constructor(
    private readonly offline: OfflinePaymentProvider,
    private readonly stripe: StripePaymentProvider,
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
  ) {}

  active(): PaymentProvider {
    return this.client ? this.stripe : this.offline;
  }

  name(): 'offline' | 'stripe' {
    return this.active().name;
  }

  forLicense(license: License): PaymentProvider {
    if (license.provider === 'stripe') return this.stripe;
    if (license.provider === 'offline') return this.offline;
    return this.active();
  }
}
