import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { notFound } from '../errors.js';
import { inRange, type Params } from '../params.js';
import { clone } from '../util.js';

// ---------------------------------------------------------------------------------------------
// Balance transactions: every movement of the platform's Stripe balance (a charge, a refund, a
// dispute's withdrawal or reinstatement, a transfer to a connected account), as Stripe's
// balance report lists them. Recorded by the resources that move money.
// ---------------------------------------------------------------------------------------------

export interface BalanceMovement {
  /** Signed, in the currency's minor units: money in is positive. */
  amount: number;
  /** Stripe's fee on the movement (a dispute fee); the balance moves by amount - fee. */
  fee?: number;
  feeDescription?: string;
  currency: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  /** The object that moved the money (`ch_…`, `re_…`, `du_…`, `tr_…`). */
  source: string;
  description: string | null;
}

/** Records a movement of the balance and returns it (its id goes on the moving object). */
export function recordBalanceTransaction(e: Engine, movement: BalanceMovement): Stripe.BalanceTransaction {
  const now = e.now();
  const fee = movement.fee ?? 0;
  const transaction: Stripe.BalanceTransaction = {
    id: e.id('txn'),
    object: 'balance_transaction',
    amount: movement.amount,
    available_on: now,
    balance_type: 'payments',
    created: now,
    currency: movement.currency,
    description: movement.description,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency: movement.currency, description: movement.feeDescription ?? 'Stripe fee', type: 'stripe_fee' }] : [],
    net: movement.amount - fee,
    reporting_category: movement.reportingCategory,
    source: movement.source,
    status: 'available',
    type: movement.type,
  };
  e.balanceTransactions.set(transaction.id, transaction);
  return clone(transaction);
}

export function retrieveBalanceTransaction(e: Engine, id: string): Stripe.BalanceTransaction {
  const transaction = e.balanceTransactions.get(id);
  if (!transaction) throw notFound('balance_transaction', id);
  return clone(transaction);
}

/** GET /v1/balance_transactions: newest first, filtered by creation time, type, source or currency. */
export function listBalanceTransactions(e: Engine, p: Params): unknown {
  p.check({ supported: ['created', 'type', 'source', 'currency', 'limit', 'starting_after', 'ending_before'], ignored: ['payout'] });
  const created = p.range('created');
  const type = p.str('type');
  const source = p.str('source');
  const currency = p.str('currency')?.toLowerCase();
  const items = [...e.balanceTransactions.values()].filter(
    (transaction) =>
      inRange(transaction.created, created) &&
      (type === undefined || transaction.type === type) &&
      (source === undefined || transaction.source === source) &&
      (currency === undefined || transaction.currency === currency),
  );
  return e.paginate(items, p, '/v1/balance_transactions');
}

/** GET /v1/invoice_payments: which invoice a PaymentIntent paid (`payment[payment_intent]`), or an invoice's payments. */
export function listInvoicePayments(e: Engine, p: Params): unknown {
  p.check({ supported: ['invoice', 'payment', 'status', 'created', 'limit', 'starting_after', 'ending_before'] });
  const invoice = p.str('invoice');
  const payment = p.obj('payment');
  payment?.check({ supported: ['type', 'payment_intent'], ignored: ['payment_record'] });
  const paymentIntent = payment?.str('payment_intent');
  const status = p.str('status');
  const created = p.range('created');
  const items = [...e.invoicePayments.values()].flat().filter(
    (candidate) =>
      (invoice === undefined || candidate.invoice === invoice) &&
      (paymentIntent === undefined || candidate.payment.payment_intent === paymentIntent) &&
      (status === undefined || candidate.status === status) &&
      inRange(candidate.created, created),
  );
  return e.paginate(items, p, '/v1/invoice_payments');
}
