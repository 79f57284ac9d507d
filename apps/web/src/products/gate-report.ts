import type { TFunction } from 'i18next';
import type { GatePlan, GateReason, GateReport, GateRule, SmallCellHandling } from '../api/schema-types';
import { formatCount } from '../components/number-format';

/** One labelled fact of a plan or report ("k", "Rows checked", "Quasi-identifiers"...). */
export interface GateFact {
  key: string;
  label: string;
  value: string;
}

export interface GateRuleText {
  name: string;
  description: string;
}

export interface GateReasonText {
  code: GateReason['code'];
  title: string;
  description: string;
  /** What was found, with the numbers and columns of this report. */
  detail: string;
}

/** A stored privacy gate report in words, for owners, reviewers and buyers. */
export interface GateReportText {
  outcome: string;
  /** One sentence: what happened to the rows. */
  summary: string;
  rule: GateRuleText;
  facts: GateFact[];
  reasons: GateReasonText[];
}

/** What the gate will check on a run's output, from a dry run's plan. */
export interface GatePlanText {
  rule: GateRuleText;
  facts: GateFact[];
  /** Problems the run would meet: personal columns fail it. */
  warnings: string[];
  /** How the rule will treat rows, in a sentence. */
  explanation: string;
}

export function gateRuleText(rule: GateRule, t: TFunction): GateRuleText {
  return { name: t(`products.vocab.gateRules.${rule}`), description: t(`products.vocab.gateRuleDescriptions.${rule}`) };
}

export function columnList(columns: readonly string[] | undefined, t: TFunction): string {
  return columns && columns.length > 0 ? columns.join(t('products.gate.listSeparator')) : t('products.gate.noColumns');
}

function handlingText(handling: SmallCellHandling, t: TFunction): string {
  return t(`products.vocab.smallCells.${handling}`);
}

export function describeGateReport(report: GateReport, t: TFunction, language: string): GateReportText {
  const count = (value: number) => formatCount(value, language);
  const summary =
    report.outcome === 'passed'
      ? t('products.gate.summary.passed', { count: report.rowsPublished, formatted: count(report.rowsPublished) })
      : report.outcome === 'suppressed'
        ? t('products.gate.summary.suppressed', { suppressed: count(report.suppressedRows), rows: count(report.rowCount), published: count(report.rowsPublished) })
        : t('products.gate.summary.failed', { count: report.rowCount, formatted: count(report.rowCount) });
  const facts: GateFact[] = [
    { key: 'k', label: t('products.gate.facts.k'), value: count(report.k) },
    { key: 'smallCells', label: t('products.gate.facts.smallCells'), value: handlingText(report.smallCells, t) },
    { key: 'rowCount', label: t('products.gate.facts.rowCount'), value: count(report.rowCount) },
  ];
  if (report.rule !== 'none') {
    facts.push({
      key: 'violating',
      label: t('products.gate.facts.violating'),
      value:
        report.violatingRows === 0
          ? t('products.gate.facts.noViolations')
          : t('products.gate.facts.violatingValue', { rows: count(report.violatingRows), groups: count(report.violatingGroups) }),
    });
  }
  facts.push(
    { key: 'suppressedRows', label: t('products.gate.facts.suppressedRows'), value: count(report.suppressedRows) },
    { key: 'rowsPublished', label: t('products.gate.facts.rowsPublished'), value: count(report.rowsPublished) },
    ...checkedColumnFacts(report.checkedColumns.quasiIdentifiers, report.checkedColumns.countColumns, report.checkedColumns.personal, t),
  );
  const nothingLeft = report.reasons.some((reason) => reason.code === 'all_rows_suppressed');
  return {
    outcome: t(`products.vocab.gateOutcomes.${report.outcome}`),
    summary,
    rule: gateRuleText(report.rule, t),
    facts,
    reasons: report.reasons.map((reason) => describeGateReason(reason, t, language, { nothingLeft })),
  };
}

/** `nothingLeft`: the report says dropping the violating rows would leave nothing (the run failed instead). */
export function describeGateReason(reason: GateReason, t: TFunction, language: string, options: { nothingLeft?: boolean } = {}): GateReasonText {
  const count = (value: number | undefined) => formatCount(value ?? 0, language);
  let detail: string;
  switch (reason.code) {
    case 'personal_column':
      detail = t('products.gate.reasonDetails.personal_column', { columns: columnList(reason.columns, t) });
      break;
    case 'small_cells':
      detail = withHandling(
        t('products.gate.reasonDetails.small_cells', {
          count: reason.violatingRows ?? 0,
          formatted: count(reason.violatingRows),
          columns: columnList(reason.countColumns, t),
          max: count(Math.max(1, (reason.k ?? 1) - 1)),
          k: count(reason.k),
        }),
        reason.handling,
        t,
        options.nothingLeft,
      );
      break;
    case 'k_anonymity':
      detail = withHandling(
        t('products.gate.reasonDetails.k_anonymity', {
          count: reason.violatingGroups ?? 0,
          formatted: count(reason.violatingGroups),
          columns: columnList(reason.quasiIdentifiers, t),
          k: count(reason.k),
          rows: count(reason.violatingRows),
        }),
        reason.handling,
        t,
        options.nothingLeft,
      );
      break;
    case 'all_rows_suppressed':
      detail = t('products.gate.reasonDetails.all_rows_suppressed', { count: reason.rowCount ?? 0, formatted: count(reason.rowCount) });
      break;
  }
  return {
    code: reason.code,
    title: t(`products.vocab.gateReasons.${reason.code}`),
    description: t(`products.vocab.gateReasonDescriptions.${reason.code}`),
    detail,
  };
}

/** What was found, then what the gate did about it (sentences joined as each language joins them). */
function withHandling(found: string, handling: SmallCellHandling | undefined, t: TFunction, nothingLeft = false): string {
  if (!handling) return found;
  // Rows to drop when dropping them all would have left nothing: no version was made.
  const done = handling === 'suppress' && nothingLeft ? 'suppressNothingLeft' : handling;
  return t('products.gate.twoSentences', { first: found, second: t(`products.gate.handlingOutcome.${done}`) });
}

export function describeGatePlan(plan: GatePlan, t: TFunction, language: string): GatePlanText {
  const k = formatCount(plan.k, language);
  const warnings = plan.personalColumns.length > 0 ? [t('products.gate.plan.personalWarning', { columns: columnList(plan.personalColumns, t) })] : [];
  const handling = t(`products.gate.plan.handling.${plan.smallCells}`);
  const explanation =
    plan.rule === 'small_cells'
      ? t('products.gate.plan.explainSmallCells', { columns: columnList(plan.countColumns, t), k, handling })
      : plan.rule === 'k_anonymity'
        ? t('products.gate.plan.explainKAnonymity', { columns: columnList(plan.quasiIdentifiers, t), k, handling })
        : t('products.gate.plan.explainNone');
  return {
    rule: gateRuleText(plan.rule, t),
    facts: [
      { key: 'k', label: t('products.gate.facts.k'), value: k },
      { key: 'smallCells', label: t('products.gate.facts.smallCells'), value: handlingText(plan.smallCells, t) },
      ...checkedColumnFacts(plan.quasiIdentifiers, plan.countColumns, plan.personalColumns, t),
    ],
    warnings,
    explanation,
  };
}

function checkedColumnFacts(quasiIdentifiers: readonly string[], countColumns: readonly string[], personal: readonly string[], t: TFunction): GateFact[] {
  return [
    { key: 'quasiIdentifiers', label: t('products.gate.facts.quasiIdentifiers'), value: columnList(quasiIdentifiers, t) },
    { key: 'countColumns', label: t('products.gate.facts.countColumns'), value: columnList(countColumns, t) },
    { key: 'personalColumns', label: t('products.gate.facts.personalColumns'), value: columnList(personal, t) },
  ];
}

/**
 * The gate report a failed run carries in its error details (derive.gate_failed puts it under
 * `report`); the OpenAPI document types details as a free-form object, so it is checked here.
 */
export function gateReportOfDetails(details: Record<string, unknown> | null | undefined): GateReport | null {
  const report = details?.report;
  if (typeof report !== 'object' || report === null) return null;
  const candidate = report as Partial<GateReport>;
  return typeof candidate.outcome === 'string' && typeof candidate.rule === 'string' && Array.isArray(candidate.reasons) && typeof candidate.checkedColumns === 'object'
    ? (candidate as GateReport)
    : null;
}
