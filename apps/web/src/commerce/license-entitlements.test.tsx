import { screen } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { activeLicense } from '../test/commerce-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { LicenseEntitlements } from './license-entitlements';

const allowed = { allowed: true, reason: null, licenseId: 'c1000000-0000-4000-8000-000000000001', obligations: [], conditions: [] };

describe('<LicenseEntitlements>', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('names the place it checked for only when the licence limits where the data is used', async () => {
    mockApi({ 'GET /api/v1/entitlements': allowed });
    const me = member('buyer_admin', ['licenses:buy'], 'enterprise');
    const anywhere = activeLicense();
    await renderPage(<LicenseEntitlements license={{ ...anywhere, terms: { ...(anywhere.terms as object), policy: { permission: [{ action: 'use' }] } } }} />, { path: '/', route: '/', me });
    expect(await screen.findByTestId('entitlement-territory')).toHaveTextContent('No limit on where');
    expect(screen.getByTestId('entitlements-checked-for')).toHaveTextContent('Checked now; conditions that depend on how the data is used are checked at that time.');
    resetPage();

    const inChina = { ...anywhere, terms: { ...(anywhere.terms as object), policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'CN' }] }] } } };
    await renderPage(<LicenseEntitlements license={inChina} />, { path: '/', route: '/', me });
    expect(await screen.findByTestId('entitlement-territory')).toHaveTextContent('Only in');
    expect(screen.getByTestId('entitlements-checked-for')).toHaveTextContent('Checked now for use in');
  });
});
