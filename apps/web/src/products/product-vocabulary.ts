import type {
  DerivationAccess,
  GateOutcome,
  GateReasonCode,
  GateRule,
  OutputRole,
  ProductKind,
  ProductStatus,
  ReviewStatus,
  RunStage,
  RunStatus,
  SmallCellHandling,
  SuspensionCause,
  UnusableReason,
} from '../api/schema-types';

// Records keyed by the schema's unions (as in catalog/vocabulary.ts): a value added to the API
// fails the build here until it is listed, and translated under `products.vocab.*`.

export const productStatusColors: Record<ProductStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  published: 'green',
  suspended: 'orange',
  retired: 'volcano',
};
export const productStatuses = Object.keys(productStatusColors) as ProductStatus[];

const kindIsListed: Record<ProductKind, true> = { base: true, derived: true };
export const productKinds = Object.keys(kindIsListed) as ProductKind[];

export const runStatusColors: Record<RunStatus, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  duplicate: 'blue',
  failed: 'error',
  cancelled: 'default',
};

/** The derive flow's stages, in the order they run. */
const stageOrder: Record<RunStage, number> = { validating: 0, materializing: 1, gating: 2, profiling: 3, publishing: 4 };
export const runStages = (Object.keys(stageOrder) as RunStage[]).sort((a, b) => stageOrder[a] - stageOrder[b]);

/** How an organization may derive from an input: open, its own, under a grant, only through the gate, or not at all. */
export const accessColors: Record<DerivationAccess, string> = { free: 'green', owner: 'blue', granted: 'cyan', gated: 'purple', denied: 'default' };

export const gateOutcomeColors: Record<GateOutcome, string> = { passed: 'success', suppressed: 'warning', failed: 'error' };

const ruleIsListed: Record<GateRule, true> = { small_cells: true, k_anonymity: true, none: true };
export const gateRules = Object.keys(ruleIsListed) as GateRule[];

const reasonIsListed: Record<GateReasonCode, true> = { personal_column: true, small_cells: true, k_anonymity: true, all_rows_suppressed: true };
export const gateReasonCodes = Object.keys(reasonIsListed) as GateReasonCode[];

const handlingIsListed: Record<SmallCellHandling, true> = { suppress: true, fail: true };
export const smallCellHandlings = Object.keys(handlingIsListed) as SmallCellHandling[];

const roleIsListed: Record<OutputRole, true> = { count: true, aggregate: true, value: true };
export const outputRoles = Object.keys(roleIsListed) as OutputRole[];

const causeIsListed: Record<SuspensionCause, true> = { source_withdrawn: true, source_reclassified: true, grant_revoked: true, operator: true, policy_tightened: true };
export const suspensionCauses = Object.keys(causeIsListed) as SuspensionCause[];

const unusableIsListed: Record<UnusableReason, true> = { denied: true, withdrawn: true, unpublished: true, no_version: true, not_listed: true };
export const unusableReasons = Object.keys(unusableIsListed) as UnusableReason[];

export const reviewStatusColors: Record<ReviewStatus, string> = { not_submitted: 'default', pending: 'processing', approved: 'success', rejected: 'error', cancelled: 'default' };

// The field rules below are the API's (libs/domain/src/products/product-fields.ts); a test
// compares them, so a change there fails here until it is copied.

/** The view name of an input in the SQL: a lower-case identifier, as the API requires. */
export const INPUT_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Lineage weights the API accepts: whole numbers from 1 (0 is refused, not read as 1). */
export const INPUT_WEIGHT = { min: 1, max: 1_000_000, default: 1 } as const;
/** The longest SQL the API keeps, in characters. */
export const SQL_MAX_LENGTH = 100_000;
/** The longest title and description, per language, in characters. */
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 8_000;

/**
 * DuckDB's words that cannot name a table unquoted (`SELECT * FROM select` is a syntax error):
 * an input may not be named one of them.
 */
export const SQL_RESERVED_WORDS: readonly string[] = [
  // reserved
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default',
  'deferrable desc describe distinct do else end except false fetch for foreign from group having in initially intersect',
  'into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary',
  'qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot',
  'using variadic when where window with',
  // type_function
  'anti asof at authorization binary by collation concurrently cross freeze full glob ilike inner is isnull join left like',
  'natural notnull outer overlaps positional right semi similar tablesample unpack verbose',
]
  .join(' ')
  .split(' ');

const RESERVED = new Set(SQL_RESERVED_WORDS);

export function isSqlReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

/**
 * How long a text is as the API counts it (validator.js's isLength): characters, a pair of
 * UTF-16 surrogates (an emoji) as one, variation selectors not at all.
 */
export function textLength(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]|\uFE0F|\uFE0E/g)?.length ?? 0);
}

/** Inputs of one product the API accepts. */
export const MAX_INPUTS = 10;
/** How often a live run is read while it is queued or running. */
export const RUN_POLL_MS = 500;
