import { screen, waitFor, within } from '@testing-library/react';
import type { ApiKey } from '../api/schema-types';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { ApiKeysTable } from './api-keys-table';

const admin = member('buyer_admin', ['api_keys:read', 'api_keys:manage']);
const key: ApiKey = {
  id: 'a7000000-0000-4000-8000-000000000001',
  name: 'Nightly congestion import for the logistics dashboard',
  prefix: 'cdm_ab12cd34',
  scopes: ['catalog:read', 'data:read'],
  createdAt: '2026-11-20T07:30:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
};

function setWidth(wide: boolean) {
  window.matchMedia = (query: string) =>
    ({ matches: wide && query.includes('min-width'), media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false }) as MediaQueryList;
}

describe('<ApiKeysTable>', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
    resetPage();
    clearMockApi();
  });

  it('tells each key in one column beside its action on a phone', async () => {
    setWidth(false);
    mockApi({ 'GET /api/v1/api-keys': { items: [key] } });
    await renderPage(<ApiKeysTable />, { path: '/console/api-keys', route: '/console/api-keys', me: admin });
    await waitFor(() => expect(screen.getByTestId(`api-key-status-${key.id}`)).toHaveTextContent('Active'));
    const table = screen.getByTestId('api-keys-table');
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Name', 'Actions']);
    expect(table).toHaveTextContent('cdm_ab12cd34');
    expect(table).toHaveTextContent('data:read');
    expect(table).toHaveTextContent('Last used: Never used');
    expect(screen.getByTestId(`api-key-revoke-${key.id}`)).toBeInTheDocument();
  });

  it('keeps a column per fact on a wide screen', async () => {
    setWidth(true);
    mockApi({ 'GET /api/v1/api-keys': { items: [key] } });
    await renderPage(<ApiKeysTable />, { path: '/console/api-keys', route: '/console/api-keys', me: admin });
    await waitFor(() => expect(screen.getByTestId(`api-key-status-${key.id}`)).toHaveTextContent('Active'));
    const headers = within(screen.getByTestId('api-keys-table')).getAllByRole('columnheader').map((header) => header.textContent);
    expect(headers).toEqual(['Name', 'Prefix', 'Scopes', 'Last used', 'Expires', 'Status', 'Actions']);
  });
});
