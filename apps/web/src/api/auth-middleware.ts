import type { Middleware } from 'openapi-fetch';

export interface AuthMiddlewareDependencies {
  getAccessToken(): string | null;
  getLanguage(): string;
  /** Resolves to a fresh access token, or null when the refresh cookie is no longer valid. */
  refreshAccessToken(): Promise<string | null>;
  onSessionExpired(): void;
}

// Calls that must never trigger a refresh-and-retry: they either are the refresh, or
// answer 401 for reasons a new token cannot fix (wrong password, bad invitation token).
const pathsWithoutRetry = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/logout',
  '/api/v1/auth/signup',
  '/api/v1/invitations/preview',
  '/api/v1/invitations/accept',
]);

/**
 * Adds the bearer token to every call; on a 401 refreshes once (deduplicated by the
 * caller) and replays the request once. The replay goes straight to fetch, so a second
 * 401 is returned as is rather than looping.
 */
export function createAuthMiddleware(dependencies: AuthMiddlewareDependencies): Middleware {
  // The body of the original request is consumed by fetch, so a copy is kept per call.
  const replayableCopies = new Map<string, Request>();

  return {
    onRequest({ request, schemaPath, id }) {
      const token = dependencies.getAccessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      request.headers.set('Accept-Language', dependencies.getLanguage());
      if (!pathsWithoutRetry.has(schemaPath)) replayableCopies.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id, options }) {
      const copy = replayableCopies.get(id);
      replayableCopies.delete(id);
      if (response.status !== 401 || !copy) return undefined;

      const token = await dependencies.refreshAccessToken();
      if (!token) {
        dependencies.onSessionExpired();
        return undefined;
      }
      copy.headers.set('Authorization', `Bearer ${token}`);
      return options.fetch(copy);
    },
    onError({ id }) {
      replayableCopies.delete(id);
      return undefined;
    },
  };
}
