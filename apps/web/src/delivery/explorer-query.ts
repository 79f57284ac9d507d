/** The filters a person builds in the data explorer, and how they become the data API's body. */
export const EXPLORER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'contains', 'is_null', 'not_null'] as const;
export type ExplorerOp = (typeof EXPLORER_OPS)[number];

export interface ExplorerFilter {
  column: string;
  op: ExplorerOp;
  /** As typed: one value, or comma-separated for `in` and `between`. */
  value: string;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i;
const ORDERED = /^(DATE|TIME|TIMESTAMP.*)$/i;

/** Operators that make sense for a column of DuckDB type `type` (the server checks again). */
export function operatorsForType(type: string): ExplorerOp[] {
  if (NUMERIC.test(type) || ORDERED.test(type)) return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'is_null', 'not_null'];
  if (/^BOOLEAN$/i.test(type)) return ['eq', 'ne', 'is_null', 'not_null'];
  if (/^(VARCHAR|TEXT|STRING)$/i.test(type)) return ['eq', 'ne', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null'];
  return ['is_null', 'not_null'];
}

/** The body form of a filter: lists split on commas and trimmed; null tests carry no value. */
export function toRequestFilter(filter: ExplorerFilter): { column: string; op: ExplorerOp; value?: string; values?: string[] } {
  if (filter.op === 'is_null' || filter.op === 'not_null') return { column: filter.column, op: filter.op };
  if (filter.op === 'in' || filter.op === 'between') {
    return { column: filter.column, op: filter.op, values: filter.value.split(',').map((item) => item.trim()).filter((item) => item !== '') };
  }
  return { column: filter.column, op: filter.op, value: filter.value };
}

/** The filter being typed in the explorer, before it is added; `edited` since it was last added. */
export interface ExplorerDraft {
  column?: string;
  op: ExplorerOp;
  value: string;
  edited: boolean;
}

/**
 * Whether the filter being typed is one to apply on Run (`complete`: a column, and a value unless
 * it tests for empty), one Run must not ignore (`incomplete`: a column or a value is missing), or
 * nothing new (`none`: untouched since it was added, or empty).
 */
export function draftState(draft: ExplorerDraft): 'none' | 'complete' | 'incomplete' {
  if (!draft.edited) return 'none';
  const hasValue = draft.value.trim() !== '';
  if (!draft.column) return hasValue ? 'incomplete' : 'none';
  return draft.op === 'is_null' || draft.op === 'not_null' || hasValue ? 'complete' : 'incomplete';
}
