import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Organization } from '@civic/db';
import { DomainError, FOUNDING_ROLE, slugify, type OrganizationKind, type OrganizationStatus } from '@civic/domain';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import type { CreateOrganizationDto, InvitationCreatedDto } from './dto/identity.dto.js';
import { InvitationsService } from './invitations.service.js';

/** Platform-level administration of organizations (not tenant-scoped by design). */
@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly invitations: InvitationsService,
  ) {}

  list(filter: { kind?: OrganizationKind; status?: OrganizationStatus }): Promise<Organization[]> {
    // TypeORM refuses undefined in a where clause (a missing filter must not match NULL).
    const where = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
    // Newest first: what an operator acts on (a vendor awaiting approval) is usually recent.
    return this.dataSource.manager.find(Organization, { where, order: { createdAt: 'DESC' } });
  }

  /** An agency or finance bureau, with an invitation for its first administrator. */
  async create(actor: Actor, input: CreateOrganizationDto): Promise<{ organization: Organization; invitation: InvitationCreatedDto }> {
    const result = await this.dataSource.transaction(async (manager) => {
      const organization = await manager.save(
        manager.create(Organization, {
          name: input.name,
          slug: `${slugify(input.name, input.kind)}-${randomBytes(3).toString('hex')}`,
          kind: input.kind,
          status: 'active',
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'organization.created',
        organizationId: organization.id,
        targetType: 'organization',
        targetId: organization.id,
        data: { kind: organization.kind, name: organization.name, adminEmail: input.adminEmail },
      });
      const { invitation, outboxMessageId } = await this.invitations.createIn(
        manager,
        actor,
        { organizationId: organization.id },
        { email: input.adminEmail, role: FOUNDING_ROLE[input.kind] },
      );
      return { organization, invitation, outboxMessageId };
    });
    await this.invitations.notify(result.outboxMessageId);
    return { organization: result.organization, invitation: result.invitation };
  }

  async approve(actor: Actor, organizationId: string): Promise<Organization> {
    return this.dataSource.transaction(async (manager) => {
      const organization = await manager.findOne(Organization, { where: { id: organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!organization) throw new DomainError('identity.not_found', 'Organization not found.');
      if (organization.status !== 'pending_approval') {
        throw new DomainError('identity.organization_state', `Only organizations pending approval can be approved (this one is ${organization.status}).`);
      }
      organization.status = 'active';
      await manager.save(organization);
      await this.audit.record(manager, actor, {
        action: 'organization.approved',
        organizationId: organization.id,
        targetType: 'organization',
        targetId: organization.id,
      });
      return organization;
    });
  }
}
