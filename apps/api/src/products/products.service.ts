import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccessGrant,
  createDerivationRun,
  DerivationRun,
  derivationRunPriority,
  Organization,
  Product,
  ProductInput,
  ProductReview,
  ProductVersion,
  resolveProductInputs,
  runInputsOf,
  settleNotices,
  TenantRepository,
  versionPolicyConflicts,
  type InputDetails,
  type TenantScope,
} from '@civic/db';
import { derivationAccess, DomainError, INPUT_WEIGHT, productSlugFromTitle, transition, validateProductInputs, type ProductAction, type ProductState } from '@civic/domain';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import { JobProducer } from '../queues/job-producer.service.js';
import type { CreateProductDto, InputCandidateDto, ProductInputSpecDto, UpdateProductDto } from './dto/products.dto.js';
import { ReviewRules } from './review-rules.js';

export type OwnerAction = 'submit' | 'cancel_submission' | 'publish' | 'retire' | 'resume';

const OWNER_ACTION_AUDIT: Record<OwnerAction, string> = {
  submit: 'product.submitted',
  cancel_submission: 'product.submission_cancelled',
  publish: 'product.published',
  retire: 'product.retired',
  resume: 'product.resumed',
};

const METADATA_FIELDS = ['titleZh', 'titleEn', 'descriptionZh', 'descriptionEn', 'theme', 'keywords'] as const;

/** The domain's view of a product row's listing state. */
export function productState(product: Product): ProductState {
  if (product.status === 'suspended') {
    return { status: 'suspended', resumeTo: product.suspendedFrom ?? 'approved', causes: product.suspensionReason ? [product.suspensionReason.cause] : [] };
  }
  if (product.status === 'draft') {
    return product.rejectionReason ? { status: 'draft', lastReview: { outcome: 'rejected', reason: product.rejectionReason } } : { status: 'draft' };
  }
  return { status: product.status };
}

/**
 * A product owner's side (vendors; agencies for base products): products and their inputs,
 * runs of the derive flow, versions, and the listing's life (submit, publish, retire, resume).
 */
@Injectable()
export class ProductsService {
  private readonly logger = new Logger(ProductsService.name);
  private readonly products: TenantRepository<Product>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
    private readonly reviews: ReviewRules,
  ) {
    this.products = new TenantRepository(dataSource.manager, Product);
  }

  list(scope: TenantScope, status?: Product['status']): Promise<Product[]> {
    return this.products.find(scope, status ? { status } : {}, { updatedAt: 'DESC' });
  }

  async get(scope: TenantScope, id: string, manager: EntityManager = this.dataSource.manager): Promise<Product> {
    const product = await this.products.withManager(manager).findOne(scope, { id });
    if (!product) throw new DomainError('product.not_found', 'Product not found.');
    return product;
  }

  inputsOf(productId: string, manager: EntityManager = this.dataSource.manager): Promise<ProductInput[]> {
    return manager.find(ProductInput, { where: { productId }, order: { position: 'ASC' } });
  }

  /** The product's inputs as its owner may use them now. */
  async resolvedInputs(product: Product, manager: EntityManager = this.dataSource.manager): Promise<InputDetails[]> {
    return resolveProductInputs(manager, product.organizationId, await this.inputsOf(product.id, manager));
  }

  async create(actor: Actor, principal: Principal, input: CreateProductDto): Promise<Product> {
    const slug = input.slug ?? productSlugFromTitle(input.titleEn, `product-${Date.now().toString(36)}`);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(Product, { where: { slug } })) {
        throw new DomainError('product.slug_taken', 'Another product already uses this URL name.', [{ field: 'slug', messages: ['taken'] }]);
      }
      const specs = await this.checkInputs(manager, principal, input.kind, input.inputs, null);
      const sql = input.kind === 'base' ? `SELECT * FROM ${specs[0]!.name}` : input.sql;
      if (!sql) throw new DomainError('product.invalid_inputs', 'A derived product needs its SQL.', [{ field: 'sql', messages: ['required'] }]);
      const product = await this.products.withManager(manager).insert(principal, {
        kind: input.kind,
        slug,
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        descriptionZh: input.descriptionZh ?? '',
        descriptionEn: input.descriptionEn ?? '',
        theme: input.theme,
        keywords: input.keywords ?? [],
        sql,
        status: 'draft',
        createdByUserId: principal.userId,
      });
      await this.replaceInputs(manager, product.id, specs);
      await this.audit.record(manager, actor, {
        action: 'product.created',
        targetType: 'product',
        targetId: product.id,
        data: { slug, kind: input.kind, inputs: specs.map((spec) => ({ name: spec.name, datasetId: spec.datasetId, productId: spec.sourceProductId })) },
      });
      return product;
    });
  }

  /**
   * Metadata can change in any state but retired; the SQL and inputs only in draft (a listed
   * product's derivation is what its reviewers approved).
   */
  async update(actor: Actor, principal: Principal, id: string, input: UpdateProductDto): Promise<Product> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const product = await this.get(principal, id, manager);
      if (product.status === 'retired') throw new DomainError('product.invalid_transition', 'A retired product cannot change.', { status: product.status });
      const changesDerivation = input.sql !== undefined || input.inputs !== undefined;
      if (changesDerivation && product.status !== 'draft') {
        throw new DomainError('product.not_editable', 'The SQL and inputs can change only while the product is a draft.', { status: product.status });
      }
      if (product.kind === 'base' && changesDerivation) {
        throw new DomainError('product.not_editable', 'A base product sells its dataset as it is.', { kind: product.kind });
      }
      const changes: Partial<Product> = {};
      for (const field of METADATA_FIELDS) if (input[field] !== undefined) (changes as Record<string, unknown>)[field] = input[field];
      if (input.sql !== undefined) changes.sql = input.sql;
      if (input.inputs) {
        const specs = await this.checkInputs(manager, principal, product.kind, input.inputs, product.id);
        await this.replaceInputs(manager, product.id, specs);
      }
      await this.products.withManager(manager).update(principal, { id }, { ...changes, updatedAt: new Date() });
      await this.audit.record(manager, actor, {
        action: 'product.updated',
        targetType: 'product',
        targetId: id,
        data: { fields: [...Object.keys(changes), ...(input.inputs ? ['inputs'] : [])] },
      });
      return this.get(principal, id, manager);
    });
    // Sold through Stripe: its Stripe Product is named after the titles.
    if ((input.titleZh !== undefined || input.titleEn !== undefined) && updated.stripeProductId) {
      await this.jobs.enqueue({ name: 'payments.sync-product', data: { productId: id } }).catch((error: unknown) => this.logger.warn({ err: error, productId: id }, 'could not queue the Stripe sync of a product'));
    }
    return updated;
  }

  /**
   * Starts the derive flow over the inputs' current versions. The same SQL over the same
   * versions is the same version: asking again returns the live run or a duplicate of the
   * existing version, never a second computation.
   */
  async startRun(actor: Actor, principal: Principal, id: string): Promise<DerivationRun> {
    const { run, enqueue } = await this.dataSource.transaction(async (manager) => {
      const product = await this.get(principal, id, manager);
      if (product.status === 'retired') throw new DomainError('product.invalid_transition', 'A retired product is not derived any more.', { status: product.status });
      const details = await this.resolvedInputs(product, manager);
      requireUsable(details);
      const created = await createDerivationRun(manager, { product, inputs: runInputsOf(details), trigger: 'manual', userId: principal.userId });
      if (created.enqueue) {
        await this.audit.record(manager, actor, {
          action: 'product.run_started',
          targetType: 'product',
          targetId: product.id,
          data: { runId: created.run.id, fingerprint: created.run.fingerprint },
        });
      }
      return created;
    });
    if (enqueue) {
      // If Redis is unreachable the run stays queued; the worker's sweep adds its flow later.
      await derivationRunPriority(this.dataSource, run.id)
        .then((priority) => this.jobs.addDeriveFlow(run.id, priority))
        .catch((error: unknown) => this.logger.warn({ err: error, runId: run.id }, 'could not add the derive flow'));
    }
    return run;
  }

  async runs(scope: TenantScope, productId: string): Promise<DerivationRun[]> {
    await this.get(scope, productId);
    return this.dataSource.manager.find(DerivationRun, { where: { productId }, order: { createdAt: 'DESC' }, take: 50 });
  }

  async run(scope: TenantScope, productId: string, runId: string): Promise<DerivationRun> {
    await this.get(scope, productId);
    const run = await this.dataSource.manager.findOneBy(DerivationRun, { id: runId, productId });
    if (!run) throw new DomainError('product.run_not_found', 'Run not found.');
    return run;
  }

  /** Cancels a queued or running run; the flow's stages see it and stop. */
  async cancelRun(actor: Actor, scope: TenantScope, productId: string, runId: string): Promise<DerivationRun> {
    return this.dataSource.transaction(async (manager) => {
      await this.get(scope, productId, manager);
      const [rows]: [Array<{ id: string }>, number] = await manager.query(
        `UPDATE derivation_runs SET status = 'cancelled', cancel_requested_at = now(), finished_at = now()
          WHERE id = $1 AND product_id = $2 AND status IN ('queued','running') RETURNING id`,
        [runId, productId],
      );
      const run = await manager.findOneBy(DerivationRun, { id: runId, productId });
      if (!run) throw new DomainError('product.run_not_found', 'Run not found.');
      if (rows.length === 0) throw new DomainError('product.run_finished', 'The run has already finished.', { status: run.status });
      await this.audit.record(manager, actor, { action: 'product.run_cancelled', targetType: 'product', targetId: productId, data: { runId } });
      return run;
    });
  }

  async versions(scope: TenantScope, productId: string): Promise<ProductVersion[]> {
    await this.get(scope, productId);
    return this.dataSource.manager.find(ProductVersion, { where: { productId }, order: { version: 'DESC' } });
  }

  /** Listing actions of the owner: submit for review, cancel a submission, publish, retire, resume. */
  async act(actor: Actor, principal: Principal, id: string, action: OwnerAction): Promise<Product> {
    return this.dataSource.transaction(async (manager) => {
      const product = await this.get(principal, id, manager);
      const next = transition(productState(product), { type: action } as ProductAction);
      const changes: Partial<Product> = { status: next.status, updatedAt: new Date() };
      if (action === 'submit') {
        if (!product.currentVersionId) {
          throw new DomainError('product.no_version', 'Run the derivation successfully before submitting: reviewers review a version.');
        }
        if (!product.descriptionZh.trim() && !product.descriptionEn.trim()) {
          throw new DomainError('product.description_required', 'Describe the product before submitting it: buyers read the description before they buy.', [
            { field: 'descriptionZh', messages: ['a description in Chinese or English is required to submit'] },
          ]);
        }
        requireUsable(await this.resolvedInputs(product, manager));
        await requireCurrentSettings(manager, product);
        changes.reviewRound = product.reviewRound + 1;
        changes.rejectionReason = null;
        changes.submittedAt = changes.updatedAt;
      }
      if (action === 'resume') {
        requireUsable(await this.resolvedInputs(product, manager));
        await requireCurrentSettings(manager, product);
        changes.suspendedFrom = null;
        changes.suspensionReason = null;
      }
      if (action === 'publish') {
        await requireCurrentSettings(manager, product);
        changes.publishedAt = new Date();
      }
      if (action === 'retire') {
        changes.suspendedFrom = null;
        changes.suspensionReason = null;
      }
      await this.products.withManager(manager).update(principal, { id }, changes);
      await this.audit.record(manager, actor, {
        action: OWNER_ACTION_AUDIT[action],
        targetType: 'product',
        targetId: id,
        data: { from: product.status, to: next.status, ...(action === 'submit' ? { round: changes.reviewRound } : {}) },
      });
      if (action === 'submit') await this.reviews.notifyReviewers(manager, product, changes.reviewRound!);
      // A withdrawn submission no longer waits for its reviewers.
      if (action === 'cancel_submission') await settleNotices(manager, { kind: 'product.review_requested', target: { type: 'product_review', id } });
      return this.get(principal, id, manager);
    });
  }

  async reviewsOf(productId: string): Promise<ProductReview[]> {
    return this.dataSource.manager.find(ProductReview, { where: { productId }, order: { decidedAt: 'ASC' } });
  }

  async organizationNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.manager.findBy(Organization, { id: In([...new Set(ids)]) });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** What the organization may pick as inputs: published datasets and products, and its own. */
  async inputCandidates(principal: Principal): Promise<InputCandidateDto[]> {
    const manager = this.dataSource.manager;
    const [datasets, products] = await Promise.all([
      manager.query(
        `SELECT d.id, d.slug, d.title_zh AS "titleZh", d.title_en AS "titleEn", o.name AS "organizationName", d.organization_id AS "organizationId",
                d.classification, dv.row_count AS "rowCount"
           FROM datasets d JOIN organizations o ON o.id = d.organization_id LEFT JOIN dataset_versions dv ON dv.id = d.current_version_id
          WHERE d.current_version_id IS NOT NULL AND (d.status = 'published' OR (d.organization_id = $1 AND d.status = 'draft'))
          ORDER BY d.title_en`,
        [principal.organizationId],
      ),
      manager.query(
        `SELECT p.id, p.slug, p.title_zh AS "titleZh", p.title_en AS "titleEn", o.name AS "organizationName", p.organization_id AS "organizationId",
                pv.row_count AS "rowCount"
           FROM products p JOIN organizations o ON o.id = p.organization_id JOIN product_versions pv ON pv.id = p.current_version_id
          WHERE p.status = 'published' OR (p.organization_id = $1 AND p.status <> 'retired')
          ORDER BY p.title_en`,
        [principal.organizationId],
      ),
    ]);
    const grants = await manager.findBy(AccessGrant, { organizationId: principal.organizationId });
    const now = new Date();
    return [
      ...datasets.map((row: InputCandidateDto & { organizationId: string }) => ({
        kind: 'dataset' as const,
        id: row.id,
        slug: row.slug,
        titleZh: row.titleZh,
        titleEn: row.titleEn,
        organizationName: row.organizationName,
        classification: row.classification,
        rowCount: row.rowCount === null ? null : Number(row.rowCount),
        access: derivationAccess({
          classification: row.classification!,
          isOwner: row.organizationId === principal.organizationId,
          grants: grants.filter((grant) => grant.datasetId === row.id),
          now,
        }),
      })),
      ...products.map((row: InputCandidateDto & { organizationId: string }) => ({
        kind: 'product' as const,
        id: row.id,
        slug: row.slug,
        titleZh: row.titleZh,
        titleEn: row.titleEn,
        organizationName: row.organizationName,
        classification: null,
        rowCount: row.rowCount === null ? null : Number(row.rowCount),
        access: row.organizationId === principal.organizationId ? ('owner' as const) : ('free' as const),
      })),
    ];
  }

  /** Checks the declared inputs for the owner and the kind; returns them ready to store. */
  private async checkInputs(
    manager: EntityManager,
    principal: Principal,
    kind: Product['kind'],
    specs: readonly ProductInputSpecDto[],
    productId: string | null,
  ): Promise<Array<Pick<ProductInput, 'name' | 'position' | 'weight' | 'datasetId' | 'sourceProductId'>>> {
    const names = specs.map((spec) => spec.name);
    if (new Set(names).size !== names.length) {
      throw new DomainError('product.invalid_inputs', 'Each input needs its own name.', [{ field: 'inputs', messages: ['duplicate names'] }]);
    }
    for (const spec of specs) {
      if ((spec.datasetId === undefined) === (spec.productId === undefined)) {
        throw new DomainError('product.invalid_inputs', 'Each input is either a dataset or a product.', [{ field: `inputs.${spec.name}`, messages: ['datasetId xor productId'] }]);
      }
      if (spec.productId && spec.productId === productId) {
        throw new DomainError('product.invalid_inputs', 'A product cannot read itself.', [{ field: `inputs.${spec.name}`, messages: ['self reference'] }]);
      }
    }
    const rows = specs.map((spec, position) => ({
      name: spec.name,
      position,
      weight: spec.weight ?? INPUT_WEIGHT.default,
      datasetId: spec.datasetId ?? null,
      sourceProductId: spec.productId ?? null,
    }));
    const datasetIds = rows.flatMap((row) => (row.datasetId ? [row.datasetId] : []));
    const productIds = rows.flatMap((row) => (row.sourceProductId ? [row.sourceProductId] : []));
    // One after the other: inside a transaction both would share one connection.
    const datasetCount = datasetIds.length
      ? await manager.query(`SELECT count(*)::int AS n FROM datasets WHERE id = ANY($1) AND (status = 'published' OR organization_id = $2)`, [datasetIds, principal.organizationId])
      : [{ n: 0 }];
    const productCount = productIds.length
      ? await manager.query(`SELECT count(*)::int AS n FROM products WHERE id = ANY($1) AND (status = 'published' OR organization_id = $2)`, [productIds, principal.organizationId])
      : [{ n: 0 }];
    if (datasetCount[0].n !== new Set(datasetIds).size || productCount[0].n !== new Set(productIds).size) {
      throw new DomainError('product.input_not_found', 'An input does not exist or is not published.', [{ field: 'inputs', messages: ['unknown dataset or product'] }]);
    }
    const details = await resolveProductInputs(manager, principal.organizationId, rows);
    validateProductInputs({
      kind,
      owner: { organizationId: principal.organizationId, organizationKind: principal.organizationKind },
      inputs: details.map((detail) =>
        detail.kind === 'dataset' ? { kind: 'dataset_version', id: detail.id, agencyId: detail.organizationId } : { kind: 'product_version', id: detail.id },
      ),
    });
    if (kind === 'base' && details.some((detail) => detail.classification === 'restricted')) {
      throw new DomainError('product.invalid_inputs', 'Restricted data is never sold as it is: derive a product from it through the privacy gate.', {
        kind,
        rule: 'not_restricted',
      });
    }
    const denied = details.filter((detail) => detail.access === 'denied');
    if (denied.length > 0) {
      throw new DomainError('product.input_denied', 'Deriving from conditional data needs a grant in force for product development or research.', {
        inputs: denied.map((detail) => ({ name: detail.name, id: detail.id, kind: detail.kind })),
      });
    }
    return rows;
  }

  private async replaceInputs(
    manager: EntityManager,
    productId: string,
    rows: ReadonlyArray<Pick<ProductInput, 'name' | 'position' | 'weight' | 'datasetId' | 'sourceProductId'>>,
  ): Promise<void> {
    await manager.delete(ProductInput, { productId });
    await manager.insert(ProductInput, rows.map((row) => ({ ...row, productId })));
  }
}

/**
 * Refuses to list (submit, publish, resume) a product whose current version does not meet its
 * inputs' privacy settings as they stand now — e.g. it passed only by suppressing small cells and
 * an agency now asks such runs to fail, or k was raised. The stored gate report is not trusted
 * on its own: the settings recorded with the version's run are compared with today's.
 */
async function requireCurrentSettings(manager: EntityManager, product: Product): Promise<void> {
  const conflicts = await versionPolicyConflicts(manager, product);
  if (conflicts.length > 0) {
    throw new DomainError(
      'product.policy_changed',
      "The privacy settings of an input are stricter than those the current version was checked under; run the derivation again under today's settings.",
      { inputs: conflicts.map((conflict) => ({ name: conflict.input, changes: conflict.changes })) },
    );
  }
}

/** Refuses to run or list a product whose inputs the owner may not use now. */
export function requireUsable(details: readonly InputDetails[]): void {
  const unusable = details.filter((detail) => detail.unusableReason !== null);
  if (unusable.length > 0) {
    throw new DomainError('product.input_unavailable', 'An input cannot be used now.', {
      inputs: unusable.map((detail) => ({ name: detail.name, kind: detail.kind, id: detail.id, reason: detail.unusableReason })),
    });
  }
}
