import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiKey, Organization, TenantRepository, type TenantScope } from '@civic/db';
import { DomainError, generateApiKey } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import type { ApiKeyPrincipalDto, CreateApiKeyDto } from './dto/identity.dto.js';
import { toOrganizationDto } from './dto/mappers.js';

/** An organization's API keys. Keys are shown once and stored only as hashes. */
@Injectable()
export class ApiKeysService {
  private readonly keys: TenantRepository<ApiKey>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {
    this.keys = new TenantRepository(dataSource.manager, ApiKey);
  }

  list(scope: TenantScope): Promise<ApiKey[]> {
    return this.keys.find(scope, {}, { createdAt: 'DESC' });
  }

  async create(actor: Actor, scope: TenantScope, input: CreateApiKeyDto): Promise<{ apiKey: ApiKey; key: string }> {
    const generated = generateApiKey();
    return this.dataSource.transaction(async (manager) => {
      const apiKey = await this.keys.withManager(manager).insert(scope, {
        name: input.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        scopes: input.scopes,
        createdByUserId: actor.principal?.userId ?? null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      });
      await this.audit.record(manager, actor, {
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: apiKey.id,
        data: { name: apiKey.name, prefix: apiKey.prefix, scopes: apiKey.scopes, expiresAt: apiKey.expiresAt?.toISOString() ?? null },
      });
      return { apiKey, key: generated.key };
    });
  }

  async revoke(actor: Actor, scope: TenantScope, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = this.keys.withManager(manager);
      const apiKey = await repository.findOne(scope, { id });
      if (!apiKey) throw new DomainError('identity.api_key_not_found', 'API key not found.');
      if (apiKey.revokedAt) return;
      await repository.update(scope, { id }, { revokedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'api_key.revoked', targetType: 'api_key', targetId: id, data: { prefix: apiKey.prefix } });
    });
  }

  async describe(principal: Principal): Promise<ApiKeyPrincipalDto> {
    if (principal.kind !== 'api_key' || !principal.apiKeyId) throw new DomainError('auth.forbidden', 'Call this with an API key.');
    const organization = await this.dataSource.manager.findOneByOrFail(Organization, { id: principal.organizationId });
    return { apiKeyId: principal.apiKeyId, organization: toOrganizationDto(organization), scopes: principal.scopes };
  }
}
