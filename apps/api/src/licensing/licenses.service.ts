import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { appendAuditEvent, applyLicenceEvent, License, LicenseApproval, notifyOrganization, type LicenseChangeContext, type LicensePatch } from '@civic/db';
import { DomainError, evaluatePolicy, initialLicenceStatus, trialEnd, type LicenceEvent, type OdrlPolicy, type PricePlan } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, Principal } from '../common/principal.js';
import { PaymentProviders } from '../payments/payment-providers.js';
import type { AcceptOfferDto, CheckoutDto, LicenseDto, LicensesQueryDto } from './dto/licensing.dto.js';
import { LicenseViews } from './license-views.service.js';
import { OffersService } from './offers.service.js';
import { ProductFactsService } from './product-facts.js';

export interface RequestMeta {
  ip: string;
  userAgent: string;
}

/**
 * Licences from the buyer's side and the sellers': accepting an offer's exact terms (snapshot
 * and sha256, who, when, from where), purpose-bound approval by the supervising agencies and
 * the seller, checkout through the configured payment provider, cancellation. Each state
 * change goes through the domain's state machine and is recorded and audited for both sides.
 */
@Injectable()
export class LicensesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly offers: OffersService,
    private readonly facts: ProductFactsService,
    private readonly views: LicenseViews,
    private readonly providers: PaymentProviders,
  ) {}

  async accept(actor: Actor, principal: Principal, input: AcceptOfferDto, meta: RequestMeta): Promise<LicenseDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      const terms = await this.offers.terms(input.offerId, manager);
      if (terms.termsSha256 !== input.termsSha256) {
        throw new DomainError('licensing.terms_changed', 'The terms changed since you read them; read them again before accepting.', [{ termsSha256: terms.termsSha256 }]);
      }
      if (terms.offer.organizationId === principal.organizationId) throw new DomainError('licensing.own_product', 'Your organization sells this product.');
      if ((terms.approvalNeeded || constrainsPurpose(terms.template.policy)) && !input.purpose) {
        throw new DomainError('request.invalid', 'This licence is granted for a stated purpose: state yours.', [{ field: 'purpose', messages: ['required for this offer'] }]);
      }
      if (input.purpose === 'other' && !input.purposeDetail) {
        throw new DomainError('request.invalid', 'Describe the purpose.', [{ field: 'purposeDetail', messages: ['required when purpose is other'] }]);
      }
      // A licence whose terms would not let the stated purpose use the data is never sold.
      if (input.purpose && constrainsPurpose(terms.template.policy)) {
        const use = evaluatePolicy(terms.template.policy as unknown as OdrlPolicy, 'use', { now: new Date(), purpose: input.purpose, territory: 'CN' });
        if (!use.allowed && use.reason === 'licensing.purpose_not_permitted') {
          throw new DomainError('request.invalid', 'This offer’s licence does not permit that purpose.', [{ field: 'purpose', messages: ['not permitted by this offer'] }]);
        }
      }
      const open = await manager.findOne(License, { where: [{ organizationId: principal.organizationId, offerId: input.offerId, state: 'pending_approval' }, { organizationId: principal.organizationId, offerId: input.offerId, state: 'pending_payment' }] });
      if (open) {
        if (open.termsSha256 === input.termsSha256) return open.id;
        throw new DomainError('licensing.purchase_pending', 'Your organization already has an unfinished purchase of this offer; finish or cancel it first.', [{ licenseId: open.id }]);
      }
      const held = await manager.findOne(License, { where: [{ organizationId: principal.organizationId, offerId: input.offerId, state: 'active' }, { organizationId: principal.organizationId, offerId: input.offerId, state: 'past_due' }] });
      if (held) throw new DomainError('licensing.already_licensed', 'Your organization already holds a licence under this offer.', [{ licenseId: held.id }]);

      const facts = await this.facts.of(terms.product, manager);
      const approvers = terms.approvalNeeded
        ? [
            { organizationId: terms.offer.organizationId, kind: 'vendor' as const },
            ...facts.supervisingAgencies.filter((agency) => agency !== terms.offer.organizationId).map((agency) => ({ organizationId: agency, kind: 'agency' as const })),
          ]
        : [];
      const now = new Date();
      const status = initialLicenceStatus({ requiresApproval: approvers.length > 0, requiresPayment: requiresUpfrontPayment(terms.plan) });
      const state = status.state;
      const license = await manager.save(
        manager.create(License, {
          organizationId: principal.organizationId,
          productId: terms.product.id,
          vendorId: terms.offer.organizationId,
          offerId: terms.offer.id,
          offerRevision: terms.offer.revision,
          templateId: terms.template.id,
          terms: terms.terms,
          termsSha256: terms.termsSha256,
          pricePlan: terms.plan as unknown as Record<string, unknown>,
          currency: terms.plan.currency,
          purpose: input.purpose ?? null,
          purposeDetail: input.purposeDetail ?? '',
          intendedUse: input.intendedUse ?? '',
          acceptedByUserId: principal.userId as string,
          acceptedAt: now,
          acceptedIp: meta.ip,
          acceptedUserAgent: meta.userAgent.slice(0, 500),
          state,
          provider: 'none',
          ...(state === 'active' ? activation(terms.plan, now) : {}),
        }),
      );
      await manager.query(`INSERT INTO license_events (license_id, event, from_state, to_state, actor_user_id, source, details) VALUES ($1, 'accepted', NULL, $2, $3, 'user', $4)`, [
        license.id,
        state,
        principal.userId,
        JSON.stringify({ termsSha256: terms.termsSha256, offerRevision: terms.offer.revision, ip: meta.ip }),
      ]);
      for (const approver of approvers) {
        await manager.insert(LicenseApproval, { licenseId: license.id, organizationId: approver.organizationId, approverKind: approver.kind });
        await notifyOrganization(manager, approver.organizationId, {
          kind: 'license.approval_requested',
          reference: `${license.id}`,
          subject: { kind: 'license.approval_requested', product: terms.product },
          target: { type: 'license_approval', id: license.id },
          body: { licenseId: license.id, productId: terms.product.id, purpose: input.purpose ?? null },
        });
      }
      const data = { licenseId: license.id, productId: terms.product.id, offerId: terms.offer.id, termsSha256: terms.termsSha256, state, approvers: approvers.map((a) => a.organizationId) };
      for (const organizationId of new Set([principal.organizationId, terms.offer.organizationId, ...approvers.map((a) => a.organizationId)])) {
        await appendAuditEvent(manager, {
          action: 'license.accepted',
          actorUserId: principal.userId,
          actorOrganizationId: principal.organizationId,
          organizationId,
          targetType: 'license',
          targetId: license.id,
          ip: actor.ip,
          requestId: actor.requestId,
          data,
        });
      }
      return license.id;
    });
    return this.getForBuyer(principal.organizationId, id);
  }

  async listForBuyer(organizationId: string, query: LicensesQueryDto): Promise<LicenseDto[]> {
    const rows = await this.dataSource.manager.find(License, {
      where: { organizationId, ...(query.state ? { state: query.state } : {}), ...(query.productId ? { productId: query.productId } : {}) },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return this.views.licenses(rows);
  }

  async getForBuyer(organizationId: string, id: string): Promise<LicenseDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id, organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    return (await this.views.licenses([license], { history: true }))[0] as LicenseDto;
  }

  /** Licences sold by the seller's organization. */
  async listForSeller(organizationId: string, query: LicensesQueryDto): Promise<LicenseDto[]> {
    const rows = await this.dataSource.manager.find(License, {
      where: { vendorId: organizationId, ...(query.state ? { state: query.state } : {}), ...(query.productId ? { productId: query.productId } : {}) },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return this.views.licenses(rows);
  }

  async getForSeller(organizationId: string, id: string): Promise<LicenseDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id, vendorId: organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    return (await this.views.licenses([license], { history: true }))[0] as LicenseDto;
  }

  /** The approver's queue: purchases waiting for (or decided by) the acting organization. */
  async approvalQueue(organizationId: string, pendingOnly: boolean): Promise<LicenseDto[]> {
    const rows: License[] = await this.dataSource.manager
      .createQueryBuilder(License, 'l')
      .innerJoin(LicenseApproval, 'a', 'a.license_id = l.id AND a.organization_id = :org', { org: organizationId })
      .where(pendingOnly ? 'a.decision IS NULL AND l.state = :state' : '1=1', { state: 'pending_approval' })
      .orderBy('l.created_at', 'DESC')
      .take(500)
      .getMany();
    return this.views.licenses(rows, { history: true });
  }

  async decide(actor: Actor, principal: Principal, licenseId: string, decision: 'approve' | 'reject', reason: string | undefined): Promise<LicenseDto> {
    if (decision === 'reject' && !reason) throw new DomainError('request.invalid', 'Say why the purchase is rejected.', [{ field: 'reason', messages: ['required when rejecting'] }]);
    await this.dataSource.transaction(async (manager) => {
      const approval = await manager.findOne(LicenseApproval, { where: { licenseId, organizationId: principal.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!approval) throw new DomainError('licensing.not_found', 'Licence not found.');
      const license = await manager.findOneOrFail(License, { where: { id: licenseId }, lock: { mode: 'pessimistic_write' } });
      if (approval.decision !== null || license.state !== 'pending_approval') throw new DomainError('licensing.already_decided', 'This purchase has already been decided.');
      await manager.update(LicenseApproval, { licenseId, organizationId: principal.organizationId }, { decision, reason: reason ?? '', decidedByUserId: principal.userId, decidedAt: new Date() });
      const context = { source: 'user' as const, actorUserId: principal.userId, actorOrganizationId: principal.organizationId, ip: actor.ip, requestId: actor.requestId, details: { approver: principal.organizationId, reason: reason ?? null } };
      if (decision === 'reject') {
        await this.move(manager, licenseId, { type: 'reject' }, context, { endedAt: new Date(), endReason: reason ?? null });
        return;
      }
      const remaining = (await manager.query(`SELECT count(*)::int AS n FROM license_approvals WHERE license_id = $1 AND decision IS NULL`, [licenseId])) as Array<{ n: number }>;
      if ((remaining[0]?.n ?? 0) === 0) {
        const plan = license.pricePlan as unknown as PricePlan;
        const now = new Date();
        await this.move(manager, licenseId, { type: 'approve', requiresPayment: requiresUpfrontPayment(plan) }, context, requiresUpfrontPayment(plan) ? {} : activation(plan, now));
      } else {
        await appendAuditEvent(manager, {
          action: 'license.approved_by',
          actorUserId: principal.userId,
          actorOrganizationId: principal.organizationId,
          organizationId: license.organizationId,
          targetType: 'license',
          targetId: licenseId,
          ip: actor.ip,
          requestId: actor.requestId,
          data: { approver: principal.organizationId },
        });
      }
    });
    return (await this.views.licenses([await this.dataSource.manager.findOneByOrFail(License, { id: licenseId })], { history: true }))[0] as LicenseDto;
  }

  async checkout(actor: Actor, principal: Principal, licenseId: string): Promise<CheckoutDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId, organizationId: principal.organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    if (license.state !== 'pending_payment') throw new DomainError('licensing.not_payable', `This licence is ${license.state}; there is nothing to pay now.`);
    const result = await this.providers.active().checkout(license, actor);
    const [dto] = await this.views.licenses([await this.dataSource.manager.findOneByOrFail(License, { id: licenseId })], { history: true });
    const invoice = result.invoiceId ? (dto?.invoices.find((candidate) => candidate.id === result.invoiceId) ?? null) : null;
    return { provider: result.provider, url: result.url, invoice, license: dto as LicenseDto };
  }

  /** Cancels an unfinished purchase at once, or a subscription at the end of its period. */
  async cancel(actor: Actor, principal: Principal, licenseId: string): Promise<LicenseDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId, organizationId: principal.organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    const context = { source: 'user' as const, actorUserId: principal.userId, actorOrganizationId: principal.organizationId, ip: actor.ip, requestId: actor.requestId };
    if (license.state === 'pending_approval' || license.state === 'pending_payment') {
      await this.dataSource.transaction((manager) => this.move(manager, licenseId, { type: 'withdraw' }, context, { endedAt: new Date(), endReason: 'cancelled by buyer' }));
      await this.dataSource.query(`UPDATE invoices SET status = 'void', updated_at = now() WHERE license_id = $1 AND status = 'open'`, [licenseId]);
    } else if (license.state === 'active' || license.state === 'past_due') {
      if (!license.currentPeriodEnd) throw new DomainError('licensing.not_cancellable', 'This licence has no billing period to end; it runs until it expires.');
      await this.providers.forLicense(license).setCancelAtPeriodEnd(license, true);
      await this.dataSource.transaction((manager) => this.move(manager, licenseId, { type: 'cancel_at_period_end' }, context, { cancelAtPeriodEnd: true }));
    } else {
      throw new DomainError('licensing.not_cancellable', `This licence is ${license.state}.`);
    }
    return this.getForBuyer(principal.organizationId, licenseId);
  }

  /** Undoes a cancellation at period end. */
  async resume(actor: Actor, principal: Principal, licenseId: string): Promise<LicenseDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId, organizationId: principal.organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    if (!license.cancelAtPeriodEnd || (license.state !== 'active' && license.state !== 'past_due')) throw new DomainError('licensing.not_resumable', 'This licence is not set to end.');
    await this.providers.forLicense(license).setCancelAtPeriodEnd(license, false);
    const context = { source: 'user' as const, actorUserId: principal.userId, actorOrganizationId: principal.organizationId, ip: actor.ip, requestId: actor.requestId };
    await this.dataSource.transaction((manager) => this.move(manager, licenseId, { type: 'resume' }, context, { cancelAtPeriodEnd: false }));
    return this.getForBuyer(principal.organizationId, licenseId);
  }

  /** The seller ends a licence for a breach of its terms. */
  async revoke(actor: Actor, principal: Principal, licenseId: string, reason: string): Promise<LicenseDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId, vendorId: principal.organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    const context = { source: 'user' as const, actorUserId: principal.userId, actorOrganizationId: principal.organizationId, ip: actor.ip, requestId: actor.requestId, details: { reason } };
    await this.dataSource.transaction((manager) => this.move(manager, licenseId, { type: 'revoke' }, context, { endedAt: new Date(), endReason: reason }));
    if (license.stripeSubscriptionId) await this.providers.forLicense(license).endNow(license);
    return this.getForSeller(principal.organizationId, licenseId);
  }

  private move(manager: EntityManager, licenseId: string, event: LicenceEvent, context: LicenseChangeContext, patch: LicensePatch = {}) {
    return applyLicenceEvent(manager, licenseId, event, context, patch);
  }
}

/** Whether a plan is paid before use (one-time and subscription fees); free and purely metered plans start at once. */
export function requiresUpfrontPayment(plan: PricePlan): boolean {
  return plan.kind === 'one_time' || plan.kind === 'subscription' || plan.kind === 'hybrid';
}

/**
 * Fields set when a licence becomes active without a payment (free or metered plans). A
 * metered plan runs in monthly periods (its usage is billed per period) and its free trial, if
 * any, starts now: use before trialEndsAt is not billed. A term in the policy (ODRL
 * elapsedTime) runs from activatedAt and is enforced by the entitlement check.
 */
export function activation(plan: PricePlan, now: Date) {
  const end = plan.kind === 'metered' ? addMonths(now, 1) : null;
  return { activatedAt: now, currentPeriodStart: end ? now : null, currentPeriodEnd: end, trialEndsAt: trialEnd(plan, now) };
}

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Whether any permission of a policy is limited to purposes (the buyer must then state one). */
export function constrainsPurpose(policy: unknown): boolean {
  const permissions = (policy as { permission?: Array<{ constraint?: Array<{ leftOperand?: unknown }> }> }).permission ?? [];
  return permissions.some((permission) => (permission.constraint ?? []).some((constraint) => constraint.leftOperand === 'purpose'));
}
