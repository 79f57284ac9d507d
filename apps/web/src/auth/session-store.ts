import type { Me, TokenResponse } from '../api/schema-types';

// The access token lives only in memory (never in localStorage): a page reload restores
// the session through the httpOnly refresh cookie instead.
export type SessionState =
  | { status: 'restoring' }
  | { status: 'anonymous'; reason: 'initial' | 'logged_out' | 'expired' }
  | { status: 'authenticated'; accessToken: string; me: Me };

type Listener = () => void;

let state: SessionState = { status: 'restoring' };
const listeners = new Set<Listener>();

function emit(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

export const sessionStore = {
  getState: (): SessionState => state,
  getAccessToken: (): string | null => (state.status === 'authenticated' ? state.accessToken : null),
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signIn(tokens: TokenResponse): void {
    emit({ status: 'authenticated', accessToken: tokens.accessToken, me: tokens.me });
  },
  updateMe(me: Me): void {
    if (state.status === 'authenticated') emit({ ...state, me });
  },
  signOut(reason: 'initial' | 'logged_out' | 'expired'): void {
    emit({ status: 'anonymous', reason });
  },
};
