import { screen } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { activeLicense } from '../test/commerce-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
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
});
