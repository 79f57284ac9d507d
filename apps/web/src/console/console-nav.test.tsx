import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithProviders } from '../test/render-with-providers';
import { ConsoleNav } from './console-nav';
import { navLabelKey, selectedNavKey, visibleNavItems } from './console-nav-items';

const navKeys = (permissions: string[]) => visibleNavItems(permissions).map((item) => item.key);

describe('visibleNavItems', () => {
  it('shows home and the public catalog without permissions', () => {
    expect(navKeys([])).toEqual(['home', 'catalog']);
  });

  it('adds each item with its permission', () => {
    expect(navKeys(['members:read', 'api_keys:read'])).toEqual(['home', 'catalog', 'members', 'api-keys']);
    expect(navKeys(['audit:read'])).toEqual(['home', 'catalog', 'audit']);
    expect(navKeys(['organizations:read', 'queues:admin'])).toEqual(['home', 'catalog', 'organizations', 'queues']);
  });

  it('does not treat a manage permission as implying read', () => {
    expect(navKeys(['members:manage'])).toEqual(['home', 'catalog']);
  });

  it("gives a steward the agency's datasets and request queue instead of its own requests", () => {
    expect(navKeys(['datasets:manage', 'access_requests:read', 'access_requests:decide'])).toEqual(['home', 'catalog', 'datasets', 'access-requests']);
  });

  it('gives product owners their products and reviewers the review queue', () => {
    // A steward sells base products and reviews products built on the agency's data.
    expect(navKeys(['datasets:manage', 'products:manage', 'products:review', 'product_reviews:read', 'access_requests:read', 'access_requests:decide'])).toEqual([
      'home',
      'catalog',
      'datasets',
      'products',
      'product-reviews',
      'access-requests',
    ]);
    // A vendor builds products; the platform operator reviews them.
    expect(navKeys(['products:manage', 'access_requests:read', 'access_requests:file'])).toEqual(['home', 'catalog', 'products', 'my-access']);
    expect(navKeys(['products:review', 'product_reviews:read', 'audit:read'])).toEqual(['home', 'catalog', 'product-reviews', 'audit']);
    // Supervision reads the reviews (and decides nothing).
    expect(navKeys(['product_reviews:read', 'audit:read'])).toEqual(['home', 'catalog', 'product-reviews', 'audit']);
  });

  it('gives each side of a sale its pages', () => {
    // Buyers: licences and invoices; members may read them.
    expect(navKeys(['access_requests:read', 'access_requests:file', 'licenses:read', 'licenses:buy'])).toEqual(['home', 'catalog', 'storefront', 'my-access', 'licenses', 'invoices']);
    expect(navKeys(['access_requests:read', 'licenses:read'])).toEqual(['home', 'catalog', 'my-access', 'licenses', 'invoices']);
    // Vendors: sales, purchases to approve, payouts; an agency approves purchases over its data too.
    expect(navKeys(['products:manage', 'offers:manage', 'licenses:decide', 'payouts:manage'])).toEqual(['home', 'catalog', 'products', 'sales', 'license-approvals', 'payouts']);
    // Finance and supervision: every invoice; the operator also sets the price caps.
    expect(navKeys(['invoices:read', 'invoices:settle'])).toEqual(['home', 'catalog', 'finance-invoices']);
    expect(navKeys(['invoices:read', 'pricing:manage'])).toEqual(['home', 'catalog', 'finance-invoices', 'price-caps']);
    // Only platform operators publish the standard licence templates.
    expect(navKeys(['invoices:read', 'pricing:manage', 'license_templates:manage'])).toEqual(['home', 'catalog', 'finance-invoices', 'price-caps', 'license-templates']);
    expect(navKeys(['products:manage', 'offers:manage'])).not.toContain('license-templates');
  });

  it('gives government finance its console and sellers their revenue statement', () => {
    const financeConsole = ['finance-revenue', 'finance-invoices', 'finance-receivables', 'finance-ledger', 'finance-reconciliation', 'finance-settlements', 'finance-periods', 'finance-policy'];
    // Finance analysts, supervisors and operators read the money; every finance page is a group of its own.
    expect(navKeys(['members:read', 'invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'])).toEqual(['home', 'catalog', ...financeConsole, 'members']);
    expect(navKeys(['invoices:read', 'finance:read', 'audit:read'])).toEqual(['home', 'catalog', ...financeConsole, 'audit']);
    expect(visibleNavItems(['invoices:read', 'finance:read']).filter((item) => item.group === 'finance').map((item) => item.key)).toEqual(financeConsole);
    // Vendors and stewards: their own sales or royalties, never the platform's books.
    expect(navKeys(['products:manage', 'offers:manage', 'payouts:manage', 'revenue:read'])).toEqual(['home', 'catalog', 'products', 'sales', 'payouts', 'revenue']);
    expect(navKeys(['revenue:read'])).not.toContain('finance-revenue');
  });

  it('gives buyers their own requests and grants', () => {
    expect(navKeys(['access_requests:read', 'access_requests:file'])).toEqual(['home', 'catalog', 'my-access']);
    expect(navKeys(['access_requests:read'])).toEqual(['home', 'catalog', 'my-access']);
  });
});

describe('navLabelKey', () => {
  it("names a seller's statement as its page does: a vendor's earnings, an agency's royalties", () => {
    expect(navLabelKey('revenue', 'vendor')).toBe('nav.earnings');
    expect(navLabelKey('revenue', 'agency')).toBe('nav.royalties');
    expect(navLabelKey('sales', 'vendor')).toBe('nav.sales');
    expect(navLabelKey('finance-revenue', 'finance')).toBe('nav.finance-revenue');
  });
});

describe('selectedNavKey', () => {
  it('selects the section of a nested console page', () => {
    expect(selectedNavKey('/console/datasets/3f0c9e0e-0000-4000-8000-000000000001')).toBe('datasets');
    expect(selectedNavKey('/console/access-requests')).toBe('access-requests');
    expect(selectedNavKey('/console/products/3f0c9e0e-0000-4000-8000-000000000001')).toBe('products');
    expect(selectedNavKey('/console/product-reviews/3f0c9e0e-0000-4000-8000-000000000001')).toBe('product-reviews');
    expect(selectedNavKey('/console/licenses/3f0c9e0e-0000-4000-8000-000000000001')).toBe('licenses');
    expect(selectedNavKey('/console/finance/invoices')).toBe('finance-invoices');
    expect(selectedNavKey('/console/finance/ledger')).toBe('finance-ledger');
    expect(selectedNavKey('/console/revenue')).toBe('revenue');
    expect(selectedNavKey('/console/sales/3f0c9e0e-0000-4000-8000-000000000001')).toBe('sales');
    expect(selectedNavKey('/console')).toBe('home');
  });
});

// antd's Menu measures its items in a later macro-task; let it settle inside act().
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)));

describe('<ConsoleNav>', () => {
  it('renders links for a buyer administrator and hides platform items', async () => {
    renderWithProviders(<ConsoleNav permissions={['members:read', 'members:manage', 'api_keys:read', 'api_keys:manage']} organizationKind="enterprise" />, {
      route: '/console/members',
    });
    await settle();
    expect(screen.getByTestId('nav-home')).toHaveAttribute('href', '/console');
    expect(screen.getByTestId('nav-members')).toHaveTextContent('Members');
    expect(screen.getByTestId('nav-api-keys')).toHaveAttribute('href', '/console/api-keys');
    expect(screen.queryByTestId('nav-audit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-organizations')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-queues')).not.toBeInTheDocument();
  });

  it('lists the finance pages under a Finance heading', async () => {
    renderWithProviders(<ConsoleNav permissions={['invoices:read', 'finance:read']} organizationKind="finance" />, { route: '/console/finance/periods' });
    await settle();
    const heading = screen.getByTestId('nav-group-finance');
    expect(heading).toHaveTextContent('Finance');
    const group = heading.closest('li') as HTMLElement;
    expect(group.querySelectorAll('[data-testid^="nav-finance-"]')).toHaveLength(8);
    expect(screen.getByTestId('nav-finance-periods')).toHaveAttribute('href', '/console/finance/periods');
  });

  it("keeps a vendor's licences sold (Sales) apart from its earnings, and calls an agency's statement its royalties", async () => {
    let chosen = 0;
    const onNavigate = () => (chosen += 1);
    renderWithProviders(<ConsoleNav permissions={['products:manage', 'offers:manage', 'revenue:read']} organizationKind="vendor" onNavigate={onNavigate} />, { route: '/console' });
    await settle();
    expect(screen.getByTestId('nav-sales')).toHaveTextContent('Sales');
    expect(screen.getByTestId('nav-revenue')).toHaveTextContent('Earnings');
    fireEvent.click(screen.getByTestId('nav-revenue'));
    expect(chosen).toBe(1);
    cleanup();
    renderWithProviders(<ConsoleNav permissions={['datasets:manage', 'revenue:read']} organizationKind="agency" />, { route: '/console' });
    await settle();
    expect(screen.getByTestId('nav-revenue')).toHaveTextContent('Royalties');
  });

  it('opens the queue dashboard in a new tab for queue administrators', async () => {
    renderWithProviders(<ConsoleNav permissions={['audit:read', 'organizations:read', 'queues:admin']} organizationKind="platform" />, { route: '/console' });
    await settle();
    const queues = screen.getByTestId('nav-queues');
    // In the console's language (the tests' is English).
    expect(queues).toHaveAttribute('href', '/admin/queues?lng=en');
    expect(queues).toHaveAttribute('target', '_blank');
    expect(screen.getByTestId('nav-audit')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-members')).not.toBeInTheDocument();
  });
});
