import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedSession } from './session.service.js';

export const REFRESH_COOKIE = 'civic_refresh';
/** Access token for browser navigations to operator pages (Bull Board); API calls use the header. */
export const ACCESS_COOKIE = 'civic_access';

/** Writes and clears the web session cookies: httpOnly, SameSite=Strict, path-limited. */
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
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' });
    reply.clearCookie(ACCESS_COOKIE, { path: '/admin' });
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return request.cookies?.[REFRESH_COOKIE];
  }
}
