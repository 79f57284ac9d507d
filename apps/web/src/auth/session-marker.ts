/**
 * The API sets the `civic_session` cookie with the httpOnly refresh cookie and clears it with
 * it: scripts cannot see the refresh cookie, but can see this one, so a visitor without a
 * session is known to be anonymous without a refresh request that could only fail with 401.
 */
export const SESSION_MARKER_COOKIE = 'civic_session';

export function hasSessionMarker(cookies: string = typeof document === 'undefined' ? '' : document.cookie): boolean {
  return cookies.split(';').some((pair) => {
    const [name, value] = pair.trim().split('=');
    return name === SESSION_MARKER_COOKIE && Boolean(value);
  });
}
