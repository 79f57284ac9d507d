import { licenceTermsDocument, parsePricePlan, type PricePlan } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { License, LicenseTemplate, Offer } from '../entities/commerce.entity.js';
import { Product } from '../entities/product.entity.js';

export interface ActiveLicenceInput {
  offer: Offer;
  buyerOrganizationId: string;
  acceptedByUserId: string;
  /** When the terms were accepted and the licence came into force. */
  at: Date;
  purpose: string;
  intendedUse?: string;
  /** Recorded as the terms' user agent (what accepted them). */
  userAgent?: string;
}

/**
 * A licence in force under an offer as it stands, with the exact terms document and hash a
 * buyer would have accepted, settled offline. For demo data and simulations, which skip the
 * purchase flow (approvals, checkout) but must hold licences indistinguishable from bought ones:
 * its history says the terms were accepted and the payment received, at `at`.
 */
export async function activeLicenceUnder(manager: EntityManager, input: ActiveLicenceInput): Promise<{ license: License; plan: PricePlan }> {
  const { offer } = input;
  const product = await manager.findOneByOrFail(Product, { id: offer.productId });
  const template = await manager.findOneByOrFail(LicenseTemplate, { id: offer.templateId });
  const plan = parsePricePlan(offer.pricePlan);
  const terms = licenceTermsDocument({
    template: { key: template.key, version: template.version, policy: template.policy },
    plan,
    product: { id: product.id, ...(product.currentVersionId ? { versionId: product.currentVersionId } : {}) },
    offer: { id: offer.id, version: offer.revision },
    seller: { organizationId: offer.organizationId },
  });
  const license = await manager.save(
    manager.create(License, {
      organizationId: input.buyerOrganizationId,
      productId: product.id,
      vendorId: offer.organizationId,
      offerId: offer.id,
      offerRevision: offer.revision,
      templateId: template.id,
      terms: terms.document as never,
      termsSha256: terms.sha256,
      pricePlan: plan as never,
      currency: plan.currency,
      purpose: input.purpose,
      intendedUse: input.intendedUse ?? '',
      acceptedByUserId: input.acceptedByUserId,
      acceptedAt: input.at,
      acceptedIp: '127.0.0.1',
      ...(input.userAgent ? { acceptedUserAgent: input.userAgent } : {}),
      state: 'active',
      provider: 'offline',
      activatedAt: input.at,
      createdAt: input.at,
    }),
  );
  const details = JSON.stringify({ termsSha256: terms.sha256, offerRevision: offer.revision });
  await manager.query(
    `INSERT INTO license_events (license_id, event, from_state, to_state, actor_user_id, source, details, occurred_at)
     VALUES ($1, 'accepted', NULL, 'pending_payment', $2, 'user', $3, $4), ($1, 'payment_succeeded', 'pending_payment', 'active', NULL, 'system', '{"settlement":"offline"}', $4)`,
    [license.id, input.acceptedByUserId, details, input.at.toISOString()],
  );
  return { license, plan };
}
