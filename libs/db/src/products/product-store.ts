import { derivationFingerprint, type ProfiledColumn, type SchemaColumn } from '@civic/domain';
import { In, type EntityManager } from 'typeorm';
import { appendAuditEvent } from '../audit/audit-chain.js';
import { DerivationRun, type ResolvedRunInput } from '../entities/derivation-run.entity.js';
import { ProductVersion, ProductVersionInput } from '../entities/product-version.entity.js';
import { Product, type SuspensionReason } from '../entities/product.entity.js';
import { notifyOrganization } from '../notifications/notify-organization.js';

/** Where a product version's Parquet lives: addressed by fingerprint, so a retried publish writes the same key. */
export function productParquetKey(productId: string, fingerprint: string): string {
  return `products/${productId}/${fingerprint}.parquet`;
}

export interface ProductVersionFile {
  fingerprint: string;
  sql: string;
  rowCount: number;
  parquetKey: string;
  parquetBytes: number;
  schema: SchemaColumn[];
  profile: ProfiledColumn[];
  gateReport: Record<string, unknown>;
  inputs: readonly ResolvedRunInput[];
}

/**
 * Makes the next immutable version of a product with its lineage, inside the caller's
 * transaction: locks the product row, returns the existing version for a fingerprint seen
 * before, and moves the product to the new version.
 */
export async function recordProductVersion(
  manager: EntityManager,
  input: { productId: string; runId: string | null; userId: string | null; file: ProductVersionFile },
): Promise<{ created: boolean; version: ProductVersion }> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('recordProductVersion must run inside a transaction');
  const product = await manager.findOne(Product, { where: { id: input.productId }, lock: { mode: 'pessimistic_write' } });
  if (!product) throw new Error(`product ${input.productId} not found`);
  const existing = await manager.findOne(ProductVersion, { where: { productId: product.id, fingerprint: input.file.fingerprint } });
  if (existing) {
    // The derivation as it stands now yields an earlier version (e.g. settings put back): it is current again.
    if (product.currentVersionId !== existing.id) await manager.update(Product, { id: product.id }, { currentVersionId: existing.id, updatedAt: new Date() });
    return { created: false, version: existing };
  }
  const previous = await manager.findOne(ProductVersion, { where: { productId: product.id }, order: { version: 'DESC' } });
  const version = await manager.save(
    manager.create(ProductVersion, {
      productId: product.id,
      organizationId: product.organizationId,
      version: (previous?.version ?? 0) + 1,
      fingerprint: input.file.fingerprint,
      sql: input.file.sql,
      rowCount: input.file.rowCount,
      parquetKey: input.file.parquetKey,
      parquetBytes: input.file.parquetBytes,
      schema: input.file.schema,
      profile: input.file.profile,
      gateReport: input.file.gateReport,
      runId: input.runId,
      createdByUserId: input.userId,
    }),
  );
  await manager.insert(
    ProductVersionInput,
    input.file.inputs.map((resolved) => ({
      productVersionId: version.id,
      name: resolved.name,
      position: resolved.position,
      datasetVersionId: resolved.datasetVersionId,
      inputProductVersionId: resolved.productVersionId,
      weight: resolved.weight,
    })),
  );
  await manager.update(Product, { id: product.id }, { currentVersionId: version.id, updatedAt: new Date() });
  await appendAuditEvent(manager, {
    action: 'product.version_created',
    actorUserId: input.userId,
    actorOrganizationId: null,
    organizationId: product.organizationId,
    targetType: 'product',
    targetId: product.id,
    ip: null,
    requestId: null,
    data: { version: version.version, fingerprint: version.fingerprint, rowCount: version.rowCount, runId: input.runId },
  });
  return { created: true, version };
}

/** Products whose (transitive) inputs include the dataset or product, with the path's first hop. */
export async function dependentProductIds(manager: EntityManager, source: { datasetId?: string; productId?: string }): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `WITH RECURSIVE dependents(id) AS (
        SELECT product_id FROM product_inputs WHERE dataset_id = $1 OR source_product_id = $2
        UNION
        SELECT pi.product_id FROM product_inputs pi JOIN dependents d ON pi.source_product_id = d.id
     )
     SELECT id FROM dependents`,
    [source.datasetId ?? null, source.productId ?? null],
  );
  return rows.map((row) => row.id);
}

async function ownedAndDownstream(manager: EntityManager, candidates: string[], ownerOrganizationId: string): Promise<string[]> {
  const owned: Array<{ id: string }> = await manager.query(`SELECT id FROM products WHERE id = ANY($1) AND organization_id = $2`, [candidates, ownerOrganizationId]);
  const result = new Set(owned.map((row) => row.id));
  for (const { id } of owned) for (const downstream of await dependentProductIds(manager, { productId: id })) result.add(downstream);
  return [...result];
}

export interface SuspendedProduct {
  id: string;
  organizationId: string;
  slug: string;
  titleZh: string;
  titleEn: string;
}

/**
 * Suspends every approved or published product built (transitively) on a source that was
 * withdrawn or reclassified stricter, inside the caller's transaction: audited, and the owners
 * told through the outbox. Drafts and submissions are left to their owners (their next run or
 * review checks the inputs again).
 */
export async function suspendDependentProducts(
  manager: EntityManager,
  reason: Omit<SuspensionReason, 'at'>,
  actor: { userId: string | null; organizationId: string | null },
  options: { ownerOrganizationId?: string } = {},
): Promise<SuspendedProduct[]> {
  const all = await dependentProductIds(manager, { datasetId: reason.datasetId, productId: reason.productId });
  // A revoked grant stops the grant holder's products and what others built on them.
  const ids = options.ownerOrganizationId ? await ownedAndDownstream(manager, all, options.ownerOrganizationId) : all;
  return suspendProducts(manager, ids, reason, actor);
}

/**
 * Suspends those of the given products that are approved or published, inside the caller's
 * transaction: each is audited and its owner told through the outbox. Products already
 * suspended (or not listed) are left as they are, so calling again changes nothing.
 */
export async function suspendProducts(
  manager: EntityManager,
  ids: readonly string[],
  reason: Omit<SuspensionReason, 'at'>,
  actor: { userId: string | null; organizationId: string | null },
): Promise<SuspendedProduct[]> {
  if (ids.length === 0) return [];
  const suspension: SuspensionReason = { ...reason, at: new Date().toISOString() };
  const [rows]: [SuspendedProduct[], number] = await manager.query(
    `UPDATE products SET suspended_from = status, status = 'suspended', suspension_reason = $2, updated_at = now()
      WHERE id = ANY($1) AND status IN ('approved','published')
      RETURNING id, organization_id AS "organizationId", slug, title_zh AS "titleZh", title_en AS "titleEn"`,
    [[...ids], JSON.stringify(suspension)],
  );
  for (const product of rows) {
    await appendAuditEvent(manager, {
      action: 'product.suspended',
      actorUserId: actor.userId,
      actorOrganizationId: actor.organizationId,
      organizationId: product.organizationId,
      targetType: 'product',
      targetId: product.id,
      ip: null,
      requestId: null,
      data: { ...suspension },
    });
    await notifyOrganization(manager, product.organizationId, {
      kind: 'product.suspended',
      reference: `${product.id}:${suspension.at}`,
      subject: { kind: 'product.suspended', product },
      target: { type: 'product', id: product.id },
      body: { productId: product.id, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn, reason: suspension },
    });
  }
  return rows;
}

/**
 * Records a run of a product's derive flow for the exact input versions given, inside the
 * caller's transaction. Idempotent: when a version with the same fingerprint exists the run is
 * recorded as a duplicate of it at once (nothing to compute); when a live run for the same
 * fingerprint exists, that run is returned. `enqueue` tells the caller whether a flow must be
 * added after commit.
 */
export async function createDerivationRun(
  manager: EntityManager,
  input: { product: Product; inputs: ResolvedRunInput[]; trigger: 'manual' | 'upstream'; userId: string | null },
): Promise<{ run: DerivationRun; enqueue: boolean }> {
  const fingerprint = derivationFingerprint(input.product.sql, input.inputs);
  const existing = await manager.findOne(ProductVersion, { where: { productId: input.product.id, fingerprint } });
  if (existing) {
    if (input.product.currentVersionId !== existing.id) {
      await manager.update(Product, { id: input.product.id }, { currentVersionId: existing.id, updatedAt: new Date() });
    }
    const run = await manager.save(
      manager.create(DerivationRun, {
        productId: input.product.id,
        organizationId: input.product.organizationId,
        trigger: input.trigger,
        status: 'duplicate',
        progress: 100,
        sql: input.product.sql,
        inputs: input.inputs,
        fingerprint,
        versionId: existing.id,
        outputRows: existing.rowCount,
        gateReport: existing.gateReport,
        createdByUserId: input.userId,
        startedAt: new Date(),
        finishedAt: new Date(),
      }),
    );
    return { run, enqueue: false };
  }
  const [inserted]: Array<{ id: string }> = await manager.query(
    `INSERT INTO derivation_runs (product_id, organization_id, trigger, sql, inputs, fingerprint, created_by_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (product_id, fingerprint) WHERE status IN ('queued','running') DO NOTHING
     RETURNING id`,
    [input.product.id, input.product.organizationId, input.trigger, input.product.sql, JSON.stringify(input.inputs), fingerprint, input.userId],
  );
  if (inserted) return { run: await manager.findOneByOrFail(DerivationRun, { id: inserted.id }), enqueue: true };
  const live = await manager.findOneOrFail(DerivationRun, {
    where: { productId: input.product.id, fingerprint, status: In(['queued', 'running']) },
  });
  return { run: live, enqueue: false };
}
