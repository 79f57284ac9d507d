import { Invoice, License, StripeCustomer } from '@civic/db';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { StripeSync } from './stripe-sync.js';

/** The invoices Stripe collects for Stripe licences: billed use (fixed fees are paid through Checkout and subscriptions). */
export const STRIPE_COLLECTED_KINDS: ReadonlyArray<Invoice['kind']> = ['usage', 'adjustment'];

export interface CollectOutcome {
  /**
   * `paid` (the payment is recorded), `declined` (Stripe tried the card and was refused; our
   * invoice stays open), `open` (finalized, not yet charged), or why nothing was done.
   */
  action: 'paid' | 'declined' | 'open' | 'unknown_invoice' | 'not_collected_by_stripe' | 'not_open' | `stripe_invoice_${string}`;
  invoiceId: string;
  stripeInvoiceId?: string;
}

/**
 * Collects one of our usage or adjustment invoices through Stripe: a one-off Stripe Invoice for
 * the buyer's Customer with one item of our total (VAT included), finalized and charged to the
 * card on file, then the payment recorded as StripeSync does for the webhook.
 *
 * Idempotent and safe to run concurrently: the Stripe invoice is found again by our id (stored
 * on our invoice, or in its metadata) before one is created; every call carries an idempotency
 * key derived from our invoice; each step runs only if Stripe's invoice still needs it (draft →
 * item → finalize; open and never attempted → pay); the payment is unique per Stripe invoice.
 * A declined card is an answer, not an error: our invoice stays open, Stripe retries on its own
 * schedule (automatic collection), and our dunning applies meanwhile. Network and Stripe outages
 * throw, so the job is retried.
 */
export class StripeCollector {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stripe: Stripe,
  ) {}

  async collect(invoiceId: string): Promise<CollectOutcome> {
    const invoice = await this.dataSource.manager.findOneBy(Invoice, { id: invoiceId });
    if (!invoice) return { action: 'unknown_invoice', invoiceId };
    if (invoice.provider !== 'stripe' || !STRIPE_COLLECTED_KINDS.includes(invoice.kind)) return { action: 'not_collected_by_stripe', invoiceId };
    if (invoice.status !== 'open') return { action: 'not_open', invoiceId, ...(invoice.stripeInvoiceId ? { stripeInvoiceId: invoice.stripeInvoiceId } : {}) };
    const customer = await this.dataSource.manager.findOneBy(StripeCustomer, { organizationId: invoice.organizationId });
    if (!customer) throw new Error(`Invoice ${invoice.number} is to be collected by Stripe, but its buyer has no Stripe customer`);

    let stripeInvoice = await this.stripeInvoiceFor(invoice, customer.customerId);
    const stripeInvoiceId = stripeInvoice.id as string;
    const key = `collect-${invoice.id}`;
    if (stripeInvoice.status === 'draft') {
      if (stripeInvoice.lines.data.length === 0) {
        await this.stripe.invoiceItems.create(
          { customer: customer.customerId, invoice: stripeInvoiceId, amount: invoice.total, currency: invoice.currency.toLowerCase(), description: describe(invoice), metadata: { invoiceId: invoice.id } },
          { idempotencyKey: `${key}-item` },
        );
      }
      // From here Stripe's automatic collection retries a declined card on its own schedule.
      stripeInvoice = await this.stripe.invoices.finalizeInvoice(stripeInvoiceId, { auto_advance: true }, { idempotencyKey: `${key}-finalize` });
    }
    // Where the buyer can pay it another way while it is open (a declined card).
    if (stripeInvoice.hosted_invoice_url) {
      await this.dataSource.query(`UPDATE invoices SET stripe_hosted_invoice_url = $2, updated_at = now() WHERE id = $1 AND stripe_hosted_invoice_url IS DISTINCT FROM $2`, [invoice.id, stripeInvoice.hosted_invoice_url]);
    }
    if (stripeInvoice.status === 'open' && !stripeInvoice.attempted) {
      try {
        stripeInvoice = await this.stripe.invoices.pay(stripeInvoiceId, {}, { idempotencyKey: `${key}-pay` });
      } catch (error) {
        if ((error as { type?: string }).type !== 'StripeCardError') throw error;
        stripeInvoice = await this.stripe.invoices.retrieve(stripeInvoiceId);
      }
    }
    if (stripeInvoice.status === 'paid') {
      await new StripeSync(this.dataSource, this.stripe).syncCollectedInvoice(stripeInvoice);
      return { action: 'paid', invoiceId, stripeInvoiceId };
    }
    if (stripeInvoice.status === 'open') return { action: stripeInvoice.attempted ? 'declined' : 'open', invoiceId, stripeInvoiceId };
    return { action: `stripe_invoice_${stripeInvoice.status ?? 'unknown'}`, invoiceId, stripeInvoiceId };
  }

  /** The Stripe invoice of ours: the one recorded, else one made earlier whose id never reached us, else a new draft. */
  private async stripeInvoiceFor(invoice: Invoice, customerId: string): Promise<Stripe.Invoice> {
    if (invoice.stripeInvoiceId) return this.stripe.invoices.retrieve(invoice.stripeInvoiceId);
    const since = Math.floor((invoice.issuedAt ?? invoice.createdAt).getTime() / 1000) - 3600;
    let found: Stripe.Invoice | null = null;
    for await (const candidate of this.stripe.invoices.list({ customer: customerId, created: { gte: since }, limit: 100 })) {
      if (candidate.metadata?.invoiceId === invoice.id && candidate.status !== 'void') {
        found = candidate;
        break;
      }
    }
    if (!found) {
      const paymentMethod = await this.paymentMethodOf(invoice.licenseId);
      found = await this.stripe.invoices.create(
        {
          customer: customerId,
          collection_method: 'charge_automatically',
          // Nothing happens to the draft until it has its item and we finalize it.
          auto_advance: false,
          currency: invoice.currency.toLowerCase(),
          description: describe(invoice),
          metadata: { invoiceId: invoice.id, licenseId: invoice.licenseId, invoiceNumber: invoice.number },
          pending_invoice_items_behavior: 'exclude',
          ...(paymentMethod ? { default_payment_method: paymentMethod } : {}),
        },
        { idempotencyKey: `collect-${invoice.id}` },
      );
    }
    await this.dataSource.query(`UPDATE invoices SET stripe_invoice_id = $2, updated_at = now() WHERE id = $1 AND stripe_invoice_id IS NULL`, [invoice.id, found.id]);
    const [stored] = await this.dataSource.query<Array<{ stripe_invoice_id: string }>>(`SELECT stripe_invoice_id FROM invoices WHERE id = $1`, [invoice.id]);
    return stored && stored.stripe_invoice_id !== found.id ? this.stripe.invoices.retrieve(stored.stripe_invoice_id) : found;
  }

  /**
   * The card the buyer pays the licence's subscription with. Checkout keeps it on the
   * subscription, not as the customer's default, so a one-off invoice names it.
   */
  private async paymentMethodOf(licenseId: string): Promise<string | null> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId });
    if (!license?.stripeSubscriptionId) return null;
    const subscription = await this.stripe.subscriptions.retrieve(license.stripeSubscriptionId);
    const method = subscription.default_payment_method;
    return typeof method === 'string' ? method : (method?.id ?? null);
  }
}

/** What the buyer reads on Stripe's invoice and card statement notes: our invoice, its kind and period. */
function describe(invoice: Invoice): string {
  const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : '…');
  const what = invoice.kind === 'adjustment' ? 'Late usage' : 'Usage';
  return `${what} ${day(invoice.periodStart)} – ${day(invoice.periodEnd)} (invoice ${invoice.number})`;
}
