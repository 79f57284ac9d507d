import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { reconcileProviderRecords, type MovementKind, type ProviderMovement, type ProviderReconciliation, type RecordedMovement } from '@civic/domain';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { STRIPE_CLIENT } from '../payments/stripe-client.js';

export interface ProviderRecords extends ProviderReconciliation {
  provider: 'stripe';
  /** Why Stripe's records could not be read (then nothing was compared). */
  error: string | null;
}

const idOf = (value: string | { id?: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/**
 * Stripe's own records (its balance transactions: every charge, refund, dispute withdrawal and
 * reinstatement, and transfer) against ours (payments, refunds and chargebacks, won disputes,
 * Stripe payouts). Null when the platform has no Stripe account configured.
 */
@Injectable()
export class ProviderRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  async reconcile(): Promise<ProviderRecords | null> {
    if (!this.stripe) return null;
    let movements: ProviderMovement[];
    try {
      movements = await this.stripeMovements(this.stripe);
    } catch (error) {
      return { provider: 'stripe', error: (error as Error).message, matched: 0, providerMovements: 0, mismatches: [], totals: [] };
    }
    return { provider: 'stripe', error: null, ...reconcileProviderRecords(movements, await this.recorded()) };
  }

  /** Every balance transaction, with the ids our records may carry for it. */
  private async stripeMovements(stripe: Stripe): Promise<ProviderMovement[]> {
    // Which invoices each PaymentIntent paid: subscription and usage payments are recorded by their invoice.
    const invoicesOf = new Map<string, string[]>();
    for await (const payment of stripe.invoicePayments.list({ status: 'paid', limit: 100 })) {
      const intent = idOf(payment.payment.payment_intent);
      const invoice = idOf(payment.invoice);
      if (intent && invoice) invoicesOf.set(intent, [...(invoicesOf.get(intent) ?? []), invoice]);
    }
    const movements: ProviderMovement[] = [];
    for await (const transaction of stripe.balanceTransactions.list({ limit: 100, expand: ['data.source'] })) {
      const source = transaction.source as unknown as { id: string; object: string; payment_intent?: string | { id: string } | null } | string | null;
      const sourceId = idOf(source);
      const references = sourceId ? [sourceId] : [];
      let kind: MovementKind | 'other' = 'other';
      if (transaction.type === 'charge' || transaction.type === 'payment') {
        kind = 'payment';
        const intent = typeof source === 'object' && source ? idOf(source.payment_intent) : null;
        if (intent) references.push(intent, ...(invoicesOf.get(intent) ?? []));
      } else if (transaction.type === 'refund' || transaction.type === 'payment_refund') {
        kind = 'refund';
      } else if (transaction.type === 'adjustment' && sourceId?.startsWith('du_')) {
        kind = transaction.amount < 0 ? 'chargeback' : 'dispute_won';
      } else if (transaction.type === 'transfer') {
        kind = 'payout';
      }
      movements.push({ id: transaction.id, kind, amount: transaction.amount, currency: transaction.currency.toUpperCase(), references, occurredAt: new Date(transaction.created * 1000) });
    }
    return movements;
  }

  /** Our records of money that moved through Stripe, signed as Stripe's balance sees them. */
  private async recorded(): Promise<RecordedMovement[]> {
    const rows: Array<{ kind: MovementKind; reference: string; amount: string; currency: string }> = await this.dataSource.query(
      `SELECT 'payment' AS kind, provider_reference AS reference, amount::text, trim(currency) AS currency FROM payments WHERE provider = 'stripe'
       UNION ALL
       SELECT kind, provider_reference, (-amount)::text, trim(currency) FROM refunds WHERE provider = 'stripe'
       UNION ALL
       SELECT 'dispute_won', r.provider_reference, r.amount::text, trim(r.currency) FROM dispute_reinstatements d JOIN refunds r ON r.id = d.refund_id WHERE r.provider = 'stripe'
       UNION ALL
       SELECT 'payout', provider_reference, (-amount)::text, trim(currency) FROM settlements
        WHERE method = 'stripe_transfer' AND status = 'paid' AND provider_reference LIKE 'tr\\_%'`,
    );
    return rows.map((row) => ({ kind: row.kind, reference: row.reference, amount: Number(row.amount), currency: row.currency }));
  }
}
