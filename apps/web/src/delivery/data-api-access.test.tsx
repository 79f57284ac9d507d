import { fireEvent, screen, waitFor } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { activeLicense, bodyOf } from '../test/commerce-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { browserNavigation } from '../commerce/purchase';
import { DataApiAccess } from './license-usage';

describe('<DataApiAccess>', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  for (const [language, note] of [
    ['en', 'An administrator of your organization creates them.'],
    ['zh-CN', '密钥由本组织的管理员创建。'],
  ] as const) {
    it(`offers to create an API key only to those who may, and tells the others who can (${language})`, async () => {
      await i18n.changeLanguage(language);
      mockApi({ 'GET /api/v1/catalog/products/:ref': apiError(404, 'catalog.not_found', 'not found') });
      const license = activeLicense();
      await renderPage(<DataApiAccess license={license} />, { path: '/', route: '/', me: member('buyer_admin', ['licenses:buy', 'api_keys:manage']) });
      expect((await screen.findByRole('link', { name: i18n.t('delivery.api.keysLink') })).getAttribute('href')).toBe('/console/api-keys?create=data');
      expect(screen.queryByText(note)).toBeNull();
      resetPage();

      await renderPage(<DataApiAccess license={license} />, { path: '/', route: '/', me: member('buyer_member', ['licenses:read']) });
      expect(await screen.findByText(note)).toBeTruthy();
      expect(screen.queryByRole('link', { name: i18n.t('delivery.api.keysLink') })).toBeNull();
    });
  }

  it('asks for CSV copies with a byte order mark (spreadsheets read Chinese text right), Parquet as is', async () => {
    const assigned: string[] = [];
    const original = browserNavigation.assign;
    browserNavigation.assign = (url) => void assigned.push(url);
    const link = { url: 'http://x/api/v1/downloads/t', path: '/api/v1/downloads/t', expiresAt: '2099-01-01T00:00:00.000Z', format: 'csv', versionId: 'v', rows: 1 };
    const api = mockApi({ 'GET /api/v1/catalog/products/:ref': apiError(404, 'catalog.not_found', 'not found'), 'POST /api/v1/data/:product/downloads': link });
    await renderPage(<DataApiAccess license={activeLicense()} />, { path: '/', route: '/', me: member('buyer_admin', ['licenses:buy', 'api_keys:manage']) });
    fireEvent.click(await screen.findByTestId('data-download-csv'));
    await waitFor(() => expect(assigned).toEqual(['/api/v1/downloads/t']));
    expect(await bodyOf(api.requests, 'POST', `/api/v1/data/${activeLicense().product.slug}/downloads`)).toEqual({ format: 'csv', bom: true });
    fireEvent.click(screen.getByTestId('data-download-parquet'));
    await waitFor(() => expect(assigned).toHaveLength(2));
    expect(await api.requests.filter((request) => request.method === 'POST')[1]!.clone().json()).toEqual({ format: 'parquet', bom: false });
    browserNavigation.assign = original;
  });
});
