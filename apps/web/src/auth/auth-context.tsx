import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { api, expectNoContent, refreshSession, unwrap } from '../api/client';
import type { Me, TokenResponse } from '../api/schema-types';
import { sessionStore, type SessionState } from './session-store';

export interface AuthContextValue {
  session: SessionState;
  /** The signed-in user's session, or undefined while anonymous or restoring. */
  me: Me | undefined;
  /** Stores a session returned by login, sign-up or invitation acceptance. */
  signIn(tokens: TokenResponse): void;
  logout(): Promise<void>;
  switchOrganization(organizationId: string): Promise<void>;
  /** Fetches a new token (and so new role and permissions) after the user's own membership changed. */
  reloadSession(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.getState);

  // A reload loses the in-memory access token; the refresh cookie brings the session back.
  useEffect(() => {
    if (sessionStore.getState().status !== 'restoring') return;
    void refreshSession().then((tokens) => {
      if (!tokens && sessionStore.getState().status === 'restoring') sessionStore.signOut('initial');
    });
  }, []);

  const signIn = useCallback(
    (tokens: TokenResponse) => {
      // Cached data belongs to the previous user or organization.
      queryClient.clear();
      sessionStore.signIn(tokens);
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await expectNoContent(api.POST('/api/v1/auth/logout'));
    } finally {
      queryClient.clear();
      sessionStore.signOut('logged_out');
    }
  }, [queryClient]);

  const switchOrganization = useCallback(
    async (organizationId: string) => {
      const tokens = await unwrap(api.POST('/api/v1/auth/switch-organization', { body: { organizationId } }));
      signIn(tokens);
    },
    [signIn],
  );

  const reloadSession = useCallback(async () => {
    const tokens = await refreshSession();
    if (!tokens) {
      queryClient.clear();
      sessionStore.signOut('expired');
    }
  }, [queryClient]);

  const value = useMemo<AuthContextValue>(
    () => ({
      session,
      me: session.status === 'authenticated' ? session.me : undefined,
      signIn,
      logout,
      switchOrganization,
      reloadSession,
    }),
    [session, signIn, logout, switchOrganization, reloadSession],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** For pages under <RequireAuth>: the session is known to exist there. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe must be used under <RequireAuth>');
  return me;
}
