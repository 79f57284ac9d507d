import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hashPassword, Membership, Organization, User, verifyAgainstDummy, verifyPassword } from '@civic/db';
import { DomainError, effectivePermissions, FOUNDING_ROLE, lockSecondsAfterFailures, requireAcceptablePassword, slugify } from '@civic/domain';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal, RequestOrigin } from '../common/principal.js';
import type { LoginDto, MeDto, SignupDto } from './dto/identity.dto.js';
import { toOrganizationDto } from './dto/mappers.js';
import { SessionService, type IssuedSession } from './session.service.js';

export interface SignedIn {
  session: IssuedSession;
  me: MeDto;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async login(input: LoginDto, origin: RequestOrigin): Promise<SignedIn> {
    const invalid = new DomainError('auth.invalid_credentials', 'Email or password is incorrect.');
    const user = await this.dataSource.manager.findOne(User, { where: { email: input.email } });
    if (!user) {
      await verifyAgainstDummy(input.password);
      await this.audit.recordAlone(origin, { action: 'auth.login_failed', organizationId: null, data: { email: input.email, reason: 'unknown_email' } });
      throw invalid;
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      const retryAfterSeconds = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000);
      await this.audit.recordAlone(origin, { action: 'auth.login_locked', organizationId: null, actorUserId: user.id, data: { email: user.email } });
      throw new DomainError('auth.locked', 'Too many failed attempts; the account is locked for a while.', { retryAfterSeconds });
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      await this.dataSource.transaction(async (manager) => {
        await manager.increment(User, { id: user.id }, 'failedLoginCount', 1);
        const { failedLoginCount: failures } = await manager.findOneOrFail(User, { where: { id: user.id } });
        const lockSeconds = lockSecondsAfterFailures(failures);
        if (lockSeconds > 0) await manager.update(User, { id: user.id }, { lockedUntil: new Date(Date.now() + lockSeconds * 1000) });
        await this.audit.record(manager, origin, {
          action: 'auth.login_failed',
          organizationId: null,
          actorUserId: user.id,
          data: { email: user.email, reason: 'wrong_password', failures, lockedForSeconds: lockSeconds },
        });
      });
      throw invalid;
    }
    return this.dataSource.transaction(async (manager) => {
      const membership = await this.pickMembership(manager, user.id, input.organizationId);
      await manager.update(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() });
      const session = await this.sessions.issue(manager, user.id, membership.organizationId);
      await this.audit.record(manager, origin, {
        action: 'auth.login',
        actorUserId: user.id,
        actorOrganizationId: membership.organizationId,
        organizationId: membership.organizationId,
      });
      return { session, me: await this.me(manager, user.id, membership.organizationId) };
    });
  }

  async signup(input: SignupDto, origin: RequestOrigin): Promise<SignedIn> {
    requireAcceptablePassword(input.password, [input.email, input.displayName, input.organizationName]);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(User, { where: { email: input.email } })) {
        throw new DomainError('identity.email_taken', 'An account with this email already exists; sign in instead.');
      }
      const organization = await manager.save(
        manager.create(Organization, {
          name: input.organizationName,
          slug: `${slugify(input.organizationName, input.kind)}-${randomBytes(3).toString('hex')}`,
          kind: input.kind,
          // Vendors sell on the platform's storefront, so an operator checks them first.
          status: input.kind === 'vendor' ? 'pending_approval' : 'active',
        }),
      );
      const user = await manager.save(manager.create(User, { email: input.email, displayName: input.displayName, passwordHash, locale: input.locale ?? 'zh-CN' }));
      await manager.insert(Membership, { organizationId: organization.id, userId: user.id, role: FOUNDING_ROLE[input.kind] });
      await this.audit.record(manager, origin, {
        action: 'organization.signup',
        actorUserId: user.id,
        actorOrganizationId: organization.id,
        organizationId: organization.id,
        targetType: 'organization',
        targetId: organization.id,
        data: { kind: organization.kind, status: organization.status, name: organization.name, email: user.email },
      });
      const session = await this.sessions.issue(manager, user.id, organization.id);
      return { session, me: await this.me(manager, user.id, organization.id) };
    });
  }

  async refresh(refreshToken: string | undefined, origin: RequestOrigin): Promise<SignedIn> {
    if (!refreshToken) throw SessionService.invalid();
    const result = await this.sessions.rotate(refreshToken);
    if (result.reuseDetected) {
      await this.audit.recordAlone(origin, { action: 'auth.refresh_reuse_detected', organizationId: null, actorUserId: result.userId });
    }
    if (!result.session) throw SessionService.invalid();
    const session = result.session;
    try {
      return { session, me: await this.me(this.dataSource.manager, session.userId, session.organizationId) };
    } catch {
      // The membership behind the session was removed meanwhile.
      throw SessionService.invalid();
    }
  }

  async switchOrganization(actor: Actor, organizationId: string): Promise<SignedIn> {
    const userId = actor.principal?.userId;
    if (!userId) throw new DomainError('auth.forbidden', 'Only users can switch organization.');
    return this.dataSource.transaction(async (manager) => {
      const membership = await this.pickMembership(manager, userId, organizationId);
      const session = await this.sessions.issue(manager, userId, membership.organizationId);
      await this.audit.record(manager, actor, { action: 'auth.organization_switched', organizationId, data: { from: actor.principal?.organizationId } });
      return { session, me: await this.me(manager, userId, organizationId) };
    });
  }

  async logout(refreshToken: string | undefined, origin: RequestOrigin): Promise<void> {
    if (!refreshToken) return;
    const userId = await this.sessions.revoke(refreshToken);
    if (userId) await this.audit.recordAlone(origin, { action: 'auth.logout', organizationId: null, actorUserId: userId });
  }

  current(principal: Principal): Promise<MeDto> {
    if (!principal.userId) throw new DomainError('auth.forbidden', 'API keys have no user profile.');
    return this.me(this.dataSource.manager, principal.userId, principal.organizationId);
  }

  /** The signed-in user's view of themselves: user, acting organization, role, permissions. */
  async me(manager: EntityManager, userId: string, organizationId: string): Promise<MeDto> {
    const user = await manager.findOneOrFail(User, { where: { id: userId } });
    const memberships = await manager.find(Membership, { where: { userId }, relations: { organization: true }, order: { createdAt: 'ASC' } });
    const current = memberships.find((membership) => membership.organizationId === organizationId);
    if (!current?.organization) throw new DomainError('auth.unauthenticated', 'The membership behind this session no longer exists.');
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, locale: user.locale },
      organization: toOrganizationDto(current.organization),
      role: current.role,
      permissions: effectivePermissions(current.role, current.organization.status),
      memberships: memberships.map((membership) => ({
        organizationId: membership.organizationId,
        organizationName: membership.organization!.name,
        organizationKind: membership.organization!.kind,
        role: membership.role,
      })),
    };
  }

  private async pickMembership(manager: EntityManager, userId: string, organizationId?: string): Promise<Membership> {
    const membership = await manager.findOne(Membership, {
      where: organizationId ? { userId, organizationId } : { userId },
      order: { createdAt: 'ASC' },
    });
    if (!membership) throw new DomainError('auth.forbidden', 'You are not a member of that organization.');
    return membership;
  }
}
