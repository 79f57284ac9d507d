import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiKey } from '@civic/db';
import { apiKeyMatches, DomainError, effectivePermissions, parseApiKeyPrefix, type OrganizationKind, type OrganizationStatus, type Role } from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/principal.js';
import { ChangeFeed, type ChangeCache } from '../database/change-feed.service.js';
import { TokenService } from './token.service.js';

const LAST_USED_RESOLUTION_MS = 60_000;
/** API keys (by prefix) kept in memory with their organization's kind and status. */
const CACHED_KEYS = 10_000;

/**
 * Turns a credential into a Principal. Memberships are read on every request; API keys come
 * from a cache that every change of a key or organization empties (ChangeFeed: in this process
 * before the change's commit returns, in the others when PostgreSQL's notification arrives), so
 * a role change, a removal or a key revocation takes effect immediately.
 */
@Injectable()
export class PrincipalService {
  private readonly keys: ChangeCache<ApiKeyRow>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    changes: ChangeFeed,
  ) {
    this.keys = changes.cache<ApiKeyRow>(['api_keys', 'organizations'], CACHED_KEYS);
  }

  /** Null when the request carries no credential; throws when it carries a bad one. */
  async fromHeaders(headers: Record<string, string | string[] | undefined>): Promise<Principal | null> {
    const apiKeyHeader = headers['x-api-key'];
    if (typeof apiKeyHeader === 'string' && apiKeyHeader) return this.fromApiKey(apiKeyHeader);
    const authorization = headers.authorization;
    if (typeof authorization !== 'string' || !authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new DomainError('auth.unauthenticated', 'Use "Authorization: Bearer <token>".');
    const credential = match[1];
    return credential.startsWith('cdm_') ? this.fromApiKey(credential) : this.fromAccessToken(credential);
  }

  async fromAccessToken(token: string): Promise<Principal> {
    const claims = await this.tokens.verify(token);
    return this.forMembership(claims.userId, claims.organizationId);
  }

  async forMembership(userId: string, organizationId: string): Promise<Principal> {
    const [row]: Array<{ role: Role; kind: OrganizationKind; status: OrganizationStatus }> = await this.dataSource.query(
      `SELECT m.role, o.kind, o.status FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 AND m.organization_id = $2`,
      [userId, organizationId],
    );
    if (!row) throw new DomainError('auth.unauthenticated', 'The membership behind this session no longer exists.');
    return {
      kind: 'user',
      userId,
      apiKeyId: null,
      organizationId,
      organizationKind: row.kind,
      organizationStatus: row.status,
      role: row.role,
      permissions: effectivePermissions(row.role, row.status),
      scopes: [],
    };
  }

  async fromApiKey(key: string): Promise<Principal> {
    const invalid = () => new DomainError('auth.api_key_invalid', 'The API key is invalid, expired or revoked.');
    const prefix = parseApiKeyPrefix(key);
    if (!prefix) throw invalid();
    const row = await this.keys.read(prefix, async () => {
      const [found]: Array<ApiKeyRow> = await this.dataSource.query(
        `SELECT k.id, k.organization_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, o.kind, o.status
           FROM api_keys k JOIN organizations o ON o.id = k.organization_id WHERE k.prefix = $1`,
        [prefix],
      );
      return found as ApiKeyRow;
    });
    if (!row || !apiKeyMatches(key, row.key_hash) || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) throw invalid();
    if (row.status !== 'active') throw invalid();
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      const now = new Date();
      // Bookkeeping, not a change of the key: the cached row is brought up to date here.
      this.keys.update(prefix, { ...row, last_used_at: now });
      await this.dataSource.getRepository(ApiKey).update({ id: row.id }, { lastUsedAt: now });
    }
    return {
      kind: 'api_key',
      userId: null,
      apiKeyId: row.id,
      organizationId: row.organization_id,
      organizationKind: row.kind,
      organizationStatus: row.status,
      role: null,
      permissions: [],
      scopes: row.scopes,
    };
  }
}

interface ApiKeyRow {
  id: string;
  organization_id: string;
  key_hash: string;
  scopes: Principal['scopes'];
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  kind: OrganizationKind;
  status: OrganizationStatus;
}
