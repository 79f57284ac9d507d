import { fireEvent, screen, waitFor } from '@testing-library/react';
import { datasetSummary, searchResult } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { LandingPage } from './landing-page';

describe('<LandingPage> catalog section', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('counts the datasets, links each theme to the catalog and searches from here', async () => {
    mockApi({ 'GET /api/v1/catalog/datasets': searchResult([datasetSummary()], 11) });
    await renderPage(<LandingPage />, { path: '/', route: '/' });
    expect(await screen.findByTestId('landing-catalog-total')).toHaveTextContent('11 datasets published by city agencies');
    expect(screen.getByText('Housing 1').closest('a')).toHaveAttribute('href', '/catalog?theme=housing');

    fireEvent.change(screen.getByTestId('landing-search-input'), { target: { value: 'bus' } });
    fireEvent.click(screen.getByTestId('landing-search-input-submit'));
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent('/catalog?q=bus'));
  });

  it('says the catalog is being populated while nothing is published', async () => {
    mockApi({ 'GET /api/v1/catalog/datasets': searchResult([], 0) });
    await renderPage(<LandingPage />, { path: '/', route: '/' });
    expect(await screen.findByTestId('catalog-empty')).toHaveTextContent('The catalog is being populated');
  });
});
