import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import type { Me } from '../api/schema-types';
import { AuthProvider } from '../auth/auth-context';
import { sessionStore } from '../auth/session-store';
import { renderWithProviders } from '../test/render-with-providers';
import { ConsoleLayout } from './console-layout';

function vendorAdmin(overrides: Partial<Me> = {}): Me {
  return {
    user: { id: 'u1', email: 'ada@vendor.example', displayName: 'Ada', locale: 'en' },
    organization: { id: 'o1', name: 'Insight Data Ltd', slug: 'insight-data', kind: 'vendor', status: 'pending_approval', createdAt: '2026-11-01T00:00:00Z' },
    role: 'vendor_admin',
    permissions: ['members:read', 'members:manage', 'api_keys:read', 'api_keys:manage'],
    memberships: [{ organizationId: 'o1', organizationName: 'Insight Data Ltd', organizationKind: 'vendor', role: 'vendor_admin' }],
    ...overrides,
  };
}

async function renderConsole(me: Me) {
  sessionStore.signIn({ accessToken: 'token', expiresIn: 900, me });
  renderWithProviders(
    <AuthProvider>
      <Routes>
        <Route path="/console" element={<ConsoleLayout />}>
          <Route index element={<div>home</div>} />
          <Route path="members" element={<div data-testid="members-page">members</div>} />
        </Route>
      </Routes>
    </AuthProvider>,
    { route: '/console' },
  );
  await settle();
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)));

const jsdomMatchMedia = window.matchMedia;

/** A viewport `width` pixels wide, as antd's breakpoints read it (min-width and max-width media queries). */
function viewport(width: number) {
  window.matchMedia = (query: string) => {
    const min = /min-width:\s*(\d+)px/.exec(query);
    const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return { matches, media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false } as MediaQueryList;
  };
}

describe('<ConsoleLayout>', () => {
  // Unmount first: outside <RequireAuth> the layout must never see a signed-out session.
  beforeEach(() => viewport(1366));
  afterEach(() => {
    cleanup();
    sessionStore.signOut('logged_out');
    window.matchMedia = jsdomMatchMedia;
  });

  it('shows a pending vendor the approval banner and only the navigation its permissions allow', async () => {
    await renderConsole(vendorAdmin());
    expect(screen.getByTestId('pending-approval-banner')).toHaveTextContent('Awaiting platform approval');
    expect(screen.getByTestId('nav-members')).toBeInTheDocument();
    expect(screen.getByTestId('nav-api-keys')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-audit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-organizations')).not.toBeInTheDocument();
    expect(screen.getByTestId('current-organization')).toHaveTextContent('Insight Data Ltd');
    expect(screen.queryByTestId('org-switcher')).not.toBeInTheDocument();
  });

  it('offers an organization switcher to a user with several memberships', async () => {
    await renderConsole(
      vendorAdmin({
        organization: { id: 'p1', name: 'City Data Platform', slug: 'platform', kind: 'platform', status: 'active', createdAt: '2026-11-01T00:00:00Z' },
        role: 'platform_admin',
        permissions: ['audit:read', 'organizations:read', 'organizations:manage', 'queues:admin'],
        memberships: [
          { organizationId: 'p1', organizationName: 'City Data Platform', organizationKind: 'platform', role: 'platform_admin' },
          { organizationId: 'o1', organizationName: 'Insight Data Ltd', organizationKind: 'vendor', role: 'vendor_admin' },
        ],
      }),
    );
    expect(screen.queryByTestId('pending-approval-banner')).not.toBeInTheDocument();
    expect(screen.getByTestId('org-switcher')).toBeInTheDocument();
    expect(screen.getByTestId('nav-audit')).toBeInTheDocument();
    expect(screen.getByTestId('nav-queues')).toHaveAttribute('target', '_blank');
    expect(screen.queryByTestId('nav-members')).not.toBeInTheDocument();
  });

  it('keeps the navigation beside the page on a desktop', async () => {
    await renderConsole(vendorAdmin());
    expect(screen.getByTestId('console-sider')).toBeInTheDocument();
    expect(screen.queryByTestId('console-menu-button')).not.toBeInTheDocument();
    expect(screen.getByTestId('console-api-docs')).toHaveAttribute('href', '/api/docs');
  });

  it('opens the navigation over the page on a phone and closes it once an item is chosen', async () => {
    viewport(390);
    await renderConsole(vendorAdmin({ organization: { id: 'o1', name: '市财政局 Municipal Finance Bureau', slug: 'finance', kind: 'finance', status: 'active', createdAt: '2026-11-01T00:00:00Z' } }));
    // No sider pushing the page aside; the menu is behind the ☰ button.
    expect(screen.queryByTestId('console-sider')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-members')).not.toBeInTheDocument();
    expect(screen.getByTestId('current-organization')).toHaveTextContent('市财政局 Municipal Finance Bureau');
    const button = screen.getByTestId('console-menu-button');
    expect(button).toHaveAttribute('aria-expanded', 'false');

    fireEvent.click(button);
    await settle();
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const drawer = screen.getByTestId('console-nav-drawer');
    // The API docs link moves from the header into the menu.
    expect(within(drawer).getByTestId('console-api-docs')).toBeInTheDocument();
    expect(document.querySelector('.ant-layout-header [data-testid="console-api-docs"]')).toBeNull();

    fireEvent.click(within(drawer).getByTestId('nav-members'));
    await settle();
    expect(screen.getByTestId('members-page')).toBeInTheDocument();
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(document.querySelector('.ant-drawer-open')).toBeNull();

    // Choosing the page already shown closes it too.
    fireEvent.click(button);
    await settle();
    expect(document.querySelector('.ant-drawer-open')).not.toBeNull();
    fireEvent.click(within(screen.getByTestId('console-nav-drawer')).getByTestId('nav-members'));
    await settle();
    expect(button).toHaveAttribute('aria-expanded', 'false');
  });
});
