import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { accessRequest, grant, member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi, type MockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { AccessRequestsPage } from './access-requests-page';
import { MyAccessPage } from './my-access-page';

const steward = member('steward', ['datasets:manage', 'access_requests:read', 'access_requests:decide'], 'agency');
const buyerAdmin = member('buyer_admin', ['access_requests:read', 'access_requests:file']);

const posted = async (api: MockApi, path: string) => {
  const request = api.requests.find((candidate) => candidate.method === 'POST' && new URL(candidate.url).pathname === path);
  return request ? request.clone().json() : undefined;
};

const waiting = accessRequest({ id: 'b0000000-0000-4000-8000-0000000000a1', createdAt: '2026-11-19T00:00:00Z' });
const approved = accessRequest({
  id: 'b0000000-0000-4000-8000-0000000000a2',
  status: 'approved',
  decisionReason: 'Aggregates only',
  decidedAt: '2026-11-02T00:00:00Z',
  createdAt: '2026-11-01T00:00:00Z',
  grant: grant(),
});

describe('<AccessRequestsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows waiting requests first and approves one for the term chosen', async () => {
    const api = mockApi({
      'GET /api/v1/agency/access-requests': { items: [approved, waiting] },
      'POST /api/v1/agency/access-requests/:id/approve': { ...waiting, status: 'approved' },
    });
    await renderPage(<AccessRequestsPage />, { path: '/console/access-requests', route: '/console/access-requests', me: steward });

    const table = await screen.findByTestId('access-requests-table');
    await waitFor(() => expect(within(table).getAllByTestId('access-request-status').map((tag) => tag.textContent)).toEqual(['Pending']));
    fireEvent.click(screen.getByText('All (2)'));
    await settle();
    expect(within(table).getAllByTestId('access-request-status').map((tag) => tag.textContent)).toEqual(['Pending', 'Approved']);

    fireEvent.click(screen.getByTestId(`access-approve-${waiting.id}`));
    await settle();
    expect(screen.getByTestId('access-approve-days')).toHaveValue('180');
    fireEvent.change(screen.getByTestId('access-approve-days'), { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('access-approve-submit'));
    await waitFor(async () => expect(await posted(api, `/api/v1/agency/access-requests/${waiting.id}/approve`)).toEqual({ days: 90 }));
  });

  it('requires a reason to reject', async () => {
    const api = mockApi({
      'GET /api/v1/agency/access-requests': { items: [waiting] },
      'POST /api/v1/agency/access-requests/:id/reject': { ...waiting, status: 'rejected' },
    });
    await renderPage(<AccessRequestsPage />, { path: '/console/access-requests', route: '/console/access-requests', me: steward });
    fireEvent.click(await screen.findByTestId(`access-reject-${waiting.id}`));
    await settle();
    fireEvent.click(screen.getByTestId('access-reject-submit'));
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('access-reject-reason'), { target: { value: 'Purpose not covered by the agreement' } });
    fireEvent.click(screen.getByTestId('access-reject-submit'));
    await waitFor(async () =>
      expect(await posted(api, `/api/v1/agency/access-requests/${waiting.id}/reject`)).toEqual({ reason: 'Purpose not covered by the agreement' }),
    );
  });

  it('lists the grants made and revokes one with a reason', async () => {
    const api = mockApi({
      'GET /api/v1/agency/access-requests': { items: [approved] },
      'POST /api/v1/agency/access-grants/:id/revoke': { ...grant(), state: 'revoked' },
    });
    await renderPage(<AccessRequestsPage />, { path: '/console/access-requests', route: '/console/access-requests', me: steward });
    fireEvent.click(await screen.findByTestId('access-tab-grants'));
    await settle();
    const grants = screen.getByTestId('agency-grants-table');
    expect(within(grants).getByTestId('grant-state')).toHaveTextContent('In force');
    fireEvent.click(within(grants).getByTestId(`grant-revoke-${grant().id}`));
    await settle();
    fireEvent.change(screen.getByTestId('access-revoke-reason'), { target: { value: 'Terms breached' } });
    fireEvent.click(screen.getByTestId('access-revoke-submit'));
    await waitFor(async () => expect(await posted(api, `/api/v1/agency/access-grants/${grant().id}/revoke`)).toEqual({ reason: 'Terms breached' }));
  });
});

describe('<MyAccessPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it("shows the organization's grants with their expiry and its requests with the decision, and withdraws a pending one", async () => {
    const rejected = accessRequest({ id: 'b0000000-0000-4000-8000-0000000000a3', status: 'rejected', decisionReason: 'Use the open aggregates instead' });
    const api = mockApi({
      'GET /api/v1/access-grants': { items: [grant({ expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString() })] },
      'GET /api/v1/access-requests': { items: [waiting, rejected] },
      'POST /api/v1/access-requests/:id/withdraw': { ...waiting, status: 'withdrawn' },
    });
    await renderPage(<MyAccessPage />, { path: '/console/my-access', route: '/console/my-access', me: buyerAdmin });

    const grants = await screen.findByTestId('my-grants-table');
    await waitFor(() => expect(grants).toHaveTextContent('20 days left'));
    const requests = screen.getByTestId('my-access-requests-table');
    expect(within(requests).getByTestId('access-decision-reason')).toHaveTextContent('Use the open aggregates instead');

    fireEvent.click(within(requests).getByTestId(`access-withdraw-${waiting.id}`));
    await settle();
    const confirm = document.querySelector('.ant-popconfirm') as HTMLElement;
    fireEvent.click(within(confirm).getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(api.requests.some((request) => request.method === 'POST' && request.url.endsWith(`/access-requests/${waiting.id}/withdraw`))).toBe(true));
  });

  it('offers no withdrawal to members who cannot file requests', async () => {
    mockApi({ 'GET /api/v1/access-grants': { items: [] }, 'GET /api/v1/access-requests': { items: [waiting] } });
    await renderPage(<MyAccessPage />, { path: '/console/my-access', route: '/console/my-access', me: member('buyer_member', ['access_requests:read']) });
    await screen.findAllByTestId('access-request-status');
    expect(screen.queryByTestId(`access-withdraw-${waiting.id}`)).not.toBeInTheDocument();
    expect(screen.getByTestId('my-grants-table')).toHaveTextContent('No grants yet');
  });
});
