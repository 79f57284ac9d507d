import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ProductReviewPage, ProductReviewSummary } from '../api/schema-types';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi, type MockApi } from '../test/mock-api';
import { gateReport, product } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { ProductReviewPage as ReviewPage } from './product-review-page';
import { ProductReviewsPage } from './product-reviews-page';

const operator = member('platform_admin', ['products:review', 'product_reviews:read', 'audit:read'], 'platform');
const supervisor = member('supervisor', ['product_reviews:read', 'audit:read'], 'platform');
const HEALTH = 'a0000000-0000-4000-8000-0000000000e1';

const review = (overrides: Partial<ProductReviewSummary>): ProductReviewSummary => ({
  id: 'b0000000-0000-4000-8000-0000000000d1',
  slug: 'outpatient-by-district',
  kind: 'derived',
  titleZh: '分区门诊量',
  titleEn: 'Outpatient visits by district',
  theme: 'health',
  status: 'submitted',
  organizationName: '城流数据科技 CityFlow Analytics',
  version: 2,
  rowCount: 16,
  updatedAt: '2026-11-20T08:30:00.000Z',
  submittedAt: '2026-11-20T08:30:00.000Z',
  rejectionReason: null,
  round: 1,
  reviewStatus: 'pending',
  decidedAt: null,
  awaitingYou: true,
  reviewers: [
    { reviewerKind: 'platform', agencyId: null, agencyName: null, decision: null, decidedAt: null },
    { reviewerKind: 'agency', agencyId: HEALTH, agencyName: '市卫生健康委员会 Health Commission', decision: 'approve', decidedAt: '2026-11-20T09:00:00.000Z' },
  ],
  ...overrides,
});

const decided = review({
  id: 'b0000000-0000-4000-8000-0000000000d2',
  slug: 'survey-gap',
  titleEn: 'Survey gap',
  status: 'draft',
  round: 2,
  reviewStatus: 'rejected',
  decidedAt: '2026-11-19T10:00:00.000Z',
  awaitingYou: false,
  reviewers: [{ reviewerKind: 'platform', agencyId: null, agencyName: null, decision: 'reject', decidedAt: '2026-11-19T10:00:00.000Z' }],
});

const pageOf = (items: ProductReviewSummary[], overrides: Partial<ProductReviewPage> = {}): ProductReviewPage => ({
  items,
  total: items.length,
  page: 1,
  pageSize: 20,
  counts: { in_review: 1, decided: 1, all: 2 },
  ...overrides,
});

/** Answers the list by its `state` parameter, as the API filters. */
function listApi(byState: Record<string, ProductReviewPage>): MockApi {
  return mockApi({ 'GET /api/v1/product-reviews': (request: Request) => byState[new URL(request.url).searchParams.get('state') ?? 'in_review'] ?? pageOf([]) });
}

const jsdomMatchMedia = window.matchMedia;

/** A viewport `width` pixels wide, as antd's breakpoints read it. */
function viewport(width: number) {
  window.matchMedia = (query: string) => {
    const min = /min-width:\s*(\d+)px/.exec(query);
    const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return { matches, media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false } as MediaQueryList;
  };
}

const listRequests = (api: MockApi) =>
  api.requests.filter((request) => new URL(request.url).pathname === '/api/v1/product-reviews').map((request) => Object.fromEntries(new URL(request.url).searchParams));

describe('<ProductReviewsPage>', () => {
  beforeEach(() => viewport(1366));
  afterEach(() => {
    resetPage();
    clearMockApi();
    window.matchMedia = jsdomMatchMedia;
  });

  it('lists what is in review with every reviewer where it stands, and marks what awaits the caller', async () => {
    const api = listApi({ in_review: pageOf([review({})]) });
    await renderPage(<ProductReviewsPage />, { path: '/console/product-reviews', route: '/console/product-reviews', me: operator });

    const table = await screen.findByTestId('product-review-queue');
    await waitFor(() => expect(within(table).getByTestId('review-link-outpatient-by-district')).toBeInTheDocument());
    expect(listRequests(api)[0]).toMatchObject({ state: 'in_review', page: '1' });
    expect(table).toHaveAttribute('data-state', 'in_review');
    // The operator has yet to decide; the agency has approved.
    const standings = within(table).getAllByTestId('reviewer-standing');
    expect(standings.map((line) => [line.getAttribute('data-kind'), line.getAttribute('data-standing')])).toEqual([
      ['platform', 'waiting'],
      ['agency', 'approved'],
    ]);
    expect(standings[0]).toHaveTextContent('Platform operatorWaiting');
    expect(standings[1]).toHaveTextContent('市卫生健康委员会 Health CommissionApproved');
    expect(within(table).getByTestId('review-awaiting-you')).toHaveTextContent('Your decision');
    expect(within(table).getByTestId('review-list-status')).toHaveTextContent('Awaiting decisions');
    expect(table).toHaveTextContent('Round 1 · version 2');
    // Each state says how many reviews it holds.
    expect(screen.getByTestId('review-list-count-in_review')).toHaveTextContent('1');
    expect(screen.getByTestId('review-list-count-all')).toHaveTextContent('2');
    // When it was submitted, no decision date while in review.
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Product', 'Review', 'Reviewers', 'Submitted']);
  });

  it('switches to what was decided through the URL, with the decision date, and pages there', async () => {
    const api = listApi({
      in_review: pageOf([review({})]),
      decided: pageOf([decided], { total: 45, counts: { in_review: 1, decided: 45, all: 46 } }),
    });
    await renderPage(<ProductReviewsPage />, { path: '/console/product-reviews', route: '/console/product-reviews', me: operator });
    await screen.findByTestId('review-link-outpatient-by-district');

    fireEvent.click(screen.getByTestId('review-list-tab-decided'));
    await settle(50);
    expect(screen.getByTestId('test-location')).toHaveTextContent('/console/product-reviews?tab=decided');
    const table = screen.getByTestId('product-review-queue');
    await waitFor(() => expect(within(table).getByTestId('review-link-survey-gap')).toBeInTheDocument());
    expect(within(table).queryByTestId('review-link-outpatient-by-district')).toBeNull();
    expect(listRequests(api).at(-1)).toMatchObject({ state: 'decided', page: '1' });
    expect(within(table).getByTestId('review-list-status')).toHaveAttribute('data-status', 'rejected');
    expect(within(table).getByTestId('review-list-status')).toHaveTextContent('Rejected');
    expect(within(table).queryByTestId('review-awaiting-you')).toBeNull();
    expect(within(table).getByTestId('reviewer-standing')).toHaveAttribute('data-standing', 'rejected');
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Product', 'Review', 'Reviewers', 'Decided']);
    expect(table.querySelector('time[datetime="2026-11-19T10:00:00.000Z"]')).not.toBeNull();

    // 45 decided reviews: three pages; the second is asked for and kept in the URL.
    fireEvent.click(screen.getByTitle('2'));
    await settle(50);
    expect(screen.getByTestId('test-location')).toHaveTextContent('/console/product-reviews?tab=decided&page=2');
    expect(listRequests(api).at(-1)).toMatchObject({ state: 'decided', page: '2' });

    // Back to what is in review: the filter's default leaves the URL bare.
    fireEvent.click(screen.getByTestId('review-list-tab-in_review'));
    await settle(50);
    expect(screen.getByTestId('test-location')).toHaveTextContent(/^\/console\/product-reviews$/);
  });

  it('opens on the state and page the URL names, and says when a state holds nothing', async () => {
    const api = listApi({ all: pageOf([], { total: 0, counts: { in_review: 0, decided: 0, all: 0 } }) });
    await renderPage(<ProductReviewsPage />, { path: '/console/product-reviews', route: '/console/product-reviews?tab=all&page=3', me: supervisor });
    await waitFor(() => expect(screen.getByTestId('product-review-queue')).toHaveTextContent('No product has been submitted for review yet.'));
    expect(listRequests(api)[0]).toMatchObject({ state: 'all', page: '3' });
    // Supervision reads every review: the page says so.
    expect(screen.getByText(/Every product review, for supervision/)).toBeInTheDocument();
  });

  it('shows a closed round’s missing decisions as none, not waiting', async () => {
    listApi({
      all: pageOf([
        review({
          status: 'draft',
          reviewStatus: 'cancelled',
          awaitingYou: false,
          reviewers: [
            { reviewerKind: 'platform', agencyId: null, agencyName: null, decision: 'approve', decidedAt: '2026-11-20T09:30:00.000Z' },
            { reviewerKind: 'agency', agencyId: HEALTH, agencyName: '市卫生健康委员会 Health Commission', decision: null, decidedAt: null },
          ],
        }),
      ]),
    });
    await renderPage(<ProductReviewsPage />, { path: '/console/product-reviews', route: '/console/product-reviews?tab=all', me: operator });
    await screen.findByTestId('review-link-outpatient-by-district');
    expect(screen.getAllByTestId('reviewer-standing').map((line) => line.getAttribute('data-standing'))).toEqual(['approved', 'none']);
    expect(screen.getByTestId('review-list-status')).toHaveTextContent('Submission cancelled');
    // Everything: when it was submitted, and when decided (none for a round taken back).
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Product', 'Review', 'Reviewers', 'Submitted', 'Decided']);
  });

  it('stacks each review in one column on a phone: where it stands, the reviewers and when it was decided', async () => {
    viewport(390);
    listApi({ decided: pageOf([decided]) });
    await renderPage(<ProductReviewsPage />, { path: '/console/product-reviews', route: '/console/product-reviews?tab=decided', me: operator });
    const table = await screen.findByTestId('product-review-queue');
    await waitFor(() => expect(within(table).getByTestId('review-link-survey-gap')).toBeInTheDocument());
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Product']);
    const cell = within(table).getByTestId('review-link-survey-gap').closest('td')!;
    expect(within(cell).getByTestId('review-list-status')).toHaveTextContent('Rejected');
    expect(within(cell).getByTestId('reviewer-standing')).toHaveAttribute('data-standing', 'rejected');
    expect(cell).toHaveTextContent('Round 2 · version 2');
    expect(cell).toHaveTextContent(/Decided\s*Nov 19, 2026/);
  });
});

describe('<ProductReviewPage> on a decided review', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const approved = product({
    status: 'published',
    currentVersion: {
      id: 'e0000000-0000-4000-8000-000000000001',
      version: 1,
      rowCount: 2,
      parquetBytes: 2048,
      schema: [
        { name: 'month', type: 'TIMESTAMP' },
        { name: 'day', type: 'DATE' },
        { name: 'visits', type: 'BIGINT' },
      ],
      profile: [],
      gateReport: gateReport(),
      inputs: [],
      sql: 'SELECT 1',
      createdAt: '2026-11-20T08:00:00.000Z',
    },
    review: {
      round: 1,
      status: 'approved',
      open: false,
      submittedAt: '2026-11-20T08:30:00.000Z',
      required: [{ reviewerKind: 'platform', agencyId: null, agencyName: null, decided: true }],
      decisions: [
        { round: 1, version: 1, reviewerKind: 'platform', agencyId: null, agencyName: null, decidedByName: 'Platform Admin', decision: 'approve', reason: '', decidedAt: '2026-11-20T09:00:00.000Z' },
      ],
      history: [],
    },
  });

  it('leads back to the decided reviews, and shows the sample’s dates and times readably', async () => {
    mockApi({
      'GET /api/v1/product-reviews/:id': approved,
      'GET /api/v1/product-reviews/:id/sample': {
        columns: ['month', 'day', 'visits'],
        rows: [
          { month: '2023-01-01T00:00:00', day: '2023-01-31', visits: 12 },
          { month: '2023-02-01T00:00:00', day: '2023-02-28', visits: 15 },
        ],
      },
    });
    await renderPage(<ReviewPage />, { path: '/console/product-reviews/:id', route: `/console/product-reviews/${approved.id}`, me: operator });
    const sample = await screen.findByTestId('review-sample');
    expect(within(sample).getAllByRole('row').map((row) => row.textContent)).toEqual(['monthdayvisits', 'Jan 1, 2023Jan 31, 202312', 'Feb 1, 2023Feb 28, 202315']);
    expect(sample.querySelector('time[title="2023-01-01T00:00:00"]')).not.toBeNull();
    expect(screen.getByRole('link', { name: 'Product reviews' })).toHaveAttribute('href', '/console/product-reviews?tab=decided');
  });
});
