import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { invalid, missingParam, notFound } from '../errors.js';
import { inRange, mergeMetadata, type Params } from '../params.js';
import { clone, randomToken } from '../util.js';
import { recordBalanceTransaction } from './balance.js';
import { requireConnectedAccount } from './connect.js';

/**
 * POST /v1/transfers: separate charges and transfers. The destination must be a connected
 * account of the fake with an active `transfers` capability. There is no balance check: Stripe
 * would refuse a transfer larger than the platform's available balance (`balance_insufficient`).
 */
export function createTransfer(e: Engine, p: Params): Stripe.Transfer {
  p.check({
    supported: ['amount', 'currency', 'destination', 'description', 'metadata', 'transfer_group', 'source_type'],
    unsupported: ['source_transaction'],
  });
  const amount = p.int('amount');
  if (amount === undefined) throw missingParam('amount');
  if (amount < 1) throw invalid('This value must be greater than or equal to 1.', 'amount', 'parameter_invalid_integer');
  const currency = p.reqStr('currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}`, 'currency');
  const destination = p.reqStr('destination');
  const description = p.str('description', { max: 1000 });
  const transferGroup = p.str('transfer_group');
  const sourceType = p.enumOf('source_type', ['bank_account', 'card', 'fpx'] as const);
  const metadata = p.metadata();
  requireConnectedAccount(e, destination, 'destination');

  const id = e.id('tr');
  const transfer: Stripe.Transfer = {
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    balance_transaction: recordBalanceTransaction(e, {
      amount: -amount,
      currency,
      type: 'transfer',
      reportingCategory: 'transfer',
      source: id,
      description: description ?? null,
    }).id,
    created: e.now(),
    currency,
    description: description ?? null,
    destination,
    // The payment the connected account receives (on its side; not stored here).
    destination_payment: `py_${randomToken(24)}`,
    livemode: false,
    metadata: mergeMetadata({}, metadata),
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: null,
    source_type: sourceType ?? 'card',
    transfer_group: transferGroup ?? null,
  };
  e.transfers.set(id, transfer);
  e.record('transfer.created', transfer);
  return clone(transfer);
}

export function retrieveTransfer(e: Engine, id: string): Stripe.Transfer {
  const transfer = e.transfers.get(id);
  if (!transfer) throw notFound('transfer', id, 'transfer');
  return clone(transfer);
}

export function listTransfers(e: Engine, p: Params): unknown {
  p.check({ supported: ['destination', 'transfer_group', 'created', 'limit', 'starting_after', 'ending_before'] });
  const destination = p.str('destination');
  const transferGroup = p.str('transfer_group');
  const created = p.range('created');
  const items = [...e.transfers.values()].filter(
    (transfer) =>
      (destination === undefined || transfer.destination === destination) &&
      (transferGroup === undefined || transfer.transfer_group === transferGroup) &&
      inRange(transfer.created, created),
  );
  return e.paginate(items, p, '/v1/transfers');
}
