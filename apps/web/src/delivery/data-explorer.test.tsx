import { fireEvent, screen } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { activeLicense } from '../test/commerce-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { publicProduct } from '../test/product-fixtures';
import { renderPage, resetPage } from '../test/render-page';
import { member } from '../test/catalog-fixtures';
import { DataExplorer } from './data-explorer';

const buyer = member('buyer_admin', ['licenses:read', 'licenses:buy']);

describe('<DataExplorer>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('says under the results that each page carries one fingerprint row of the licence, counted as a row', async () => {
    const license = activeLicense();
    mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': { columns: [{ name: 'district', type: 'VARCHAR' }], rows: [{ district: 'A' }, { district: 'B' }], nextCursor: null },
    });
    await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
    expect(screen.queryByTestId('explorer-fingerprint-note')).toBeNull();
    fireEvent.click(screen.getByTestId('explorer-run'));
    const note = await screen.findByTestId('explorer-fingerprint-note');
    expect(note).toHaveTextContent('Every page carries one fingerprint row made for your licence, so that a leaked copy can be traced. It counts as a row.');
    expect(i18n.getFixedT('zh-CN')('delivery.explorer.fingerprintNote')).toBe('每页含一行为您的许可生成的指纹行，用于追溯泄露的副本；它计为一行。');
  });
});
