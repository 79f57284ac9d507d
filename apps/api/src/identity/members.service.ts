import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Membership, Organization, TenantRepository, User, type TenantScope } from '@civic/db';
import { DomainError, isAdminRole, isRoleAllowedFor, ROLES, type Role } from '@civic/domain';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import { SessionService } from './session.service.js';

const ADMIN_ROLES = ROLES.filter(isAdminRole);

/** Members of the caller's organization. Every query is scoped to that tenant. */
@Injectable()
export class MembersService {
  private readonly memberships: TenantRepository<Membership>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
  ) {
    this.memberships = new TenantRepository(dataSource.manager, Membership);
  }

  async list(scope: TenantScope): Promise<Array<Membership & { user: User }>> {
    const memberships = await this.memberships.find(scope, {}, { createdAt: 'ASC' });
    const users = await this.dataSource.manager.findBy(User, { id: In(memberships.map((membership) => membership.userId)) });
    const byId = new Map(users.map((user) => [user.id, user]));
    return memberships.map((membership) => Object.assign(membership, { user: byId.get(membership.userId)! }));
  }

  async changeRole(actor: Actor & { principal: TenantScope }, membershipId: string, role: Role): Promise<Membership & { user: User }> {
    const scope = actor.principal;
    return this.dataSource.transaction(async (manager) => {
      const repository = this.memberships.withManager(manager);
      const membership = await this.lockedMembership(manager, repository, scope, membershipId);
      const organization = await manager.findOneByOrFail(Organization, { id: scope.organizationId });
      if (!isRoleAllowedFor(organization.kind, role)) {
        throw new DomainError('identity.role_not_allowed', `Role ${role} is not available in a ${organization.kind} organization.`, { role, kind: organization.kind });
      }
      const from = membership.role;
      if (from === role) return this.withUser(manager, membership);
      if (isAdminRole(from) && !isAdminRole(role)) await this.ensureAnotherAdmin(repository, scope, membership.id);
      await repository.update(scope, { id: membership.id }, { role });
      membership.role = role;
      await this.audit.record(manager, actor, {
        action: 'membership.role_changed',
        targetType: 'membership',
        targetId: membership.id,
        data: { userId: membership.userId, from, to: role },
      });
      return this.withUser(manager, membership);
    });
  }

  async remove(actor: Actor & { principal: TenantScope }, membershipId: string): Promise<void> {
    const scope = actor.principal;
    await this.dataSource.transaction(async (manager) => {
      const repository = this.memberships.withManager(manager);
      const membership = await this.lockedMembership(manager, repository, scope, membershipId);
      if (isAdminRole(membership.role)) await this.ensureAnotherAdmin(repository, scope, membership.id);
      await repository.delete(scope, { id: membership.id });
      await this.sessions.revokeForMembership(manager, membership.userId, scope.organizationId);
      await this.audit.record(manager, actor, {
        action: 'membership.removed',
        targetType: 'membership',
        targetId: membership.id,
        data: { userId: membership.userId, role: membership.role },
      });
    });
  }

  private async lockedMembership(manager: EntityManager, repository: TenantRepository<Membership>, scope: TenantScope, id: string): Promise<Membership> {
    // Serialize admin changes within one organization so two demotions cannot both pass the last-admin check.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`members:${scope.organizationId}`]);
    const membership = await repository.findOne(scope, { id });
    if (!membership) throw new DomainError('identity.not_found', 'Member not found.');
    return membership;
  }

  private async ensureAnotherAdmin(repository: TenantRepository<Membership>, scope: TenantScope, exceptId: string): Promise<void> {
    const admins = await repository.find(scope, { role: In(ADMIN_ROLES) });
    if (!admins.some((admin) => admin.id !== exceptId)) {
      throw new DomainError('identity.last_admin', 'An organization must keep at least one administrator.');
    }
  }

  private async withUser(manager: EntityManager, membership: Membership): Promise<Membership & { user: User }> {
    return Object.assign(membership, { user: await manager.findOneByOrFail(User, { id: membership.userId }) });
  }
}
