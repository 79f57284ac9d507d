import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { datasetSummary, housingTransactions, searchResult } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { CatalogPage } from './catalog-page';

const searches = (api: ReturnType<typeof mockApi>) =>
  api.requests.filter((request) => new URL(request.url).pathname === '/api/v1/catalog/datasets').map((request) => new URL(request.url).searchParams.toString());

describe('<CatalogPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('searches with the criteria of the URL and shows each result with both titles, agency, class and size', async () => {
    const api = mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary(), housingTransactions], 2) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?q=traffic&theme=transport' });

    await screen.findAllByTestId('dataset-card');
    expect(searches(api)).toEqual(['page=1&pageSize=10&q=traffic&theme=transport']);
    const [first] = screen.getAllByTestId('dataset-card');
    const card = within(first as HTMLElement);
    expect(card.getByTestId('dataset-card-title')).toHaveTextContent('Urban road traffic flow');
    expect(card.getByTestId('dataset-card-title')).toHaveAttribute('href', '/catalog/road-traffic-flow');
    expect(card.getByTestId('dataset-card-subtitle')).toHaveTextContent('城市道路交通流量');
    expect(card.getByTestId('classification-tag')).toHaveTextContent('Open');
    expect(first).toHaveTextContent('125,000 rows');
    expect(first).toHaveTextContent('Transport and passenger flow');
    expect(screen.getByTestId('catalog-total')).toHaveTextContent('2 datasets');
    expect(screen.getByTestId('catalog-search-input')).toHaveValue('traffic');
    // jsdom matches no media query: the phone layout, with the facets in a drawer.
    fireEvent.click(screen.getByTestId('catalog-filters-open'));
    expect(await screen.findByTestId('facet-option-theme-transport')).toBeChecked();
    expect(screen.getByTestId('active-filter-theme-transport')).toHaveTextContent('Theme: Transport and passenger flow');
  });

  it('puts a checked facet in the URL, from page 1, and searches again', async () => {
    const api = mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary()]) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?page=2' });
    await screen.findAllByTestId('dataset-card');

    fireEvent.click(screen.getByTestId('catalog-filters-open'));
    fireEvent.click(await screen.findByTestId('facet-option-classification-conditional'));
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent('/catalog?classification=conditional'));
    await waitFor(() => expect(searches(api)).toContain('page=1&pageSize=10&classification=conditional'));

    fireEvent.click(screen.getByTestId('facet-option-classification-conditional'));
    await waitFor(() => expect(screen.getByTestId('test-location').textContent).toBe('/catalog'));
  });

  it('checks several values of a facet (any of them), with a chip for each that clears only it', async () => {
    const api = mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary(), housingTransactions], 2) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?theme=transport&classification=open' });
    await screen.findAllByTestId('dataset-card');

    fireEvent.click(screen.getByTestId('catalog-filters-open'));
    fireEvent.click(await screen.findByTestId('facet-option-theme-housing'));
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent('/catalog?theme=transport&theme=housing&classification=open'));
    await waitFor(() => expect(searches(api)).toContain('page=1&pageSize=10&theme=transport&theme=housing&classification=open'));
    expect(screen.getByTestId('facet-option-theme-transport')).toBeChecked();
    expect(screen.getByTestId('facet-option-theme-housing')).toBeChecked();
    expect(screen.getByTestId('active-filter-theme-housing')).toHaveTextContent('Theme: Housing');

    // Closing one chip keeps the other values.
    fireEvent.click(within(screen.getByTestId('active-filter-theme-transport')).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.getByTestId('test-location').textContent).toBe('/catalog?theme=housing&classification=open'));
    // A facet's own "clear" unchecks all its values.
    fireEvent.click(screen.getByTestId('facet-clear-theme'));
    await waitFor(() => expect(screen.getByTestId('test-location').textContent).toBe('/catalog?classification=open'));
  });

  it('searches for typed words, Chinese included, keeping the chosen order, from page 1', async () => {
    const api = mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary()]) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?sort=popular&page=4' });
    await screen.findAllByTestId('dataset-card');
    fireEvent.change(screen.getByTestId('catalog-search-input'), { target: { value: ' 交通 流量 ' } });
    fireEvent.keyDown(screen.getByTestId('catalog-search-input'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent(`/catalog?q=${encodeURIComponent('交通 流量').replace('%20', '+')}&sort=popular`));
    await waitFor(() => expect(searches(api).at(-1)).toBe(`page=1&pageSize=10&q=${encodeURIComponent('交通 流量').replace('%20', '+')}&sort=popular`));
  });

  it('names the agency facet by the label the API sends', async () => {
    mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary()]) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?agency=housing' });
    expect(await screen.findByTestId('active-filter-agency-housing')).toHaveTextContent('市住房和建设局 Housing and Construction Bureau');
  });

  it('says when nothing matches and offers to clear the criteria', async () => {
    mockApi({ 'GET /api/v1/catalog/datasets': searchResult([], 0) });
    await renderPage(<CatalogPage />, { path: '/catalog', route: '/catalog?q=zzz' });
    expect(await screen.findByTestId('catalog-empty')).toHaveTextContent('No dataset matches');
    fireEvent.click(screen.getByTestId('catalog-empty-clear'));
    await waitFor(() => expect(screen.getByTestId('test-location').textContent).toBe('/catalog'));
  });
});
