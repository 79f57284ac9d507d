import { accountOwner, debitCredit, entryAmounts, formatBasisPoints, formatPeriod, isBalanced, percentToBasisPoints, periodOf, periodsBetween, shiftPeriod, sortAccounts } from './finance-format';
import { wrapLabel } from './category-tick';
import { invoiceNumberIn } from './journal-description';
import { moneyAxisFormatter } from './money-axis';
import { withPreviousPeriod } from './periods-page';
import { issueCurrency } from './reconciliation-page';
import { readRevenueState } from './revenue-page';

describe('accounting periods', () => {
  it('are months in Beijing time', () => {
    expect(periodOf(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11');
    expect(periodOf(new Date('2026-10-31T15:59:00Z'))).toBe('2026-10');
  });

  it('move by months across years and list a range', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2025-12', 13)).toBe('2027-01');
    expect(periodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodsBetween('2026-03', '2026-01')).toEqual([]);
  });

  it('read as months in each language', () => {
    expect(formatPeriod('2026-03', 'en', 'long')).toBe('March 2026');
    expect(formatPeriod('2026-03', 'zh-CN')).toBe('2026年3月');
  });
});

describe('basis points', () => {
  it('show as percentages and parse exactly', () => {
    expect(formatBasisPoints(1250, 'en')).toBe('12.5%');
    expect(formatBasisPoints(600, 'zh-CN')).toBe('6%');
    expect(percentToBasisPoints(12.5)).toBe(1250);
    expect(percentToBasisPoints('0.07')).toBe(7);
    expect(percentToBasisPoints(100)).toBe(10_000);
    expect(percentToBasisPoints(100.01)).toBeNull();
    expect(percentToBasisPoints('1.234')).toBeNull();
    expect(percentToBasisPoints(-1)).toBeNull();
  });
});

describe('the ledger', () => {
  const payment = [
    { account: 'clearing:offline', currency: 'CNY', amount: 960_000, dimensions: {} },
    { account: 'receivable', currency: 'CNY', amount: -960_000, dimensions: {} },
    { account: 'billed_revenue', currency: 'CNY', amount: 905_660, dimensions: {} },
    { account: 'platform_revenue', currency: 'CNY', amount: -90_566, dimensions: {} },
    { account: 'vendor_payable:v1', currency: 'CNY', amount: -815_094, dimensions: {} },
  ];

  it('sizes an entry by its largest posting, not the sum of its debits', () => {
    expect(entryAmounts(payment)).toEqual([{ currency: 'CNY', amount: 960_000 }]);
    expect(isBalanced(payment)).toBe(true);
    expect(isBalanced(payment.slice(1))).toBe(false);
  });

  it('puts debits and credits in their columns and names the owner of an account', () => {
    expect(debitCredit(5)).toEqual({ debit: 5, credit: null });
    expect(debitCredit(-5)).toEqual({ debit: null, credit: 5 });
    expect(accountOwner('agency_payable:a1')).toBe('a1');
    expect(accountOwner('receivable')).toBeNull();
  });

  it('lists accounts in the chart of accounts order', () => {
    const accounts = [
      { account: 'platform_revenue', kind: 'platform_revenue' as const, organizationName: null, currency: 'CNY' },
      { account: 'agency_payable:b', kind: 'agency_payable' as const, organizationName: 'B', currency: 'CNY' },
      { account: 'receivable', kind: 'receivable' as const, organizationName: null, currency: 'CNY' },
      { account: 'agency_payable:a', kind: 'agency_payable' as const, organizationName: 'A', currency: 'CNY' },
    ];
    expect(sortAccounts(accounts).map((item) => item.account)).toEqual(['receivable', 'agency_payable:a', 'agency_payable:b', 'platform_revenue']);
  });

  it("finds the invoice number a payment's memo names", () => {
    expect(invoiceNumberIn('Payment BANK-INV-2026-000002 for invoice INV-2026-000002')).toBe('INV-2026-000002');
    expect(invoiceNumberIn('Invoice INV-2026-000003 voided')).toBe('INV-2026-000003');
    expect(invoiceNumberIn('Payout 2026-10')).toBeNull();
  });
});

describe('page state', () => {
  it('reads the revenue report from the URL, with safe defaults', () => {
    const now = new Date('2026-11-24T00:00:00Z');
    expect(readRevenueState(new URLSearchParams('groupBy=agency&from=2026-01&to=2026-03&filterBy=product&filterId=1c861f2f-de07-4b3b-90b5-88b2ad48e3ce'), now)).toEqual({
      groupBy: 'agency',
      from: '2026-01',
      to: '2026-03',
      filter: { by: 'product', id: '1c861f2f-de07-4b3b-90b5-88b2ad48e3ce' },
    });
    expect(readRevenueState(new URLSearchParams('groupBy=nope&from=2026-05&to=2026-01&filterBy=theme&filterId=x'), now)).toEqual({ groupBy: 'period', from: '2025-12', to: '2026-11', filter: null });
  });

  it('adds last month to the periods when it had no entries', () => {
    const current = { period: '2026-11', entries: 3, netRevenue: {}, closed: false, closedAt: null, closedBy: null, note: null };
    expect(withPreviousPeriod([current], '2026-11').map((item) => item.period)).toEqual(['2026-11', '2026-10']);
    expect(withPreviousPeriod([current, { ...current, period: '2026-10' }], '2026-11')).toHaveLength(2);
  });

  it("tells the currency of a reconciliation difference's amounts", () => {
    const issue = { kind: 'amount_mismatch' as const, reference: 'offline:BANK-1', message: '', currency: null, expected: 1, actual: 2 };
    expect(issueCurrency({ ...issue, currency: 'KWD' }, { providers: [] })).toBe('KWD');
    expect(issueCurrency(issue, { providers: [{ provider: 'offline', currency: 'CNY', providerNet: 0, ledgerNet: 0 }] })).toBe('CNY');
    expect(issueCurrency({ ...issue, kind: 'provider_total_mismatch', reference: 'stripe:USD' }, { providers: [] })).toBe('USD');
    expect(issueCurrency({ ...issue, kind: 'unbalanced_entry' }, { providers: [] })).toBeNull();
  });
});

describe('money axes', () => {
  const labels = (ticks: number[], language: string) => ticks.map(moneyAxisFormatter(ticks, 'CNY', language));

  it('write every tick of an axis in one style', () => {
    // Chinese abbreviates from 万 only: below it, the whole axis is written out.
    expect(labels([0, 300_000, 600_000, 900_000, 1_200_000], 'zh-CN')).toEqual(['¥0', '¥3,000', '¥6,000', '¥9,000', '¥12,000']);
    expect(labels([0, 5_000_000, 10_000_000, 15_000_000, 20_000_000], 'zh-CN')).toEqual(['¥0', '¥5万', '¥10万', '¥15万', '¥20万']);
    expect(labels([0, 300_000, 600_000, 900_000, 1_200_000], 'en')).toEqual(['¥0', '¥3K', '¥6K', '¥9K', '¥12K']);
    expect(labels([0, 35_000, 70_000, 105_000, 140_000], 'en')).toEqual(['¥0', '¥350', '¥700', '¥1,050', '¥1,400']);
    expect(labels([0, 50, 100], 'en')).toEqual(['¥0', '¥0.5', '¥1']);
    // The price calculator's axis wrote "¥4000, ¥8000" next to "¥1.2万, ¥1.6万".
    expect(labels([0, 400_000, 800_000, 1_200_000, 1_600_000], 'zh-CN')).toEqual(['¥0', '¥4,000', '¥8,000', '¥12,000', '¥16,000']);
  });

  it('abbreviate amounts exactly, with the decimals the ticks need', () => {
    expect(labels([0, 1_250_000, 2_500_000, 3_750_000, 5_000_000], 'zh-CN')).toEqual(['¥0', '¥1.25万', '¥2.5万', '¥3.75万', '¥5万']);
    expect(labels([0, 125_000, 250_000, 375_000], 'en')).toEqual(['¥0', '¥1.25K', '¥2.5K', '¥3.75K']);
  });
});

describe('category labels', () => {
  it('break a bilingual name where its language changes, and shorten what does not fit', () => {
    expect(wrapLabel('市文化广电旅游局 Culture and Tourism Bureau', 30)).toEqual(['市文化广电旅游局', 'Culture and Tourism Bureau']);
    expect(wrapLabel('市气象局 Meteorological Bureau', 40)).toEqual(['市气象局 Meteorological Bureau']);
    expect(wrapLabel('市文化广电旅游局 Culture and Tourism Bureau', 18)).toEqual(['市文化广电旅游局', 'Culture and Touri…']);
    expect(wrapLabel('Scenic-spot visitors and weather by district and month', 24)).toEqual(['Scenic-spot visitors and', 'weather by district and…']);
    expect(wrapLabel('景区客流与天气按行政区与月份统计数据', 12)).toEqual(['景区客流与天', '气按行政区…']);
  });
});
