import fc from 'fast-check';
import { currencyExponent } from '../pricing/money.js';
import { parsePricePlan } from '../pricing/price-plan.js';
import { expectDomainError } from '../pricing/test-support.js';
import { makeShare, type Share } from '../products/share.js';
import {
  accountingPeriod,
  accountingPeriodRange,
  assertBalanced,
  balances,
  creditNoteEntry,
  disputeWonEntry,
  invoiceIssuedEntry,
  invoiceVoidedEntry,
  paymentEntry,
  paymentTaxPart,
  refundEntry,
  reversalEntry,
  settlementEntry,
  type InvoiceFacts,
} from './ledger.js';
import { coverage, prorateAmount, prorateQuantity } from './proration.js';
import { reverseShares, splitRevenue, type RevenueShare, type SplitLeaf } from './revenue-split.js';
import { reconcileProviderRecords, type ProviderMovement, type RecordedMovement } from './provider-reconciliation.js';
import { splitInclusiveTax } from './tax.js';
import { applyCredit } from './credit-note.js';
import { adjustmentLine, describeUsageInvoiceLine, ratePeriodUsage, usageInvoice } from './usage-invoice.js';

const sum = (values: readonly { amount: number }[]) => values.reduce((total, value) => total + value.amount, 0);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('splitInclusiveTax', () => {
  it('extracts VAT from a VAT-inclusive price, half up', () => {
    expect(splitInclusiveTax(10_600, 600)).toEqual({ net: 10_000, tax: 600 });
    // 100 × 6/106 = 5.66 → 6
    expect(splitInclusiveTax(100, 600)).toEqual({ net: 94, tax: 6 });
    expect(splitInclusiveTax(0, 1300)).toEqual({ net: 0, tax: 0 });
    expect(splitInclusiveTax(999, 0)).toEqual({ net: 999, tax: 0 });
  });

  it('refuses rates and amounts that are not whole and in range', () => {
    expectDomainError(() => splitInclusiveTax(100, -1), 'billing.invalid_rate');
    expectDomainError(() => splitInclusiveTax(100, 10_001), 'billing.invalid_rate');
    expectDomainError(() => splitInclusiveTax(100, 6.5), 'billing.invalid_rate');
    expectDomainError(() => splitInclusiveTax(-1, 600), 'billing.invalid_amount');
    expectDomainError(() => splitInclusiveTax(1.5, 600), 'billing.invalid_amount');
  });

  it('always adds up, the tax within half a unit of its exact value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 10_000 }), (gross, rate) => {
        const { net, tax } = splitInclusiveTax(gross, rate);
        expect(net + tax).toBe(gross);
        // |tax × (10000 + rate) − gross × rate| ≤ (10000 + rate) / 2
        const gap = BigInt(tax) * BigInt(10_000 + rate) - BigInt(gross) * BigInt(rate);
        expect(2n * (gap < 0n ? -gap : gap) <= BigInt(10_000 + rate)).toBe(true);
      }),
    );
  });
});

describe('proration', () => {
  const period = { start: day('2026-03-01'), end: day('2026-04-01') }; // 31 days
  it('measures the part of a period a licence was in force, to the second', () => {
    expect(coverage(period)).toEqual({ covered: 31 * 86_400, length: 31 * 86_400 });
    expect(coverage(period, { start: day('2026-03-11') })).toEqual({ covered: 21 * 86_400, length: 31 * 86_400 });
    expect(coverage(period, { end: day('2026-03-02') }).covered).toBe(86_400);
    expect(coverage(period, { start: day('2026-05-01') }).covered).toBe(0);
    expectDomainError(() => coverage({ start: period.end, end: period.start }), 'billing.invalid_period');
  });

  it('prorates amounts half up and included quantities down', () => {
    expect(prorateAmount(3100, 21, 31)).toBe(2100);
    expect(prorateAmount(100, 1, 3)).toBe(33);
    expect(prorateAmount(200, 1, 3)).toBe(67);
    expect(prorateAmount(500, 31, 31)).toBe(500);
    expect(prorateQuantity(1000, 2, 3)).toBe(666);
    expect(prorateQuantity(1000, 3, 3)).toBe(1000);
  });
});

describe('usage invoices', () => {
  it('describes a late-usage line in both languages, a credit as money back', () => {
    const period = { start: day('2026-10-05'), end: day('2026-10-15') };
    const charge = { kind: 'usage_adjustment' as const, descriptionKey: 'billing.line.usage_adjustment', quantity: 20_000, unitAmount: 1_000, per: 1, amount: 1_000, period };
    expect(describeUsageInvoiceLine(charge, { currency: 'CNY', unit: 'row' }, 'en')).toBe('Late usage (2026-10-05 – 2026-10-15): +20,000 rows = ¥10.00');
    const credit = { ...charge, unitAmount: -4_600, amount: -4_600 };
    expect(describeUsageInvoiceLine(credit, { currency: 'CNY', unit: 'row' }, 'en')).toBe('Late usage (2026-10-05 – 2026-10-15): +20,000 rows; all the period\'s use now falls in a cheaper tier, ¥46.00 back');
    expect(describeUsageInvoiceLine(credit, { currency: 'CNY', unit: 'row' }, 'zh-CN')).toMatch(/^补计用量（2026-10-05 – 2026-10-15）：\+.+，全部用量适用更低档单价，退还 ¥46\.00$/);
  });

  const plan = parsePricePlan({
    kind: 'hybrid',
    currency: 'CNY',
    interval: 'month',
    amount: 50_000,
    metered: { unit: 'api_call', mode: 'graduated', per: 1000, includedQuantity: 10_000, tiers: [{ upTo: 100_000, unitAmount: 500 }, { upTo: null, unitAmount: 300 }] },
  });
  const period = { start: day('2026-03-01'), end: day('2026-04-01') };

  it('bills the metered use of a period after its included quantity, without the fee (billed in advance)', () => {
    const { lines, total } = ratePeriodUsage(plan, { period, quantity: 150_000 });
    // 90,000 calls in tier 1 at ¥5/1000 = ¥450; 50,000 in tier 2 at ¥3/1000 = ¥150.
    expect(total).toBe(45_000 + 15_000);
    expect(lines.map((line) => line.kind)).toEqual(['included', 'tier', 'tier']);
    expect(lines.every((line) => line.period === period)).toBe(true);
  });

  it('prorates the included quantity for a licence in force for part of the period', () => {
    // In force for 10 of 31 days: 10,000 × 10/31 = 3,225 included calls.
    const { total } = ratePeriodUsage(plan, { period, active: { end: day('2026-03-11') }, quantity: 10_000 });
    expect(total).toBe(Math.round((10_000 - 3_225) * 500 / 1000));
  });

  it('bills late usage as the difference of the period re-rated, never an edit', () => {
    const line = adjustmentLine(plan, { period, billedQuantity: 100_000, quantity: 110_000 });
    // 100,000 → 110,000: 10,000 more calls in tier 2 = ¥30.
    expect(line).toMatchObject({ kind: 'usage_adjustment', quantity: 10_000, amount: 3_000, period });
    expect(adjustmentLine(plan, { period, billedQuantity: 5, quantity: 5 })).toBeNull();
    const draft = usageInvoice(plan, { period: { start: period.end, end: day('2026-05-01') }, quantity: 0 }, [{ period, billedQuantity: 100_000, quantity: 110_000 }]);
    expect(draft.total).toBe(3_000);
  });

  it('a period billed in pieces costs the same as billed at once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 1, maxLength: 6 }), (arrivals) => {
        let billed = 0;
        let amount = 0;
        for (const arrived of arrivals) {
          const line = adjustmentLine(plan, { period, billedQuantity: billed, quantity: billed + arrived });
          amount += line?.amount ?? 0;
          billed += arrived;
        }
        expect(amount).toBe(ratePeriodUsage(plan, { period, quantity: billed }).total);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Revenue sharing

const CURRENCIES = ['JPY', 'CNY', 'KWD'] as const; // 0, 2 and 3 decimals

const leavesArbitrary = fc
  .array(fc.record({ weight: fc.integer({ min: 1, max: 1000 }), agency: fc.constantFrom('agency-a', 'agency-b', 'agency-c') }), { minLength: 1, maxLength: 6 })
  .map((items) => {
    const total = BigInt(items.reduce((acc, item) => acc + item.weight, 0));
    return items.map((item, index): SplitLeaf => ({ datasetId: `dataset-${index}`, agencyId: item.agency, share: makeShare(BigInt(item.weight), total) }));
  });

function exactShare(input: { net: number; feeBp: number; royaltyBp: number; leaves: SplitLeaf[] }, share: RevenueShare): Share | null {
  if (share.party === 'platform') return makeShare(BigInt(input.feeBp), 10_000n);
  if (share.party === 'agency') {
    const leaf = input.leaves.find((item) => item.datasetId === share.datasetId)!;
    return makeShare(BigInt(input.royaltyBp) * leaf.share.numerator, 10_000n * leaf.share.denominator);
  }
  return null;
}

describe('splitRevenue', () => {
  const leaves: SplitLeaf[] = [
    { datasetId: 'traffic', agencyId: 'transport', share: makeShare(1n, 2n) },
    { datasetId: 'weather', agencyId: 'meteorology', share: makeShare(1n, 2n) },
  ];

  it('pays the platform fee, each dataset its royalty by lineage share, and the vendor the rest', () => {
    const shares = splitRevenue({ amount: 10_000, currency: 'CNY', seller: { organizationId: 'vendor', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2000 });
    expect(shares).toEqual([
      { party: 'platform', amount: 1000, rateBp: 1000 },
      { party: 'agency', agencyId: 'transport', datasetId: 'traffic', amount: 1000, rateBp: 2000 },
      { party: 'agency', agencyId: 'meteorology', datasetId: 'weather', amount: 1000, rateBp: 2000 },
      { party: 'vendor', vendorId: 'vendor', amount: 7000, rateBp: 7000 },
    ]);
  });

  it("uses each dataset's own royalty rate", () => {
    const shares = splitRevenue({ amount: 10_000, currency: 'CNY', seller: { organizationId: 'v', kind: 'vendor' }, leaves, platformFeeBp: 500, royaltyBp: (leaf) => (leaf.datasetId === 'traffic' ? 3000 : 1000) });
    expect(shares.map((share) => share.amount)).toEqual([500, 1500, 500, 7500]);
  });

  it('gives an agency selling its own data everything but the platform fee', () => {
    const own = [{ datasetId: 'power', agencyId: 'energy', share: makeShare(1n, 1n) }];
    const shares = splitRevenue({ amount: 999, currency: 'CNY', seller: { organizationId: 'energy', kind: 'agency' }, leaves: own, platformFeeBp: 1000, royaltyBp: () => 2000 });
    expect(shares).toEqual([
      { party: 'platform', amount: 100, rateBp: 1000 },
      { party: 'agency', agencyId: 'energy', datasetId: 'power', amount: 899, rateBp: 9000 },
    ]);
  });

  it('refuses rates that do not fit in the whole', () => {
    const input = { amount: 100, currency: 'CNY', seller: { organizationId: 'v', kind: 'vendor' as const }, leaves };
    expectDomainError(() => splitRevenue({ ...input, platformFeeBp: 6000, royaltyBp: () => 5000 }), 'billing.invalid_split');
    expectDomainError(() => splitRevenue({ ...input, platformFeeBp: -1, royaltyBp: () => 0 }), 'billing.invalid_rate');
    // Without lineage a vendor keeps the rest, an agency all of it.
    expect(splitRevenue({ ...input, leaves: [], platformFeeBp: 100, royaltyBp: () => 0 }).map((share) => share.amount)).toEqual([1, 99]);
    expect(splitRevenue({ ...input, seller: { organizationId: 'a', kind: 'agency' }, leaves: [], platformFeeBp: 100, royaltyBp: () => 0 })).toEqual([
      { party: 'platform', amount: 1, rateBp: 100 },
      { party: 'agency', agencyId: 'a', datasetId: null, amount: 99, rateBp: 9900 },
    ]);
  });

  it.each(CURRENCIES)('in %s: sums exactly, each part within one minor unit of its exact value, deterministic', (currency) => {
    const scale = 10 ** currencyExponent(currency);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 * scale }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 7000 }),
        leavesArbitrary,
        fc.boolean(),
        (net, feeBp, royaltyBp, leaves, agencySeller) => {
          const seller = agencySeller ? { organizationId: 'agency-a', kind: 'agency' as const } : { organizationId: 'vendor', kind: 'vendor' as const };
          const input = { amount: net, currency, seller, leaves, platformFeeBp: feeBp, royaltyBp: () => royaltyBp };
          const shares = splitRevenue(input);
          expect(sum(shares)).toBe(net);
          expect(splitRevenue({ ...input, leaves: [...leaves].reverse() })).toEqual(shares);
          for (const share of shares) {
            expect(share.amount).toBeGreaterThanOrEqual(0);
            const exact = agencySeller ? null : exactShare({ net, feeBp, royaltyBp, leaves }, share);
            if (exact) {
              const gap = BigInt(share.amount) * exact.denominator - BigInt(net) * exact.numerator;
              expect(gap < exact.denominator && gap > -exact.denominator).toBe(true);
            }
          }
        },
      ),
    );
  });

  it('reverses every share in proportion; refunds in pieces never reverse more than the sale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), leavesArbitrary, fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }), (net, leaves, pieces) => {
        const original = splitRevenue({ amount: net, currency: 'CNY', seller: { organizationId: 'v', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2500 });
        let remaining = original.map((share) => ({ ...share }));
        let left = net;
        const weights = pieces.reduce((a, b) => a + b, 0);
        pieces.forEach((piece, index) => {
          const amount = index === pieces.length - 1 ? left : Math.floor((net * piece) / weights);
          if (amount <= 0 || left === 0) return;
          const reversal = reverseShares(remaining, amount, 'CNY');
          expect(sum(reversal)).toBe(-amount);
          remaining = remaining.map((share, at) => ({ ...share, amount: share.amount + reversal[at]!.amount }));
          remaining.forEach((share) => expect(share.amount).toBeGreaterThanOrEqual(0));
          left -= amount;
        });
        // Everything refunded: every party is back to zero.
        expect(remaining.every((share) => share.amount === 0)).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Ledger

const invoice: InvoiceFacts = { id: 'inv-1', number: 'INV-2026-000001', currency: 'CNY', subtotal: 10_000, tax: 600, total: 10_600, licenseId: 'lic', productId: 'prod', organizationId: 'buyer' };
const leaves: SplitLeaf[] = [{ datasetId: 'traffic', agencyId: 'transport', share: makeShare(1n, 1n) }];

describe('ledger entries', () => {
  it('posts an issued invoice, its payment split and a full refund, leaving every account at zero', () => {
    const issued = invoiceIssuedEntry(invoice, new Date())!;
    const parts = paymentTaxPart(10_600, invoice);
    const shares = splitRevenue({ amount: parts.net, currency: 'CNY', seller: { organizationId: 'vendor', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2000 });
    const paid = paymentEntry({ id: 'pay-1', provider: 'offline', amount: 10_600, currency: 'CNY', reference: 'BANK-1' }, invoice, shares, new Date());
    const refund = refundEntry('refund', { id: 'ref-1', amount: 10_600, currency: 'CNY', provider: 'offline' }, invoice, parts, reverseShares(shares, parts.net, 'CNY'), new Date());
    const all = [issued, paid, refund];
    all.forEach((entry) => assertBalanced(entry));
    const totals = balances(all.flatMap((entry) => entry.postings));
    expect(totals.get('receivable|CNY')).toBe(0n);
    expect(totals.get('platform_revenue|CNY')).toBe(0n);
    expect(totals.get('vendor_payable:vendor|CNY')).toBe(0n);
    // The sale's billed revenue was moved into the shares; the invoice stays issued (refunds do not un-issue it).
    expect(totals.get('billed_revenue|CNY')).toBe(0n);
    expect(totals.get('tax_payable|CNY')).toBe(0n);
    expect(totals.get('clearing:offline|CNY')).toBe(0n);
    expect(paid.postings.find((posting) => posting.account === 'agency_payable:transport')?.dimensions?.dataset).toBe('traffic');
  });

  it('pays out and remits what is owed, and reverses an entry exactly', () => {
    const payout = settlementEntry('payout', { id: 'po-1', organizationId: 'vendor', amount: 7000, currency: 'CNY', provider: 'stripe', reference: 'tr_1' }, new Date());
    expect(payout.postings).toEqual([
      { account: 'vendor_payable:vendor', amount: 7000, currency: 'CNY', dimensions: { payout: 'po-1' } },
      { account: 'clearing:stripe', amount: -7000, currency: 'CNY', dimensions: { payout: 'po-1' } },
    ]);
    const reversed = reversalEntry(payout, new Date(), 'wrong account');
    expect(reversed.idempotencyKey).toBe('reversal:payout:po-1');
    expect(balances([...payout.postings, ...reversed.postings]).get('clearing:stripe|CNY')).toBe(0n);
    const voided = invoiceVoidedEntry(invoice, new Date())!;
    expect(sum(voided.postings)).toBe(0);
    expectDomainError(() => settlementEntry('remittance', { id: 'r', organizationId: 'a', amount: 0, currency: 'CNY', provider: 'offline', reference: 'x' }, new Date()), 'billing.invalid_amount');
  });

  it('a won dispute reverses its chargeback: the shares stand again and the clearing account holds the money', () => {
    const parts = paymentTaxPart(10_600, invoice);
    const shares = splitRevenue({ amount: parts.net, currency: 'CNY', seller: { organizationId: 'vendor', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2000 });
    const paid = paymentEntry({ id: 'pay-1', provider: 'stripe', amount: 10_600, currency: 'CNY', reference: 'pi_1' }, invoice, shares, new Date());
    const chargeback = refundEntry('chargeback', { id: 'cb-1', amount: 10_600, currency: 'CNY', provider: 'stripe' }, invoice, parts, reverseShares(shares, parts.net, 'CNY'), new Date());
    const won = disputeWonEntry(chargeback, new Date());
    expect(won).toMatchObject({ kind: 'dispute_won', idempotencyKey: 'dispute-won:cb-1' });
    const after = balances([...paid.postings, ...chargeback.postings, ...won.postings]);
    const before = balances(paid.postings);
    for (const [account, balance] of before) expect([account, after.get(account)]).toEqual([account, balance]);
    expect(after.get('clearing:stripe|CNY')).toBe(10_600n);
    expectDomainError(() => disputeWonEntry(paid, new Date()), 'ledger.unbalanced');
  });

  it('a credit note settled against an open invoice leaves only the rest to be paid and split; refunded, it reverses the paid shares', () => {
    const credit = splitInclusiveTax(2_120, 600);
    const note: InvoiceFacts = { ...invoice, id: 'cn-1', number: 'CN-1', subtotal: credit.net, tax: credit.tax, total: 2_120 };
    const noted = creditNoteEntry(note, new Date())!;
    expect(noted).toMatchObject({ kind: 'credit_note', idempotencyKey: 'credit-note:cn-1' });
    expect(creditNoteEntry({ ...note, subtotal: 0, tax: 0, total: 0 }, new Date())).toBeNull();

    // Against an open invoice: the buyer pays the total less the credit; the shares split only that.
    const issued = invoiceIssuedEntry(invoice, new Date())!;
    const paidPart = paymentTaxPart(10_600 - 2_120, invoice);
    const shares = splitRevenue({ amount: paidPart.net, currency: 'CNY', seller: { organizationId: 'vendor', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2000 });
    const paid = paymentEntry({ id: 'pay-1', provider: 'offline', amount: 10_600 - 2_120, currency: 'CNY', reference: 'BANK-1' }, invoice, shares, new Date());
    const applied = balances([...issued.postings, ...noted.postings, ...paid.postings]);
    expect(applied.get('receivable|CNY')).toBe(0n);
    expect(Number(applied.get('billed_revenue|CNY'))).toBeLessThanOrEqual(1);
    expect(Number(applied.get('billed_revenue|CNY'))).toBeGreaterThanOrEqual(-1);

    // Refunded from a payment of the whole invoice: the shares are reversed by the credit's net, the tax and receivable were the note's.
    const fullParts = paymentTaxPart(10_600, invoice);
    const fullShares = splitRevenue({ amount: fullParts.net, currency: 'CNY', seller: { organizationId: 'vendor', kind: 'vendor' }, leaves, platformFeeBp: 1000, royaltyBp: () => 2000 });
    const fullyPaid = paymentEntry({ id: 'pay-2', provider: 'stripe', amount: 10_600, currency: 'CNY', reference: 'pi_2' }, invoice, fullShares, new Date());
    const refundParts = paymentTaxPart(2_120, note);
    const refunded = refundEntry('refund', { id: 'ref-2', amount: 2_120, currency: 'CNY', provider: 'stripe', creditNote: 'cn-1' }, invoice, refundParts, reverseShares(fullShares, refundParts.net, 'CNY'), new Date());
    const after = balances([...issued.postings, ...fullyPaid.postings, ...noted.postings, ...refunded.postings]);
    expect(after.get('receivable|CNY')).toBe(0n);
    expect(after.get('billed_revenue|CNY')).toBe(0n);
    expect(after.get('tax_payable|CNY')).toBe(BigInt(-(invoice.tax - credit.tax)));
    expect(after.get('clearing:stripe|CNY')).toBe(BigInt(10_600 - 2_120));
    const shareTotal = [...after].filter(([account]) => /^(platform_revenue|vendor_payable|agency_payable)/.test(account)).reduce((total, [, balance]) => total + balance, 0n);
    expect(shareTotal).toBe(BigInt(-(fullParts.net - credit.net)));
    expectDomainError(() => refundEntry('chargeback', { id: 'cb', amount: 2_120, currency: 'CNY', provider: 'stripe', creditNote: 'cn-1' }, invoice, refundParts, reverseShares(fullShares, refundParts.net, 'CNY'), new Date()), 'ledger.unbalanced');
  });

  it('applies a credit to open balances oldest first, never beyond what is due, and leaves the rest to refund', () => {
    expect(applyCredit(500, [{ invoiceId: 'a', due: 200 }, { invoiceId: 'b', due: 0 }, { invoiceId: 'c', due: 1000 }])).toEqual({ applications: [{ invoiceId: 'a', amount: 200 }, { invoiceId: 'c', amount: 300 }], remaining: 0 });
    expect(applyCredit(500, [{ invoiceId: 'a', due: 120 }])).toEqual({ applications: [{ invoiceId: 'a', amount: 120 }], remaining: 380 });
    expect(applyCredit(0, [{ invoiceId: 'a', due: 120 }])).toEqual({ applications: [], remaining: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 500_000 }), { maxLength: 6 }), (credit, dues) => {
        const open = dues.map((due, index) => ({ invoiceId: String(index), due }));
        const { applications, remaining } = applyCredit(credit, open);
        expect(sum(applications) + remaining).toBe(credit);
        expect(remaining).toBe(Math.max(0, credit - dues.reduce((total, due) => total + due, 0)));
        for (const application of applications) expect(application.amount).toBeLessThanOrEqual(dues[Number(application.invoiceId)]!);
      }),
    );
    expectDomainError(() => applyCredit(-1, []), 'billing.invalid_amount');
    expectDomainError(() => applyCredit(1.5, []), 'billing.invalid_amount');
  });

  it('refuses entries that do not balance', () => {
    expectDomainError(() => assertBalanced({ idempotencyKey: 'k', postings: [{ account: 'receivable', amount: 1, currency: 'CNY' }, { account: 'billed_revenue', amount: -2, currency: 'CNY' }] }), 'ledger.unbalanced');
    expectDomainError(() => assertBalanced({ idempotencyKey: 'k', postings: [{ account: 'receivable', amount: 1, currency: 'CNY' }, { account: 'billed_revenue', amount: -1, currency: 'USD' }] }), 'ledger.unbalanced');
    expectDomainError(() => assertBalanced({ idempotencyKey: 'k', postings: [{ account: 'nowhere', amount: 1, currency: 'CNY' }, { account: 'receivable', amount: -1, currency: 'CNY' }] }), 'ledger.unbalanced');
    expectDomainError(() => paymentEntry({ id: 'p', provider: 'offline', amount: 10_600, currency: 'CNY', reference: 'r' }, invoice, [], new Date()), 'ledger.unbalanced');
  });

  it('every payment of any invoice balances, partial payments carrying their part of the tax', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 1700 }), fc.integer({ min: 1, max: 100 }), (total, vat, percent) => {
        const { net, tax } = splitInclusiveTax(total, vat);
        const facts = { ...invoice, subtotal: net, tax, total };
        const amount = Math.max(1, Math.floor((total * percent) / 100));
        const parts = paymentTaxPart(amount, facts);
        expect(parts.net + parts.tax).toBe(amount);
        const shares = splitRevenue({ amount: parts.net, currency: 'CNY', seller: { organizationId: 'v', kind: 'vendor' }, leaves, platformFeeBp: 800, royaltyBp: () => 1500 });
        assertBalanced(paymentEntry({ id: 'p', provider: 'stripe', amount, currency: 'CNY', reference: 'r' }, facts, shares, new Date()));
      }),
    );
  });
});

describe('accounting periods', () => {
  it('are calendar months in Beijing time', () => {
    expect(accountingPeriod(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03');
    expect(accountingPeriod(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04');
    expect(accountingPeriodRange('2026-04')).toEqual({ start: new Date('2026-03-31T16:00:00Z'), end: new Date('2026-04-30T16:00:00Z') });
    expectDomainError(() => accountingPeriodRange('2026-13'), 'billing.period_not_found');
  });

  it('agree with the time zone database for any moment since 1992', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' });
    fc.assert(
      fc.property(fc.date({ min: new Date('1992-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        const parts = format.formatToParts(at);
        expect(accountingPeriod(at)).toBe(`${parts.find((part) => part.type === 'year')!.value}-${parts.find((part) => part.type === 'month')!.value}`);
        const range = accountingPeriodRange(accountingPeriod(at));
        expect(range.start <= at && at < range.end).toBe(true);
      }),
    );
  });
});

describe('reconciliation with the provider\'s records', () => {
  const movement = (id: string, kind: ProviderMovement['kind'], amount: number, references: string[], currency = 'CNY'): ProviderMovement => ({ id, kind, amount, currency, references, occurredAt: new Date() });
  const record = (kind: RecordedMovement['kind'], reference: string, amount: number, currency = 'CNY'): RecordedMovement => ({ kind, reference, amount, currency });

  it('matches every movement to our record of it by any of its references, and names each difference', () => {
    const provider = [
      movement('txn_1', 'payment', 10_600, ['ch_1', 'pi_1']),
      movement('txn_2', 'payment', 4_900, ['ch_2', 'pi_2', 'in_2']),
      movement('txn_3', 'refund', -1_000, ['re_1']),
      movement('txn_4', 'chargeback', -4_900, ['du_1']),
      movement('txn_5', 'dispute_won', 4_900, ['du_1']),
      movement('txn_6', 'payout', -7_000, ['tr_1']),
      movement('txn_7', 'payment', 500, ['ch_9', 'pi_9']),
      movement('txn_8', 'refund', -300, ['re_2']),
      movement('txn_9', 'other', -25, ['fee_1']),
    ];
    const recorded = [
      record('payment', 'pi_1', 10_600),
      record('payment', 'in_2', 4_900),
      record('refund', 're_1', -1_000),
      record('chargeback', 'du_1', -4_900),
      record('dispute_won', 'du_1', 4_900),
      record('payout', 'tr_1', -7_000),
      record('refund', 're_2', -30),
      record('payment', 'pi_ours_only', 1_200),
    ];
    const result = reconcileProviderRecords(provider, recorded);
    expect(result.matched).toBe(6);
    expect(result.providerMovements).toBe(9);
    expect(result.mismatches).toEqual([
      { kind: 'missing_record', movement: 'payment', reference: 'txn_7', currency: 'CNY', expected: 500, actual: null },
      { kind: 'amount_mismatch', movement: 'refund', reference: 'txn_8', currency: 'CNY', expected: -300, actual: -30 },
      { kind: 'missing_at_provider', movement: 'payment', reference: 'pi_ours_only', currency: 'CNY', expected: null, actual: 1_200 },
    ]);
    expect(result.totals).toEqual([{ currency: 'CNY', provider: 10_600 + 4_900 - 1_000 - 4_900 + 4_900 - 7_000 + 500 - 300, recorded: 10_600 + 4_900 - 1_000 - 4_900 + 4_900 - 7_000 - 30 + 1_200 }]);
  });

  it('finds nothing to report when both sides agree, in any order, and never matches a record twice', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('payment', 'refund', 'payout') as fc.Arbitrary<RecordedMovement['kind']>, fc.integer({ min: 1, max: 1_000_000 })), { maxLength: 30 }), fc.boolean(), (items, twice) => {
        const provider = items.map(([kind, amount], index) => movement(`txn_${index}`, kind, kind === 'payment' ? amount : -amount, [`ref_${index}`]));
        const recorded = items.map(([kind, amount], index) => record(kind, `ref_${index}`, kind === 'payment' ? amount : -amount)).reverse();
        const result = reconcileProviderRecords(twice ? [...provider, ...provider] : provider, recorded);
        expect(result.matched).toBe(items.length);
        expect(result.mismatches.every((mismatch) => mismatch.kind === 'missing_record')).toBe(true);
        expect(result.mismatches).toHaveLength(twice ? items.length : 0);
      }),
    );
  });
});
