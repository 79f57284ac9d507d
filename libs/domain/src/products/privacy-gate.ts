/**
 * The privacy gate every derivation output passes before it becomes a product version.
 *
 * 1. `classifyOutputColumns` gives each output column a sensitivity from the input columns it
 *    depends on (found by the SQL analyzer) and how it aggregates them.
 * 2. `planGate` turns the classified columns and the inputs' strictest policy into a plan:
 *    which columns to check and under which rule.
 * 3. The plan is measured over the output (DuckDB SQL in the derivation package;
 *    `applyGateToRows` is the in-memory reference implementation).
 * 4. `decideGate` turns plan and measurements into the report stored with the version.
 */
import { isGrantInForce, type Grant } from '../catalog/access-policy.js';
import { SENSITIVITY_KEYS, type AccessPurpose, type Classification, type Sensitivity } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import type { GateOutcome, GateRule, SmallCellHandling } from './vocabulary.js';

export interface ColumnSource {
  input: string;
  column: string;
}

/**
 * One column of a derivation's output. `sources` are the input columns its expression depends
 * on (empty for a constant or count(*)). `aggregate` is 'count' for count(...) of a GROUP BY
 * (one output row per group) — a count over a window is a row-level value and must be reported
 * with aggregate null and its sources — 'other' for any other grouped aggregate, null otherwise.
 */
export interface OutputColumn {
  name: string;
  sources: readonly ColumnSource[];
  aggregate: 'count' | 'other' | null;
}

/** Input name → column name → sensitivity, as a Map or a plain record. */
export type InputSensitivity =
  | ReadonlyMap<string, ReadonlyMap<string, Sensitivity>>
  | Readonly<Record<string, Readonly<Record<string, Sensitivity>>>>;

export type OutputRole = 'count' | 'aggregate' | 'value';

export interface ClassifiedColumn {
  name: string;
  role: OutputRole;
  sensitivity: Sensitivity;
  /** Sources missing from the sensitivity map; they were treated as personal. */
  unknownSources: ColumnSource[];
}

const STRICTNESS: Record<Sensitivity, number> = { public: 0, quasi_identifier: 1, personal: 2 };

function strictest(levels: readonly Sensitivity[]): Sensitivity {
  return levels.reduce<Sensitivity>((worst, level) => (STRICTNESS[level] > STRICTNESS[worst] ? level : worst), 'public');
}

function lookup<V>(container: ReadonlyMap<string, V> | Readonly<Record<string, V>>, key: string): V | undefined {
  if (container instanceof Map) return container.get(key);
  const record = container as Readonly<Record<string, V>>;
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function sourceSensitivity(sensitivity: InputSensitivity, source: ColumnSource): Sensitivity | undefined {
  const columns = lookup<ReadonlyMap<string, Sensitivity> | Readonly<Record<string, Sensitivity>>>(sensitivity, source.input);
  const level = columns === undefined ? undefined : lookup<Sensitivity>(columns, source.column);
  return level !== undefined && SENSITIVITY_KEYS.includes(level) ? level : undefined;
}

export function classifyOutputColumns(outputs: readonly OutputColumn[], inputSensitivity: InputSensitivity): ClassifiedColumn[] {
  assertDistinctNames(outputs);
  return outputs.map((output) => {
    const known = output.sources.map((source) => sourceSensitivity(inputSensitivity, source));
    const unknownSources = output.sources.filter((_, index) => known[index] === undefined).map((source) => ({ ...source }));
    // Fail closed: a source the map does not know is personal.
    const level = strictest(known.map((sensitivity) => sensitivity ?? 'personal'));
    // Counting people (even by a personal key, count(distinct person)) discloses no value.
    if (output.aggregate === 'count') return { name: output.name, role: 'count', sensitivity: 'public', unknownSources };
    // sum/avg/… blur quasi-identifiers, but min/max of a personal value is that value.
    if (output.aggregate === 'other') {
      return { name: output.name, role: 'aggregate', sensitivity: level === 'personal' ? 'personal' : 'public', unknownSources };
    }
    return { name: output.name, role: 'value', sensitivity: level, unknownSources };
  });
}

function assertDistinctNames(outputs: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const { name } of outputs) {
    if (name.length === 0 || seen.has(name)) {
      throw new DomainError('product.invalid_output', 'Output column names must be non-empty and distinct', { column: name });
    }
    seen.add(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Policy

export interface GatePolicy {
  /** Minimum group size, an integer ≥ 1 (1 never suppresses anything). */
  k: number;
  smallCells: SmallCellHandling;
}

/** A derivation without inputs gets the catalog's default minimum group size. */
export const DEFAULT_GATE_POLICY: Readonly<GatePolicy> = { k: 5, smallCells: 'suppress' };

export function validateGatePolicy(policy: GatePolicy): void {
  if (!Number.isSafeInteger(policy.k) || policy.k < 1) {
    throw new DomainError('product.invalid_gate_policy', 'k must be an integer of at least 1', { k: policy.k });
  }
  if (policy.smallCells !== 'suppress' && policy.smallCells !== 'fail') {
    throw new DomainError('product.invalid_gate_policy', "smallCells must be 'suppress' or 'fail'", { smallCells: policy.smallCells });
  }
}

/** The largest k of the inputs, and 'fail' if any input asks for it. */
export function strictestPolicy(inputs: readonly GatePolicy[]): GatePolicy {
  if (inputs.length === 0) return { ...DEFAULT_GATE_POLICY };
  inputs.forEach(validateGatePolicy);
  return {
    k: Math.max(...inputs.map((input) => input.k)),
    smallCells: inputs.some((input) => input.smallCells === 'fail') ? 'fail' : 'suppress',
  };
}

// ---------------------------------------------------------------------------------------------
// Plan

export interface GatePlan {
  /** Any personal column fails the run: personal data never leaves the platform. */
  personalColumns: string[];
  quasiIdentifiers: string[];
  countColumns: string[];
  k: number;
  smallCells: SmallCellHandling;
  rule: GateRule;
}

/**
 * Chooses the rule.
 * - Count columns: the output is aggregated, one row per group, so each row's count is its
 *   group size and a count in 1..k-1 is a small cell. k-anonymity over such rows would be
 *   meaningless: each combination of group keys occurs once by construction.
 * - Else quasi-identifiers: rows are checked for k-anonymity. An aggregate without a count
 *   column gives no group size, so it lands here and fails unless its groups repeat: to publish
 *   aggregates over quasi-identifiers a vendor includes count(*).
 * - Else 'none': only public columns.
 * Counts are checked only when the inputs hold data about people (`inputs.aboutPeople`: some
 * input has a quasi-identifying or personal column). Rows of inputs whose every column is public
 * (car parks, bus lines, weather stations) are no one's: a group of two car parks discloses
 * nothing, so their counts are values like any other.
 */
export function planGate(columns: readonly ClassifiedColumn[], policy: GatePolicy, inputs: { aboutPeople: boolean } = { aboutPeople: true }): GatePlan {
  validateGatePolicy(policy);
  assertDistinctNames(columns);
  const named = (keep: (column: ClassifiedColumn) => boolean) => columns.filter(keep).map((column) => column.name);
  const quasiIdentifiers = named((column) => column.sensitivity === 'quasi_identifier');
  const countColumns = inputs.aboutPeople ? named((column) => column.role === 'count') : [];
  return {
    personalColumns: named((column) => column.sensitivity === 'personal'),
    quasiIdentifiers,
    countColumns,
    k: policy.k,
    smallCells: policy.smallCells,
    rule: countColumns.length > 0 ? 'small_cells' : quasiIdentifiers.length > 0 ? 'k_anonymity' : 'none',
  };
}

// ---------------------------------------------------------------------------------------------
// Decision

/**
 * Measured over the output under the plan's rule. Small cells: each violating row is its own
 * group, so violatingGroups = violatingRows. k-anonymity: violatingGroups is the number of
 * quasi-identifier combinations with fewer than k rows, violatingRows the rows in them.
 */
export interface GateMeasurements {
  rowCount: number;
  violatingRows: number;
  violatingGroups: number;
}

export type GateReason =
  | { code: 'personal_column'; columns: string[] }
  | {
      code: 'small_cells';
      k: number;
      countColumns: string[];
      violatingRows: number;
      violatingGroups: number;
      handling: SmallCellHandling;
    }
  | {
      code: 'k_anonymity';
      k: number;
      quasiIdentifiers: string[];
      violatingRows: number;
      violatingGroups: number;
      handling: SmallCellHandling;
    }
  | { code: 'all_rows_suppressed'; rowCount: number };

/** Stored as JSON with the product version and shown to the reviewing agency. */
export interface GateReport {
  /** Version of this report's shape. */
  version: 1;
  outcome: GateOutcome;
  rule: GateRule;
  k: number;
  smallCells: SmallCellHandling;
  checkedColumns: { quasiIdentifiers: string[]; countColumns: string[]; personal: string[] };
  rowCount: number;
  violatingRows: number;
  violatingGroups: number;
  /** Rows dropped from the published output (0 unless the outcome is 'suppressed'). */
  suppressedRows: number;
  /** Rows in the published output (0 when the gate failed). */
  rowsPublished: number;
  /** Why the gate did not simply pass, every problem found; empty when it passed. */
  reasons: GateReason[];
}

export function decideGate(plan: GatePlan, measurements: GateMeasurements): GateReport {
  validateGatePolicy(plan);
  validateMeasurements(plan.rule, measurements);
  const { rowCount, violatingRows, violatingGroups } = measurements;
  const reasons: GateReason[] = [];
  if (plan.personalColumns.length > 0) reasons.push({ code: 'personal_column', columns: [...plan.personalColumns] });
  if (violatingRows > 0) reasons.push(violationReason(plan, measurements));
  const suppressesAll = plan.smallCells === 'suppress' && violatingRows > 0 && violatingRows === rowCount;
  if (suppressesAll) reasons.push({ code: 'all_rows_suppressed', rowCount });

  const failed = plan.personalColumns.length > 0 || (violatingRows > 0 && plan.smallCells === 'fail') || suppressesAll;
  const outcome: GateOutcome = failed ? 'failed' : violatingRows > 0 ? 'suppressed' : 'passed';
  return {
    version: 1,
    outcome,
    rule: plan.rule,
    k: plan.k,
    smallCells: plan.smallCells,
    checkedColumns: {
      quasiIdentifiers: [...plan.quasiIdentifiers],
      countColumns: [...plan.countColumns],
      personal: [...plan.personalColumns],
    },
    rowCount,
    violatingRows,
    violatingGroups,
    suppressedRows: outcome === 'suppressed' ? violatingRows : 0,
    rowsPublished: outcome === 'failed' ? 0 : rowCount - (outcome === 'suppressed' ? violatingRows : 0),
    reasons,
  };
}

function violationReason(plan: GatePlan, measurements: GateMeasurements): GateReason {
  const shared = {
    k: plan.k,
    violatingRows: measurements.violatingRows,
    violatingGroups: measurements.violatingGroups,
    handling: plan.smallCells,
  };
  return plan.rule === 'small_cells'
    ? { code: 'small_cells', countColumns: [...plan.countColumns], ...shared }
    : { code: 'k_anonymity', quasiIdentifiers: [...plan.quasiIdentifiers], ...shared };
}

function validateMeasurements(rule: GateRule, measurements: GateMeasurements): void {
  const { rowCount, violatingRows, violatingGroups } = measurements;
  const counts = [rowCount, violatingRows, violatingGroups];
  const consistent =
    counts.every((count) => Number.isSafeInteger(count) && count >= 0) &&
    violatingRows <= rowCount &&
    violatingGroups <= violatingRows &&
    (violatingRows === 0) === (violatingGroups === 0) &&
    (rule !== 'none' || violatingRows === 0) &&
    (rule !== 'small_cells' || violatingGroups === violatingRows);
  if (!consistent) {
    throw new DomainError('product.invalid_gate_measurements', 'Gate measurements are inconsistent with the plan', { rule, ...measurements });
  }
}

// ---------------------------------------------------------------------------------------------
// Reference implementation over rows in memory

export type GateRow = Record<string, unknown>;

/**
 * Measures `rows` under the plan and returns what may be published: nothing when the gate
 * fails, the rows outside violating groups (in their order) when it suppresses, every row when
 * it passes. A missing value counts as NULL.
 */
export function applyGateToRows(
  rows: readonly GateRow[],
  plan: GatePlan,
): { rows: GateRow[]; measurements: GateMeasurements; report: GateReport } {
  const violating = violatingRowFlags(rows, plan);
  const violatingRows = violating.filter(Boolean).length;
  const violatingGroups = plan.rule === 'k_anonymity' ? countViolatingGroups(rows, plan) : violatingRows;
  const measurements = { rowCount: rows.length, violatingRows, violatingGroups };
  const report = decideGate(plan, measurements);
  const published = report.outcome === 'failed' ? [] : rows.filter((_, index) => !violating[index]);
  return { rows: published, measurements, report };
}

function violatingRowFlags(rows: readonly GateRow[], plan: GatePlan): boolean[] {
  switch (plan.rule) {
    case 'none':
      return rows.map(() => false);
    case 'small_cells':
      return rows.map((row) => plan.countColumns.some((column) => isSmallCount(row[column], plan.k)));
    case 'k_anonymity': {
      const sizes = groupSizes(rows, plan.quasiIdentifiers);
      return rows.map((row) => (sizes.get(groupKey(row, plan.quasiIdentifiers)) ?? 0) < plan.k);
    }
  }
}

function countViolatingGroups(rows: readonly GateRow[], plan: GatePlan): number {
  return [...groupSizes(rows, plan.quasiIdentifiers).values()].filter((size) => size < plan.k).length;
}

/** A count in 1..k-1. NULL or a non-numeric value counts nothing and is not a small cell. */
function isSmallCount(value: unknown, k: number): boolean {
  let count: bigint | null = null;
  if (typeof value === 'bigint') count = value;
  else if (typeof value === 'number' && Number.isInteger(value)) count = BigInt(value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) count = BigInt(value);
  return count !== null && count >= 1n && count < BigInt(k);
}

function groupSizes(rows: readonly GateRow[], columns: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const row of rows) {
    const key = groupKey(row, columns);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

function groupKey(row: GateRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => valueKey(row[column])));
}

/** Equal SQL values get equal keys: NULL is one value, 1 and 1n are the same number. */
function valueKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${String(value)}`;
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (value instanceof Uint8Array) return `x:${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  return `j:${JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner))}`;
}

// ---------------------------------------------------------------------------------------------
// Who may use a dataset in a derivation

/** Access purposes whose grants cover building products over conditional data. */
export const DERIVATION_PURPOSES = ['product_development', 'research'] as const satisfies readonly AccessPurpose[];

export interface PurposedGrant extends Grant {
  purpose: AccessPurpose;
}

/**
 * - free: open data;
 * - owner: the publishing agency's own open or conditional data;
 * - granted: conditional data under a grant in force whose purpose covers derivation;
 * - gated: restricted data, for every organization (its agency included): usable only inside
 *   platform-run derivations, personal columns hidden, outputs through the privacy gate;
 * - denied: conditional data without such a grant.
 */
export type DerivationAccess = 'free' | 'owner' | 'granted' | 'gated' | 'denied';

export interface DerivationAccessInput {
  classification: Classification;
  isOwner: boolean;
  grants: readonly PurposedGrant[];
  now: Date;
}

export function derivationAccess(input: DerivationAccessInput): DerivationAccess {
  if (input.classification === 'restricted') return 'gated';
  if (input.isOwner) return 'owner';
  if (input.classification === 'open') return 'free';
  const covers = (grant: PurposedGrant) => coversDerivation(grant.purpose) && isGrantInForce(grant, input.now);
  return input.grants.some(covers) ? 'granted' : 'denied';
}

export function coversDerivation(purpose: AccessPurpose): boolean {
  return (DERIVATION_PURPOSES as readonly AccessPurpose[]).includes(purpose);
}

/** Throws product.input_denied when a dataset may not feed a derivation. */
export function requireDerivationAccess(input: DerivationAccessInput & { datasetId: string }): Exclude<DerivationAccess, 'denied'> {
  const access = derivationAccess(input);
  if (access === 'denied') {
    throw new DomainError('product.input_denied', 'Deriving from this dataset needs a grant in force for product development or research', {
      datasetId: input.datasetId,
      purposes: [...DERIVATION_PURPOSES],
    });
  }
  return access;
}
