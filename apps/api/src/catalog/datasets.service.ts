import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccessGrant,
  Dataset,
  DatasetColumn,
  datasetPolicy,
  DatasetVersion,
  dependentProductIds,
  derivationRunPriority,
  Organization,
  rederiveAfterPolicyChange,
  refreshSearchDocument,
  suspendDependentProducts,
  TenantRepository,
  type PolicyRefresh,
  type TenantScope,
} from '@civic/db';
import { DATASET_LICENSES, DomainError, isStricter, policyChanges, requiresRederivation, slugify, type DatasetLicense, type InputPolicy, type PolicyChange } from '@civic/domain';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import { JobProducer } from '../queues/job-producer.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import type { CreateDatasetDto, DatasetDependentsDto, ReclassifyDatasetDto, UpdateColumnsDto, UpdateDatasetDto } from './dto/catalog.dto.js';

const DEFAULT_LICENSE: Record<Dataset['classification'], DatasetLicense> = {
  open: 'cc-by-4.0',
  conditional: 'gov-conditional-agreement',
  restricted: 'gov-conditional-agreement',
};

/** Fields of the metadata DTOs that map one-to-one onto dataset columns. */
const METADATA_FIELDS = [
  'titleZh',
  'titleEn',
  'descriptionZh',
  'descriptionEn',
  'theme',
  'keywords',
  'contactName',
  'contactEmail',
  'updateFrequency',
  'spatialCoverage',
  'temporalStart',
  'temporalEnd',
  'licenseId',
  'minGroupSize',
  'smallCells',
] as const;

function definedMetadata(input: UpdateDatasetDto): Partial<Dataset> {
  const changes: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) if (input[field] !== undefined) changes[field] = input[field];
  return changes as Partial<Dataset>;
}

/** Fields whose change may change the dataset's privacy settings (k, small cells). */
const POLICY_FIELDS = ['minGroupSize', 'smallCells'] as const;

/** An agency's own datasets: create, describe, publish, withdraw, reclassify. */
@Injectable()
export class DatasetsService {
  private readonly logger = new Logger(DatasetsService.name);
  private readonly datasets: TenantRepository<Dataset>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly search: CatalogSearchService,
    private readonly jobs: JobProducer,
  ) {
    this.datasets = new TenantRepository(dataSource.manager, Dataset);
  }

  list(scope: TenantScope): Promise<Dataset[]> {
    return this.datasets.find(scope, {}, { updatedAt: 'DESC' });
  }

  async get(scope: TenantScope, id: string, manager: EntityManager = this.dataSource.manager): Promise<Dataset> {
    const dataset = await this.datasets.withManager(manager).findOne(scope, { id });
    if (!dataset) throw new DomainError('catalog.not_found', 'Dataset not found.');
    return dataset;
  }

  async create(actor: Actor, scope: TenantScope, input: CreateDatasetDto): Promise<Dataset> {
    checkPeriod(input.temporalStart ?? null, input.temporalEnd ?? null);
    const slug = input.slug ?? slugify(input.titleEn, `dataset-${Date.now().toString(36)}`);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(Dataset, { where: { slug } })) {
        throw new DomainError('catalog.slug_taken', 'Another dataset already uses this URL name.', [{ field: 'slug', messages: ['taken'] }]);
      }
      const dataset = await this.datasets.withManager(manager).insert(scope, {
        ...definedMetadata(input),
        slug,
        classification: input.classification,
        licenseId: input.licenseId ?? DEFAULT_LICENSE[input.classification],
        updateFrequency: input.updateFrequency ?? 'irregular',
        status: 'draft',
        createdByUserId: actor.principal?.userId ?? null,
      });
      await refreshSearchDocument(manager, dataset.id);
      await this.audit.record(manager, actor, {
        action: 'dataset.created',
        targetType: 'dataset',
        targetId: dataset.id,
        data: { slug, titleZh: dataset.titleZh, classification: dataset.classification },
      });
      return dataset;
    });
  }

  async update(actor: Actor, scope: TenantScope, id: string, input: UpdateDatasetDto): Promise<Dataset> {
    let refresh: PolicyRefresh | null = null;
    const updated = await this.changing(async (manager) => {
      const dataset = await this.get(scope, id, manager);
      const changes = definedMetadata(input);
      checkPeriod(changes.temporalStart ?? dataset.temporalStart, changes.temporalEnd ?? dataset.temporalEnd);
      if (Object.keys(changes).length === 0) return dataset;
      const before = POLICY_FIELDS.some((field) => field in changes) ? await datasetPolicy(manager, id) : null;
      await this.datasets.withManager(manager).update(scope, { id }, { ...changes, updatedAt: new Date() });
      await refreshSearchDocument(manager, id);
      const policy = before ? await this.afterPolicyChange(manager, id, before) : null;
      refresh = policy?.refresh ?? null;
      await this.audit.record(manager, actor, {
        action: 'dataset.updated',
        targetType: 'dataset',
        targetId: id,
        data: { fields: Object.keys(changes), ...(policy ? policyAudit(policy) : {}) },
      });
      return this.get(scope, id, manager);
    });
    await this.startRuns(refresh);
    return updated;
  }

  async updateColumns(actor: Actor, scope: TenantScope, id: string, input: UpdateColumnsDto): Promise<DatasetColumn[]> {
    let refresh: PolicyRefresh | null = null;
    const columns = await this.changing(async (manager) => {
      await this.get(scope, id, manager);
      const before = await datasetPolicy(manager, id);
      const known = new Map((await manager.find(DatasetColumn, { where: { datasetId: id } })).map((column) => [column.name, column]));
      const unknown = input.columns.filter((column) => !known.has(column.name)).map((column) => column.name);
      if (unknown.length > 0) {
        throw new DomainError(
          'catalog.unknown_column',
          'These columns are not in the dataset.',
          [{ field: 'columns', messages: unknown.map((name) => `unknown column ${name}`) }],
        );
      }
      const sensitivityChanges: Array<{ name: string; from: string; to: string }> = [];
      for (const change of input.columns) {
        const column = known.get(change.name) as DatasetColumn;
        if (change.joinPseudonym && (change.sensitivity ?? column.sensitivity) !== 'personal') {
          throw new DomainError('catalog.invalid_pseudonym', 'Only a personal column can be exposed as a pseudonym.', [
            { field: `columns.${change.name}.joinPseudonym`, messages: ['requires sensitivity personal'] },
          ]);
        }
        if (change.sensitivity && change.sensitivity !== column.sensitivity) {
          sensitivityChanges.push({ name: column.name, from: column.sensitivity, to: change.sensitivity });
        }
        await manager.update(
          DatasetColumn,
          { datasetId: id, name: change.name },
          {
            ...(change.descriptionZh !== undefined ? { descriptionZh: change.descriptionZh } : {}),
            ...(change.descriptionEn !== undefined ? { descriptionEn: change.descriptionEn } : {}),
            ...(change.sensitivity !== undefined ? { sensitivity: change.sensitivity } : {}),
            // A column that stops being personal stops being a pseudonym.
            ...(change.sensitivity !== undefined && change.sensitivity !== 'personal' ? { joinPseudonym: false } : {}),
            ...(change.joinPseudonym !== undefined ? { joinPseudonym: change.joinPseudonym } : {}),
          },
        );
      }
      await manager.update(Dataset, { id }, { updatedAt: new Date() });
      await refreshSearchDocument(manager, id);
      const policy = await this.afterPolicyChange(manager, id, before);
      refresh = policy?.refresh ?? null;
      await this.audit.record(manager, actor, {
        action: 'dataset.columns_updated',
        targetType: 'dataset',
        targetId: id,
        data: { columns: input.columns.map((column) => column.name), sensitivityChanges, ...(policy ? policyAudit(policy) : {}) },
      });
      return manager.find(DatasetColumn, { where: { datasetId: id }, order: { position: 'ASC' } });
    });
    await this.startRuns(refresh);
    return columns;
  }

  /**
   * After the dataset's privacy settings may have changed (inside the same transaction): when
   * they were tightened, or a join pseudonym added or removed, every approved or published
   * product reading the dataset is derived again under them and its owner told; a product whose
   * new run fails under them is then suspended (see the worker's derive stages). Owners of
   * draft and submitted products reading it are told, and run them when they choose.
   */
  private async afterPolicyChange(manager: EntityManager, id: string, before: InputPolicy): Promise<{ changes: PolicyChange[]; refresh: PolicyRefresh | null } | null> {
    const changes = policyChanges(before, await datasetPolicy(manager, id));
    if (changes.length === 0) return null;
    return { changes, refresh: requiresRederivation(changes) ? await rederiveAfterPolicyChange(manager, id, changes) : null };
  }

  /** Adds the flows of the runs a policy change asked for, after commit; the worker's sweep adds them later if Redis is down. */
  private async startRuns(refresh: PolicyRefresh | null): Promise<void> {
    for (const runId of refresh?.queuedRunIds ?? []) {
      await derivationRunPriority(this.dataSource, runId)
        .then((priority) => this.jobs.addDeriveFlow(runId, priority))
        .catch((error: unknown) => this.logger.warn({ err: error, runId }, 'could not add the derive flow'));
    }
  }

  async publish(actor: Actor, scope: TenantScope, id: string): Promise<Dataset> {
    return this.changing(async (manager) => {
      const dataset = await this.get(scope, id, manager);
      if (dataset.status === 'published') return dataset;
      if (!dataset.currentVersionId) throw new DomainError('catalog.no_version', 'Upload a data file before publishing.');
      await manager.update(Dataset, { id }, { status: 'published', publishedAt: dataset.publishedAt ?? new Date(), updatedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'dataset.published', targetType: 'dataset', targetId: id, data: { slug: dataset.slug } });
      return this.get(scope, id, manager);
    });
  }

  /**
   * The listed (approved or published) products built on one of the agency's datasets, directly
   * or through other products: what withdrawing it or reclassifying it stricter would suspend.
   * Products of other organizations are named only once published (the storefront shows them
   * anyway); the others are counted.
   */
  async dependents(scope: TenantScope, id: string): Promise<DatasetDependentsDto> {
    await this.get(scope, id);
    const ids = await dependentProductIds(this.dataSource.manager, { datasetId: id });
    if (ids.length === 0) return { items: [], unlisted: 0 };
    const rows: Array<{ id: string; slug: string; titleZh: string; titleEn: string; status: 'approved' | 'published'; organizationId: string; organizationName: string }> =
      await this.dataSource.query(
        `SELECT p.id, p.slug, p.title_zh AS "titleZh", p.title_en AS "titleEn", p.status, p.organization_id AS "organizationId", o.name AS "organizationName"
           FROM products p JOIN organizations o ON o.id = p.organization_id
          WHERE p.id = ANY($1) AND p.status IN ('approved', 'published')
          ORDER BY p.status DESC, p.title_en, p.id`,
        [ids],
      );
    const own = (row: (typeof rows)[number]) => row.organizationId === scope.organizationId;
    const named = rows.filter((row) => own(row) || row.status === 'published');
    return {
      items: named.map((row) => ({
        id: own(row) ? row.id : null,
        slug: row.slug,
        titleZh: row.titleZh,
        titleEn: row.titleEn,
        organizationName: row.organizationName,
        status: row.status,
        own: own(row),
      })),
      unlisted: rows.length - named.length,
    };
  }

  async withdraw(actor: Actor, scope: TenantScope, id: string, reason: string): Promise<Dataset> {
    return this.changing(async (manager) => {
      const dataset = await this.get(scope, id, manager);
      if (dataset.status !== 'published') throw new DomainError('catalog.invalid_state', 'Only a published dataset can be withdrawn.');
      await manager.update(Dataset, { id }, { status: 'withdrawn', updatedAt: new Date() });
      const suspended = await suspendDependentProducts(manager, { cause: 'source_withdrawn', datasetId: id, note: reason }, actorIds(actor));
      await this.audit.record(manager, actor, {
        action: 'dataset.withdrawn',
        targetType: 'dataset',
        targetId: id,
        data: { reason, suspendedProducts: suspended.map((product) => product.id) },
      });
      return this.get(scope, id, manager);
    });
  }

  /**
   * Changes who may receive rows. Moving to restricted revokes every grant (rows of restricted
   * data are never delivered); any change is audited with its reason.
   */
  async reclassify(actor: Actor, scope: TenantScope, id: string, input: ReclassifyDatasetDto): Promise<Dataset> {
    return this.changing(async (manager) => {
      const dataset = await this.get(scope, id, manager);
      if (dataset.classification === input.classification) return dataset;
      const stricter = isStricter(input.classification, dataset.classification);
      let revokedGrants = 0;
      if (input.classification === 'restricted') {
        const result = await manager.update(
          AccessGrant,
          { datasetId: id, revokedAt: IsNull() },
          { revokedAt: new Date(), revokedReason: `reclassified to restricted: ${input.reason}` },
        );
        revokedGrants = result.affected ?? 0;
      }
      const license = DATASET_LICENSES[dataset.licenseId] ? dataset.licenseId : DEFAULT_LICENSE[input.classification];
      await manager.update(Dataset, { id }, { classification: input.classification, licenseId: license, updatedAt: new Date() });
      // Products built on data now stricter stop at once (cascading through products built on them).
      const suspended = stricter ? await suspendDependentProducts(manager, { cause: 'source_reclassified', datasetId: id, note: input.reason }, actorIds(actor)) : [];
      await this.audit.record(manager, actor, {
        action: 'dataset.reclassified',
        targetType: 'dataset',
        targetId: id,
        data: {
          from: dataset.classification,
          to: input.classification,
          stricter,
          reason: input.reason,
          revokedGrants,
          suspendedProducts: suspended.map((product) => product.id),
        },
      });
      return this.get(scope, id, manager);
    });
  }

  /** A transaction that may change what the catalog lists; cached search counts are dropped after it. */
  private async changing<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.search.invalidate();
    }
  }

  versions(datasetId: string): Promise<DatasetVersion[]> {
    return this.dataSource.manager.find(DatasetVersion, { where: { datasetId }, order: { version: 'DESC' } });
  }

  agency(scope: TenantScope): Promise<Organization> {
    return this.dataSource.manager.findOneByOrFail(Organization, { id: scope.organizationId });
  }
}

function checkPeriod(start: string | null, end: string | null): void {
  if (start && end && start > end) {
    throw new DomainError('request.invalid', 'The coverage period ends before it starts.', [{ field: 'temporalEnd', messages: ['must not be before temporalStart'] }]);
  }
}

function policyAudit(policy: { changes: PolicyChange[]; refresh: PolicyRefresh | null }): Record<string, unknown> {
  return {
    policyChanges: policy.changes,
    rederivedProducts: policy.refresh?.products.map((product) => product.productId) ?? [],
    toldProducts: policy.refresh?.told.map((product) => product.productId) ?? [],
  };
}

function actorIds(actor: Actor): { userId: string | null; organizationId: string | null } {
  return { userId: actor.principal?.userId ?? null, organizationId: actor.principal?.organizationId ?? null };
}
