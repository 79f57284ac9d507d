import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import {
  activeLicense,
  bodyOf,
  estimate,
  healthBureau,
  invoice,
  license,
  meteredOffer,
  offer,
  OTHER_SHA,
  queriesOf,
  SHA,
  subscriptionPlan,
  terms,
} from '../test/commerce-fixtures';
import { apiError, clearMockApi, json, mockApi } from '../test/mock-api';
import { publicProduct } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { CheckoutPage } from './checkout-page';
import { LicensePage } from './license-page';
import { LicensesPage } from './licenses-page';
import { StorefrontProductPage } from './storefront-product-page';

const buyerAdmin = member('buyer_admin', ['licenses:read', 'licenses:buy', 'access_requests:read', 'access_requests:file']);
const buyerMember = member('buyer_member', ['licenses:read', 'access_requests:read']);
const slug = 'road-congestion';

const storefront = (extra: Record<string, unknown> = {}) => ({
  'GET /api/v1/catalog/products/:ref': publicProduct({ slug }),
  'GET /api/v1/catalog/products/:ref/offers': { items: [offer(), meteredOffer] },
  'GET /api/v1/catalog/products/:ref/price-estimate': (request: Request) => {
    const months = Number(new URL(request.url).searchParams.get('months'));
    return {
      months,
      quantityPerMonth: Number(new URL(request.url).searchParams.get('quantityPerMonth')),
      items: [
        estimate({ offerId: meteredOffer.id, nameEn: 'Pay as you go', nameZh: '按量计费', total: 0, perPeriod: 0, interval: 'month', periods: months, trialDays: 0, lines: [], unit: 'row' }),
        estimate({ total: 120_000 * months, periods: months }),
      ],
    };
  },
  'GET /api/v1/offers/:id/terms': terms(),
  'GET /api/v1/licenses': { items: [] },
  ...extra,
});

describe('<StorefrontProductPage> offers', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists the offers with their price, licence and approval, shows the exact terms, and compares costs for an expected use', async () => {
    const api = mockApi(storefront());
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}` });

    const cards = await screen.findAllByTestId('offer-card');
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent('Business monthly');
    expect(cards[0]).toHaveTextContent('¥1,200.00 a month, first 14 days free');
    expect(cards[0]).toHaveTextContent('Commercial internal use');
    expect(within(cards[0] as HTMLElement).getByTestId('approval-needed')).toHaveTextContent('No approval needed');
    expect(within(cards[1] as HTMLElement).getByTestId('plan-tiers')).toHaveTextContent('up to 1,000,000: ¥0.50 per 1,000 rows');
    expect(screen.getByTestId('offers-summary')).toHaveTextContent('2 offers on sale');

    fireEvent.click(within(cards[0] as HTMLElement).getByTestId('offer-read-terms'));
    const drawer = await screen.findByTestId('offer-terms');
    expect(within(drawer).getByTestId('terms-sha256')).toHaveTextContent(SHA);
    expect(within(drawer).getByTestId('licence-text')).toHaveTextContent('Use within your organization');
    fireEvent.click(within(drawer).getByText('中文'));
    await settle();
    expect(within(drawer).getByTestId('licence-text')).toHaveTextContent('在本组织内部使用');

    // The calculator asks the API for the default use, then again when the months change.
    await waitFor(() => expect(screen.getAllByTestId('estimate-row')).toHaveLength(2));
    expect(queriesOf(api.requests, `/api/v1/catalog/products/${slug}/price-estimate`)[0]).toBe('?months=12&quantityPerMonth=100000');
    const rows = screen.getAllByTestId('estimate-row');
    expect(rows[0]).toHaveTextContent('Cheapest');
    expect(rows[1]).toHaveTextContent('¥14,400.00');
    expect(rows[1]).toHaveTextContent('Subscription fee');
    fireEvent.change(screen.getByTestId('calculator-months'), { target: { value: '24' } });
    await waitFor(() => expect(queriesOf(api.requests, `/api/v1/catalog/products/${slug}/price-estimate`)).toContain('?months=24&quantityPerMonth=100000'));
    await waitFor(() => expect(screen.getAllByTestId('estimate-row')[1]).toHaveTextContent('¥28,800.00'));
  });

  it('links to the licence the organization holds (or is buying) instead of offering to buy it again', async () => {
    const held = activeLicense();
    const api = mockApi(storefront({ 'GET /api/v1/licenses': { items: [held, license({ id: 'c1000000-0000-4000-8000-0000000000ff', offerId: meteredOffer.id, state: 'pending_payment' })] } }));
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}`, me: buyerAdmin });
    const cards = await screen.findAllByTestId('offer-card');
    const first = await within(cards[0] as HTMLElement).findByTestId('offer-held');
    expect(first).toHaveTextContent('You hold this licence');
    expect(first).toHaveAttribute('data-status', 'held');
    expect(first).toHaveAttribute('href', `/console/licenses/${held.id}`);
    expect(within(cards[0] as HTMLElement).queryByTestId('offer-buy')).toBeNull();
    const second = within(cards[1] as HTMLElement).getByTestId('offer-held');
    expect(second).toHaveTextContent('Your purchase is under way');
    expect(second).toHaveAttribute('href', '/console/licenses/c1000000-0000-4000-8000-0000000000ff');
    expect(queriesOf(api.requests, '/api/v1/licenses')[0]).toBe(`?productId=${offer().product.id}`);
  });

  it('offers Buy again once the licence has ended', async () => {
    mockApi(storefront({ 'GET /api/v1/licenses': { items: [activeLicense({ state: 'expired' })] } }));
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}`, me: buyerAdmin });
    await waitFor(() => expect(screen.getAllByTestId('offer-buy')).toHaveLength(2));
    expect(screen.queryByTestId('offer-held')).toBeNull();
  });

  it('says once that the product has no offers on sale yet', async () => {
    mockApi(storefront({ 'GET /api/v1/catalog/products/:ref/offers': { items: [] } }));
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}` });
    expect(await screen.findByTestId('offers-empty')).toHaveTextContent('This product has no offers on sale yet.');
    expect(screen.getAllByText('This product has no offers on sale yet.')).toHaveLength(1);
    expect(screen.queryByTestId('offers-summary')).toBeNull();
  });

  it('sends anonymous visitors to sign in, and tells members who cannot buy who can', async () => {
    mockApi(storefront());
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}` });
    const [first] = await screen.findAllByTestId('offer-buy');
    expect(first).toHaveTextContent('Sign in to buy');
    fireEvent.click(first as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent('/login'));
    resetPage();

    mockApi(storefront());
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: `/products/${slug}`, me: buyerMember });
    const [disabled] = await screen.findAllByTestId('offer-buy');
    expect(disabled).toBeDisabled();
  });
});

describe('<CheckoutPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const route = `/licenses/new?product=${slug}&offer=${offer().id}`;

  it('accepts the exact terms for the organization and shows the invoice to pay by bank transfer', async () => {
    const accepted = license();
    const api = mockApi({
      ...storefront(),
      'POST /api/v1/licenses': () => json(accepted, 201),
      'POST /api/v1/licenses/:id/checkout': { provider: 'offline', url: null, invoice: invoice(), license: { ...accepted, provider: 'offline', invoices: [invoice()] } },
    });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });

    const termsStep = await screen.findByTestId('checkout-terms');
    expect(within(termsStep).getByTestId('terms-sha256')).toHaveTextContent(SHA);
    expect(within(termsStep).getByTestId('checkout-price')).toHaveTextContent('¥1,200.00 a month');
    // No approval and no purpose in the terms: straight to accepting.
    fireEvent.click(screen.getByTestId('checkout-next'));
    await settle();
    const submit = screen.getByTestId('checkout-submit');
    expect(submit).toBeDisabled();
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(submit);

    await waitFor(async () => expect(await bodyOf(api.requests, 'POST', '/api/v1/licenses')).toEqual({ offerId: offer().id, termsSha256: SHA, acceptTerms: true }));
    const outcome = await screen.findByTestId('checkout-outcome');
    expect(outcome).toHaveAttribute('data-state', 'pending_payment');
    fireEvent.click(screen.getByTestId('checkout-pay'));
    const transfer = await screen.findByTestId('bank-transfer');
    expect(within(transfer).getByTestId('bank-transfer-reference')).toHaveTextContent('INV-2026-000123');
    expect(within(transfer).getByTestId('bank-transfer-amount')).toHaveTextContent('¥1,200.00');
    expect(within(transfer).getByTestId('bank-transfer-payee')).toHaveTextContent('Civic Data Operations Centre');
    expect(within(transfer).getByTestId('bank-transfer-bank')).toHaveTextContent('Demo Bank, City Branch');
    expect(within(transfer).getByTestId('bank-transfer-account')).toHaveTextContent('6212 2600 0000 0000 001');
    expect(within(transfer).queryByTestId('bank-transfer-no-account')).toBeNull();
    expect(transfer).toHaveTextContent('Dec 4, 2026');
  });

  it('starts the free trial of a plan that has one: in force at once, nothing to pay until the trial ends', async () => {
    const accepted = license();
    const trialEndsAt = '2099-12-04T08:00:00.000Z';
    const started = { ...accepted, state: 'active' as const, provider: 'offline', activatedAt: '2099-11-20T08:00:00.000Z', currentPeriodStart: '2099-11-20T08:00:00.000Z', currentPeriodEnd: trialEndsAt, trialEndsAt };
    mockApi({
      ...storefront(),
      'POST /api/v1/licenses': () => json(accepted, 201),
      'POST /api/v1/licenses/:id/checkout': { provider: 'offline', url: null, invoice: null, license: started },
    });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });
    fireEvent.click(await screen.findByTestId('checkout-next'));
    await settle();
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));

    const outcome = await screen.findByTestId('checkout-outcome');
    expect(outcome).toHaveTextContent('This plan starts with a 14-day free trial');
    // Waiting for the buyer to start the trial, not for a payment.
    expect(screen.getByTestId('checkout-trial-not-started')).toHaveTextContent('Trial not started');
    expect(within(outcome).queryByTestId('license-state')).toBeNull();
    expect(screen.getByTestId('checkout-pay')).toHaveTextContent('Start the free trial');
    fireEvent.click(screen.getByTestId('checkout-pay'));
    await waitFor(() => expect(screen.getByTestId('checkout-outcome')).toHaveAttribute('data-state', 'active'));
    expect(screen.getByTestId('checkout-outcome')).toHaveTextContent('Your free trial has started');
    expect(screen.getByTestId('license-trial')).toHaveTextContent('Free until Dec 4, 2099');
    expect(screen.getByTestId('license-trial')).toHaveTextContent('The first charge, ¥1,200.00, falls due on Dec 4, 2099');
    expect(screen.queryByTestId('bank-transfer')).not.toBeInTheDocument();
  });

  it('asks for a purpose when the purchase needs approval, and shows who must approve', async () => {
    const approvalOffer = offer({ requiresApproval: true, approvalNeeded: true });
    const pending = license({
      state: 'pending_approval',
      purpose: 'research' as unknown as null,
      approvals: [
        { approverKind: 'vendor', organization: approvalOffer.seller, decision: null, reason: '', decidedAt: null },
        { approverKind: 'agency', organization: healthBureau, decision: null, reason: '', decidedAt: null },
      ],
    });
    const api = mockApi({
      ...storefront({ 'GET /api/v1/catalog/products/:ref/offers': { items: [approvalOffer] }, 'GET /api/v1/offers/:id/terms': terms({ approvalNeeded: true }) }),
      'POST /api/v1/licenses': () => json(pending, 201),
    });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });

    fireEvent.click(await screen.findByTestId('checkout-next'));
    await settle();
    expect(screen.getByTestId('checkout-purpose')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('checkout-purpose-next'));
    expect(await screen.findByText('State the purpose of use: this offer requires one.')).toBeInTheDocument();
    fireEvent.mouseDown(within(screen.getByTestId('checkout-purpose')).getByRole('combobox'));
    await settle();
    fireEvent.click(await screen.findByTitle('Research'));
    // The purpose in words is asked only for "Other".
    expect(screen.queryByTestId('checkout-purpose-detail')).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId('checkout-intended-use'), { target: { value: 'District capacity study, published in aggregate.' } });
    fireEvent.click(screen.getByTestId('checkout-purpose-next'));
    await screen.findByTestId('checkout-accept');
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));

    await waitFor(async () =>
      expect(await bodyOf(api.requests, 'POST', '/api/v1/licenses')).toEqual({
        offerId: approvalOffer.id,
        termsSha256: SHA,
        acceptTerms: true,
        purpose: 'research',
        intendedUse: 'District capacity study, published in aggregate.',
      }),
    );
    const outcome = await screen.findByTestId('checkout-outcome');
    expect(outcome).toHaveAttribute('data-state', 'pending_approval');
    expect(screen.getByTestId('checkout-approvers')).toHaveTextContent('CityFlow Analytics');
    expect(screen.getByTestId('checkout-approvers')).toHaveTextContent('Health Commission');
    expect(screen.getByTestId('checkout-approvers')).toHaveTextContent('Supervising agency');
  });

  it('reloads changed terms before accepting, and links to a licence already held', async () => {
    let termsRead = 0;
    const sent: string[] = [];
    mockApi({
      ...storefront({
        'GET /api/v1/offers/:id/terms': () => {
          termsRead += 1;
          return terms({ termsSha256: termsRead === 1 ? SHA : OTHER_SHA });
        },
      }),
      'POST /api/v1/licenses': async (request: Request) => {
        const body = (await request.json()) as { termsSha256: string };
        sent.push(body.termsSha256);
        return body.termsSha256 === SHA
          ? apiError(409, 'licensing.terms_changed', 'The terms changed since you read them.', [{ termsSha256: OTHER_SHA }])
          : apiError(409, 'licensing.already_licensed', 'Your organization already holds a licence under this offer.', [{ licenseId: license().id }]);
      },
    });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });
    fireEvent.click(await screen.findByTestId('checkout-next'));
    await settle();
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));

    expect(await screen.findByTestId('checkout-terms-changed')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('checkout-terms')).toHaveTextContent(OTHER_SHA));
    fireEvent.click(screen.getByTestId('checkout-next'));
    await settle();
    // Acceptance was reset: the new terms must be accepted again.
    expect(screen.getByTestId('checkout-submit')).toBeDisabled();
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));
    const existing = await screen.findByTestId('checkout-existing');
    expect(existing).toHaveAttribute('data-code', 'licensing.already_licensed');
    expect(screen.getByTestId('checkout-existing-link')).toHaveAttribute('href', `/console/licenses/${license().id}`);
    expect(sent).toEqual([SHA, OTHER_SHA]);
  });

  it('chooses the purpose already when the licence allows one only', async () => {
    const researchOnly = terms({ terms: { schema: 'civic.licence-terms/1', policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['research'] }] }] }, plan: subscriptionPlan } });
    const api = mockApi({ ...storefront({ 'GET /api/v1/offers/:id/terms': researchOnly }), 'POST /api/v1/licenses': () => json(license(), 201) });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });
    fireEvent.click(await screen.findByTestId('checkout-next'));
    await settle();
    expect(within(screen.getByTestId('checkout-purpose')).getByTitle('Research')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('checkout-purpose-next'));
    fireEvent.click(await screen.findByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));
    await waitFor(async () => expect(await bodyOf(api.requests, 'POST', '/api/v1/licenses')).toMatchObject({ purpose: 'research' }));
  });

  it('shows the purpose step with the API’s message when the terms turn out to be purpose-bound', async () => {
    mockApi({
      ...storefront(),
      'POST /api/v1/licenses': () => apiError(400, 'request.invalid', 'This licence is granted for a stated purpose: state yours.', [{ field: 'purpose', messages: ['required for this offer'] }]),
    });
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });
    fireEvent.click(await screen.findByTestId('checkout-next'));
    await settle();
    fireEvent.click(screen.getByTestId('checkout-accept-box'));
    fireEvent.click(screen.getByTestId('checkout-submit'));
    expect(await screen.findByTestId('checkout-purpose')).toBeInTheDocument();
    expect(await screen.findByText('State the purpose of use: this offer requires one.')).toBeInTheDocument();
  });

  it('links to the licence already held at the start, before any terms are accepted', async () => {
    const api = mockApi(storefront({ 'GET /api/v1/licenses': { items: [activeLicense()] } }));
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerAdmin });
    const held = await screen.findByTestId('checkout-held');
    expect(held).toHaveTextContent('You hold this licence');
    expect(held).toHaveTextContent('Your organization already holds a licence under this offer.');
    expect(screen.getByTestId('checkout-held-link')).toHaveAttribute('href', `/console/licenses/${activeLicense().id}`);
    expect(screen.queryByTestId('checkout-next')).toBeNull();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('tells members who cannot buy that an administrator buys', async () => {
    mockApi(storefront());
    await renderPage(<CheckoutPage />, { path: '/licenses/new', route, me: buyerMember });
    expect(await screen.findByTestId('checkout-forbidden')).toBeInTheDocument();
  });
});

describe('<LicensesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists the organization’s licences with their state and filters them', async () => {
    const waiting = license({ pricePlan: { kind: 'one_time', currency: 'CNY', amount: 120_000 } });
    const active = activeLicense({ id: 'c1000000-0000-4000-8000-000000000002' });
    // Accepted with a free trial not started yet: it waits for the buyer, not for a payment.
    const trial = license({ id: 'c1000000-0000-4000-8000-000000000003' });
    mockApi({ 'GET /api/v1/licenses': { items: [waiting, active, trial] } });
    await renderPage(<LicensesPage />, { path: '/console/licenses', route: '/console/licenses', me: buyerAdmin });
    await waitFor(() => expect(screen.getAllByTestId('license-row')).toHaveLength(3));
    expect(screen.getAllByTestId('license-state').map((tag) => tag.textContent)).toEqual(['Awaiting payment', 'Active', 'Trial not started']);
    expect(screen.getByTestId(`license-open-${waiting.id}`)).toHaveTextContent('Open to pay');
    expect(screen.getByTestId(`license-open-${trial.id}`)).toHaveTextContent('Open to start the trial');
    // A phone (jsdom has no wide screen): the filter is a select.
    fireEvent.mouseDown(within(screen.getByTestId('licenses-filter')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('In force (1)'));
    await settle();
    expect(screen.getAllByTestId('license-row')).toHaveLength(1);
    expect(screen.getByTestId('licenses-table')).toHaveTextContent('Nov 21, 2026 – Dec 21, 2026');
  });

  it('shows a term-limited licence until the end of its term', async () => {
    const research = activeLicense({
      id: 'c1000000-0000-4000-8000-000000000003',
      currentPeriodStart: null,
      currentPeriodEnd: null,
      activatedAt: '2026-05-01T00:00:00.000Z' as unknown as null,
      terms: { policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P1Y' } }] }] } },
    });
    mockApi({ 'GET /api/v1/licenses': { items: [research] } });
    await renderPage(<LicensesPage />, { path: '/console/licenses', route: '/console/licenses', me: buyerAdmin });
    await waitFor(() => expect(screen.getByTestId('license-period')).toHaveTextContent('May 1, 2026 – May 1, 2027'));
  });
});

describe('<LicensePage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows the state, the accepted terms, the history and the invoice to pay, and cancels the purchase', async () => {
    const open = license({ provider: 'offline', invoices: [invoice()] });
    let current = open;
    const api = mockApi({
      'GET /api/v1/licenses/:id': () => current,
      'GET /api/v1/entitlements': { allowed: false, reason: 'licensing.not_active', licenseId: open.id, quota: null },
      'POST /api/v1/licenses/:id/cancel': () => {
        current = { ...open, state: 'cancelled', endReason: 'cancelled by buyer' as unknown as null, endedAt: '2026-11-22T00:00:00.000Z' as unknown as null, invoices: [invoice({ status: 'void', paymentInstructions: null })] };
        return current;
      },
    });
    await renderPage(<LicensePage />, { path: '/console/licenses/:id', route: `/console/licenses/${open.id}`, me: buyerAdmin });

    expect(await screen.findByTestId('bank-transfer')).toHaveTextContent('INV-2026-000123');
    const accepted = screen.getByTestId('license-terms');
    expect(accepted).toHaveTextContent('buyer_admin@example.test');
    expect(accepted).toHaveTextContent('203.0.113.7');
    expect(within(accepted).getByTestId('terms-sha256')).toHaveTextContent(SHA);
    expect(screen.getByTestId('license-timeline')).toHaveTextContent('Terms accepted');
    expect(screen.getByTestId('license-invoices')).toHaveTextContent('Open');
    expect(await screen.findByTestId('entitlements-nothing')).toHaveTextContent('Nothing is allowed now: The licence is not in force');

    fireEvent.click(screen.getByTestId('license-cancel'));
    await settle();
    const confirm = document.querySelector('.ant-popconfirm') as HTMLElement;
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel purchase' }));
    await waitFor(() => expect(api.requests.some((request) => request.method === 'POST' && request.url.endsWith(`/licenses/${open.id}/cancel`))).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('license-state')[0]).toHaveTextContent('Cancelled'));
    expect(screen.getByTestId('license-end-reason')).toHaveTextContent('cancelled by buyer');
  });

  it('follows the licence after Stripe sends the buyer back, until it is in force', async () => {
    // The webhook arrives while the page waits.
    let paid = false;
    mockApi({ 'GET /api/v1/licenses/:id': () => (paid ? activeLicense({ provider: 'stripe' }) : license({ provider: 'stripe' })) });
    await renderPage(<LicensePage />, { path: '/console/licenses/:id', route: `/console/licenses/${license().id}?checkout=success`, me: buyerAdmin });
    expect(await screen.findByTestId('checkout-return')).toHaveAttribute('data-value', 'processing');
    paid = true;
    await waitFor(() => expect(screen.getByTestId('checkout-return')).toHaveAttribute('data-value', 'active'), { timeout: 5000 });
    expect(screen.getByTestId('checkout-return')).toHaveTextContent('Payment confirmed: the licence is in force.');
  });

  it('ends a subscription at the end of its period and keeps it again; says what it allows and what Stripe reported', async () => {
    const base = activeLicense();
    const trial = { event: 'stripe.subscription.trialing', fromState: 'active' as const, toState: 'active' as const, source: 'provider' as const, actorEmail: null, details: {}, occurredAt: '2026-11-21T00:01:00.000Z' };
    const running = { ...base, events: [...base.events, trial] };
    let current = running;
    const api = mockApi({
      'GET /api/v1/licenses/:id': () => current,
      'GET /api/v1/entitlements': (request: Request) =>
        new URL(request.url).searchParams.get('action') === 'distribute'
          ? { allowed: false, reason: 'licensing.prohibited', licenseId: running.id, quota: null }
          : { allowed: true, reason: null, licenseId: running.id, quota: null },
      'POST /api/v1/licenses/:id/cancel': () => (current = { ...running, cancelAtPeriodEnd: true }),
      'POST /api/v1/licenses/:id/resume': () => (current = { ...running, cancelAtPeriodEnd: false }),
    });
    await renderPage(<LicensePage />, { path: '/console/licenses/:id', route: `/console/licenses/${running.id}`, me: buyerAdmin });
    expect(await screen.findByText('Free trial running (Stripe)')).toBeInTheDocument();
    expect(screen.getByTestId('license-timeline')).not.toHaveTextContent('stripe.');
    await waitFor(() => expect(screen.getAllByTestId('entitlement')).toHaveLength(4));
    const distribute = screen.getAllByTestId('entitlement').find((line) => line.getAttribute('data-action') === 'distribute') as HTMLElement;
    expect(distribute).toHaveAttribute('data-verdict', 'refused');
    expect(distribute).toHaveTextContent('The licence prohibits this');
    expect(queriesOf(api.requests, '/api/v1/entitlements').every((query) => query.includes(`licenseId=${running.id}`))).toBe(true);
    expect(screen.getByTestId('entitlement-ending')).toHaveAttribute('data-kind', 'renews');
    expect(screen.getByTestId('entitlement-ending')).toHaveTextContent('On Dec 21, 2026, at the end of the current period');
    expect(screen.getByTestId('license-overview')).toHaveTextContent('Current period');

    fireEvent.click(screen.getByTestId('license-cancel'));
    await settle();
    const confirm = document.querySelector('.ant-popconfirm') as HTMLElement;
    expect(confirm).toHaveTextContent('Dec 21, 2026');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel at period end' }));
    expect(await screen.findAllByTestId('license-ends-at-period-end')).not.toHaveLength(0);
    await waitFor(() => expect(screen.getByTestId('entitlement-ending')).toHaveTextContent('At the end of the current period, Dec 21, 2026: it will not renew'));
    fireEvent.click(screen.getByTestId('license-resume'));
    await waitFor(() => expect(api.requests.some((request) => request.method === 'POST' && request.url.endsWith('/resume'))).toBe(true));
    await waitFor(() => expect(screen.queryByTestId('license-ends-at-period-end')).not.toBeInTheDocument());
  });
});
