import { act, cleanup } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import type { Me } from '../api/schema-types';
import { AuthProvider } from '../auth/auth-context';
import { sessionStore } from '../auth/session-store';
import { renderWithProviders } from './render-with-providers';

/** Shows where the router is, so tests can assert on URL changes. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="test-location">{location.pathname + location.search}</output>;
}

/**
 * Renders a page at `route` under the route `path`, signed in as `me` (or anonymous),
 * with the providers of the app and an <output data-testid="test-location">.
 */
export async function renderPage(page: ReactElement, { path, route, me }: { path: string; route: string; me?: Me }) {
  if (me) sessionStore.signIn({ accessToken: 'test-token', expiresIn: 900, me });
  else sessionStore.signOut('initial');
  const result = renderWithProviders(
    <AuthProvider>
      <Routes>
        <Route path={path} element={page} />
        <Route path="*" element={<p data-testid="test-elsewhere" />} />
      </Routes>
      <LocationProbe />
    </AuthProvider>,
    { route },
  );
  await settle();
  return result;
}

/** Lets queries answer and antd finish its macro-tasks, inside act(). */
export function settle(ms = 20) {
  return act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

/** Unmounts before signing out: a page under <RequireAuth> must never see an anonymous session. */
export function resetPage() {
  cleanup();
  sessionStore.signOut('logged_out');
}
