import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { datasetDetail, datasetSummary, ingestion, member, usageReport, versionOne, versionTwo } from '../test/catalog-fixtures';
import { clearMockApi, json, mockApi, type MockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { DatasetManagePage } from './dataset-manage-page';
import { DatasetsPage } from './datasets-page';

const steward = member('steward', ['datasets:manage', 'access_requests:read', 'access_requests:decide'], 'agency');
const ownAgency = { id: steward.organization.id, slug: steward.organization.slug, name: steward.organization.name };

const posted = async (api: MockApi, path: string) => {
  const request = api.requests.find((candidate) => candidate.method !== 'GET' && new URL(candidate.url).pathname === path);
  return request ? request.clone().json() : undefined;
};

describe('<DatasetsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it("lists the agency's datasets in every state and filters them", async () => {
    const draft = datasetSummary({ id: 'd0000000-0000-4000-8000-00000000000d', slug: 'bus-stops', titleEn: 'Bus stops', titleZh: '公交站点', status: 'draft', versionNumber: null, rowCount: null });
    mockApi({ 'GET /api/v1/agency/datasets': { items: [draft, datasetSummary({ agency: ownAgency })] } });
    await renderPage(<DatasetsPage />, { path: '/console/datasets', route: '/console/datasets', me: steward });

    const table = await screen.findByTestId('agency-datasets-table');
    await waitFor(() => expect(within(table).getByTestId('agency-dataset-bus-stops')).toHaveAttribute('href', `/console/datasets/${draft.id}`));
    expect(table).toHaveTextContent('No data yet');
    expect(within(table).getAllByTestId('dataset-status').map((tag) => tag.textContent)).toEqual(['Draft', 'Published']);

    fireEvent.click(screen.getByText('Published (1)'));
    await settle();
    expect(within(table).queryByTestId('agency-dataset-bus-stops')).not.toBeInTheDocument();
  });

  it('creates a draft with the metadata in both languages and opens it', async () => {
    const created = datasetDetail({ id: 'd0000000-0000-4000-8000-0000000000aa', status: 'draft', currentVersion: null });
    const api = mockApi({
      'GET /api/v1/agency/datasets': { items: [] },
      'POST /api/v1/agency/datasets': () => json(created, 201),
    });
    await renderPage(<DatasetsPage />, { path: '/console/datasets', route: '/console/datasets', me: steward });

    fireEvent.click(await screen.findByTestId('dataset-create-open'));
    await settle();
    fireEvent.click(screen.getByTestId('dataset-form-classification-conditional'));
    fireEvent.change(screen.getByTestId('dataset-form-title-zh'), { target: { value: '公交站点' } });
    fireEvent.change(screen.getByTestId('dataset-form-title-en'), { target: { value: 'Bus stops' } });
    fireEvent.mouseDown(within(screen.getByTestId('dataset-create-form')).getAllByRole('combobox')[0] as HTMLElement);
    await settle();
    fireEvent.click(await screen.findByTitle('Transport and passenger flow'));
    fireEvent.change(screen.getByTestId('dataset-form-k'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('dataset-create-submit'));

    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent(`/console/datasets/${created.id}`));
    expect(await posted(api, '/api/v1/agency/datasets')).toEqual({
      titleZh: '公交站点',
      titleEn: 'Bus stops',
      descriptionZh: '',
      descriptionEn: '',
      theme: 'transport',
      keywords: [],
      contactName: '',
      updateFrequency: 'irregular',
      spatialCoverage: '',
      temporalStart: null,
      temporalEnd: null,
      // The licence follows the classification until the steward picks one.
      licenseId: 'gov-conditional-agreement',
      minGroupSize: 10,
      classification: 'conditional',
    });
  });
});

describe('<DatasetManagePage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const failed = ingestion({
    id: 'f0000000-0000-4000-8000-0000000000f1',
    status: 'failed',
    version: null,
    filename: 'traffic-2026-11.csv',
    error: { code: 'ingest.ragged_rows', message: 'Line 12 has 5 fields where the header has 4.', details: { line: 12 } },
  });

  it('explains a failed upload with its line, and follows the draft to publication', async () => {
    const draft = datasetDetail({ agency: ownAgency, status: 'draft', currentVersion: null, columns: [], profile: [] });
    mockApi({
      'GET /api/v1/catalog/datasets/:ref': draft,
      'GET /api/v1/catalog/datasets/:ref/versions': { items: [] },
      'GET /api/v1/agency/datasets/:id/ingestions': { items: [failed] },
    });
    await renderPage(<DatasetManagePage />, { path: '/console/datasets/:id', route: `/console/datasets/${draft.id}`, me: steward });

    expect(await screen.findByTestId('draft-checklist')).toBeInTheDocument();
    expect(screen.getByTestId('dataset-publish')).toBeDisabled();
    const history = await screen.findByTestId('ingestion-history');
    await waitFor(() => expect(history).toHaveTextContent('A row has a different number of fields than the header.'));
    fireEvent.click(within(history).getByRole('button', { name: /expand/i }));
    await settle();
    expect(within(history).getByTestId('ingestion-error-where')).toHaveTextContent('line 12');
  });

  it('follows an ingestion under way until it makes a version', async () => {
    const running = ingestion({ status: 'running', stage: 'profiling', progress: 60, version: null, finishedAt: null });
    let polls = 0;
    const published = datasetDetail({ agency: ownAgency });
    mockApi({
      'GET /api/v1/catalog/datasets/:ref': published,
      'GET /api/v1/catalog/datasets/:ref/versions': { items: [versionTwo, versionOne] },
      'GET /api/v1/agency/datasets/:id/ingestions': { items: [running] },
      'GET /api/v1/agency/ingestions/:id': () => (++polls < 2 ? running : ingestion()),
    });
    await renderPage(<DatasetManagePage />, { path: '/console/datasets/:id', route: `/console/datasets/${published.id}`, me: steward });

    const status = await screen.findByTestId('ingestion-status');
    expect(status).toHaveAttribute('data-stage', 'profiling');
    expect(screen.getByTestId('ingestion-progress')).toHaveTextContent('60%');
    await waitFor(() => expect(screen.getByTestId('ingestion-status')).toHaveAttribute('data-status', 'succeeded'), { timeout: 4000 });
    expect(screen.getByTestId('ingestion-status')).toHaveTextContent('traffic-2026-10.csv became version 2.');
  });

  it('shows the usage of the dataset: totals, a chart per day and the top consumers, for the chosen period', async () => {
    const published = datasetDetail({ agency: ownAgency });
    const api = mockApi({
      'GET /api/v1/catalog/datasets/:ref': published,
      'GET /api/v1/catalog/datasets/:ref/versions': { items: [versionTwo] },
      'GET /api/v1/agency/datasets/:id/ingestions': { items: [] },
      'GET /api/v1/agency/datasets/:id/usage': (request: Request) => {
        const query = new URL(request.url).searchParams;
        return usageReport({ granularity: (query.get('granularity') ?? 'day') as 'day', from: query.get('from') ?? '', to: query.get('to') ?? '' });
      },
    });
    const usageQueries = () =>
      api.requests.filter((request) => new URL(request.url).pathname === `/api/v1/agency/datasets/${published.id}/usage`).map((request) => new URL(request.url).searchParams);
    await renderPage(<DatasetManagePage />, { path: '/console/datasets/:id', route: `/console/datasets/${published.id}`, me: steward });

    fireEvent.click(await screen.findByTestId('manage-tab-usage'));
    const report = await screen.findByTestId('usage-report', undefined, { timeout: 5000 });
    // The last 30 days by day, in the reader's time zone.
    const [first] = usageQueries();
    expect(first?.get('granularity')).toBe('day');
    expect(first?.get('to')).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: first?.get('timeZone') ?? 'UTC' }).format(new Date()));
    expect(within(report).getByTestId('usage-total-deliveries')).toHaveTextContent('7');
    expect(within(report).getByTestId('usage-total-rows')).toHaveTextContent('500,060');
    expect(within(report).getByTestId('usage-chart')).toHaveAttribute('data-buckets', '3');
    const consumers = within(report).getByTestId('usage-consumers');
    expect(consumers).toHaveTextContent('港湾物流 Harbor Logistics');
    expect(consumers).toHaveTextContent('Anonymous visitors');
    expect(consumers).toHaveTextContent('Your agency');

    fireEvent.click(screen.getByTestId('usage-preset-12m'));
    await waitFor(() => expect(usageQueries().at(-1)?.get('granularity')).toBe('month'));
    expect(usageQueries().at(-1)?.get('from')).toMatch(/^\d{4}-\d{2}-01$/);

    // The tab is in the address: a link with ?tab=usage opens it.
    resetPage();
    await renderPage(<DatasetManagePage />, { path: '/console/datasets/:id', route: `/console/datasets/${published.id}?tab=usage`, me: steward });
    expect(await screen.findByTestId('usage-report', undefined, { timeout: 5000 })).toBeInTheDocument();
  });

  it('warns that restricting revokes every grant, and sends the reason', async () => {
    const conditional = datasetDetail({ agency: ownAgency, classification: 'conditional' });
    const api = mockApi({
      'GET /api/v1/catalog/datasets/:ref': conditional,
      'GET /api/v1/catalog/datasets/:ref/versions': { items: [versionTwo] },
      'GET /api/v1/agency/datasets/:id/ingestions': { items: [] },
      'POST /api/v1/agency/datasets/:id/reclassify': { ...conditional, classification: 'restricted' },
    });
    await renderPage(<DatasetManagePage />, { path: '/console/datasets/:id', route: `/console/datasets/${conditional.id}`, me: steward });

    fireEvent.click(await screen.findByTestId('dataset-reclassify-open'));
    await settle();
    fireEvent.click(screen.getByTestId('dataset-reclassify-restricted'));
    await settle();
    expect(screen.getByTestId('reclassify-warning')).toHaveTextContent('revokes every access grant');
    fireEvent.change(screen.getByTestId('action-reason'), { target: { value: 'Contains addresses' } });
    fireEvent.click(screen.getByTestId('dataset-reclassify-submit'));
    await waitFor(async () =>
      expect(await posted(api, `/api/v1/agency/datasets/${conditional.id}/reclassify`)).toEqual({ classification: 'restricted', reason: 'Contains addresses' }),
    );
  });
});
