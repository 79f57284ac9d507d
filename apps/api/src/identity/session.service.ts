import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { RefreshToken } from '@civic/db';
import { DomainError, generateOpaqueToken, hashOpaqueToken } from '@civic/domain';
import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { TokenService } from './token.service.js';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  userId: string;
  organizationId: string;
}

/** Access tokens plus rotating, revocable refresh tokens. */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly config: ApiConfig,
  ) {}

  async issue(manager: EntityManager, userId: string, organizationId: string, familyId: string = randomUUID()): Promise<IssuedSession> {
    const refreshToken = generateOpaqueToken();
    const refreshExpiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    await manager.insert(RefreshToken, { userId, organizationId, familyId, tokenHash: hashOpaqueToken(refreshToken), expiresAt: refreshExpiresAt });
    const accessToken = await this.tokens.sign({ userId, organizationId });
    return { accessToken, expiresIn: this.tokens.accessTtlSeconds, refreshToken, refreshExpiresAt, userId, organizationId };
  }

  /**
   * Exchanges a refresh token for a new session of the same family. Presenting a token
   * that was already rotated (outside the grace window) revokes the whole family.
   */
  async rotate(refreshToken: string): Promise<{ session: IssuedSession | null; reuseDetected: boolean; userId: string | null }> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await manager.findOne(RefreshToken, { where: { tokenHash: hashOpaqueToken(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) return { session: null, reuseDetected: false, userId: stored?.userId ?? null };
      if (stored.rotatedAt) {
        // A concurrent refresh from a second tab within the grace window is not treated as theft.
        if (Date.now() - stored.rotatedAt.getTime() <= this.config.REFRESH_REUSE_GRACE_SECONDS * 1000) {
          return { session: await this.issue(manager, stored.userId, stored.organizationId, stored.familyId), reuseDetected: false, userId: stored.userId };
        }
        await manager.update(RefreshToken, { familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return { session: null, reuseDetected: true, userId: stored.userId };
      }
      await manager.update(RefreshToken, { id: stored.id }, { rotatedAt: new Date() });
      return { session: await this.issue(manager, stored.userId, stored.organizationId, stored.familyId), reuseDetected: false, userId: stored.userId };
    });
  }

  /** Revokes the family of the given refresh token; returns its user, if the token was known. */
  async revoke(refreshToken: string): Promise<string | null> {
    const stored = await this.dataSource.manager.findOne(RefreshToken, { where: { tokenHash: hashOpaqueToken(refreshToken) } });
    if (!stored) return null;
    await this.dataSource.manager.update(RefreshToken, { familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return stored.userId;
  }

  /** Ends every session of a user in one organization (after removal from it). */
  async revokeForMembership(manager: EntityManager, userId: string, organizationId: string): Promise<void> {
    await manager.update(RefreshToken, { userId, organizationId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  static invalid(): DomainError {
    return new DomainError('auth.refresh_invalid', 'The session has expired; sign in again.');
  }
}
