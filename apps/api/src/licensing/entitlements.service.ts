import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { License, licenseUsage, Product } from '@civic/db';
import { evaluateEntitlement, type EntitlementAction, type OdrlPolicy, type PricePlan } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { ChangeFeed, type ChangeCache } from '../database/change-feed.service.js';

export interface EntitlementRequest {
  organizationId: string;
  productId: string;
  /** The product when the caller has it loaded already (saves reading it again). */
  product?: Product;
  action: EntitlementAction;
  purpose?: string;
  territory?: string;
  /** Only this licence of the organization (a licence page asks about the licence it shows). */
  licenseId?: string;
  /** Units the request will use (checked against a metered plan's maximum). */
  quantity?: number;
  /**
   * Read the organization's licences from memory (kept until any licence changes, see
   * ChangeFeed) rather than from PostgreSQL: the data API's hot path. Other callers read them
   * afresh.
   */
  cached?: boolean;
  now?: Date;
}

export interface EntitlementAnswer {
  allowed: boolean;
  reason: string | null;
  licenseId: string | null;
  quota: { unit: string; included: number; used: number; remaining: number | null; overageBilled: boolean } | null;
}

/**
 * Where data is used when a request does not say: the platform serves one city's government
 * and sells to organizations registered in China, so use is in China unless stated otherwise.
 */
export const DEFAULT_TERRITORY = 'CN';

const CANDIDATE_STATES = ['active', 'past_due', 'suspended', 'pending_payment', 'pending_approval', 'expired', 'revoked', 'cancelled'] as const;
/** (organization, product) pairs whose licences are kept in memory. */
const CACHED_HOLDINGS = 20_000;

/**
 * The one answer to "may this organization do this action on this product now, and within
 * which quota?". Delivery asks nothing else. The product's owner may always use its own
 * product; anyone else needs a licence in force whose policy permits the action and purpose.
 */
@Injectable()
export class EntitlementsService {
  /**
   * The licences each organization holds of each product (the facts the decision reads), for
   * `cached` requests, emptied by every change of a licence (ChangeFeed). The decision itself is
   * made on every request (it depends on the time), and a metered plan's use is read on every
   * request (quotas are exact).
   */
  private readonly holdings: ChangeCache<LicenceFacts[]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    changes: ChangeFeed,
  ) {
    this.holdings = changes.cache<LicenceFacts[]>(['licenses'], CACHED_HOLDINGS);
  }

  async check(request: EntitlementRequest): Promise<EntitlementAnswer> {
    const now = request.now ?? new Date();
    const product = request.product?.id === request.productId ? request.product : await this.dataSource.manager.findOneBy(Product, { id: request.productId });
    if (!product) return { allowed: false, reason: 'product.not_found', licenseId: null, quota: null };
    if (product.organizationId === request.organizationId) return { allowed: true, reason: null, licenseId: null, quota: null };
    const held = request.cached
      ? await this.holdings.read(`${request.organizationId}:${request.productId}`, () => this.licencesOf(request.organizationId, request.productId))
      : await this.licencesOf(request.organizationId, request.productId);
    const licenses = request.licenseId ? held.filter((license) => license.id === request.licenseId) : held;
    if (licenses.length === 0) return { allowed: false, reason: 'licensing.no_license', licenseId: null, quota: null };
    let firstRefusal: EntitlementAnswer | null = null;
    // Licences in force first; the first that allows wins, else the most relevant refusal is told.
    const ordered = [...licenses].sort((a, b) => rank(a.state) - rank(b.state));
    for (const license of ordered) {
      const decision = evaluateEntitlement(
        {
          state: license.state,
          policy: license.policy,
          plan: license.pricePlan as unknown as PricePlan,
          currentPeriod: license.currentPeriodStart && license.currentPeriodEnd ? { start: license.currentPeriodStart, end: license.currentPeriodEnd } : null,
          usedInPeriod: await this.usedInPeriod(license),
          expiresAt: license.expiresAt,
          startedAt: license.activatedAt,
        },
        {
          action: request.action,
          ...(request.purpose ?? license.purpose ? { purpose: (request.purpose ?? license.purpose) as string } : {}),
          territory: request.territory ?? DEFAULT_TERRITORY,
          ...(request.quantity !== undefined ? { quantity: request.quantity } : {}),
          now,
        },
      );
      const answer: EntitlementAnswer = { allowed: decision.allowed, reason: decision.allowed ? null : (decision.reason ?? 'licensing.action_not_permitted'), licenseId: license.id, quota: decision.quota ?? null };
      if (answer.allowed) return answer;
      firstRefusal ??= answer;
    }
    return firstRefusal as EntitlementAnswer;
  }

  /** The organization's licences of the product that the decision considers, newest first. */
  private async licencesOf(organizationId: string, productId: string): Promise<LicenceFacts[]> {
    // Only what the decision needs: the policy out of the accepted terms, not the whole document.
    const rows = (await this.dataSource.query(
      `SELECT id, state, terms -> 'policy' AS policy, price_plan, current_period_start, current_period_end, expires_at, activated_at, purpose
         FROM licenses
        WHERE organization_id = $1 AND product_id = $2 AND state = ANY($3)
        ORDER BY created_at DESC`,
      [organizationId, productId, [...CANDIDATE_STATES]],
    )) as LicenceRow[];
    return rows.map((row) => ({
      id: row.id,
      state: row.state,
      policy: row.policy,
      pricePlan: row.price_plan,
      currentPeriodStart: row.current_period_start,
      currentPeriodEnd: row.current_period_end,
      expiresAt: row.expires_at,
      activatedAt: row.activated_at,
      purpose: row.purpose,
    }));
  }

  /**
   * Units used in the licence's current period, counted exactly from the usage the delivery
   * context records (`usage_hourly` for whole hours, `usage_events` for the partial ones). Only a
   * metered or hybrid plan has a quota to check.
   */
  private async usedInPeriod(license: LicenceFacts): Promise<Record<string, number>> {
    const kind = (license.pricePlan as { kind?: string }).kind;
    if ((kind !== 'metered' && kind !== 'hybrid') || !license.currentPeriodStart || !license.currentPeriodEnd) return {};
    return { ...(await licenseUsage(this.dataSource, license.id, license.currentPeriodStart, license.currentPeriodEnd)) };
  }
}

interface LicenceRow {
  id: string;
  state: License['state'];
  policy: OdrlPolicy;
  price_plan: Record<string, unknown>;
  current_period_start: Date | null;
  current_period_end: Date | null;
  expires_at: Date | null;
  activated_at: Date | null;
  purpose: string | null;
}

/** The columns of a licence the entitlement decision reads. */
interface LicenceFacts {
  id: string;
  state: License['state'];
  policy: OdrlPolicy;
  pricePlan: Record<string, unknown>;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  expiresAt: Date | null;
  activatedAt: Date | null;
  purpose: string | null;
}

function rank(state: string): number {
  const index = (CANDIDATE_STATES as readonly string[]).indexOf(state);
  return index < 0 ? CANDIDATE_STATES.length : index;
}
