import { hasSessionMarker } from '../auth/session-marker';
import { sessionStore } from '../auth/session-store';
import { member } from '../test/catalog-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { refreshSession } from './client';

const clearMarker = () => {
  document.cookie = 'civic_session=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
};

describe('refreshSession', () => {
  afterEach(() => {
    clearMarker();
    clearMockApi();
    sessionStore.signOut('logged_out');
  });

  it('reads the session marker among other cookies', () => {
    expect(hasSessionMarker('')).toBe(false);
    expect(hasSessionMarker('theme=dark; civic_session=1')).toBe(true);
    expect(hasSessionMarker('civic_session=; other=1')).toBe(false);
    expect(hasSessionMarker('civic_session_old=1')).toBe(false);
  });

  it('asks nothing of the API when there is no session marker (an anonymous visitor)', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': apiError(401, 'auth.refresh_invalid', 'no session') });
    expect(await refreshSession()).toBeNull();
    expect(api.requests).toHaveLength(0);
  });

  it('refreshes with the marker and signs in', async () => {
    document.cookie = 'civic_session=1; path=/';
    const signedIn = member('buyer_admin', ['licenses:read']);
    const api = mockApi({ 'POST /api/v1/auth/refresh': { accessToken: 'fresh-token', expiresIn: 900, me: signedIn } });
    const [first, second] = await Promise.all([refreshSession(), refreshSession()]);
    expect(first?.accessToken).toBe('fresh-token');
    expect(second).toBe(first);
    // Concurrent callers share one request.
    expect(api.requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(['POST /api/v1/auth/refresh']);
    expect(sessionStore.getAccessToken()).toBe('fresh-token');
  });

  it('answers null when the session behind the marker has ended', async () => {
    document.cookie = 'civic_session=1; path=/';
    mockApi({ 'POST /api/v1/auth/refresh': apiError(401, 'auth.refresh_invalid', 'expired') });
    expect(await refreshSession()).toBeNull();
  });
});
