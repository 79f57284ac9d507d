import {
  classifyOutputColumns,
  derivationAccess,
  planGate,
  strictestPolicy,
  type Classification,
  type ClassifiedColumn,
  type DerivationAccess,
  type GatePlan,
  type OutputColumn,
  type Sensitivity,
} from '@civic/domain';
import { In, type EntityManager } from 'typeorm';
import { AccessGrant } from '../entities/access-grant.entity.js';
import { DatasetColumn } from '../entities/dataset-column.entity.js';
import { DatasetVersion } from '../entities/dataset-version.entity.js';
import { Dataset } from '../entities/dataset.entity.js';
import type { ResolvedRunInput } from '../entities/derivation-run.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { ProductVersion } from '../entities/product-version.entity.js';
import { Product, type ProductInput } from '../entities/product.entity.js';

/** A column as a derivation's SQL sees it (personal columns are hidden unless exposed as a pseudonym). */
export interface InputColumn {
  name: string;
  type: string;
  sensitivity: Sensitivity;
  /** A personal column exposed as a keyed pseudonym for joining. */
  pseudonym: boolean;
}

/** Everything a product's owner, a run and a reviewer need to know about one input. */
export interface InputDetails {
  name: string;
  position: number;
  weight: number;
  kind: 'dataset' | 'product';
  id: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  organizationId: string;
  organizationName: string;
  /** The dataset's classification; null for a product input. */
  classification: Classification | null;
  access: DerivationAccess;
  /** Null when usable now; otherwise why not (a stable code). */
  unusableReason: 'denied' | 'withdrawn' | 'unpublished' | 'no_version' | 'not_listed' | null;
  /** The version a run started now would read. */
  versionId: string | null;
  parquetKey: string | null;
  rowCount: number | null;
  /** All columns of the version with their sensitivity (personal ones included: the sandbox hides them). */
  columns: InputColumn[];
  /** The privacy settings this input imposes on outputs. */
  k: number;
  smallCells: 'suppress' | 'fail';
}

/**
 * Resolves a product's declared inputs for the organization that owns it: what each is, the
 * version a run would read now, its columns and sensitivity, and whether the owner may derive
 * from it (open, its own, a grant in force covering derivation, restricted through the gate; a
 * product input must be the owner's own or published).
 */
export async function resolveProductInputs(
  manager: EntityManager,
  ownerOrganizationId: string,
  inputs: ReadonlyArray<Pick<ProductInput, 'name' | 'position' | 'weight' | 'datasetId' | 'sourceProductId'>>,
  now = new Date(),
): Promise<InputDetails[]> {
  const datasetIds = inputs.flatMap((input) => (input.datasetId ? [input.datasetId] : []));
  const productIds = inputs.flatMap((input) => (input.sourceProductId ? [input.sourceProductId] : []));
  // One query at a time: the manager may be a transaction's, whose one connection runs them in turn anyway.
  const datasets = datasetIds.length ? await manager.findBy(Dataset, { id: In(datasetIds) }) : [];
  const products = productIds.length ? await manager.findBy(Product, { id: In(productIds) }) : [];
  const grants = datasetIds.length ? await manager.findBy(AccessGrant, { organizationId: ownerOrganizationId, datasetId: In(datasetIds) }) : [];
  const versionIds = [
    ...datasets.flatMap((dataset) => (dataset.currentVersionId ? [dataset.currentVersionId] : [])),
    ...products.flatMap((product) => (product.currentVersionId ? [product.currentVersionId] : [])),
  ];
  const organizationIds = [...new Set([...datasets, ...products].map((row) => row.organizationId))];
  const datasetVersions = versionIds.length ? await manager.findBy(DatasetVersion, { id: In(versionIds) }) : [];
  const productVersions = versionIds.length ? await manager.findBy(ProductVersion, { id: In(versionIds) }) : [];
  const columns = datasetIds.length ? await manager.find(DatasetColumn, { where: { datasetId: In(datasetIds) }, order: { position: 'ASC' } }) : [];
  const organizations = organizationIds.length ? await manager.findBy(Organization, { id: In(organizationIds) }) : [];
  const organizationName = (id: string) => organizations.find((organization) => organization.id === id)?.name ?? '';

  return [...inputs]
    .sort((a, b) => a.position - b.position)
    .map((input): InputDetails => {
      const common = { name: input.name, position: input.position, weight: input.weight };
      if (input.datasetId) {
        const dataset = datasets.find((candidate) => candidate.id === input.datasetId);
        if (!dataset) throw new Error(`dataset ${input.datasetId} not found`);
        const isOwner = dataset.organizationId === ownerOrganizationId;
        const access = derivationAccess({
          classification: dataset.classification,
          isOwner,
          grants: grants.filter((grant) => grant.datasetId === dataset.id),
          now,
        });
        const version = datasetVersions.find((candidate) => candidate.id === dataset.currentVersionId) ?? null;
        const known = new Map(columns.filter((column) => column.datasetId === dataset.id).map((column) => [column.name, column]));
        const unusableReason =
          access === 'denied'
            ? 'denied'
            : dataset.status === 'withdrawn'
              ? 'withdrawn'
              : dataset.status !== 'published' && !isOwner
                ? 'unpublished'
                : !version
                  ? 'no_version'
                  : null;
        return {
          ...common,
          kind: 'dataset',
          id: dataset.id,
          slug: dataset.slug,
          titleZh: dataset.titleZh,
          titleEn: dataset.titleEn,
          organizationId: dataset.organizationId,
          organizationName: organizationName(dataset.organizationId),
          classification: dataset.classification,
          access,
          unusableReason,
          versionId: version?.id ?? null,
          parquetKey: version?.parquetKey ?? null,
          rowCount: version?.rowCount ?? null,
          columns: (version?.schema ?? []).map((column) => {
            const described = known.get(column.name);
            // A column without a recorded sensitivity is treated as personal: fail closed.
            const sensitivity = described?.sensitivity ?? 'personal';
            return { name: column.name, type: column.type, sensitivity, pseudonym: sensitivity === 'personal' && Boolean(described?.joinPseudonym) };
          }),
          k: dataset.minGroupSize,
          smallCells: dataset.smallCells,
        };
      }
      const product = products.find((candidate) => candidate.id === input.sourceProductId);
      if (!product) throw new Error(`product ${input.sourceProductId} not found`);
      const isOwner = product.organizationId === ownerOrganizationId;
      const version = productVersions.find((candidate) => candidate.id === product.currentVersionId) ?? null;
      const report = (version?.gateReport ?? {}) as { k?: number; smallCells?: 'suppress' | 'fail'; checkedColumns?: { quasiIdentifiers?: string[] } };
      const quasi = new Set(report.checkedColumns?.quasiIdentifiers ?? []);
      const listed = product.status === 'published';
      return {
        ...common,
        kind: 'product',
        id: product.id,
        slug: product.slug,
        titleZh: product.titleZh,
        titleEn: product.titleEn,
        organizationId: product.organizationId,
        organizationName: organizationName(product.organizationId),
        classification: null,
        access: isOwner ? 'owner' : listed ? 'free' : 'denied',
        unusableReason: !isOwner && !listed ? 'not_listed' : !version ? 'no_version' : null,
        versionId: version?.id ?? null,
        parquetKey: version?.parquetKey ?? null,
        rowCount: version?.rowCount ?? null,
        // A product's output passed the gate: its quasi-identifiers stay quasi-identifiers downstream.
        columns: (version?.schema ?? []).map((column) => ({
          name: column.name,
          type: column.type,
          sensitivity: quasi.has(column.name) ? 'quasi_identifier' : 'public',
          pseudonym: false,
        })),
        k: report.k ?? 2,
        smallCells: report.smallCells ?? 'suppress',
      };
    });
}

/** The exact versions a run reads, in the shape stored with the run and its lineage. */
export function runInputsOf(details: readonly InputDetails[]): ResolvedRunInput[] {
  return details.map((input) => ({
    name: input.name,
    position: input.position,
    weight: input.weight,
    datasetId: input.kind === 'dataset' ? input.id : null,
    datasetVersionId: input.kind === 'dataset' ? input.versionId : null,
    sourceProductId: input.kind === 'product' ? input.id : null,
    productVersionId: input.kind === 'product' ? input.versionId : null,
    policy: {
      k: input.k,
      smallCells: input.smallCells,
      columns: input.columns.map((column): [string, string, boolean] => [column.name, column.sensitivity, column.pseudonym]),
    },
  }));
}

/**
 * The inputs of a run as it reads them: the exact versions recorded on the run (their schema
 * and files), with the owner's access and the privacy settings as they stand now (a grant
 * revoked or a column marked personal since the run was requested counts).
 */
export async function describeRunInputs(
  manager: EntityManager,
  ownerOrganizationId: string,
  runInputs: readonly ResolvedRunInput[],
  now = new Date(),
): Promise<InputDetails[]> {
  const current = await resolveProductInputs(
    manager,
    ownerOrganizationId,
    runInputs.map((input) => ({ name: input.name, position: input.position, weight: input.weight, datasetId: input.datasetId, sourceProductId: input.sourceProductId })),
    now,
  );
  const datasetVersionIds = runInputs.flatMap((input) => (input.datasetVersionId ? [input.datasetVersionId] : []));
  const productVersionIds = runInputs.flatMap((input) => (input.productVersionId ? [input.productVersionId] : []));
  const datasetVersions = datasetVersionIds.length ? await manager.findBy(DatasetVersion, { id: In(datasetVersionIds) }) : [];
  const productVersions = productVersionIds.length ? await manager.findBy(ProductVersion, { id: In(productVersionIds) }) : [];
  return current.map((details) => {
    const recorded = runInputs.find((input) => input.name === details.name)!;
    const version =
      datasetVersions.find((candidate) => candidate.id === recorded.datasetVersionId) ??
      productVersions.find((candidate) => candidate.id === recorded.productVersionId);
    if (!version) throw new Error(`version of input ${details.name} not found`);
    const known = new Map(details.columns.map((column) => [column.name, column]));
    return {
      ...details,
      versionId: version.id,
      parquetKey: version.parquetKey,
      rowCount: version.rowCount,
      // Columns of the recorded version; sensitivity as it stands now (unknown: personal, fail closed).
      columns: version.schema.map(
        (column) => known.get(column.name) ?? { name: column.name, type: column.type, sensitivity: details.kind === 'product' ? 'public' : 'personal', pseudonym: false },
      ),
      unusableReason: details.unusableReason === 'no_version' ? null : details.unusableReason,
    };
  });
}

/** Columns a derivation's SQL sees: personal columns are hidden, except one exposed as a pseudonym (a text hash). */
export function visibleColumns(input: InputDetails): Array<{ name: string; type: string }> {
  return input.columns
    .filter((column) => column.sensitivity !== 'personal' || column.pseudonym)
    .map((column) => ({ name: column.name, type: column.pseudonym ? 'VARCHAR' : column.type }));
}

/** How the sandbox presents an input's columns (hidden personal columns, keyed pseudonyms). */
export function sandboxColumns(input: InputDetails): Array<{ name: string; hidden: boolean; pseudonym: boolean }> {
  return input.columns.map((column) => ({ name: column.name, hidden: column.sensitivity === 'personal' && !column.pseudonym, pseudonym: column.pseudonym }));
}

/**
 * The privacy gate's plan for a derivation: its output columns classified from their lineage
 * (a pseudonym counts as personal: it may join and be counted, never be output) under the
 * strictest policy of the inputs.
 */
export function gatePlanFor(inputs: readonly InputDetails[], outputs: readonly OutputColumn[]): { classified: ClassifiedColumn[]; plan: GatePlan } {
  const sensitivity = Object.fromEntries(inputs.map((input) => [input.name, Object.fromEntries(input.columns.map((column) => [column.name, column.sensitivity]))]));
  const classified = classifyOutputColumns(outputs, sensitivity);
  // Small counts matter only where rows are about people: an input with a quasi-identifying or personal column.
  const aboutPeople = inputs.some((input) => input.columns.some((column) => column.sensitivity !== 'public'));
  return { classified, plan: planGate(classified, strictestPolicy(inputs.map((input) => ({ k: input.k, smallCells: input.smallCells }))), { aboutPeople }) };
}
