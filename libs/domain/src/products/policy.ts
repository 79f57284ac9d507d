/**
 * An input's privacy settings as a derivation reads them, and what follows when an agency
 * changes them:
 *
 * - `policyChanges` lists how the settings changed (k, small-cell handling, each column's
 *   sensitivity and join pseudonym);
 * - `requiresRederivation` says whether products built on the input must be derived again
 *   (every tightening, and a pseudonym added or removed, which changes what the SQL sees);
 * - `policyConflicts` says whether a version (or a run's output) checked under the settings
 *   recorded with it may still be listed under the settings as they stand now — the stored gate
 *   report is not trusted on its own.
 */
import type { GateReport } from './privacy-gate.js';
import type { PolicyChangeKind, SmallCellHandling } from './vocabulary.js';

/**
 * The privacy settings of one input: the minimum group size, what happens to small cells, and
 * each column as `[name, sensitivity, pseudonym]` — the shape recorded with every run (and part of
 * its fingerprint).
 */
export interface InputPolicy {
  k: number;
  smallCells: SmallCellHandling;
  columns: ReadonlyArray<readonly [string, string, boolean]>;
}

export type PolicyChange =
  | { kind: 'k_raised' | 'k_lowered'; from: number; to: number }
  | { kind: 'small_cells_fail' | 'small_cells_suppress' }
  | { kind: 'sensitivity_raised' | 'sensitivity_lowered'; column: string; from: string; to: string }
  | { kind: 'pseudonym_removed' | 'pseudonym_added'; column: string };

/** Changes after which output checked under the old settings may break the new ones. */
const TIGHTENING: ReadonlySet<PolicyChangeKind> = new Set<PolicyChangeKind>(['k_raised', 'small_cells_fail', 'sensitivity_raised', 'pseudonym_removed']);

/** Unknown sensitivities rank as personal: fail closed. */
const RANK: Readonly<Record<string, number>> = { public: 0, quasi_identifier: 1, personal: 2 };
const rank = (sensitivity: string): number => RANK[sensitivity] ?? 2;

/**
 * How the settings changed from `before` to `after`. Columns present on one side only (a new
 * dataset version with another schema) are not compared: they are not a change of settings.
 * A pseudonym counts only on a personal column.
 */
export function policyChanges(before: InputPolicy, after: InputPolicy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (after.k > before.k) changes.push({ kind: 'k_raised', from: before.k, to: after.k });
  if (after.k < before.k) changes.push({ kind: 'k_lowered', from: before.k, to: after.k });
  if (before.smallCells !== after.smallCells) changes.push({ kind: after.smallCells === 'fail' ? 'small_cells_fail' : 'small_cells_suppress' });
  const previous = new Map(before.columns.map(([name, sensitivity, pseudonym]) => [name, { sensitivity, pseudonym }]));
  for (const [column, sensitivity, pseudonym] of after.columns) {
    const old = previous.get(column);
    if (!old) continue;
    if (rank(sensitivity) > rank(old.sensitivity)) changes.push({ kind: 'sensitivity_raised', column, from: old.sensitivity, to: sensitivity });
    if (rank(sensitivity) < rank(old.sensitivity)) changes.push({ kind: 'sensitivity_lowered', column, from: old.sensitivity, to: sensitivity });
    if (rank(sensitivity) === 2 && rank(old.sensitivity) === 2) {
      const was = Boolean(old.pseudonym);
      if (was && !pseudonym) changes.push({ kind: 'pseudonym_removed', column });
      if (!was && pseudonym) changes.push({ kind: 'pseudonym_added', column });
    }
  }
  return changes;
}

/** A change after which output checked under the old settings may not meet the new ones. */
export function isTightening(change: PolicyChange): boolean {
  return TIGHTENING.has(change.kind);
}

/**
 * Whether products built on the input are derived again: after any tightening (their current
 * versions were checked under weaker settings), and when a pseudonym is added or removed (the
 * SQL sees another set of columns).
 */
export function requiresRederivation(changes: readonly PolicyChange[]): boolean {
  return changes.some((change) => isTightening(change) || change.kind === 'pseudonym_added');
}

/** What a gate report says about the checks an output passed (see decideGate). */
export type CheckedReport = Pick<GateReport, 'rule' | 'k' | 'smallCells' | 'suppressedRows'>;

export interface InputPolicyComparison {
  name: string;
  /** The settings recorded when the output was asked for; absent for outputs recorded before settings were. */
  recorded?: InputPolicy | null;
  /** The settings as they stand now. */
  current: InputPolicy;
}

export interface PolicyConflict {
  input: string;
  changes: PolicyChange[];
}

/**
 * The inputs whose settings are now stricter than what an output was checked under, with the
 * changes that matter — empty when the output may still be listed. A higher k matters unless the
 * output had nothing to group (rule `none`) or was checked with at least that k (another input's);
 * small cells turning to "fail" matter when the output passed only by suppressing rows; a column
 * made more sensitive, or a pseudonym removed, always matters (the output may be built on it).
 * Without recorded settings, only the report's k and small-cell handling can be compared.
 */
export function policyConflicts(report: CheckedReport | null, inputs: readonly InputPolicyComparison[]): PolicyConflict[] {
  const conflicts: PolicyConflict[] = [];
  for (const input of inputs) {
    const candidates = input.recorded
      ? policyChanges(input.recorded, input.current).filter(isTightening)
      : report
        ? reportedChanges(report, input.current)
        : [];
    const changes = candidates.filter((change) => {
      if (!report) return true;
      if (change.kind === 'k_raised') return report.rule !== 'none' && change.to > report.k;
      if (change.kind === 'small_cells_fail') return report.suppressedRows > 0;
      return true;
    });
    if (changes.length > 0) conflicts.push({ input: input.name, changes });
  }
  return conflicts;
}

function reportedChanges(report: CheckedReport, current: InputPolicy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (current.k > report.k) changes.push({ kind: 'k_raised', from: report.k, to: current.k });
  if (current.smallCells === 'fail' && report.smallCells !== 'fail') changes.push({ kind: 'small_cells_fail' });
  return changes;
}
