import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessGrant, AccessRequest, Dataset, notifyOrganization, Organization, settleNotices, suspendDependentProducts, User, type TenantScope } from '@civic/db';
import { derivationAccess, DomainError, grantExpiry, isGrantInForce } from '@civic/domain';
import { In, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import type { AccessRequestDto, ApproveAccessRequestDto, CreateAccessRequestDto, GrantDto } from './dto/access.dto.js';

type Side = 'requester' | 'agency';

/**
 * Supervised access to conditional data: an organization files a purpose-bound request, the
 * owning agency approves (a time-limited grant) or rejects it with a reason. Each side sees only
 * its own requests: the requester by `organization_id`, the agency by `agency_id`; another
 * tenant's request answers 404 like a missing one. Every step is audited for both tenants.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async file(actor: Actor, scope: TenantScope, input: CreateAccessRequestDto): Promise<AccessRequestDto> {
    if (input.purpose === 'other' && !input.purposeDetail) {
      throw new DomainError('request.invalid', 'Describe the purpose.', [{ field: 'purposeDetail', messages: ['required when purpose is other'] }]);
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const dataset = await manager.findOne(Dataset, { where: { id: input.datasetId, status: 'published' } });
      if (!dataset) throw new DomainError('catalog.not_found', 'Dataset not found.');
      if (dataset.organizationId === scope.organizationId) throw new DomainError('access.own_dataset', 'Your organization publishes this dataset.');
      if (dataset.classification !== 'conditional') {
        throw new DomainError(
          'access.not_conditional',
          dataset.classification === 'open' ? 'Open data needs no request.' : 'Restricted data is never granted; it is usable only inside platform-run derivations.',
        );
      }
      const grants = await manager.find(AccessGrant, { where: { datasetId: dataset.id, organizationId: scope.organizationId } });
      if (grants.some((grant) => isGrantInForce(grant, new Date()))) throw new DomainError('access.already_granted', 'Your organization already holds a grant in force for this dataset.');
      const pending = await manager.exists(AccessRequest, { where: { datasetId: dataset.id, organizationId: scope.organizationId, status: 'pending' } });
      if (pending) throw new DomainError('access.already_pending', 'A request of your organization for this dataset is already waiting for a decision.');
      const request = await manager.save(
        manager.create(AccessRequest, {
          datasetId: dataset.id,
          organizationId: scope.organizationId,
          agencyId: dataset.organizationId,
          requestedByUserId: actor.principal?.userId as string,
          purpose: input.purpose,
          purposeDetail: input.purposeDetail ?? '',
          intendedUse: input.intendedUse,
          requestedDays: input.requestedDays,
        }),
      );
      const data = { datasetId: dataset.id, purpose: input.purpose, requestedDays: input.requestedDays, requesterOrganizationId: scope.organizationId };
      await this.audit.record(manager, actor, { action: 'access_request.filed', targetType: 'access_request', targetId: request.id, data });
      await this.audit.record(manager, actor, { action: 'access_request.filed', organizationId: dataset.organizationId, targetType: 'access_request', targetId: request.id, data });
      // The agency's stewards are told a request waits for them.
      await notifyOrganization(manager, dataset.organizationId, {
        kind: 'access.requested',
        reference: request.id,
        subject: { kind: 'access.requested', dataset },
        target: { type: 'access_request', id: request.id },
        body: { accessRequestId: request.id, datasetId: dataset.id, purpose: input.purpose },
      });
      return request.id;
    });
    return this.getOne('requester', scope, id);
  }

  list(side: Side, scope: TenantScope, status?: AccessRequest['status']): Promise<AccessRequestDto[]> {
    const where: FindOptionsWhere<AccessRequest> = side === 'requester' ? { organizationId: scope.organizationId } : { agencyId: scope.organizationId };
    if (status) where.status = status;
    return this.dataSource.manager.find(AccessRequest, { where, order: { createdAt: 'DESC' }, take: 500 }).then((rows) => this.toDtos(rows));
  }

  async getOne(side: Side, scope: TenantScope, id: string): Promise<AccessRequestDto> {
    const request = await this.findOwn(this.dataSource.manager, side, scope, id);
    return (await this.toDtos([request]))[0] as AccessRequestDto;
  }

  async approve(actor: Actor, scope: TenantScope, id: string, input: ApproveAccessRequestDto): Promise<AccessRequestDto> {
    await this.dataSource.transaction(async (manager) => {
      const request = await this.findOwn(manager, 'agency', scope, id, true);
      if (request.status !== 'pending') throw new DomainError('access.invalid_state', `This request is already ${request.status}.`);
      const dataset = await manager.findOneByOrFail(Dataset, { id: request.datasetId });
      if (dataset.classification !== 'conditional') throw new DomainError('access.not_conditional', 'The dataset is no longer conditional; this request cannot be granted.');
      const decidedAt = new Date();
      const days = input.days ?? request.requestedDays;
      await manager.update(AccessRequest, { id }, { status: 'approved', decidedAt, decidedByUserId: actor.principal?.userId ?? null, decisionReason: input.reason ?? null });
      await this.settleRequestNotices(manager, id);
      const grant = await manager.save(
        manager.create(AccessGrant, {
          datasetId: request.datasetId,
          organizationId: request.organizationId,
          agencyId: request.agencyId,
          requestId: request.id,
          purpose: request.purpose,
          startsAt: decidedAt,
          expiresAt: grantExpiry(decidedAt, days),
        }),
      );
      const data = { datasetId: request.datasetId, grantId: grant.id, days, expiresAt: grant.expiresAt.toISOString(), reason: input.reason ?? null };
      await this.audit.record(manager, actor, { action: 'access_request.approved', targetType: 'access_request', targetId: id, data });
      await this.audit.record(manager, actor, { action: 'access_request.approved', organizationId: request.organizationId, targetType: 'access_request', targetId: id, data });
      await this.notifyDecision(manager, request, dataset, 'approved');
    });
    return this.getOne('agency', scope, id);
  }

  async reject(actor: Actor, scope: TenantScope, id: string, reason: string): Promise<AccessRequestDto> {
    await this.decideWithout('agency', 'rejected', actor, scope, id, reason);
    return this.getOne('agency', scope, id);
  }

  async withdraw(actor: Actor, scope: TenantScope, id: string): Promise<AccessRequestDto> {
    await this.decideWithout('requester', 'withdrawn', actor, scope, id, null);
    return this.getOne('requester', scope, id);
  }

  async revokeGrant(actor: Actor, scope: TenantScope, grantId: string, reason: string): Promise<GrantDto> {
    await this.dataSource.transaction(async (manager) => {
      const grant = await manager.findOne(AccessGrant, { where: { id: grantId, agencyId: scope.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!grant) throw new DomainError('access.not_found', 'Grant not found.');
      if (grant.revokedAt) return;
      await manager.update(AccessGrant, { id: grantId }, { revokedAt: new Date(), revokedReason: reason });
      // The holder's products over this dataset stop unless another grant still covers derivation.
      const dataset = await manager.findOneByOrFail(Dataset, { id: grant.datasetId });
      const remaining = await manager.findBy(AccessGrant, { datasetId: grant.datasetId, organizationId: grant.organizationId });
      const stillCovered = derivationAccess({ classification: dataset.classification, isOwner: false, grants: remaining, now: new Date() }) !== 'denied';
      const suspended = stillCovered
        ? []
        : await suspendDependentProducts(
            manager,
            { cause: 'grant_revoked', datasetId: grant.datasetId, note: reason },
            { userId: actor.principal?.userId ?? null, organizationId: scope.organizationId },
            { ownerOrganizationId: grant.organizationId },
          );
      const data = { datasetId: grant.datasetId, reason, suspendedProducts: suspended.map((product) => product.id) };
      await this.audit.record(manager, actor, { action: 'access_grant.revoked', targetType: 'access_grant', targetId: grantId, data });
      await this.audit.record(manager, actor, { action: 'access_grant.revoked', organizationId: grant.organizationId, targetType: 'access_grant', targetId: grantId, data });
    });
    const grant = await this.dataSource.manager.findOneByOrFail(AccessGrant, { id: grantId });
    return (await this.grantDtos([grant]))[0] as GrantDto;
  }

  /** Grants held by the organization (`holder`) or given by the agency (`agency`), newest first. */
  async grants(side: 'holder' | 'agency', scope: TenantScope): Promise<GrantDto[]> {
    const where = side === 'holder' ? { organizationId: scope.organizationId } : { agencyId: scope.organizationId };
    const grants = await this.dataSource.manager.find(AccessGrant, { where, order: { createdAt: 'DESC' }, take: 1000 });
    return this.grantDtos(grants);
  }

  private async decideWithout(side: Side, status: 'rejected' | 'withdrawn', actor: Actor, scope: TenantScope, id: string, reason: string | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const request = await this.findOwn(manager, side, scope, id, true);
      if (request.status !== 'pending') throw new DomainError('access.invalid_state', `This request is already ${request.status}.`);
      await manager.update(AccessRequest, { id }, { status, decidedAt: new Date(), decidedByUserId: actor.principal?.userId ?? null, decisionReason: reason });
      await this.settleRequestNotices(manager, id);
      const other = side === 'agency' ? request.organizationId : request.agencyId;
      const data = { datasetId: request.datasetId, reason };
      await this.audit.record(manager, actor, { action: `access_request.${status}`, targetType: 'access_request', targetId: id, data });
      await this.audit.record(manager, actor, { action: `access_request.${status}`, organizationId: other, targetType: 'access_request', targetId: id, data });
      if (status === 'rejected') await this.notifyDecision(manager, request, await manager.findOneByOrFail(Dataset, { id: request.datasetId }), 'rejected');
    });
  }

  /** A request no longer pending no longer waits in the stewards' inboxes. */
  private async settleRequestNotices(manager: EntityManager, requestId: string): Promise<void> {
    await settleNotices(manager, { kind: 'access.requested', target: { type: 'access_request', id: requestId } });
  }

  /** The requesting organization is told the agency's decision. */
  private async notifyDecision(manager: EntityManager, request: AccessRequest, dataset: Dataset, decision: 'approved' | 'rejected'): Promise<void> {
    await notifyOrganization(manager, request.organizationId, {
      kind: 'access.decided',
      reference: request.id,
      subject: { kind: 'access.decided', dataset, decision },
      target: { type: 'dataset_access', id: request.id },
      body: { accessRequestId: request.id, datasetId: dataset.id, decision },
    });
  }

  private async findOwn(manager: EntityManager, side: Side, scope: TenantScope, id: string, lock = false): Promise<AccessRequest> {
    const where = side === 'requester' ? { id, organizationId: scope.organizationId } : { id, agencyId: scope.organizationId };
    const request = await manager.findOne(AccessRequest, { where, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!request) throw new DomainError('access.not_found', 'Access request not found.');
    return request;
  }

  private async toDtos(requests: AccessRequest[]): Promise<AccessRequestDto[]> {
    if (requests.length === 0) return [];
    const manager = this.dataSource.manager;
    const [datasets, organizations, users, grants] = await Promise.all([
      manager.find(Dataset, { where: { id: In([...new Set(requests.map((r) => r.datasetId))]) } }),
      manager.find(Organization, { where: { id: In([...new Set(requests.flatMap((r) => [r.organizationId, r.agencyId]))]) } }),
      manager.find(User, { where: { id: In([...new Set(requests.map((r) => r.requestedByUserId))]) }, select: { id: true, email: true } }),
      manager.find(AccessGrant, { where: { requestId: In(requests.map((r) => r.id)) } }),
    ]);
    const datasetById = new Map(datasets.map((d) => [d.id, d]));
    const orgById = new Map(organizations.map((o) => [o.id, o]));
    const emailById = new Map(users.map((u) => [u.id, u.email]));
    const grantByRequest = new Map(grants.map((g) => [g.requestId, g]));
    return requests.map((request) => {
      const grant = grantByRequest.get(request.id);
      return {
        id: request.id,
        dataset: datasetRef(datasetById.get(request.datasetId) as Dataset),
        organization: orgRef(orgById.get(request.organizationId) as Organization),
        agency: orgRef(orgById.get(request.agencyId) as Organization),
        requestedByEmail: emailById.get(request.requestedByUserId) ?? null,
        purpose: request.purpose,
        purposeDetail: request.purposeDetail,
        intendedUse: request.intendedUse,
        requestedDays: request.requestedDays,
        status: request.status,
        decisionReason: request.decisionReason,
        decidedAt: request.decidedAt?.toISOString() ?? null,
        createdAt: request.createdAt.toISOString(),
        grant: grant ? toGrantDto(grant, datasetById.get(grant.datasetId) as Dataset, orgById) : null,
      };
    });
  }

  private async grantDtos(grants: AccessGrant[]): Promise<GrantDto[]> {
    if (grants.length === 0) return [];
    const manager = this.dataSource.manager;
    const [datasets, organizations] = await Promise.all([
      manager.find(Dataset, { where: { id: In([...new Set(grants.map((g) => g.datasetId))]) } }),
      manager.find(Organization, { where: { id: In([...new Set(grants.flatMap((g) => [g.organizationId, g.agencyId]))]) } }),
    ]);
    const datasetById = new Map(datasets.map((d) => [d.id, d]));
    const orgById = new Map(organizations.map((o) => [o.id, o]));
    return grants.map((grant) => toGrantDto(grant, datasetById.get(grant.datasetId) as Dataset, orgById));
  }
}

function orgRef(organization: Organization) {
  return { id: organization.id, slug: organization.slug, name: organization.name };
}

function datasetRef(dataset: Dataset) {
  return { id: dataset.id, slug: dataset.slug, titleZh: dataset.titleZh, titleEn: dataset.titleEn, classification: dataset.classification };
}

function toGrantDto(grant: AccessGrant, dataset: Dataset, orgById: Map<string, Organization>): GrantDto {
  const state = grant.revokedAt ? 'revoked' : isGrantInForce(grant, new Date()) ? 'active' : 'expired';
  return {
    id: grant.id,
    dataset: datasetRef(dataset),
    organization: orgRef(orgById.get(grant.organizationId) as Organization),
    agency: orgRef(orgById.get(grant.agencyId) as Organization),
    purpose: grant.purpose,
    startsAt: grant.startsAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    revokedAt: grant.revokedAt?.toISOString() ?? null,
    revokedReason: grant.revokedReason,
    state,
  };
}
