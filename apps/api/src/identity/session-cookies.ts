import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedSession } from './session.service.js';

export const REFRESH_COOKIE = 'civic_refresh';
/** Access token for browser navigations to operator pages (Bull Board); API calls use the header. */
export const ACCESS_COOKIE = 'civic_access';
/**
 * Tells the web app a session exists, so a visitor without one never asks for a refresh that
 * can only fail: readable by scripts, on every path, expiring with the refresh cookie, and no
 * credential (its value is always "1").
 */
export const SESSION_MARKER_COOKIE = 'civic_session';

/** Writes and clears the web session cookies: httpOnly, SameSite=Strict, path-limited (and the session marker). */
@Injectable()
export class SessionCookies {
  constructor(private readonly config: ApiConfig) {}

  private get secure(): boolean {
    return this.config.COOKIE_SECURE ?? this.config.NODE_ENV === 'production';
  }

  write(reply: FastifyReply, session: IssuedSession): void {
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'strict',
      path: '/api/v1/auth',
      expires: session.refreshExpiresAt,
    });
    reply.setCookie(ACCESS_COOKIE, session.accessToken, {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'strict',
      path: '/admin',
      maxAge: session.expiresIn,
    });
    reply.setCookie(SESSION_MARKER_COOKIE, '1', {
      httpOnly: false,
      secure: this.secure,
      sameSite: 'strict',
      path: '/',
      expires: session.refreshExpiresAt,
    });
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' });
    reply.clearCookie(ACCESS_COOKIE, { path: '/admin' });
    reply.clearCookie(SESSION_MARKER_COOKIE, { path: '/' });
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return request.cookies?.[REFRESH_COOKIE];
  }
}
