import { screen } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { ConsoleHomePage } from '../pages/console-home-page';
import { upcomingCapabilitiesByRole } from './role-capabilities';

describe('capabilities announced as coming later', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists none that a page of the console already does', () => {
    // Payouts and Earnings are live for vendors; Revenue for agencies; the Finance group for finance.
    expect(upcomingCapabilitiesByRole.vendor_admin).toEqual([]);
    expect(upcomingCapabilitiesByRole.steward).toEqual([]);
    expect(upcomingCapabilitiesByRole.finance_analyst).toEqual([]);
    expect(upcomingCapabilitiesByRole.supervisor).toEqual(['supervisionReports']);
  });

  it('shows a vendor no “coming later” card, and a supervisor the reports still to come', async () => {
    mockApi({});
    await renderPage(<ConsoleHomePage />, { path: '/console', route: '/console', me: member('vendor_admin', ['products:manage', 'offers:manage', 'payouts:manage', 'revenue:read'], 'vendor') });
    expect(screen.getByTestId('home-available')).toHaveTextContent('Payouts');
    expect(screen.queryByTestId('home-upcoming')).toBeNull();
    expect(screen.queryByText('Revenue shares')).toBeNull();
    resetPage();

    await renderPage(<ConsoleHomePage />, { path: '/console', route: '/console', me: member('supervisor', ['audit:read', 'finance:read'], 'platform') });
    expect(screen.getByTestId('home-upcoming')).toHaveTextContent('Supervision reports');
  });
});
