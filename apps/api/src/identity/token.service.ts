import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { DomainError } from '@civic/domain';
import { jwtVerify, SignJWT } from 'jose';

export interface AccessClaims {
  userId: string;
  organizationId: string;
}

/** Short-lived signed access tokens (HS256). Refresh tokens live in the database instead. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(private readonly config: ApiConfig) {
    this.key = new TextEncoder().encode(config.JWT_SECRET);
  }

  get accessTtlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ org: claims.organizationId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuedAt()
      .setIssuer('civic')
      .setExpirationTime(`${this.config.ACCESS_TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'civic', algorithms: ['HS256'] });
      if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.org !== 'string') throw new Error('bad claims');
      return { userId: payload.sub, organizationId: payload.org };
    } catch {
      throw new DomainError('auth.unauthenticated', 'The access token is invalid or expired.');
    }
  }
}
