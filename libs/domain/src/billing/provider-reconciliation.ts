/**
 * Our money records against the payment provider's own: every movement of the provider's
 * balance (its balance report) is matched to the record we keep of it, by the provider's
 * references, and every difference is named. Pure: the caller reads both sides.
 */

export type MovementKind = 'payment' | 'refund' | 'chargeback' | 'dispute_won' | 'payout';

/** One movement of the provider's balance, as the provider reports it. */
export interface ProviderMovement {
  /** The provider's id of the movement (a Stripe balance transaction). */
  id: string;
  kind: MovementKind | 'other';
  /** Signed minor units: money in is positive. */
  amount: number;
  currency: string;
  /** Every id a record of ours may carry for it (a charge, its PaymentIntent, the invoices it paid; a refund, a dispute, a transfer). */
  references: readonly string[];
  occurredAt: Date;
}

/** One money record of ours that should appear at the provider. */
export interface RecordedMovement {
  kind: MovementKind;
  /** The provider reference we stored. */
  reference: string;
  /** Signed minor units, the provider's point of view: a payment positive, a refund negative. */
  amount: number;
  currency: string;
}

export type ProviderMismatchKind = 'missing_record' | 'missing_at_provider' | 'amount_mismatch';

export interface ProviderMismatch {
  kind: ProviderMismatchKind;
  movement: MovementKind | 'other';
  /** The provider's id when it has the movement, else our reference. */
  reference: string;
  currency: string;
  /** The provider's amount (null when it has no such movement). */
  expected: number | null;
  /** Ours (null when we have no record). */
  actual: number | null;
}

export interface ProviderReconciliation {
  /** Movements found on both sides with the same amount. */
  matched: number;
  /** Movements the provider reported. */
  providerMovements: number;
  mismatches: ProviderMismatch[];
  /** Per currency: the provider's gross movements and ours, for the movements both sides know of plus the rest. */
  totals: Array<{ currency: string; provider: number; recorded: number }>;
}

/**
 * Matches the provider's movements with our records: a movement and a record of the same kind
 * sharing a reference are one; each side's leftovers are reported, as are pairs whose amounts
 * differ. Movements of other kinds (fees, adjustments we do not book) are counted, not matched.
 */
export function reconcileProviderRecords(provider: readonly ProviderMovement[], recorded: readonly RecordedMovement[]): ProviderReconciliation {
  const mismatches: ProviderMismatch[] = [];
  const pending = new Map<string, RecordedMovement[]>();
  for (const record of recorded) {
    const key = `${record.kind}|${record.reference}`;
    pending.set(key, [...(pending.get(key) ?? []), record]);
  }
  const totals = new Map<string, { currency: string; provider: number; recorded: number }>();
  const total = (currency: string) => {
    let found = totals.get(currency);
    if (!found) totals.set(currency, (found = { currency, provider: 0, recorded: 0 }));
    return found;
  };
  let matched = 0;
  for (const movement of provider) {
    if (movement.kind === 'other') continue;
    total(movement.currency).provider += movement.amount;
    const reference = movement.references.find((candidate) => pending.get(`${movement.kind}|${candidate}`)?.length);
    const record = reference === undefined ? undefined : pending.get(`${movement.kind}|${reference}`)!.shift();
    if (!record) {
      mismatches.push({ kind: 'missing_record', movement: movement.kind, reference: movement.id, currency: movement.currency, expected: movement.amount, actual: null });
      continue;
    }
    if (record.amount !== movement.amount || record.currency !== movement.currency) {
      mismatches.push({ kind: 'amount_mismatch', movement: movement.kind, reference: movement.id, currency: movement.currency, expected: movement.amount, actual: record.amount });
    } else {
      matched += 1;
    }
  }
  for (const records of pending.values()) {
    for (const record of records) mismatches.push({ kind: 'missing_at_provider', movement: record.kind, reference: record.reference, currency: record.currency, expected: null, actual: record.amount });
  }
  for (const record of recorded) total(record.currency).recorded += record.amount;
  return {
    matched,
    providerMovements: provider.length,
    mismatches,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
