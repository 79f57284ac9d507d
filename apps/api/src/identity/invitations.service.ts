import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { hashPassword, Invitation, Membership, Organization, OutboxMessage, TenantRepository, User, verifyPassword, type TenantScope } from '@civic/db';
import { DomainError, generateOpaqueToken, hashOpaqueToken, isRoleAllowedFor, requireAcceptablePassword, type Role, notificationSubject } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, RequestOrigin } from '../common/principal.js';
import { JobProducer } from '../queues/job-producer.service.js';
import type { AcceptInvitationDto, InvitationCreatedDto, InvitationPreviewDto } from './dto/identity.dto.js';
import { toInvitationDto } from './dto/mappers.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { SessionService } from './session.service.js';

@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);
  private readonly invitations: TenantRepository<Invitation>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ApiConfig,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
  ) {
    this.invitations = new TenantRepository(dataSource.manager, Invitation);
  }

  list(scope: TenantScope): Promise<Invitation[]> {
    return this.invitations.find(scope, {}, { createdAt: 'DESC' }, 200);
  }

  async create(actor: Actor, scope: TenantScope, input: { email: string; role: Role }): Promise<InvitationCreatedDto> {
    const created = await this.dataSource.transaction((manager) => this.createIn(manager, actor, scope, input));
    await this.notify(created.outboxMessageId);
    return created.invitation;
  }

  /** Creates an invitation inside an existing transaction (used when creating organizations). */
  async createIn(
    manager: EntityManager,
    actor: Actor,
    scope: TenantScope,
    input: { email: string; role: Role },
  ): Promise<{ invitation: InvitationCreatedDto; outboxMessageId: string }> {
    const organization = await manager.findOneByOrFail(Organization, { id: scope.organizationId });
    if (!isRoleAllowedFor(organization.kind, input.role)) {
      throw new DomainError('identity.role_not_allowed', `Role ${input.role} is not available in a ${organization.kind} organization.`, { role: input.role, kind: organization.kind });
    }
    const existing = await manager
      .createQueryBuilder(Membership, 'm')
      .innerJoin(User, 'u', 'u.id = m.user_id')
      .where('m.organization_id = :org AND u.email = :email', { org: organization.id, email: input.email })
      .getExists();
    if (existing) throw new DomainError('identity.already_member', 'This person is already a member of the organization.');
    // Inviting the same person again (a lost link) supersedes the pending invitation.
    const superseded = await this.invitations.withManager(manager).find(scope, { email: input.email, status: 'pending' });
    if (superseded.length > 0) await this.invitations.withManager(manager).update(scope, { email: input.email, status: 'pending' }, { status: 'revoked' });
    const token = generateOpaqueToken();
    const invitation = await this.invitations.withManager(manager).insert(scope, {
      email: input.email,
      role: input.role,
      tokenHash: hashOpaqueToken(token),
      status: 'pending',
      expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3_600_000),
      invitedByUserId: actor.principal?.userId ?? null,
    });
    await this.audit.record(manager, actor, {
      action: 'invitation.created',
      organizationId: organization.id,
      targetType: 'invitation',
      targetId: invitation.id,
      data: { email: input.email, role: input.role, supersedes: superseded.map((previous) => previous.id) },
    });
    const acceptUrl = `${this.config.PUBLIC_WEB_URL.replace(/\/$/, '')}/invite/${token}`;
    const message = await manager.save(
      manager.create(OutboxMessage, {
        kind: 'invitation',
        reference: invitation.id,
        recipient: invitation.email,
        subject: notificationSubject({ kind: 'invitation', organizationName: organization.name }),
        body: { organizationName: organization.name, role: invitation.role, acceptUrl, expiresAt: invitation.expiresAt.toISOString() },
      }),
    );
    return { invitation: { ...toInvitationDto(invitation), token, acceptUrl }, outboxMessageId: message.id };
  }

  /**
   * Queues delivery after commit. If Redis is unreachable the message stays undelivered in
   * the outbox (and the inviter still has the link); the worker's sweep picks it up later.
   */
  async notify(outboxMessageId: string): Promise<void> {
    try {
      await this.jobs.enqueue({ name: 'notifications.deliver', data: { outboxMessageId } });
    } catch (error) {
      this.logger.warn({ err: error, outboxMessageId }, 'could not queue the outbox delivery');
    }
  }

  async revoke(actor: Actor, scope: TenantScope, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = this.invitations.withManager(manager);
      const invitation = await repository.findOne(scope, { id: invitationId });
      if (!invitation) throw new DomainError('identity.not_found', 'Invitation not found.');
      if (invitation.status !== 'pending') throw new DomainError('identity.invitation_invalid', 'Only pending invitations can be revoked.');
      await repository.update(scope, { id: invitation.id }, { status: 'revoked' });
      await this.audit.record(manager, actor, { action: 'invitation.revoked', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email } });
    });
  }

  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.findUsable(this.dataSource.manager, token);
    const organization = await this.dataSource.manager.findOneByOrFail(Organization, { id: invitation.organizationId });
    const existingAccount = await this.dataSource.manager.exists(User, { where: { email: invitation.email } });
    return {
      organizationName: organization.name,
      organizationKind: organization.kind,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      existingAccount,
    };
  }

  async accept(input: AcceptInvitationDto, origin: RequestOrigin): Promise<SignedIn> {
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.findUsable(manager, input.token, true);
      let user = await manager.findOne(User, { where: { email: invitation.email } });
      if (user) {
        if (!(await verifyPassword(user.passwordHash, input.password))) {
          throw new DomainError('auth.invalid_credentials', 'An account with this email exists: enter its password to accept.');
        }
      } else {
        if (!input.displayName) {
          throw new DomainError('request.invalid', 'A name is needed to create the account.', [{ field: 'displayName', messages: ['displayName is required for a new account'] }]);
        }
        requireAcceptablePassword(input.password, [invitation.email, input.displayName]);
        user = await manager.save(manager.create(User, { email: invitation.email, displayName: input.displayName, passwordHash }));
      }
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Membership)
        .values({ organizationId: invitation.organizationId, userId: user.id, role: invitation.role })
        .orIgnore()
        .execute();
      if ((inserted.identifiers ?? []).filter(Boolean).length === 0) throw new DomainError('identity.already_member', 'You are already a member of this organization.');
      await manager.update(Invitation, { id: invitation.id }, { status: 'accepted', acceptedAt: new Date() });
      await this.audit.record(manager, origin, {
        action: 'invitation.accepted',
        organizationId: invitation.organizationId,
        actorUserId: user.id,
        actorOrganizationId: invitation.organizationId,
        targetType: 'invitation',
        targetId: invitation.id,
        data: { email: invitation.email, role: invitation.role },
      });
      const session = await this.sessions.issue(manager, user.id, invitation.organizationId);
      return { session, me: await this.auth.me(manager, user.id, invitation.organizationId) };
    });
  }

  private async findUsable(manager: EntityManager, token: string, lock = false): Promise<Invitation> {
    const invitation = await manager.findOne(Invitation, {
      where: { tokenHash: hashOpaqueToken(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!invitation || invitation.status !== 'pending' || invitation.expiresAt.getTime() <= Date.now()) {
      throw new DomainError('identity.invitation_invalid', 'This invitation is not valid: it may have expired, been used or been revoked.');
    }
    return invitation;
  }
}
