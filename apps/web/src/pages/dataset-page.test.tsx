import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { accessRequest, datasetDetail, housingTransactions, member, versionOne, versionTwo } from '../test/catalog-fixtures';
import { apiError, clearMockApi, mockApi, type MockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { DatasetPage } from './dataset-page';

const conditional = datasetDetail({
  id: housingTransactions.id,
  slug: housingTransactions.slug,
  titleZh: housingTransactions.titleZh,
  titleEn: housingTransactions.titleEn,
  classification: 'conditional',
  licenseId: 'gov-conditional-agreement',
  rowAccess: 'denied',
  previewAvailable: false,
});

function routes(detail = datasetDetail()) {
  return {
    [`GET /api/v1/catalog/datasets/:ref`]: detail,
    [`GET /api/v1/catalog/datasets/:ref/versions`]: { items: [versionTwo, versionOne] },
    [`GET /api/v1/catalog/datasets/:ref/preview`]: {
      columns: versionTwo.schema,
      rows: [{ 道路名称: '中山路', hour: '2026-10-01 08:00:00', vehicles: 812, district: null }],
      totalRows: 125000,
    },
  };
}

const openTab = async (name: string) => {
  fireEvent.click(screen.getByTestId(`dataset-tab-${name}`));
  await settle();
};

const bodyOf = async (api: MockApi, path: string) => {
  const request = api.requests.find((candidate) => candidate.method === 'POST' && new URL(candidate.url).pathname === path);
  return request ? request.clone().json() : undefined;
};

describe('<DatasetPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows open data with its metadata, licence and k, and offers both downloads to anyone', async () => {
    mockApi(routes());
    await renderPage(<DatasetPage />, { path: '/catalog/:slug', route: '/catalog/road-traffic-flow' });

    expect(await screen.findByTestId('dataset-title')).toHaveTextContent('Urban road traffic flow');
    expect(screen.getByTestId('dataset-subtitle')).toHaveTextContent('城市道路交通流量');
    expect(screen.getByTestId('classification-explained')).toHaveTextContent('anyone may download it');
    expect(screen.getByTestId('download-csv')).toHaveAttribute('href', '/api/v1/catalog/datasets/road-traffic-flow/download?format=csv&bom=true');
    expect(screen.getByTestId('download-parquet')).toHaveAttribute('href', '/api/v1/catalog/datasets/road-traffic-flow/download?format=parquet');
    const metadata = screen.getByTestId('dataset-metadata');
    expect(within(metadata).getByTestId('dataset-license')).toHaveTextContent('Creative Commons Attribution 4.0');
    expect(metadata).toHaveTextContent('k = 5');
    expect(metadata).toHaveTextContent('Hourly');
    expect(metadata).toHaveTextContent('ongoing');
    expect(screen.getByTestId('dataset-facts')).toHaveTextContent('125,000');
  });

  it('shows the schema in the reader’s language with sensitivity, the profile, the preview and the versions', async () => {
    mockApi(routes());
    await renderPage(<DatasetPage />, { path: '/catalog/:slug', route: '/catalog/road-traffic-flow' });
    await screen.findByTestId('dataset-title');

    await openTab('schema');
    const schema = screen.getByTestId('schema-table');
    expect(schema).toHaveTextContent('Road name');
    expect(within(schema).getAllByTestId('sensitivity-tag').map((tag) => tag.textContent)).toEqual(['Public', 'Public', 'Public', 'Quasi-identifier']);

    await openTab('profile');
    expect(screen.getByTestId('profile-table')).toHaveTextContent('12.5%');
    expect(screen.getByTestId('top-values-chart')).toHaveAttribute('data-column', '道路名称');

    await openTab('preview');
    expect(await screen.findByTestId('preview-caption')).toHaveTextContent('The first 1 of 125,000 rows.');
    expect(screen.getByTestId('preview-table')).toHaveTextContent('中山路');

    await openTab('versions');
    const versions = await screen.findByTestId('version-history');
    expect(versions).toHaveTextContent('Version 2');
    expect(within(versions).getByTestId('schema-added')).toHaveTextContent('+ district (VARCHAR)');
    expect(within(versions).getByTestId('schema-retyped')).toHaveTextContent('vehicles: INTEGER → BIGINT');
    expect(versions).toHaveTextContent('First version');
  });

  it('never offers rows of restricted data', async () => {
    mockApi(routes(datasetDetail({ classification: 'restricted', rowAccess: 'denied', previewAvailable: false })));
    await renderPage(<DatasetPage />, { path: '/catalog/:slug', route: '/catalog/road-traffic-flow' });
    expect(await screen.findByTestId('restricted-notice')).toHaveTextContent('Rows never leave the platform');
    expect(screen.queryByTestId('download-csv')).not.toBeInTheDocument();
    expect(screen.queryByTestId('dataset-tab-preview')).not.toBeInTheDocument();
  });

  it('invites an anonymous visitor of conditional data to sign in', async () => {
    mockApi(routes(conditional));
    await renderPage(<DatasetPage />, { path: '/catalog/:slug', route: '/catalog/housing-transactions' });
    expect(await screen.findByTestId('access-sign-in')).toHaveTextContent('Sign in to request access');
    expect(screen.queryByTestId('download-csv')).not.toBeInTheDocument();
  });

  it('lets a buyer administrator file a request, with a purpose detail required for "other"', async () => {
    const filed = accessRequest({ purpose: 'other', purposeDetail: 'Insurance pricing', requestedDays: 90 });
    const api = mockApi({
      ...routes(conditional),
      'GET /api/v1/access-requests': { items: [] },
      'POST /api/v1/access-requests': () => {
        api.set('GET /api/v1/access-requests', { items: [filed] });
        return new Response(JSON.stringify(filed), { status: 201, headers: { 'Content-Type': 'application/json' } });
      },
    });
    await renderPage(<DatasetPage />, {
      path: '/catalog/:slug',
      route: '/catalog/housing-transactions',
      me: member('buyer_admin', ['access_requests:read', 'access_requests:file']),
    });

    fireEvent.click(await screen.findByTestId('request-access-open'));
    await settle();
    fireEvent.mouseDown(within(screen.getByTestId('access-request-form')).getAllByRole('combobox')[0] as HTMLElement);
    await settle();
    fireEvent.click(await screen.findByTitle('Other'));
    fireEvent.change(screen.getByTestId('access-request-intended-use'), { target: { value: 'Pricing of flood insurance by district.' } });
    fireEvent.change(screen.getByTestId('access-request-days'), { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('access-request-submit'));
    expect(await screen.findByText('Describe the purpose (required for “Other”).', { selector: '.ant-form-item-explain-error' })).toBeInTheDocument();
    expect(await bodyOf(api, '/api/v1/access-requests')).toBeUndefined();

    fireEvent.change(screen.getByTestId('access-request-purpose-detail'), { target: { value: 'Insurance pricing' } });
    fireEvent.click(screen.getByTestId('access-request-submit'));
    await waitFor(async () =>
      expect(await bodyOf(api, '/api/v1/access-requests')).toEqual({
        datasetId: housingTransactions.id,
        purpose: 'other',
        purposeDetail: 'Insurance pricing',
        intendedUse: 'Pricing of flood insurance by district.',
        requestedDays: 90,
      }),
    );
    expect(await screen.findByTestId('access-pending')).toHaveTextContent('waiting for the agency');
  });

  it('offers downloads under a grant in force, fetched with the session', async () => {
    mockApi({
      ...routes({ ...conditional, rowAccess: 'granted' }),
      'GET /api/v1/access-grants': { items: [] },
    });
    await renderPage(<DatasetPage />, {
      path: '/catalog/:slug',
      route: '/catalog/housing-transactions',
      me: member('buyer_member', ['access_requests:read']),
    });
    expect(await screen.findByTestId('access-granted')).toHaveTextContent('holds an access grant');
    expect(screen.getByTestId('download-csv')).not.toHaveAttribute('href');
  });

  it('says when a dataset does not exist', async () => {
    mockApi({ 'GET /api/v1/catalog/datasets/:ref': apiError(404, 'catalog.not_found', 'Dataset not found.') });
    await renderPage(<DatasetPage />, { path: '/catalog/:slug', route: '/catalog/nothing-here' });
    expect(await screen.findByTestId('dataset-not-found')).toHaveTextContent('Dataset not found');
  });
});
