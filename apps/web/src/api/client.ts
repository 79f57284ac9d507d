import createClient from 'openapi-fetch';
import { i18n } from '../i18n/i18n';
import { hasSessionMarker } from '../auth/session-marker';
import { sessionStore } from '../auth/session-store';
import { ApiError } from './api-error';
import { createAuthMiddleware } from './auth-middleware';
import type { paths } from './schema';
import type { TokenResponse } from './schema-types';

/** The one typed client of the API. Paths, bodies and responses come from schema.d.ts. */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'include' });

let refreshInFlight: Promise<TokenResponse | null> | null = null;

/**
 * Exchanges the httpOnly refresh cookie for a new access token. Concurrent callers (several
 * queries failing with 401 at once, React strict-mode double effects) share one request.
 * Without the session marker there is no session to refresh: null, and no request.
 */
export function refreshSession(): Promise<TokenResponse | null> {
  if (!refreshInFlight && !hasSessionMarker()) return Promise.resolve(null);
  refreshInFlight ??= api
    .POST('/api/v1/auth/refresh', { credentials: 'include' })
    .then(({ data }) => {
      if (data) sessionStore.signIn(data);
      return data ?? null;
    })
    .catch(() => null)
    .finally(() => {
      refreshInFlight = null;
    });
  return refreshInFlight;
}

api.use(
  createAuthMiddleware({
    getAccessToken: sessionStore.getAccessToken,
    getLanguage: () => i18n.language,
    refreshAccessToken: async () => (await refreshSession())?.accessToken ?? null,
    onSessionExpired: () => sessionStore.signOut('expired'),
  }),
);

type ApiResult<Data> = Promise<{ data?: Data; error?: unknown; response: Response }>;

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError. */
export async function unwrap<Data>(call: ApiResult<Data>): Promise<Data> {
  let result: Awaited<ApiResult<Data>>;
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result.data as Data;
}

/** Same as unwrap for calls answering 204 No Content. */
export async function expectNoContent(call: ApiResult<unknown>): Promise<void> {
  await unwrap(call);
}
