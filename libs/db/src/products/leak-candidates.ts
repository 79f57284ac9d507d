import { In, type EntityManager } from 'typeorm';
import { License, Organization, ProductVersion } from '../entities/index.js';

export interface LeakCandidates {
  /** The product's versions, newest first. */
  versions: ProductVersion[];
  /** Every licence of the product, and `owner-<organization>` for the owner's own copies. */
  candidates: string[];
  /** The licensee organization's name of each licence. */
  buyers: Map<string, string>;
  /** The platform's fingerprint key. */
  key: Buffer;
}

/** What tracing a leaked file of a product compares against (used by the API and the command). */
export async function leakCandidates(manager: EntityManager, product: { id: string; organizationId: string }): Promise<LeakCandidates> {
  const licenses = await manager.find(License, { where: { productId: product.id }, select: { id: true, organizationId: true } });
  const organizations = licenses.length > 0 ? await manager.findBy(Organization, { id: In([...new Set(licenses.map((license) => license.organizationId))]) }) : [];
  const names = new Map(organizations.map((organization) => [organization.id, organization.name]));
  const versions = await manager.find(ProductVersion, { where: { productId: product.id }, order: { version: 'DESC' } });
  const [row] = (await manager.query(`SELECT key FROM platform_keys WHERE name = 'fingerprint'`)) as Array<{ key: Buffer }>;
  if (!row) throw new Error('the fingerprint key is missing: run the migrations');
  return {
    versions,
    candidates: [...licenses.map((license) => license.id), `owner-${product.organizationId}`],
    buyers: new Map(licenses.map((license) => [license.id, names.get(license.organizationId) ?? ''])),
    key: row.key,
  };
}
