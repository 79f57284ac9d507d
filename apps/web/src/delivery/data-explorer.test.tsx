import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { activeLicense } from '../test/commerce-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { publicProduct } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { captureSavedFiles } from '../test/saved-files';
import { member } from '../test/catalog-fixtures';
import { DataExplorer } from './data-explorer';

const buyer = member('buyer_admin', ['licenses:read', 'licenses:buy']);
const page = { columns: [{ name: 'district', type: 'VARCHAR' }], rows: [{ district: 'A' }, { district: 'B' }], nextCursor: null };

async function chooseColumn(title: string) {
  fireEvent.mouseDown(within(screen.getByTestId('explorer-filter-column')).getByRole('combobox'));
  await settle();
  fireEvent.click(await screen.findByTitle(title));
  await settle();
}

/** The filters each query sent. */
async function sentFilters(requests: Request[]) {
  const queries = requests.filter((request) => request.method === 'POST');
  return Promise.all(queries.map(async (request) => ((await request.clone().json()) as { filters: unknown[] }).filters));
}

describe('<DataExplorer>', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it.each([
    ['en', 'hour_of_day (INTEGER) takes a whole number: "7\'; DROP" is not'],
    ['zh-CN', '列 hour_of_day（INTEGER）需要整数，“7\'; DROP”不符合。'],
  ])('clears the previous answer when a query is refused, and says why (%s)', async (language, said) => {
    await i18n.changeLanguage(language);
    const license = activeLicense();
    let refuse = false;
    mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': () =>
        refuse
          ? apiError(400, 'delivery.invalid_query', 'hour_of_day (INTEGER) takes a whole number: "7\'; DROP" is not', {
              problems: [{ field: 'hour_of_day', code: 'invalid_value', message: 'hour_of_day (INTEGER) takes a whole number: "7\'; DROP" is not', column: 'hour_of_day', type: 'INTEGER', expected: 'integer', value: "7'; DROP" }],
            })
          : { ...page, nextCursor: 'more' },
    });
    await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
    fireEvent.click(screen.getByTestId('explorer-run'));
    expect(await screen.findByTestId('explorer-count')).toHaveAttribute('data-value', '2');
    expect(screen.getByTestId('explorer-more')).toBeInTheDocument();
    refuse = true;
    fireEvent.click(screen.getByTestId('explorer-run'));
    expect(await screen.findByTestId('explorer-error')).toHaveTextContent(said);
    expect(screen.queryByTestId('explorer-count')).toBeNull();
    expect(screen.queryByTestId('explorer-rows')).toBeNull();
    expect(screen.queryByTestId('explorer-more')).toBeNull();
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

  it('says nothing of fingerprint rows when no row is shown', async () => {
    const license = activeLicense();
    mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': { columns: [{ name: 'district', type: 'VARCHAR' }], rows: [], nextCursor: null },
    });
    await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
    fireEvent.click(screen.getByTestId('explorer-run'));
    expect(await screen.findByTestId('explorer-count')).toHaveTextContent('0 rows shown');
    expect(screen.queryByTestId('explorer-fingerprint-note')).toBeNull();
  });

  it('applies a filter typed but not added when the query runs, once', async () => {
    const license = activeLicense();
    const api = mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': page,
    });
    await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
    await chooseColumn('district · VARCHAR');
    fireEvent.change(screen.getByTestId('explorer-filter-value'), { target: { value: '黄浦区' } });
    fireEvent.click(screen.getByTestId('explorer-run'));
    await screen.findByTestId('explorer-count');
    expect(screen.getAllByTestId('explorer-filter').map((tag) => tag.textContent?.trim())).toEqual(['district = 黄浦区']);
    expect(screen.getByTestId('explorer-filter-value')).toHaveValue('');

    // Run again: the filter is applied, not added a second time.
    fireEvent.click(screen.getByTestId('explorer-run'));
    await waitFor(() => expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(2));
    expect(await sentFilters(api.requests)).toEqual([[{ column: 'district', op: 'eq', value: '黄浦区' }], [{ column: 'district', op: 'eq', value: '黄浦区' }]]);
    expect(screen.getAllByTestId('explorer-filter')).toHaveLength(1);
  });

  it('does not run a filter that lacks its column or value, and says why', async () => {
    const license = activeLicense();
    const api = mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': page,
    });
    await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
    fireEvent.change(screen.getByTestId('explorer-filter-value'), { target: { value: '100' } });
    fireEvent.click(screen.getByTestId('explorer-run'));
    expect(await screen.findByTestId('explorer-filter-incomplete')).toHaveTextContent('The filter above is not finished: choose a column and enter a value, or clear it. The query was not run.');
    await settle();
    expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(0);

    // Finishing the filter clears the message; Run then applies it ("not null" needs no value).
    await chooseColumn('visits · BIGINT');
    expect(screen.queryByTestId('explorer-filter-incomplete')).toBeNull();
    fireEvent.mouseDown(within(screen.getByTestId('explorer-filter-op')).getByRole('combobox'));
    await settle();
    fireEvent.click(await screen.findByTitle('is not empty'));
    await settle();
    fireEvent.click(screen.getByTestId('explorer-run'));
    await screen.findByTestId('explorer-count');
    expect(await sentFilters(api.requests)).toEqual([[{ column: 'visits', op: 'not_null' }]]);
    expect(i18n.getFixedT('zh-CN')('delivery.explorer.ops.not_null')).toBe('不为空');
  });

  it('asks for the chosen columns only, and saves the query as last run as a CSV file of its first 10,000 rows', async () => {
    const license = activeLicense();
    let more = true;
    const api = mockApi({
      'GET /api/v1/catalog/products/:ref': publicProduct({ slug: license.product.slug }),
      'POST /api/v1/data/:product/rows': async (request: Request) => {
        const body = (await request.clone().json()) as { format: string };
        if (body.format === 'json') return { ...page, columns: [{ name: 'visits', type: 'BIGINT' }], rows: [{ visits: 7 }] };
        return new Response('visits\n7\n', {
          headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="flows-v2.csv"', ...(more ? { 'x-next-cursor': 'next' } : {}) },
        });
      },
    });
    const files = captureSavedFiles();
    const { blobs: created, names: saved } = files;
    try {
      await renderPage(<DataExplorer license={license} />, { path: '/', route: '/', me: buyer });
      expect(screen.queryByTestId('explorer-save')).toBeNull();
      fireEvent.mouseDown(within(screen.getByTestId('explorer-select')).getByRole('combobox'));
      await settle();
      fireEvent.click(await screen.findByTitle('visits'));
      await settle();
      fireEvent.click(screen.getByTestId('explorer-run'));
      await screen.findByTestId('explorer-count');
      const bodies = async () => Promise.all(api.requests.filter((request) => request.method === 'POST').map(async (request) => (await request.clone().json()) as Record<string, unknown>));
      expect(await bodies()).toEqual([{ select: ['visits'], filters: [], limit: 20, format: 'json' }]);

      fireEvent.click(screen.getByTestId('explorer-save-csv'));
      await waitFor(() => expect(created).toHaveLength(1));
      expect((await bodies())[1]).toEqual({ select: ['visits'], filters: [], limit: 10_000, format: 'csv' });
      await settle(100);
      expect(saved).toEqual(['flows-v2.csv']);
      // With a byte order mark, for spreadsheet programs to read Chinese.
      const bytes = await files.bytes(0);
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\ufeffvisits\n7\n');
      // More rows match than the file holds: said so.
      expect(await screen.findByTestId('explorer-saved-more')).toHaveTextContent('The file holds the first 10,000 rows');

      more = false;
      fireEvent.click(screen.getByTestId('explorer-save-parquet'));
      await waitFor(() => expect(created).toHaveLength(2));
      expect((await bodies())[2]).toMatchObject({ limit: 10_000, format: 'parquet' });
      await waitFor(() => expect(screen.queryByTestId('explorer-saved-more')).toBeNull());
    } finally {
      files.restore();
    }
  });
});
