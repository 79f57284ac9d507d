import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { browserNavigation } from '../commerce/purchase';
import { member } from '../test/catalog-fixtures';
import { activeLicense, bodyOf, healthBureau, invoice, license, meteredOffer, offer, priceCap, queriesOf, SHA, template } from '../test/commerce-fixtures';
import { apiError, clearMockApi, json, mockApi } from '../test/mock-api';
import { product } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { FinanceInvoicesPage } from './finance-invoices-page';
import { LicenseApprovalsPage } from './license-approvals-page';
import { LicenseTemplatesPage } from './license-templates-page';
import { PayoutsPage } from './payouts-page';
import { PriceCapsPage } from './price-caps-page';
import { ProductWorkspacePage } from './product-workspace-page';
import { SalePage } from './sale-page';
import { SalesPage } from './sales-page';

const vendor = member('vendor_admin', ['products:manage', 'offers:manage', 'licenses:decide', 'payouts:manage', 'access_requests:read'], 'vendor');
const steward = member('steward', ['datasets:manage', 'products:manage', 'offers:manage', 'licenses:decide'], 'agency');
const finance = member('finance_analyst', ['invoices:read', 'invoices:settle'], 'finance');
const supervisor = member('supervisor', ['invoices:read', 'audit:read'], 'platform');
const operator = member('platform_admin', ['pricing:manage', 'invoices:read', 'license_templates:manage'], 'platform');

const published = product({ status: 'published', publishedAt: '2026-11-20T08:00:00.000Z' });
const draft = offer({ id: 'e1000000-0000-4000-8000-0000000000d1', status: 'draft', nameZh: '高价订阅', nameEn: 'Premium monthly', pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 300_000 }, publishedAt: null });
const soldMetered = { ...meteredOffer, licenseCount: 3 };

const workspace = (extra: Record<string, unknown> = {}) => ({
  'GET /api/v1/products/:id': published,
  'GET /api/v1/products/:id/offers': { items: [soldMetered, draft] },
  'GET /api/v1/license-templates': { items: [template(), meteredOffer.template] },
  'GET /api/v1/payments/config': { provider: 'offline', defaultCurrency: 'CNY', invoiceDueDays: 14 },
  ...extra,
});

const selectOption = async (container: HTMLElement, title: string) => {
  fireEvent.mouseDown(within(container).getByRole('combobox'));
  await settle();
  fireEvent.click(await screen.findByTitle(title));
  await settle();
};

describe('<ProductWorkspacePage> offers tab', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists the offers with what they sold, and drafts a subscription priced in yuan, sent in fen', async () => {
    const api = mockApi(workspace({ 'POST /api/v1/products/:id/offers': () => json(offer({ status: 'draft' }), 201) }));
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${published.id}?tab=offers`, me: vendor });

    await waitFor(() => expect(screen.getAllByTestId('offer-row')).toHaveLength(2));
    const [sold] = screen.getAllByTestId('offer-row');
    expect(within(sold as HTMLElement).getByTestId('offer-sold')).toHaveTextContent('3');
    expect(within(sold as HTMLElement).getByTestId('offer-status')).toHaveTextContent('On sale');

    fireEvent.click(screen.getByTestId('offer-create'));
    const form = await screen.findByTestId('offer-form');
    fireEvent.change(screen.getByTestId('offer-form-name-zh'), { target: { value: '企业月度订阅' } });
    fireEvent.change(screen.getByTestId('offer-form-name-en'), { target: { value: 'Business monthly' } });
    await selectOption(within(form).getByTestId('offer-form-template').closest('.ant-form-item') as HTMLElement, 'Commercial internal use · version 1');
    expect(await screen.findByTestId('offer-form-template-preview')).toHaveTextContent('Use inside your organization only.');
    fireEvent.change(screen.getByTestId('offer-form-amount'), { target: { value: '1200.5' } });
    fireEvent.change(screen.getByTestId('offer-form-trial'), { target: { value: '14' } });
    await settle();
    expect(screen.getByTestId('offer-form-preview')).toHaveTextContent('¥1,200.50 per month');
    fireEvent.click(screen.getByTestId('offer-form-submit'));

    await waitFor(async () =>
      expect(await bodyOf(api.requests, 'POST', `/api/v1/products/${published.id}/offers`)).toEqual({
        templateId: template().id,
        nameZh: '企业月度订阅',
        nameEn: 'Business monthly',
        requiresApproval: false,
        pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 120_050, trialDays: 14 },
      }),
    );
  });

  it('refuses an amount with more decimals than the currency has', async () => {
    const api = mockApi(workspace());
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${published.id}?tab=offers`, me: vendor });
    fireEvent.click(await screen.findByTestId('offer-create'));
    await screen.findByTestId('offer-form');
    fireEvent.change(screen.getByTestId('offer-form-amount'), { target: { value: '12.345' } });
    fireEvent.click(screen.getByTestId('offer-form-submit'));
    expect(await screen.findByText('Enter an amount of CNY with at most 2 decimals.')).toBeInTheDocument();
    // A negative amount is told as such, not as a matter of decimals.
    fireEvent.change(screen.getByTestId('offer-form-amount'), { target: { value: '-50' } });
    fireEvent.click(screen.getByTestId('offer-form-submit'));
    expect(await screen.findByText('The amount cannot be negative: enter 0 or more.')).toBeInTheDocument();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('brings a refused save into view above the form, with what to do about it', async () => {
    const scrolled: Element[] = [];
    const scrollIntoView = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    try {
      mockApi(
        workspace({
          'PATCH /api/v1/offers/:id': apiError(400, 'pricing.over_cap', 'The price is above what public-data pricing rules allow for this product.', [
            { code: 'pricing.over_cap', capIndex: 2, cap: { scope: { theme: 'transport' }, currency: 'CNY', maxMonthly: 200_000 }, limit: 'maxMonthly', path: 'amount', figure: 300_000, max: 200_000, currency: 'CNY' },
          ]),
        }),
      );
      await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${published.id}?tab=offers`, me: vendor });
      fireEvent.click(await screen.findByTestId(`offer-edit-${soldMetered.id}`));
      await screen.findByTestId('offer-form-tiers');
      fireEvent.change(screen.getByTestId('offer-form-tier-1-price'), { target: { value: '30' } });
      fireEvent.click(screen.getByTestId('offer-form-submit'));
      const violations = await screen.findByTestId('cap-violations');
      expect(violations).toHaveTextContent('Lower the price and try again.');
      await waitFor(() => expect(scrolled.some((element) => element.contains(violations))).toBe(true));
    } finally {
      Element.prototype.scrollIntoView = scrollIntoView;
    }
  });

  it('shows the price caps a publication is above, in words', async () => {
    mockApi(
      workspace({
        'POST /api/v1/offers/:id/publish': apiError(400, 'pricing.over_cap', 'The price is above what public-data pricing rules allow for this product.', [
          { code: 'pricing.over_cap', capIndex: 2, cap: { scope: { theme: 'transport' }, currency: 'CNY', maxMonthly: 200_000 }, limit: 'maxMonthly', path: 'amount', figure: 300_000, max: 200_000, currency: 'CNY' },
        ]),
      }),
    );
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${published.id}?tab=offers`, me: vendor });
    fireEvent.click(await screen.findByTestId(`offer-publish-${draft.id}`));
    const violations = await screen.findByTestId('cap-violations');
    expect(within(violations).getByTestId('cap-violation')).toHaveTextContent('Monthly charge ¥3,000.00 is above the cap of ¥2,000.00 a month (Transport and passenger flow).');
  });

  it('edits graduated tiers of a published offer and sends only what changed', async () => {
    const api = mockApi(workspace({ 'PATCH /api/v1/offers/:id': () => ({ ...soldMetered, revision: 2 }) }));
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${published.id}?tab=offers`, me: vendor });
    fireEvent.click(await screen.findByTestId(`offer-edit-${soldMetered.id}`));
    await screen.findByTestId('offer-form-tiers');
    expect(screen.getByTestId('offer-form-tier-0-up-to')).toHaveValue('1,000,000');
    expect(screen.getByTestId('offer-form-tier-0-price')).toHaveValue('0.50');
    expect(screen.getByTestId('offer-form-tier-1-price')).toHaveValue('0.30');
    fireEvent.change(screen.getByTestId('offer-form-tier-1-price'), { target: { value: '0.25' } });
    fireEvent.click(screen.getByTestId('offer-form-submit'));
    await waitFor(async () =>
      expect(await bodyOf(api.requests, 'PATCH', `/api/v1/offers/${soldMetered.id}`)).toEqual({
        pricePlan: {
          kind: 'metered',
          currency: 'CNY',
          interval: 'month',
          metered: { unit: 'row', mode: 'graduated', per: 1000, includedQuantity: 100_000, tiers: [{ upTo: 1_000_000, unitAmount: 50 }, { upTo: null, unitAmount: 25 }] },
        },
      }),
    );
  });
});

describe('<FinanceInvoicesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const overdue = invoice({ id: 'd1000000-0000-4000-8000-000000000002', number: 'INV-2026-000100', overdue: true, dueAt: '2026-11-01T00:00:00.000Z' as unknown as null });
  const paid = invoice({ id: 'd1000000-0000-4000-8000-000000000003', number: 'INV-2026-000090', status: 'paid', amountPaid: 120_000, paymentInstructions: null });

  it('highlights overdue invoices, filters, and records a bank transfer for the amount due', async () => {
    const attempts: Array<{ reference: string; amount: number; receivedAt: string }> = [];
    const api = mockApi({
      'GET /api/v1/finance/invoices': { items: [invoice(), overdue, paid] },
      'POST /api/v1/finance/invoices/:id/mark-paid': async (request: Request) => {
        const body = (await request.json()) as { reference: string; amount: number; receivedAt: string };
        attempts.push(body);
        return body.amount === 120_000 ? { ...invoice(), status: 'paid', amountPaid: 120_000 } : apiError(400, 'billing.amount_mismatch', 'mismatch', [{ due: 120_000, received: body.amount }]);
      },
    });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: finance });
    await waitFor(() => expect(screen.getAllByTestId('finance-invoice-row')).toHaveLength(3));
    const rows = screen.getAllByTestId('finance-invoice-row');
    expect(rows[1]).toHaveClass('invoice-row-overdue');
    expect(within(rows[1] as HTMLElement).getByTestId('invoice-overdue')).toHaveTextContent('Overdue');
    expect(within(rows[2] as HTMLElement).queryByTestId('invoice-mark-paid-INV-2026-000090')).not.toBeInTheDocument();

    fireEvent.mouseDown(within(screen.getByTestId('finance-filter-status').closest('.ant-select') ?? screen.getByTestId('finance-filter-status')).getByRole('combobox'));
    await settle();
    fireEvent.click(await screen.findByTitle('Open'));
    await waitFor(() => expect(queriesOf(api.requests, '/api/v1/finance/invoices')).toContain('?status=open'));

    // The filtered list replaces the first once it arrives.
    fireEvent.click(await screen.findByTestId('invoice-mark-paid-INV-2026-000123'));
    await screen.findByTestId('mark-paid-reference');
    expect(screen.getByTestId('mark-paid-amount')).toHaveValue('1200.00');
    fireEvent.change(screen.getByTestId('mark-paid-reference'), { target: { value: 'BANK-7781' } });
    fireEvent.change(screen.getByTestId('mark-paid-amount'), { target: { value: '1000' } });
    fireEvent.click(screen.getByTestId('mark-paid-submit'));
    expect(await screen.findByTestId('mark-paid-error')).toHaveTextContent('The amount received (¥1,000.00) must equal the amount due (¥1,200.00).');
    fireEvent.change(screen.getByTestId('mark-paid-amount'), { target: { value: '1,200' } });
    fireEvent.click(screen.getByTestId('mark-paid-submit'));
    await waitFor(() => expect(attempts).toHaveLength(2));
    expect(attempts.map(({ reference, amount }) => ({ reference, amount }))).toEqual([
      { reference: 'BANK-7781', amount: 100_000 },
      { reference: 'BANK-7781', amount: 120_000 },
    ]);
    // Today: the moment of recording, never a time later in the day.
    expect(Date.parse(attempts[1]?.receivedAt ?? '')).toBeLessThanOrEqual(Date.now());
    await waitFor(() => expect(screen.queryByTestId('mark-paid-reference')).not.toBeInTheDocument());
  });

  it('shows supervisors every invoice without settling', async () => {
    mockApi({ 'GET /api/v1/finance/invoices': { items: [invoice()] } });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: supervisor });
    await screen.findAllByTestId('finance-invoice-row');
    expect(screen.queryByTestId('invoice-mark-paid-INV-2026-000123')).not.toBeInTheDocument();
  });
});

describe('<LicenseApprovalsPage> and <SalesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const waiting = license({
    id: 'c1000000-0000-4000-8000-0000000000b1',
    state: 'pending_approval',
    purpose: 'research' as unknown as null,
    intendedUse: 'District capacity study.',
    approvals: [
      { approverKind: 'vendor', organization: { ...steward.organization }, decision: null, reason: '', decidedAt: null },
      { approverKind: 'agency', organization: healthBureau, decision: 'approve', reason: '', decidedAt: '2026-11-21T00:00:00.000Z' as unknown as null },
    ],
  });

  it('shows the purpose and the other decisions, approves, and rejects only with a reason', async () => {
    const api = mockApi({
      'GET /api/v1/license-approvals': { items: [waiting] },
      'POST /api/v1/license-approvals/:id/decision': { ...waiting, state: 'pending_payment' },
    });
    await renderPage(<LicenseApprovalsPage />, { path: '/console/license-approvals', route: '/console/license-approvals', me: steward });
    const row = await screen.findByTestId('approval-row');
    expect(within(row).getByTestId('approval-purpose')).toHaveTextContent('Research');
    expect(row).toHaveTextContent('District capacity study.');
    expect(row).toHaveTextContent('Health Commission');

    fireEvent.click(screen.getByTestId(`license-reject-${waiting.id}`));
    await settle();
    fireEvent.click(screen.getByTestId('license-reject-submit'));
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('license-reject-reason'), { target: { value: 'Purpose not covered' } });
    fireEvent.click(screen.getByTestId('license-reject-submit'));
    await waitFor(async () => expect(await bodyOf(api.requests, 'POST', `/api/v1/license-approvals/${waiting.id}/decision`)).toEqual({ decision: 'reject', reason: 'Purpose not covered' }));

    fireEvent.click(screen.getByText('All'));
    await waitFor(() => expect(queriesOf(api.requests, '/api/v1/license-approvals')).toContain('?all=true'));
  });

  it('revokes a licence sold, with the reason the buyer is told', async () => {
    const sold = license({ id: 'c1000000-0000-4000-8000-0000000000c1', state: 'active' });
    const api = mockApi({ 'GET /api/v1/sales/licenses': { items: [sold] }, 'POST /api/v1/sales/licenses/:id/revoke': { ...sold, state: 'revoked' } });
    await renderPage(<SalesPage />, { path: '/console/sales', route: '/console/sales', me: vendor });
    fireEvent.click(await screen.findByTestId(`sale-revoke-${sold.id}`));
    await settle();
    fireEvent.change(screen.getByTestId('license-revoke-reason'), { target: { value: 'Data resold to a third party' } });
    fireEvent.click(screen.getByTestId('license-revoke-submit'));
    await waitFor(async () => expect(await bodyOf(api.requests, 'POST', `/api/v1/sales/licenses/${sold.id}/revoke`)).toEqual({ reason: 'Data resold to a third party' }));
  });

  it("shows the seller one licence sold: buyer, accepted terms, history in words, invoices; and revokes it", async () => {
    const base = activeLicense({ id: 'c1000000-0000-4000-8000-0000000000c2', provider: 'stripe' });
    const sold = { ...base, events: [...base.events, { event: 'stripe.subscription.past_due', fromState: 'active' as const, toState: 'past_due' as const, source: 'provider' as const, actorEmail: null, details: {}, occurredAt: '2026-12-21T00:00:00.000Z' }] };
    const api = mockApi({ 'GET /api/v1/sales/licenses/:id': sold, 'POST /api/v1/sales/licenses/:id/revoke': { ...sold, state: 'revoked' } });
    await renderPage(<SalePage />, { path: '/console/sales/:licenseId', route: `/console/sales/${sold.id}`, me: vendor });
    expect(await screen.findByTestId('sale-buyer')).toHaveTextContent('Harbor Logistics');
    expect(within(screen.getByTestId('sale-terms')).getByTestId('terms-sha256')).toHaveTextContent(SHA);
    expect(screen.getByTestId('sale-history')).toHaveTextContent('Payment overdue (Stripe)');
    expect(screen.getByTestId('sale-invoices')).toHaveTextContent('INV-2026-000123');
    fireEvent.click(screen.getByTestId('sale-revoke'));
    await settle();
    fireEvent.change(screen.getByTestId('license-revoke-reason'), { target: { value: 'Raw data passed on' } });
    fireEvent.click(screen.getByTestId('license-revoke-submit'));
    await waitFor(async () => expect(await bodyOf(api.requests, 'POST', `/api/v1/sales/licenses/${sold.id}/revoke`)).toEqual({ reason: 'Raw data passed on' }));
  });
});

describe('<LicenseTemplatesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists the standard templates and saves a new version, listing each problem the API finds in the policy', async () => {
    const problems = [
      { path: '@type', code: 'invalid_type', message: '@type is "Offer" or "Agreement"' },
      { path: 'permission[0].action', code: 'unknown_action', message: 'Unknown action "fly"' },
    ];
    const api = mockApi({
      'GET /api/v1/license-templates': { items: [template(), template({ id: 'f0000000-0000-4000-8000-000000000002', key: 'seller-own', standard: false })] },
      'POST /api/v1/license-templates/standard': apiError(400, 'licensing.invalid_policy', 'Invalid ODRL policy', { problems }),
    });
    await renderPage(<LicenseTemplatesPage />, { path: '/console/license-templates', route: '/console/license-templates', me: operator });
    await waitFor(() => expect(screen.getAllByTestId('template-card')).toHaveLength(1));
    expect(screen.getByTestId('template-card')).toHaveTextContent('Use within your organization');

    fireEvent.click(screen.getByTestId('template-new-version-commercial-internal'));
    await settle();
    expect(screen.getByTestId('template-form')).toHaveTextContent('Will be saved as version 2 of commercial-internal.');
    fireEvent.change(screen.getByTestId('template-form-policy'), { target: { value: '{"@type": "Set",' } });
    fireEvent.click(screen.getByTestId('template-submit'));
    expect(await screen.findByText(/^Not valid JSON/)).toBeInTheDocument();

    fireEvent.change(screen.getByTestId('template-form-policy'), { target: { value: '{"@type": "Set", "permission": [{"action": "fly"}]}' } });
    fireEvent.click(screen.getByTestId('template-submit'));
    await waitFor(() => expect(screen.getAllByTestId('template-problem')).toHaveLength(2));
    expect(screen.getByTestId('template-problems')).toHaveTextContent('The policy has 2 problems');
    expect(screen.getAllByTestId('template-problem')[1]).toHaveTextContent('permission[0].action Unknown action — Unknown action "fly"');
    expect(await bodyOf(api.requests, 'POST', '/api/v1/license-templates/standard')).toMatchObject({ key: 'commercial-internal', titleEn: 'Commercial internal use', policy: { '@type': 'Set' } });
  });
});

describe('<PriceCapsPage> and <PayoutsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists the caps in words and adds one with its limits in minor units', async () => {
    const api = mockApi({ 'GET /api/v1/price-caps': { items: [priceCap()] }, 'POST /api/v1/price-caps': () => json(priceCap({ id: 'a9000000-0000-4000-8000-000000000002' }), 201) });
    await renderPage(<PriceCapsPage />, { path: '/console/price-caps', route: '/console/price-caps', me: operator });
    const row = await screen.findByTestId('cap-row');
    expect(row).toHaveTextContent('¥2,000.00');
    expect(row).toHaveTextContent('¥1.00 per 1,000 rows');

    fireEvent.click(screen.getByTestId('cap-create'));
    await screen.findByTestId('cap-form');
    fireEvent.click(screen.getByTestId('cap-submit'));
    expect(await screen.findByText('Set at least one limit.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('cap-max-one-time'), { target: { value: '50000' } });
    fireEvent.change(screen.getByTestId('cap-max-monthly'), { target: { value: '5000.5' } });
    fireEvent.change(screen.getByTestId('cap-note'), { target: { value: 'Restricted data' } });
    fireEvent.click(screen.getByTestId('cap-submit'));
    await waitFor(async () =>
      expect(await bodyOf(api.requests, 'POST', '/api/v1/price-caps')).toEqual({ currency: 'CNY', maxOneTime: 5_000_000, maxMonthly: 500_050, note: 'Restricted data', active: true }),
    );
  });

  it('explains bank-transfer payouts offline, and sends a vendor to Stripe onboarding', async () => {
    mockApi({ 'GET /api/v1/payments/config': { provider: 'offline', defaultCurrency: 'CNY', invoiceDueDays: 14 } });
    await renderPage(<PayoutsPage />, { path: '/console/payouts', route: '/console/payouts', me: vendor });
    expect(await screen.findByTestId('payouts-offline')).toHaveTextContent('Payouts are made by bank transfer');
    resetPage();

    const visited: string[] = [];
    const original = browserNavigation.assign;
    browserNavigation.assign = (url) => void visited.push(url);
    mockApi({
      'GET /api/v1/payments/config': { provider: 'stripe', defaultCurrency: 'CNY', invoiceDueDays: 14 },
      'GET /api/v1/payouts/stripe/account': { configured: true, accountId: 'acct_123', chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false },
      'POST /api/v1/payouts/stripe/account-link': { url: 'https://connect.stripe.test/onboarding/acct_123' },
    });
    await renderPage(<PayoutsPage />, { path: '/console/payouts', route: '/console/payouts?onboarding=done', me: vendor });
    expect(await screen.findByTestId('payouts-stripe')).toHaveAttribute('data-ready', 'false');
    expect(screen.getByTestId('payouts-returned')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('payouts-onboard'));
    await waitFor(() => expect(visited).toEqual(['https://connect.stripe.test/onboarding/acct_123']));
    browserNavigation.assign = original;
  });
});
