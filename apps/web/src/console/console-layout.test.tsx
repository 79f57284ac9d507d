import { act, cleanup, screen } from '@testing-library/react';
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
        </Route>
      </Routes>
    </AuthProvider>,
    { route: '/console' },
  );
  await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
}

describe('<ConsoleLayout>', () => {
  // Unmount first: outside <RequireAuth> the layout must never see a signed-out session.
  afterEach(() => {
    cleanup();
    sessionStore.signOut('logged_out');
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
});
