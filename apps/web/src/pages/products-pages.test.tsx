import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { InputCandidate } from '../api/schema-types';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, json, mockApi, type MockApi } from '../test/mock-api';
import { gateReport, product, productId, productInput, publicProduct, run } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { awaitsMyDecision, ProductReviewPage } from './product-review-page';
import { ProductWorkspacePage } from './product-workspace-page';
import { ProductsPage } from './products-page';
import { StorefrontProductPage } from './storefront-product-page';

const vendor = member('vendor_admin', ['products:manage', 'access_requests:read', 'access_requests:file'], 'vendor');
const operator = member('platform_admin', ['products:review', 'audit:read'], 'platform');

const bodyOf = async (api: MockApi, method: string, path: string) => {
  const request = api.requests.find((candidate) => candidate.method === method && new URL(candidate.url).pathname === path);
  return request ? request.clone().json() : undefined;
};

const candidate = (overrides: Partial<InputCandidate>): InputCandidate => ({
  kind: 'dataset',
  id: 'd0000000-0000-4000-8000-000000000001',
  slug: 'urban-channel-construction-survey-2011-2015',
  titleZh: '城市渠道建设调查',
  titleEn: 'Urban channel construction survey',
  organizationName: 'Statistics Bureau',
  classification: 'open',
  access: 'free',
  rowCount: 5,
  ...overrides,
});

describe('<ProductsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists own products and creates a derived product over an open dataset', async () => {
    const created = product({ id: 'b0000000-0000-4000-8000-0000000000c1' });
    const api = mockApi({
      'GET /api/v1/products': {
        items: [
          { id: created.id, slug: 'old', kind: 'derived', titleZh: '旧产品', titleEn: 'Old product', theme: 'transport', status: 'published', organizationName: 'CityFlow', version: 3, rowCount: 120, updatedAt: '2026-11-20T07:30:00.000Z', submittedAt: null, rejectionReason: null },
          { id: 'b0000000-0000-4000-8000-0000000000c2', slug: 'sent-back', kind: 'derived', titleZh: '退回产品', titleEn: 'Sent back', theme: 'transport', status: 'draft', organizationName: 'CityFlow', version: 1, rowCount: 4, updatedAt: '2026-11-19T07:30:00.000Z', submittedAt: '2026-11-18T07:30:00.000Z', rejectionReason: 'Describe the method.' },
        ],
      },
      'GET /api/v1/products/input-candidates': {
        items: [candidate({}), candidate({ id: 'd0000000-0000-4000-8000-000000000002', slug: 'district-energy-consumption-monthly', titleEn: 'District energy', classification: 'conditional', access: 'denied' })],
      },
      'POST /api/v1/products': () => json(created, 201),
    });
    await renderPage(<ProductsPage />, { path: '/console/products', route: '/console/products', me: vendor });

    const table = await screen.findByTestId('products-table');
    await waitFor(() => expect(within(table).getAllByTestId('product-status')[0]).toHaveTextContent('Published'));
    expect(table).toHaveTextContent('Version 3');
    // A draft its reviewers sent back says so in the list.
    const rowOf = (slug: string) => within(table).getByTestId(`product-link-${slug}`).closest('tr')!;
    expect(within(rowOf('sent-back')).getAllByTestId('product-changes-requested')[0]).toHaveTextContent('Changes requested');
    expect(within(rowOf('old')).queryByTestId('product-changes-requested')).toBeNull();

    fireEvent.click(screen.getByTestId('product-create-open'));
    await settle();
    // The conditional dataset without a grant is explained, not offered.
    expect(await screen.findByTestId('inputs-denied-note')).toHaveTextContent('1 conditional dataset is not available to you');
    fireEvent.change(screen.getByTestId('product-form-title-zh'), { target: { value: '渠道差距' } });
    fireEvent.change(screen.getByTestId('product-form-title-en'), { target: { value: 'Channel gap' } });
    const form = screen.getByTestId('product-create-form');
    fireEvent.mouseDown(within(form).getAllByRole('combobox')[0] as HTMLElement);
    await settle();
    // Every theme of the catalog's vocabulary is offered, the last ones too.
    expect(await screen.findByTitle('Public safety')).toBeInTheDocument();
    expect(screen.getByTitle('Statistics')).toBeInTheDocument();
    fireEvent.click(await screen.findByTitle('Transport and passenger flow'));
    fireEvent.mouseDown(within(screen.getByTestId('input-source-0')).getByRole('combobox'));
    await settle();
    fireEvent.click(await screen.findByTestId('input-option-urban-channel-construction-survey-2011-2015'));
    await settle();
    expect(screen.getByTestId('input-name-0')).toHaveValue('urban_channel');
    fireEvent.click(screen.getByTestId('product-create-submit'));

    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent(`/console/products/${created.id}`));
    expect(await bodyOf(api, 'POST', '/api/v1/products')).toEqual({
      kind: 'derived',
      titleZh: '渠道差距',
      titleEn: 'Channel gap',
      theme: 'transport',
      inputs: [{ name: 'urban_channel', datasetId: 'd0000000-0000-4000-8000-000000000001', weight: 1 }],
      sql: 'SELECT *\nFROM urban_channel',
    });
  });
});

describe('<ProductsPage> for an agency', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it("sells one of the agency's own datasets as a base product, named after it", async () => {
    const steward = member('steward', ['datasets:manage', 'products:manage', 'products:review'], 'agency');
    const created = product({ id: 'b0000000-0000-4000-8000-0000000000c2', kind: 'base' });
    const api = mockApi({
      'GET /api/v1/products': { items: [] },
      'GET /api/v1/products/input-candidates': {
        items: [
          candidate({ id: 'd0000000-0000-4000-8000-0000000000b1', slug: 'second-hand-housing-transactions', titleZh: '二手房交易', titleEn: 'Second-hand housing transactions', organizationName: steward.organization.name, classification: 'conditional', access: 'owner' }),
          candidate({}),
        ],
      },
      'POST /api/v1/products': () => json(created, 201),
    });
    await renderPage(<ProductsPage />, { path: '/console/products', route: '/console/products', me: steward });
    expect(await screen.findByTestId('products-table')).toHaveTextContent('No products yet');

    fireEvent.click(screen.getByTestId('product-create-open'));
    await settle();
    fireEvent.mouseDown(within(screen.getByTestId('product-create-dataset')).getByRole('combobox'));
    await settle();
    // Only the agency's own datasets are offered.
    expect(screen.queryByTitle('Urban channel construction survey')).not.toBeInTheDocument();
    fireEvent.click(await screen.findByTitle('Second-hand housing transactions'));
    await settle();
    expect(screen.getByTestId('product-form-title-en')).toHaveValue('Second-hand housing transactions');
    const form = screen.getByTestId('product-create-form');
    fireEvent.mouseDown(within(form).getAllByRole('combobox')[1] as HTMLElement);
    await settle();
    fireEvent.click(await screen.findByTitle('Transport and passenger flow'));
    fireEvent.click(screen.getByTestId('product-create-submit'));

    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent(`/console/products/${created.id}`));
    expect(await bodyOf(api, 'POST', '/api/v1/products')).toEqual({
      kind: 'base',
      titleZh: '二手房交易',
      titleEn: 'Second-hand housing transactions',
      theme: 'transport',
      inputs: [{ name: 'second_hand', datasetId: 'd0000000-0000-4000-8000-0000000000b1' }],
    });
  });
});

describe('<ProductsPage> when the URL name is taken', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('says so beside the URL name, and that it was made from the title when left empty', async () => {
    const steward = member('steward', ['datasets:manage', 'products:manage', 'products:review'], 'agency');
    mockApi({
      'GET /api/v1/products': { items: [] },
      'GET /api/v1/products/input-candidates': {
        items: [candidate({ id: 'd0000000-0000-4000-8000-0000000000b1', slug: 'second-hand-housing-transactions', titleEn: 'Second-hand housing transactions', organizationName: steward.organization.name, access: 'owner' })],
      },
      'POST /api/v1/products': () => json({ error: { code: 'product.slug_taken', message: 'Another product already uses this URL name.', details: [{ field: 'slug', messages: ['taken'] }] } }, 409),
    });
    await renderPage(<ProductsPage />, { path: '/console/products', route: '/console/products', me: steward });
    await screen.findByTestId('products-table');
    fireEvent.click(screen.getByTestId('product-create-open'));
    await settle();
    fireEvent.mouseDown(within(screen.getByTestId('product-create-dataset')).getByRole('combobox'));
    await settle();
    fireEvent.click(await screen.findByTitle('Second-hand housing transactions'));
    await settle();
    const form = screen.getByTestId('product-create-form');
    fireEvent.mouseDown(within(form).getAllByRole('combobox')[1] as HTMLElement);
    await settle();
    fireEvent.click(await screen.findByTitle('Transport and passenger flow'));
    fireEvent.click(screen.getByTestId('product-create-submit'));
    expect(await within(form).findByText(/The URL name made from the English title is already used by another product/)).toBeInTheDocument();
    expect(within(form).queryByText('taken')).not.toBeInTheDocument();

    fireEvent.change(screen.getByTestId('product-form-slug'), { target: { value: 'housing' } });
    fireEvent.click(screen.getByTestId('product-create-submit'));
    expect(await within(form).findByText('This URL name is already used by another product.')).toBeInTheDocument();
  });
});

describe('<ProductWorkspacePage> after an input\'s privacy settings changed', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const lastRun = run({ status: 'succeeded', stage: null, progress: 100, finishedAt: '2026-11-20T08:05:00.000Z', gateReport: gateReport(), version: 1 });
  const settingsChanged = {
    runId: lastRun.id,
    inputs: [
      {
        name: 'survey',
        changes: [
          { kind: 'k_raised' as const, from: 5, to: 10 },
          { kind: 'sensitivity_raised' as const, column: '年份', from: 'public', to: 'quasi_identifier' },
        ],
      },
    ],
    versionMeetsSettings: false,
  };

  it('tells the owner of a draft that its last run predates the settings, and runs it again', async () => {
    const draft = product({ latestRun: lastRun, settingsChanged });
    const api = mockApi({
      'GET /api/v1/products/:id': draft,
      'GET /api/v1/products/input-candidates': { items: [candidate({})] },
      'GET /api/v1/products/:id/runs/:runId': lastRun,
      'POST /api/v1/products/:id/runs': () => json(run({ id: 'c0000000-0000-4000-8000-000000000002', status: 'queued', stage: null, progress: 0 }), 201),
    });
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${draft.id}`, me: vendor });

    const alert = await screen.findByTestId('settings-changed');
    expect(alert).toHaveTextContent('The privacy settings of an input changed after the last run');
    expect(screen.getByTestId('settings-changed-survey')).toHaveTextContent(
      'Input survey: minimum group size raised (5 → 10), a column became more sensitive: 年份 (Public → Quasi-identifier)',
    );
    expect(alert).toHaveTextContent("does not meet today's: run the derivation again before submitting it.");
    fireEvent.click(screen.getByTestId('settings-changed-run'));
    await waitFor(() => expect(api.requests.some((request) => request.method === 'POST' && new URL(request.url).pathname === `/api/v1/products/${draft.id}/runs`)).toBe(true));
  });

  it('says nothing when the last run was made under the settings as they stand', async () => {
    mockApi({
      'GET /api/v1/products/:id': product({ latestRun: lastRun }),
      'GET /api/v1/products/input-candidates': { items: [candidate({})] },
      'GET /api/v1/products/:id/runs/:runId': lastRun,
    });
    await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${productId}`, me: vendor });
    await screen.findByTestId('sql-card');
    expect(screen.queryByTestId('settings-changed')).not.toBeInTheDocument();
  });
});

describe('<ProductReviewPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const submitted = product({
    status: 'submitted',
    currentVersion: {
      id: 'e0000000-0000-4000-8000-000000000001',
      version: 1,
      rowCount: 117,
      parquetBytes: 2048,
      schema: [{ name: 'district', type: 'VARCHAR' }],
      profile: [],
      gateReport: gateReport(),
      inputs: [
        {
          name: 'survey',
          weight: 1,
          datasetVersionId: 'f0000000-0000-4000-8000-000000000001',
          productVersionId: null,
          kind: 'dataset',
          sourceId: 'd0000000-0000-4000-8000-000000000001',
          slug: 'urban-channel-construction-survey-2011-2015',
          titleZh: '城市渠道建设调查',
          titleEn: 'Urban channel construction survey',
          version: 2,
        },
      ],
      sql: 'SELECT district, count(*) AS visits FROM visits GROUP BY district',
      createdAt: '2026-11-20T08:00:00.000Z',
    },
    review: {
      round: 2,
      status: 'pending',
      open: true,
      submittedAt: '2026-11-20T08:30:00.000Z',
      required: [
        { reviewerKind: 'platform', agencyId: null, agencyName: null, decided: false },
        { reviewerKind: 'agency', agencyId: 'a0000000-0000-4000-8000-0000000000e1', agencyName: 'Health Commission', decided: true },
      ],
      decisions: [
        {
          round: 2,
          version: 1,
          reviewerKind: 'agency',
          agencyId: 'a0000000-0000-4000-8000-0000000000e1',
          agencyName: 'Health Commission',
          decidedByName: 'Health Steward',
          decision: 'approve',
          reason: 'District level only.',
          decidedAt: '2026-11-20T09:00:00.000Z',
        },
      ],
      history: [
        {
          round: 1,
          version: 1,
          reviewerKind: 'platform',
          agencyId: null,
          agencyName: null,
          decidedByName: 'Platform Admin',
          decision: 'reject',
          reason: 'Describe the method.',
          decidedAt: '2026-11-19T09:00:00.000Z',
        },
      ],
    },
  });

  it('warns reviewers when the version under review no longer meets an input\'s privacy settings', async () => {
    mockApi({
      'GET /api/v1/product-reviews/:id': {
        ...submitted,
        settingsChanged: { runId: run().id, inputs: [{ name: 'survey', changes: [{ kind: 'small_cells_fail' }] }], versionMeetsSettings: false },
      },
      'GET /api/v1/product-reviews/:id/lineage': { nodes: [], edges: [], agencies: [] },
      'GET /api/v1/product-reviews/:id/sample': { columns: ['district'], rows: [{ district: '黄浦区' }] },
    });
    await renderPage(<ProductReviewPage />, { path: '/console/product-reviews/:id', route: `/console/product-reviews/${submitted.id}`, me: operator });
    const alert = await screen.findByTestId('settings-changed');
    expect(screen.getByTestId('settings-changed-survey')).toHaveTextContent('Input survey: small cells now fail the run');
    expect(alert).toHaveTextContent('it cannot be published until its owner runs the derivation again.');
    expect(screen.queryByTestId('settings-changed-run')).not.toBeInTheDocument();
  });

  it('knows whose decision is still awaited', () => {
    expect(awaitsMyDecision(submitted, operator)).toBe(true);
    expect(awaitsMyDecision(submitted, { ...operator, organization: { ...operator.organization, kind: 'agency', id: 'a0000000-0000-4000-8000-0000000000e1' } })).toBe(false);
    // Supervision reads reviews and decides nothing.
    expect(awaitsMyDecision(submitted, { ...operator, permissions: ['product_reviews:read', 'audit:read'] })).toBe(false);
    expect(awaitsMyDecision({ ...submitted, status: 'approved' }, operator)).toBe(false);
  });

  it('shows the gate report and the reviewers, and rejects only with a reason', async () => {
    const api = mockApi({
      'GET /api/v1/product-reviews/:id': submitted,
      'GET /api/v1/product-reviews/:id/lineage': { nodes: [], edges: [], agencies: [] },
      'GET /api/v1/product-reviews/:id/sample': { columns: ['district'], rows: [{ district: '黄浦区' }, { district: '徐汇区' }] },
      'POST /api/v1/product-reviews/:id/decision': { ...submitted, status: 'draft', rejectionReason: 'Too fine-grained.' },
    });
    await renderPage(<ProductReviewPage />, { path: '/console/product-reviews/:id', route: `/console/product-reviews/${submitted.id}`, me: operator });

    expect(await screen.findByTestId('gate-summary')).toHaveTextContent('3 of 120 rows dropped, 117 passed the gate.');
    // The output's first rows, as buyers will receive them.
    const sample = await screen.findByTestId('review-sample');
    expect(within(sample).getAllByRole('row').map((row) => row.textContent)).toEqual(['district', '黄浦区', '徐汇区']);
    expect(screen.getByTestId('review-sample-caption')).toHaveTextContent('The first 2 of 117 rows, as buyers will receive them');
    const reviewers = screen.getAllByTestId('required-reviewer');
    expect(reviewers.map((row) => row.getAttribute('data-decided'))).toEqual(['false', 'true']);
    expect(screen.getAllByTestId('review-reason')[0]).toHaveTextContent('District level only.');
    // Earlier rounds stay listed, naming who decided.
    const history = screen.getByTestId('review-history');
    expect(within(history).getByTestId('review-round')).toHaveAttribute('data-round', '1');
    expect(history).toHaveTextContent('Platform operator');
    expect(history).toHaveTextContent('by Platform Admin');
    expect(history).toHaveTextContent('Describe the method.');

    fireEvent.click(screen.getByTestId('review-reject'));
    await settle();
    fireEvent.click(screen.getByTestId('review-reject-submit'));
    await settle(50);
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('review-reason-input'), { target: { value: 'Too fine-grained.' } });
    fireEvent.click(screen.getByTestId('review-reject-submit'));
    await waitFor(async () => expect(await bodyOf(api, 'POST', `/api/v1/product-reviews/${submitted.id}/decision`)).toEqual({ decision: 'reject', reason: 'Too fine-grained.' }));
  });
});

describe('<StorefrontProductPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows the privacy summary and explains why a product on restricted data has no sample', async () => {
    mockApi({ 'GET /api/v1/catalog/products/:ref': publicProduct() });
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: '/products/outpatient-demand' });

    expect(await screen.findByTestId('product-title')).toHaveTextContent('Outpatient demand by district, department and month');
    const privacy = screen.getByTestId('product-privacy');
    expect(privacy).toHaveTextContent('Passed after suppression');
    expect(privacy).toHaveTextContent('Small-cell rule');
    expect(privacy).toHaveTextContent('No group smaller than k = 10 is published.');
    fireEvent.click(screen.getByTestId('product-tab-sample'));
    await settle();
    expect(await screen.findByTestId('product-no-sample')).toHaveTextContent('only under a licence');
  });

  it('shows a sample of an open product', async () => {
    mockApi({ 'GET /api/v1/catalog/products/:ref': publicProduct({ sample: { columns: ['district', 'visits'], rows: [{ district: '东城区', visits: 42 }] } }) });
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: '/products/outpatient-demand' });
    fireEvent.click(await screen.findByTestId('product-tab-sample'));
    await settle();
    expect(await screen.findByTestId('product-sample')).toHaveTextContent('东城区');
  });

  it('says a suspended product is unavailable, and shows nothing of it', async () => {
    mockApi({
      'GET /api/v1/catalog/products/:ref': () =>
        json({ error: { code: 'product.suspended', message: 'Unavailable.', details: { slug: 'road', titleZh: '道路拥堵指数', titleEn: 'Road congestion index', since: '2026-11-20T09:00:00.000Z' } } }, 409),
    });
    await renderPage(<StorefrontProductPage />, { path: '/products/:slug', route: '/products/road' });
    expect(await screen.findByTestId('product-suspended-title')).toHaveTextContent('“Road congestion index” is temporarily unavailable');
    expect(screen.queryByTestId('product-tabs')).not.toBeInTheDocument();
  });
});

// Keep the fixtures' helpers referenced (the run fixture documents a live run's shape).
void run;
void productInput;
