import type { TFunction } from 'i18next';
import { ApiError, type ValidationIssue } from '../api/api-error';
import { describeApiError } from '../components/api-error-feedback';
import { formatBytes, formatCount } from '../components/number-format';
import { i18n } from '../i18n/i18n';
import { SQL_MAX_LENGTH } from './product-vocabulary';

// Codes of derivations and products the UI words itself; others show the server's message.
const errorKeys = {
  'derive.syntax': 'products.errors.derive_syntax',
  'derive.not_a_query': 'products.errors.derive_not_a_query',
  'derive.unsupported': 'products.errors.derive_unsupported',
  'derive.unknown_input': 'products.errors.derive_unknown_input',
  'derive.unknown_column': 'products.errors.derive_unknown_column',
  'derive.invalid_query': 'products.errors.derive_invalid_query',
  'derive.forbidden_function': 'products.errors.derive_forbidden_function',
  'derive.duplicate_columns': 'products.errors.derive_duplicate_columns',
  'derive.no_input_read': 'products.errors.derive_no_input_read',
  'derive.unused_input': 'products.errors.derive_unused_input',
  'derive.permission_denied': 'products.errors.derive_permission_denied',
  'derive.invalid_input': 'products.errors.derive_invalid_input',
  'derive.timeout': 'products.errors.derive_timeout',
  'derive.cancelled': 'products.errors.derive_cancelled',
  'derive.out_of_memory': 'products.errors.derive_out_of_memory',
  'derive.runtime': 'products.errors.derive_runtime',
  'derive.gate_failed': 'products.errors.derive_gate_failed',
  'derive.internal': 'products.errors.derive_internal',
  'product.not_found': 'products.errors.product_not_found',
  'product.slug_taken': 'products.errors.product_slug_taken',
  'product.invalid_inputs': 'products.errors.product_invalid_inputs',
  'product.kind_not_allowed': 'products.errors.product_kind_not_allowed',
  'product.input_denied': 'products.errors.product_input_denied',
  'product.input_not_found': 'products.errors.product_input_not_found',
  'product.input_unavailable': 'products.errors.product_input_unavailable',
  'product.invalid_transition': 'products.errors.product_invalid_transition',
  'product.not_editable': 'products.errors.product_not_editable',
  'product.no_version': 'products.errors.product_no_version',
  'product.description_required': 'products.errors.product_description_required',
  'product.run_finished': 'products.errors.product_run_finished',
  'product.already_reviewed': 'products.errors.product_already_reviewed',
  'product.policy_changed': 'products.errors.product_policy_changed',
  'product.invalid_output': 'products.errors.product_invalid_output',
  'catalog.invalid_pseudonym': 'products.errors.catalog_invalid_pseudonym',
} as const;

type KnownCode = keyof typeof errorKeys;
const isKnownCode = (code: string): code is KnownCode => Object.hasOwn(errorKeys, code);

export interface SqlLocation {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface DeriveErrorText {
  code: string;
  /** What kind of problem, in the reader's language. */
  title: string;
  /** DuckDB's or the server's own words (English), which name the exact problem. */
  message: string;
  /** The message in the reader's language, when its shape is known (the message stays as the original). */
  explanation: string | null;
  location: SqlLocation | null;
  /** The input, column or function concerned, worded. */
  facts: string[];
}

/**
 * Where a 1-based column (counted in characters, as the API counts them) falls in a line of the
 * editor, whose offsets count UTF-16 units: a character outside the BMP (an emoji) is two.
 */
export function columnOffset(lineText: string, column: number): number {
  return Array.from(lineText)
    .slice(0, Math.max(0, column - 1))
    .join('').length;
}

/** The line and column DuckDB reported, if the details carry them. */
export function sqlLocation(details: unknown): SqlLocation | null {
  if (typeof details !== 'object' || details === null) return null;
  const { line, column } = details as { line?: unknown; column?: unknown };
  return isPositive(line) ? { line, column: isPositive(column) ? column : 1 } : null;
}

/** A refused or failed derivation (a dry run's 400, or a run's error) in words. */
export function describeDeriveError(error: { code: string; message: string; details?: unknown }, t: TFunction): DeriveErrorText {
  const title = isKnownCode(error.code) ? t(errorKeys[error.code]) : t('products.errors.unknown');
  const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
  const facts: string[] = [];
  if (typeof details.input === 'string') facts.push(t('products.errors.where.input', { input: details.input }));
  if (typeof details.name === 'string') facts.push(t('products.errors.where.name', { name: details.name }));
  if (typeof details.function === 'string') facts.push(t('products.errors.where.function', { name: details.function }));
  if (Array.isArray(details.columns) && details.columns.every((column) => typeof column === 'string')) {
    facts.push(t('products.errors.where.columns', { columns: details.columns.join(t('products.gate.listSeparator')) }));
  }
  for (const input of unavailableInputs(details)) {
    facts.push(t('products.errors.where.unavailable', { input: input.name, reason: t(`products.vocab.unusableReasons.${input.reason}`) }));
  }
  const unread = unreadInputs(details);
  if (unread.length > 0) facts.push(t('products.errors.where.unread', { inputs: unread.join(t('products.gate.listSeparator')) }));
  for (const input of tightenedInputs(details)) {
    const changes = input.changes.map((kind) => t(`products.vocab.policyChanges.${kind}`)).join(t('products.gate.listSeparator'));
    facts.push(t('products.errors.where.policy', { input: input.name, changes }));
  }
  return { code: error.code, title, message: error.message, explanation: explainDeriveMessage(error.code, error.message, details, t), location: sqlLocation(details), facts };
}

type Explainer = (match: RegExpMatchArray, t: TFunction) => string;

/**
 * Known shapes of DuckDB's messages (and of the platform's own, for the parts its details do
 * not carry), first match wins. DuckDB writes them in English only.
 */
const explainers: Array<[RegExp, Explainer]> = [
  // The token to the end of the line; a quoted name is shown without its quotes (messages of older runs doubled them: `""total""`).
  [/zero-length delimited identifier/i, (_, t) => t('products.errors.explain.syntaxEmptyName')],
  [/unterminated quoted (?:identifier|string)/i, (_, t) => t('products.errors.explain.syntaxUnterminated')],
  [/syntax error at or near "(.+)"[ \t]*$/im, (m, t) => t('products.errors.explain.syntaxNear', { token: unquoted(m[1]!) })],
  [/syntax error at end of input/i, (_, t) => t('products.errors.explain.syntaxEnd')],
  [/Referenced column "(.+?)" not found/i, (m, t) => t('products.errors.explain.columnNotFound', { column: m[1] })],
  [/(?:Table|Values list) "(.+?)" does not have a column named "(.+?)"/i, (m, t) => t('products.errors.explain.tableNoColumn', { table: m[1], column: m[2] })],
  [/Referenced table "(.+?)" not found/i, (m, t) => t('products.errors.explain.tableNotInQuery', { table: m[1] })],
  [/Table with name (\S+) does not exist/i, (m, t) => t('products.errors.explain.tableNotFound', { table: m[1] })],
  [/Function with name (\S+) does not exist/i, (m, t) => t('products.errors.explain.functionNotFound', { name: m[1] })],
  [/column "(.+?)" must appear in the GROUP BY clause/i, (m, t) => t('products.errors.explain.notGrouped', { column: m[1] })],
  [/Ambiguous reference to column name "(.+?)"/i, (m, t) => t('products.errors.explain.ambiguous', { column: m[1] })],
  [/No function matches the given name and argument types '(.+?)'/i, (m, t) => t('products.errors.explain.noMatchingFunction', { signature: m[1] })],
  [/Could not convert string '(.*?)' to (\w+)/i, (m, t) => t('products.errors.explain.cannotConvert', { value: m[1], type: m[2] })],
  [/Type \w+ with value '(.*?)' can't be cast to the destination type (\S+)/i, (m, t) => t('products.errors.explain.cannotConvert', { value: m[1], type: m[2] })],
  [/Cannot compare values of type (\S+) and type (\S+)/i, (m, t) => t('products.errors.explain.cannotCompare', { left: m[1], right: m[2] })],
  [/Overflow in \w+ of (\w+)/i, (m, t) => t('products.errors.explain.overflow', { type: m[1] })],
  [/WHERE clause cannot contain aggregates/i, (_, t) => t('products.errors.explain.aggregateInWhere')],
  [/GROUP BY clause cannot contain aggregates/i, (_, t) => t('products.errors.explain.aggregateInGroupBy')],
  [/date field value out of range: "(.+?)"/i, (m, t) => t('products.errors.explain.dateOutOfRange', { value: m[1] })],
  [/took longer than its time limit \((\d+) ms\)/i, (m, t) => t('products.errors.explain.timeout', { count: Math.max(1, Math.round(Number(m[1]) / 1000)) })],
  [/needs more memory than its limit \(([^)]+)\)/i, (m, t) => t('products.errors.explain.outOfMemory', { limit: m[1] })],
  [/exactly one SELECT query, not (\d+) statements/i, (m, t) => t('products.errors.explain.statements', { count: Number(m[1]) })],
];

/** A token DuckDB quoted that is itself a quoted name (`"total"`), without its quotes. */
function unquoted(token: string): string {
  return token.length >= 2 && token.startsWith('"') && token.endsWith('"') ? token.slice(1, -1).replaceAll('""', '"') : token;
}

/** Hints DuckDB appends to some messages. */
const hints: Array<[RegExp, Explainer]> = [
  [/Candidate bindings: :? ?(.+)/i, (m, t) => t('products.errors.explain.candidates', { names: m[1]!.trim() })],
  [/Candidate tables: (.+)/i, (m, t) => t('products.errors.explain.candidates', { names: m[1]!.trim() })],
  [/use "ANY_VALUE\((.+?)\)"/i, (m, t) => t('products.errors.explain.anyValue', { column: m[1] })],
  [/\(use: (.+?)\)/i, (m, t) => t('products.errors.explain.qualify', { options: m[1] })],
  [/Function with name \S+ does not exist!?\s*Did you mean "(.+?)"/i, (m, t) => t('products.errors.explain.didYouMean', { name: m[1] })],
];

/**
 * A refusal's message in the reader's language when its shape is known: DuckDB's binder, parser
 * and conversion errors, the sandbox's limits, and the privacy gate's failure (from its report).
 * Null when the message is not one of them (it is then shown as it is).
 */
export function explainDeriveMessage(code: string, message: string, details: Record<string, unknown>, t: TFunction): string | null {
  if (code === 'derive.gate_failed') return explainGateFailure(details, t);
  for (const [pattern, explain] of explainers) {
    const match = message.match(pattern);
    if (!match) continue;
    const extra = hints.flatMap(([hint, word]) => {
      const found = message.match(hint);
      return found ? [word(found, t)] : [];
    });
    return [explain(match, t), ...extra].join(t('products.errors.factSeparator'));
  }
  return explainFromDetails(code, details, t);
}

/**
 * The sandbox's own refusals (libs/derive's analysis, in English) from what their details carry:
 * the inputs not read, the unknown input or column, the function not allowed.
 */
function explainFromDetails(code: string, details: Record<string, unknown>, t: TFunction): string | null {
  const quoted = (name: string) => t('products.errors.where.name', { name });
  const name = typeof details.name === 'string' ? details.name : null;
  switch (code) {
    case 'derive.unused_input':
    case 'derive.no_input_read': {
      const unread = unreadInputs(details);
      const inputs = unread.map(quoted).join(t('products.gate.listSeparator'));
      if (code === 'derive.unused_input') return unread.length > 0 ? t('products.errors.explain.unusedInput', { count: unread.length, inputs }) : null;
      return unread.length > 0 ? t('products.errors.explain.noInputRead', { inputs }) : t('products.errors.explain.noInputs');
    }
    case 'derive.unknown_column':
      return name ? t('products.errors.explain.unknownColumn', { name: quoted(name) }) : null;
    case 'derive.unknown_input':
      return name ? t('products.errors.explain.unknownInput', { name: quoted(name) }) : null;
    case 'derive.forbidden_function':
      return typeof details.function === 'string' ? t('products.errors.explain.forbiddenFunction', { name: details.function }) : null;
    default:
      return null;
  }
}

/** derive.gate_failed carries the gate's report: personal data, nothing left, or small cells the agency asks to fail on. */
function explainGateFailure(details: Record<string, unknown>, t: TFunction): string | null {
  const report = details.report;
  if (typeof report !== 'object' || report === null) return null;
  const { reasons, k } = report as { reasons?: unknown; k?: unknown };
  const codes = Array.isArray(reasons) ? reasons.map((reason) => (reason as { code?: unknown } | null)?.code) : [];
  if (codes.includes('personal_column')) return t('products.errors.explain.gatePersonal');
  const groupSize = typeof k === 'number' ? k : '';
  if (codes.includes('all_rows_suppressed')) return t('products.errors.explain.gateAllSuppressed', { k: groupSize });
  return t('products.errors.explain.gateSmallCells', { k: groupSize });
}

/** For toasts after a product action: the product's codes in words, the fields a request got wrong, anything else as usual. */
export function describeProductError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError && isKnownCode(error.code)) {
    const text = describeDeriveError(error, t);
    return [text.title, ...text.facts].join(t('products.errors.factSeparator'));
  }
  const fields = error instanceof ApiError ? describeFieldIssues(error, t) : [];
  if (fields.length > 0) return fields.join(t('products.errors.factSeparator'));
  return describeApiError(error, t);
}

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const count = (value: number) => formatCount(value, i18n.language);

/**
 * A refused request that the SQL is to blame for, in words for beside the editor: the SQL empty or
 * over its limit (`request.invalid` on `sql`, the limit from the problem's context), or a request
 * body over the API's limit (`request.too_large`, the limit from its details). Null otherwise.
 */
export function describeSqlRequestProblem(error: unknown, t: TFunction): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'request.too_large') {
    const limit = numberOf((error.details as { limitBytes?: unknown } | undefined)?.limitBytes);
    return limit === undefined
      ? t('products.sql.problems.requestTooLarge', { limit: count(SQL_MAX_LENGTH) })
      : t('products.sql.problems.requestTooLargeLimit', { size: formatBytes(limit, i18n.language), limit: count(SQL_MAX_LENGTH) });
  }
  const issue = error.code === 'request.invalid' ? error.validationIssues.find((candidate) => candidate.field === 'sql') : undefined;
  return issue ? describeFieldIssue(issue, t) : null;
}

const TEXT_FIELDS = ['titleZh', 'titleEn', 'descriptionZh', 'descriptionEn', 'slug', 'keywords'] as const;
const isTextField = (field: string): field is (typeof TEXT_FIELDS)[number] => (TEXT_FIELDS as readonly string[]).includes(field);

/** One field's problem from a `request.invalid`, worded from its context where the API gives one. */
function describeFieldIssue(issue: ValidationIssue, t: TFunction): string {
  const context = issue.context ?? {};
  const maxLength = numberOf(context.maxLength);
  if (issue.field === 'sql') {
    if (context.notBlank && maxLength === undefined) return t('products.sql.problems.empty');
    if (maxLength !== undefined) return t('products.sql.problems.tooLongLimit', { limit: count(maxLength) });
  }
  const input = issue.field.match(/^inputs\.(\d+)\.(name|weight)$/);
  if (input) {
    const number = Number(input[1]) + 1;
    if (input[2] === 'name') return t(context.reservedWord ? 'products.inputs.problems.nameReservedOf' : 'products.inputs.problems.nameInvalidOf', { number });
    return t('products.inputs.problems.weightInvalidOf', { number, min: count(numberOf(context.min) ?? 1), max: count(numberOf(context.max) ?? 1_000_000) });
  }
  const field = isTextField(issue.field) ? t(`products.fields.${issue.field}`) : issue.field;
  if (maxLength !== undefined) return t('products.errors.fieldTooLong', { field, limit: count(maxLength) });
  return `${field}: ${issue.messages.join(t('products.errors.factSeparator'))}`;
}

/** Each field a `request.invalid` names, in words. */
export function describeFieldIssues(error: ApiError, t: TFunction): string[] {
  return error.code === 'request.invalid' ? error.validationIssues.map((issue) => describeFieldIssue(issue, t)) : [];
}

const reasons = ['denied', 'withdrawn', 'unpublished', 'no_version', 'not_listed'] as const;

/** product.input_unavailable names each input that cannot be used now, and why. */
function unavailableInputs(details: Record<string, unknown>): Array<{ name: string; reason: (typeof reasons)[number] }> {
  if (!Array.isArray(details.inputs)) return [];
  return details.inputs.flatMap((input: unknown) => {
    const { name, reason } = (input ?? {}) as { name?: unknown; reason?: unknown };
    return typeof name === 'string' && typeof reason === 'string' && (reasons as readonly string[]).includes(reason)
      ? [{ name, reason: reason as (typeof reasons)[number] }]
      : [];
  });
}

/** derive.no_input_read and derive.unused_input name the inputs the SQL does not read. */
function unreadInputs(details: Record<string, unknown>): string[] {
  return Array.isArray(details.inputs) && details.inputs.every((input) => typeof input === 'string') ? (details.inputs as string[]) : [];
}

const policyChangeKinds = [
  'k_raised',
  'small_cells_fail',
  'sensitivity_raised',
  'pseudonym_removed',
  'pseudonym_added',
  'k_lowered',
  'small_cells_suppress',
  'sensitivity_lowered',
] as const;
type PolicyChangeKind = (typeof policyChangeKinds)[number];

/** product.policy_changed names each input whose privacy settings changed, and how. */
function tightenedInputs(details: Record<string, unknown>): Array<{ name: string; changes: PolicyChangeKind[] }> {
  if (!Array.isArray(details.inputs)) return [];
  return details.inputs.flatMap((input: unknown) => {
    const { name, changes } = (input ?? {}) as { name?: unknown; changes?: unknown };
    if (typeof name !== 'string' || !Array.isArray(changes)) return [];
    const kinds = [
      ...new Set(
        changes.flatMap((change: unknown) => {
          const kind = (change as { kind?: unknown } | null)?.kind;
          return typeof kind === 'string' && (policyChangeKinds as readonly string[]).includes(kind) ? [kind as PolicyChangeKind] : [];
        }),
      ),
    ];
    return kinds.length > 0 ? [{ name, changes: kinds }] : [];
  });
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
