import type { DataSource } from 'typeorm';
import { License, LicenseTemplate, Offer, Organization, Product, User } from '../entities/index.js';
import { installStandardTemplates } from '../seed/commerce-seed.js';

/**
 * What a commerce test needs around a licence: a vendor with a product, a buyer organization
 * with a user, and the standard "commercial internal" licence template. Slugs carry a suffix,
 * so test files can share a database.
 */
export interface CommerceFixture {
  vendorId: string;
  buyerId: string;
  userId: string;
  productId: string;
  templateId: string;
  /** A published offer of the product under `plan`, and a licence of it held by the buyer (active, unless `fields` say otherwise). */
  license(plan: Record<string, unknown>, fields?: Partial<License>): Promise<License>;
}

export async function createCommerceFixture(dataSource: DataSource, prefix: string): Promise<CommerceFixture> {
  const suffix = `${prefix}-${Date.now().toString(36)}`;
  const { manager } = dataSource;
  const vendorId = (await manager.save(manager.create(Organization, { slug: `vendor-${suffix}`, name: 'Vendor', kind: 'vendor', status: 'active' }))).id;
  const buyerId = (await manager.save(manager.create(Organization, { slug: `buyer-${suffix}`, name: 'Buyer', kind: 'enterprise', status: 'active' }))).id;
  const userId = (await manager.save(manager.create(User, { email: `buyer-${suffix}@example.test`, displayName: 'Buyer', passwordHash: 'x' }))).id;
  const productId = (
    await manager.save(manager.create(Product, { organizationId: vendorId, kind: 'derived', slug: `product-${suffix}`, titleZh: '产品', titleEn: 'Product', theme: 'statistics', sql: 'SELECT 1' }))
  ).id;
  await installStandardTemplates(dataSource);
  const templateId = (await manager.findOneByOrFail(LicenseTemplate, { key: 'commercial-internal', version: 1 })).id;
  return {
    vendorId,
    buyerId,
    userId,
    productId,
    templateId,
    async license(plan, fields = {}) {
      const offer = await manager.save(
        manager.create(Offer, { productId, organizationId: vendorId, templateId, nameZh: '方案', nameEn: 'Offer', pricePlan: plan, currency: 'CNY', status: 'published' }),
      );
      return manager.save(
        manager.create(License, {
          organizationId: buyerId,
          productId,
          vendorId,
          offerId: offer.id,
          offerRevision: 1,
          templateId,
          terms: { policy: { permission: [] } },
          termsSha256: 'a'.repeat(64),
          pricePlan: plan,
          currency: 'CNY',
          acceptedByUserId: userId,
          acceptedAt: new Date(),
          acceptedIp: '127.0.0.1',
          state: 'active',
          provider: 'offline',
          ...fields,
        }),
      );
    },
  };
}
