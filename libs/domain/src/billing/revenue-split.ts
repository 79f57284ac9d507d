/**
 * Revenue sharing: how the net (tax-free) part of a payment is divided between the platform,
 * the agencies whose government data the product came from, and the seller.
 *
 * - The platform keeps `platformFeeBp` of the net.
 * - Each government dataset in the product's transitive lineage earns its agency
 *   royaltyBp(dataset) × the dataset's lineage share of the net.
 * - A vendor keeps the rest. An agency selling its own data (a base product) pays only the
 *   platform fee: the rest is its royalty, divided over the datasets of the lineage by share.
 *
 * The parts' exact values are fractions of the net; they are rounded by the largest remainder
 * method over one common denominator, so they are deterministic, each within one minor unit of
 * its exact value, and always sum to the net exactly. A refund or chargeback reverses every
 * part in proportion to it (again by largest remainder), so a full refund reverses the sale
 * exactly.
 */
import { DomainError } from '../errors/domain-error.js';
import { allocateLargestRemainder } from '../pricing/money.js';
import type { Share } from '../products/share.js';
import { checkRateBp, MAX_RATE_BP } from './tax.js';

export interface SplitLeaf {
  datasetId: string;
  agencyId: string;
  share: Share;
}

export interface RevenueSplitInput {
  /** The amount to divide (minor units; negative for a reversal computed from scratch). */
  amount: number;
  currency: string;
  seller: { organizationId: string; kind: 'agency' | 'vendor' };
  /** The product version's lineage leaves; their shares sum to 1. */
  leaves: readonly SplitLeaf[];
  platformFeeBp: number;
  /** The royalty rate of each dataset (per dataset, else per agency, else the default). */
  royaltyBp: (leaf: SplitLeaf) => number;
}

export type RevenueParty =
  | { party: 'platform' }
  /** datasetId null: an agency's own sale whose lineage is unknown (no published version). */
  | { party: 'agency'; agencyId: string; datasetId: string | null }
  | { party: 'vendor'; vendorId: string };

export type RevenueShare = RevenueParty & {
  amount: number;
  /** The rate applied (basis points of the net; for a dataset, of its lineage share). */
  rateBp: number;
};

function lcm(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Splits `amount` among the platform, the lineage's datasets (their agencies) and the seller. */
export function splitRevenue(input: RevenueSplitInput): RevenueShare[] {
  const fee = checkRateBp(input.platformFeeBp, 'platformFeeBp');
  if (input.leaves.length === 0 && input.seller.kind === 'agency') {
    // No lineage to attribute it to: an agency's sale is still its own, whole.
    return splitRevenue({ ...input, leaves: [{ datasetId: '', agencyId: input.seller.organizationId, share: { numerator: 1n, denominator: 1n } }] }).map((share) =>
      share.party === 'agency' ? { ...share, datasetId: null } : share,
    );
  }
  const leaves = [...input.leaves].sort((a, b) => (a.datasetId < b.datasetId ? -1 : a.datasetId > b.datasetId ? 1 : 0));
  const denominator = leaves.reduce((acc, leaf) => lcm(acc, leaf.share.denominator), 1n);
  const whole = BigInt(MAX_RATE_BP) * denominator;
  const royalties = leaves.map((leaf) => {
    const rate = input.seller.kind === 'agency' ? MAX_RATE_BP - fee : checkRateBp(input.royaltyBp(leaf), 'royaltyBp');
    if (fee + rate > MAX_RATE_BP) {
      throw new DomainError('billing.invalid_split', 'The platform fee and a royalty together exceed the whole', { platformFeeBp: fee, royaltyBp: rate, datasetId: leaf.datasetId });
    }
    return { leaf, rate, weight: BigInt(rate) * leaf.share.numerator * (denominator / leaf.share.denominator) };
  });
  const feeWeight = BigInt(fee) * denominator;
  const sellerWeight = whole - feeWeight - royalties.reduce((sum, item) => sum + item.weight, 0n);
  if (sellerWeight < 0n) throw new DomainError('billing.invalid_split', 'Lineage shares must sum to 1', {});
  const weights = [feeWeight, ...royalties.map((item) => item.weight), sellerWeight];
  // allocateLargestRemainder needs a positive weight somewhere; an all-zero split of 0 is all zeros.
  const parts = weights.some((weight) => weight > 0n) ? allocateLargestRemainder({ amount: input.amount, currency: input.currency }, weights) : weights.map(() => ({ amount: 0 }));
  const shares: RevenueShare[] = [{ party: 'platform', amount: parts[0]!.amount, rateBp: fee }];
  royalties.forEach((item, index) => {
    shares.push({ party: 'agency', agencyId: item.leaf.agencyId, datasetId: item.leaf.datasetId, amount: parts[index + 1]!.amount, rateBp: item.rate });
  });
  if (input.seller.kind === 'vendor') {
    shares.push({ party: 'vendor', vendorId: input.seller.organizationId, amount: parts[parts.length - 1]!.amount, rateBp: Number(sellerWeight / denominator) });
  }
  return shares;
}

/**
 * The reversal of `shares` for a refund of `amount` (> 0) of the split amount: every part
 * reversed in proportion to its share of the original, summing to −amount exactly.
 */
export function reverseShares<T extends { amount: number }>(shares: readonly T[], amount: number, currency: string): Array<T & { amount: number }> {
  const original = shares.reduce((sum, share) => sum + share.amount, 0);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > original) {
    throw new DomainError('billing.invalid_amount', 'A refund is a positive amount no larger than what was received', { amount, received: original });
  }
  const parts = allocateLargestRemainder({ amount: -amount, currency }, shares.map((share) => share.amount));
  return shares.map((share, index) => ({ ...share, amount: parts[index]!.amount }));
}
