import { createHash } from 'node:crypto';
import { isTightening, policyChanges, policyConflicts, type CheckedReport, type InputPolicy, type PolicyChange, type PolicyConflict } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { appendAuditEvent } from '../audit/audit-chain.js';
import { DatasetColumn } from '../entities/dataset-column.entity.js';
import { Dataset } from '../entities/dataset.entity.js';
import { DerivationRun, type ResolvedRunInput } from '../entities/derivation-run.entity.js';
import { ProductVersion } from '../entities/product-version.entity.js';
import { Product, ProductInput, type SuspensionReason } from '../entities/product.entity.js';
import { resolveProductInputs, runInputsOf, type InputDetails } from './product-inputs.js';
import { notifyOrganization } from '../notifications/notify-organization.js';
import { createDerivationRun, dependentProductIds, suspendProducts, type SuspendedProduct } from './product-store.js';

/**
 * What an agency's privacy settings mean for the products built on its data:
 * - a change that tightens them (or adds or removes a join pseudonym) re-derives every approved
 *   or published product reading the dataset, in the transaction that saves the change, and
 *   tells the owners of draft and submitted ones, which are not run (their owners decide when);
 * - a product's last run made under settings that have since changed says so
 *   (`settingsChangedSince`);
 * - a version is listed (submitted, published, resumed) only while it meets the settings as
 *   they stand, whatever its stored report says (`versionPolicyConflicts`);
 * - an automatic re-derivation that fails under the settings as they stand suspends a listed
 *   product whose version no longer meets them (`suspendIfPolicyUnmet`).
 */

/** The privacy settings of a dataset as derivations read them (the shape recorded with runs). */
export async function datasetPolicy(manager: EntityManager, datasetId: string): Promise<InputPolicy> {
  const dataset = await manager.findOneByOrFail(Dataset, { id: datasetId });
  const columns = await manager.find(DatasetColumn, { where: { datasetId }, order: { position: 'ASC' } });
  return {
    k: dataset.minGroupSize,
    smallCells: dataset.smallCells,
    columns: columns.map((column) => [column.name, column.sensitivity, column.sensitivity === 'personal' && Boolean(column.joinPseudonym)] as const),
  };
}

/**
 * The settings as they stand now of the inputs a run recorded, compared column by column with
 * what it recorded (a recorded column the dataset no longer describes counts as personal, as
 * describeRunInputs has it). Two queries for dataset inputs; product inputs take the settings of
 * their current version's report, as resolveProductInputs does.
 */
export async function settingsNow(manager: EntityManager, recorded: readonly ResolvedRunInput[]): Promise<Map<string, InputPolicy>> {
  const datasetIds = recorded.flatMap((input) => (input.datasetId ? [input.datasetId] : []));
  const productIds = recorded.flatMap((input) => (input.sourceProductId ? [input.sourceProductId] : []));
  const [datasets, columns, products]: [
    Array<{ id: string; k: number; small_cells: 'suppress' | 'fail' }>,
    Array<{ dataset_id: string; name: string; sensitivity: string; pseudonym: boolean }>,
    Array<{ id: string; report: Record<string, unknown> | null }>,
  ] = [
    datasetIds.length ? await manager.query(`SELECT id, min_group_size AS k, small_cells FROM datasets WHERE id = ANY($1)`, [datasetIds]) : [],
    datasetIds.length
      ? await manager.query(
          `SELECT dataset_id, name, sensitivity, (sensitivity = 'personal' AND join_pseudonym) AS pseudonym FROM dataset_columns WHERE dataset_id = ANY($1)`,
          [datasetIds],
        )
      : [],
    productIds.length
      ? await manager.query(`SELECT p.id, pv.gate_report AS report FROM products p LEFT JOIN product_versions pv ON pv.id = p.current_version_id WHERE p.id = ANY($1)`, [productIds])
      : [],
  ];
  const now = new Map<string, InputPolicy>();
  for (const input of recorded) {
    if (!input.policy) continue;
    if (input.datasetId) {
      const dataset = datasets.find((row) => row.id === input.datasetId);
      if (!dataset) continue;
      const described = new Map(columns.filter((row) => row.dataset_id === input.datasetId).map((row) => [row.name, row]));
      now.set(input.name, {
        k: Number(dataset.k),
        smallCells: dataset.small_cells,
        columns: input.policy.columns.map(([name]) => {
          const column = described.get(name);
          return [name, column?.sensitivity ?? 'personal', Boolean(column?.pseudonym)] as const;
        }),
      });
    } else if (input.sourceProductId) {
      const product = products.find((row) => row.id === input.sourceProductId);
      if (!product) continue;
      const report = (product.report ?? {}) as { k?: number; smallCells?: 'suppress' | 'fail'; checkedColumns?: { quasiIdentifiers?: string[] } };
      const quasi = new Set(report.checkedColumns?.quasiIdentifiers ?? []);
      now.set(input.name, {
        k: report.k ?? 2,
        smallCells: report.smallCells ?? 'suppress',
        columns: input.policy.columns.map(([name]) => [name, quasi.has(name) ? 'quasi_identifier' : 'public', false] as const),
      });
    }
  }
  return now;
}

/** Each input's settings as they stand, by input name (from resolved inputs). */
export function currentPolicies(details: readonly InputDetails[]): Map<string, InputPolicy> {
  return new Map(runInputsOf(details).map((input) => [input.name, input.policy!]));
}

/**
 * The inputs whose settings changed since a run was asked for (any change: the run must be
 * checked under exactly the settings its fingerprint records). Runs recorded without settings
 * are not compared.
 */
export function changedSinceRequested(recorded: readonly ResolvedRunInput[], current: Map<string, InputPolicy>): Array<{ input: string; changes: PolicyChange[] }> {
  const changed: Array<{ input: string; changes: PolicyChange[] }> = [];
  for (const input of recorded) {
    const now = current.get(input.name);
    if (!input.policy || !now) continue;
    const changes = policyChanges(input.policy, now);
    if (changes.length > 0) changed.push({ input: input.name, changes });
  }
  return changed;
}

/**
 * The inputs whose privacy settings changed since a run recorded them — the same dataset or
 * product under the same name (an input replaced or renamed since is not a change of
 * settings) — with how they changed. Empty when the run was made under today's settings.
 */
export function settingsChangedSince(recorded: readonly ResolvedRunInput[], details: readonly InputDetails[]): Array<{ input: string; changes: PolicyChange[] }> {
  const same = details.filter((detail) =>
    recorded.some((input) => input.name === detail.name && (detail.kind === 'dataset' ? input.datasetId : input.sourceProductId) === detail.id),
  );
  return changedSinceRequested(recorded, currentPolicies(same));
}

/** A stored gate report as the checks it records, or null when it records none. */
function checkedReport(report: Record<string, unknown> | null | undefined): CheckedReport | null {
  if (!report || typeof report.rule !== 'string' || typeof report.k !== 'number') return null;
  return {
    rule: report.rule as CheckedReport['rule'],
    k: report.k,
    smallCells: report.smallCells === 'fail' ? 'fail' : 'suppress',
    suppressedRows: Number(report.suppressedRows ?? 0),
  };
}

/**
 * Where output checked with `report` under the `recorded` settings falls short of the settings
 * as they stand (`current`); empty when it may be listed.
 */
export function outputPolicyConflicts(
  report: Record<string, unknown> | null | undefined,
  recorded: readonly ResolvedRunInput[] | null,
  current: Map<string, InputPolicy>,
): PolicyConflict[] {
  return policyConflicts(
    checkedReport(report),
    [...current.entries()].map(([name, policy]) => ({ name, recorded: recorded?.find((input) => input.name === name)?.policy ?? null, current: policy })),
  );
}

/**
 * Where the product's current version falls short of its inputs' privacy settings as they stand
 * now (the settings recorded with the run that made it against today's). Empty without a version.
 */
export async function versionPolicyConflicts(manager: EntityManager, product: Pick<Product, 'id' | 'organizationId' | 'currentVersionId'>): Promise<PolicyConflict[]> {
  if (!product.currentVersionId) return [];
  const version = await manager.findOneBy(ProductVersion, { id: product.currentVersionId });
  if (!version) return [];
  const run = version.runId ? await manager.findOne(DerivationRun, { where: { id: version.runId }, select: { id: true, inputs: true } }) : null;
  const declared = await manager.find(ProductInput, { where: { productId: product.id }, order: { position: 'ASC' } });
  const details = await resolveProductInputs(manager, product.organizationId, declared);
  return outputPolicyConflicts(version.gateReport, run?.inputs ?? null, currentPolicies(details));
}

export interface PolicyRefresh {
  /** Runs to start after commit (queued ones; the others are live already or duplicates). */
  queuedRunIds: string[];
  /** Products a run was asked for, with the run. */
  products: Array<{ productId: string; runId: string; status: DerivationRun['status'] }>;
  /** Draft and submitted products whose owners were told (not run). */
  told: Array<{ productId: string; status: 'draft' | 'submitted' }>;
}

/**
 * After an agency changed the dataset's privacy settings in a way that requires it (see
 * requiresRederivation): asks a run of every approved or published product that reads the
 * dataset, over its inputs' current versions and settings, inside the caller's transaction, and
 * tells each owner. Idempotent: runs are keyed by fingerprint (the settings are part of it), so
 * asking again returns the live run, or the version already made, and the notice is keyed by
 * the run. Products further down follow when these runs publish (or are suspended with them).
 *
 * Draft and submitted products reading the dataset are not run: a draft's SQL and inputs are
 * being edited, and reviewers judge the version that was submitted. Their owners are told
 * (`product.policy_changed`, saying whether the current version still meets the settings —
 * submitting and publishing refuse one that does not), once per product and resulting settings;
 * the product's editor shows that its last run was made under earlier settings.
 */
export async function rederiveAfterPolicyChange(
  manager: EntityManager,
  datasetId: string,
  changes: readonly PolicyChange[],
): Promise<PolicyRefresh> {
  const dependents: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT p.id FROM product_inputs pi JOIN products p ON p.id = pi.product_id
      WHERE pi.dataset_id = $1 AND p.status IN ('approved','published') ORDER BY p.id`,
    [datasetId],
  );
  const refresh: PolicyRefresh = { queuedRunIds: [], products: [], told: [] };
  for (const { id } of dependents) {
    const product = await manager.findOneByOrFail(Product, { id });
    const declared = await manager.find(ProductInput, { where: { productId: id }, order: { position: 'ASC' } });
    const inputs = await resolveProductInputs(manager, product.organizationId, declared);
    // An input that cannot be used any more suspends the product by its own path (withdrawal, revocation).
    if (inputs.some((input) => input.unusableReason !== null)) continue;
    const { run, enqueue } = await createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'upstream', userId: null });
    if (run.status === 'queued') refresh.queuedRunIds.push(run.id);
    refresh.products.push({ productId: id, runId: run.id, status: run.status });
    if (enqueue) {
      await notifyOrganization(manager, product.organizationId, {
        kind: 'product.rederiving',
        reference: run.id,
        subject: { kind: 'product.rederiving', product, cause: 'policy_changed' },
        target: { type: 'product', id: product.id },
        body: { productId: product.id, slug: product.slug, runId: run.id, source: { datasetId, reason: 'policy_changed', changes } },
      });
    }
  }
  await tellUnlistedOwners(manager, datasetId, changes, refresh);
  return refresh;
}

/** Tells the owners of draft and submitted products reading the dataset that its settings changed (see rederiveAfterPolicyChange). */
async function tellUnlistedOwners(manager: EntityManager, datasetId: string, changes: readonly PolicyChange[], refresh: PolicyRefresh): Promise<void> {
  const unlisted: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT p.id FROM product_inputs pi JOIN products p ON p.id = pi.product_id
      WHERE pi.dataset_id = $1 AND p.status IN ('draft','submitted') ORDER BY p.id`,
    [datasetId],
  );
  if (unlisted.length === 0) return;
  // One notice per product and resulting settings: saving the same settings again tells no one twice.
  const settings = createHash('sha256').update(JSON.stringify(await datasetPolicy(manager, datasetId))).digest('hex').slice(0, 32);
  for (const { id } of unlisted) {
    const product = await manager.findOneByOrFail(Product, { id });
    const status = product.status as 'draft' | 'submitted';
    const conflicts = await versionPolicyConflicts(manager, product);
    await notifyOrganization(manager, product.organizationId, {
      kind: 'product.policy_changed',
      reference: `${product.id}:${settings}`,
      subject: { kind: 'product.policy_changed', product, mustRunAgain: conflicts.length > 0 },
      target: { type: 'product', id: product.id },
      body: {
        productId: product.id,
        slug: product.slug,
        status,
        source: { datasetId, reason: 'policy_changed', changes },
        // Null without a version; false when submitting or publishing it would be refused.
        versionMeetsSettings: product.currentVersionId ? conflicts.length === 0 : null,
        conflicts,
      },
    });
    refresh.told.push({ productId: product.id, status });
  }
}

/**
 * When an automatic re-derivation of a listed product failed: if the run was judged under the
 * settings as they stand (no tightening since it was asked for — a newer run would judge that)
 * and the product's current version falls short of them, the product is suspended
 * (`policy_tightened`), with every product built on it, audited and told through the outbox.
 * Runs inside the caller's transaction; a second call finds nothing left to suspend.
 */
export async function suspendIfPolicyUnmet(
  manager: EntityManager,
  run: Pick<DerivationRun, 'id' | 'productId' | 'inputs' | 'trigger'>,
): Promise<SuspendedProduct[]> {
  if (run.trigger !== 'upstream') return [];
  const product = await manager.findOne(Product, { where: { id: run.productId }, lock: { mode: 'pessimistic_write' } });
  if (!product || (product.status !== 'approved' && product.status !== 'published')) return [];
  const declared = await manager.find(ProductInput, { where: { productId: product.id }, order: { position: 'ASC' } });
  const details = await resolveProductInputs(manager, product.organizationId, declared);
  const current = currentPolicies(details);
  const outdated = changedSinceRequested(run.inputs, current).some((entry) => entry.changes.some(isTightening));
  if (outdated) return [];
  const conflicts = await versionPolicyConflicts(manager, product);
  if (conflicts.length === 0) return [];
  const source = details.find((input) => input.name === conflicts[0]!.input);
  const reason: Omit<SuspensionReason, 'at'> = {
    cause: 'policy_tightened',
    ...(source?.kind === 'dataset' ? { datasetId: source.id } : source?.kind === 'product' ? { productId: source.id } : {}),
  };
  const ids = [product.id, ...(await dependentProductIds(manager, { productId: product.id }))];
  const suspended = await suspendProducts(manager, ids, reason, { userId: null, organizationId: null });
  if (suspended.length > 0) {
    await appendAuditEvent(manager, {
      action: 'product.policy_unmet',
      actorUserId: null,
      actorOrganizationId: null,
      organizationId: product.organizationId,
      targetType: 'product',
      targetId: product.id,
      ip: null,
      requestId: null,
      data: { runId: run.id, conflicts, suspendedProducts: suspended.map((row) => row.id) },
    });
  }
  return suspended;
}
