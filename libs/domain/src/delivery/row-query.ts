import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DomainError } from '../errors/domain-error.js';

/**
 * Row queries over a product version: which columns, which rows (filters), in which order,
 * how many and from where (cursor), in which format. A caller's query arrives as URL
 * parameters (GET, PostgREST-like) or as a JSON body (POST, for long filters); both become one
 * validated `RowQuery`, and `rowQuerySql` turns it into SQL whose only caller-supplied parts
 * are parameters. Column names are checked against the version's schema and quoted from it;
 * operators come from a closed list; values are bound, never spliced.
 */

export const ROW_QUERY_LIMITS = {
  /** Rows per page when the caller does not say. */
  defaultLimit: 100,
  /** Rows per page at most; more is a 400, not a silent cut. */
  maxLimit: 10_000,
  maxFilters: 32,
  maxInValues: 1_000,
  /** Characters in one filter value. */
  maxValueLength: 1_000,
  /** Rows a cursor may skip: deep pages cost a scan, bulk reads are what files are for. */
  maxOffset: 10_000_000,
} as const;

export const ROW_FORMATS = ['json', 'ndjson', 'csv', 'parquet'] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

export const FILTER_OPS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'contains', 'is_null', 'not_null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type ColumnFamily = 'integer' | 'decimal' | 'float' | 'text' | 'boolean' | 'date' | 'timestamp' | 'time' | 'other';

export interface QueryColumn {
  name: string;
  /** DuckDB's type name as recorded in the version's schema (`BIGINT`, `DECIMAL(12,2)`, `VARCHAR` …). */
  type: string;
}

export interface RowFilter {
  column: string;
  op: FilterOp;
  /** Values as canonical text (a number's digits, an ISO date, `true`); cast to the column's type in SQL. */
  values: string[];
}

export interface RowOrder {
  column: string;
  direction: 'asc' | 'desc';
}

export interface RowQuery {
  columns: string[];
  filters: RowFilter[];
  order: RowOrder[];
  limit: number;
  format: RowFormat;
  /** Where the page starts (from the cursor); 0 for the first page. */
  offset: number;
  /** The version a cursor pinned: every page of one traversal reads the same immutable version. */
  versionId: string | null;
}

export interface QueryProblem {
  field: string;
  code: 'unknown_column' | 'unknown_operator' | 'invalid_value' | 'too_many' | 'out_of_range' | 'invalid_format' | 'invalid_cursor' | 'not_supported';
  message: string;
  /** A filter value the column refuses: the column, its type, what it takes and the value given (so a client can word the problem itself). */
  column?: string;
  type?: string;
  expected?: ColumnFamily;
  value?: string;
}

/** What a column of each family takes, as the messages say it. */
const FAMILY_WORDS: Record<ColumnFamily, string> = {
  integer: 'a whole number',
  decimal: 'a decimal number',
  float: 'a number',
  text: 'text',
  boolean: 'true or false',
  date: 'a date (YYYY-MM-DD)',
  timestamp: 'a date and time (YYYY-MM-DD HH:MM:SS)',
  time: 'a time (HH:MM:SS)',
  other: 'a value of its type',
};

/** The JSON body of POST …/rows (every field optional). */
export interface RowQueryBody {
  select?: unknown;
  filters?: unknown;
  order?: unknown;
  limit?: unknown;
  cursor?: unknown;
  format?: unknown;
}

const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'cursor', 'format']);

/** The family of a DuckDB type, which decides the operators and value syntax it accepts. */
export function columnFamily(type: string): ColumnFamily {
  const base = type.trim().toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(base)) return 'integer';
  if (/^DECIMAL(\(\d+,\s*\d+\))?$/.test(base) || /^NUMERIC(\(\d+,\s*\d+\))?$/.test(base)) return 'decimal';
  if (/^(FLOAT|REAL|DOUBLE)$/.test(base)) return 'float';
  if (/^(VARCHAR|TEXT|STRING)$/.test(base)) return 'text';
  if (base === 'BOOLEAN') return 'boolean';
  if (base === 'DATE') return 'date';
  if (/^TIMESTAMP( WITH TIME ZONE)?$|^TIMESTAMPTZ$|^TIMESTAMP_(S|MS|NS)$/.test(base)) return 'timestamp';
  if (base === 'TIME') return 'time';
  return 'other';
}

const OPS_BY_FAMILY: Record<ColumnFamily, readonly FilterOp[]> = {
  integer: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  decimal: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  float: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  date: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  timestamp: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  time: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'not_null'],
  text: ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'contains', 'is_null', 'not_null'],
  boolean: ['eq', 'ne', 'is_null', 'not_null'],
  other: ['is_null', 'not_null'],
};

/** Operators a column of this type accepts. */
export function operatorsFor(type: string): readonly FilterOp[] {
  return OPS_BY_FAMILY[columnFamily(type)];
}

const INTEGER = /^-?\d{1,38}$/;
const DECIMAL = /^-?(\d{1,38}(\.\d{0,38})?|\.\d{1,38})$/;
const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

const INTEGER_BITS: Record<string, { bits: bigint; signed: boolean }> = {
  TINYINT: { bits: 8n, signed: true },
  SMALLINT: { bits: 16n, signed: true },
  INTEGER: { bits: 32n, signed: true },
  INT: { bits: 32n, signed: true },
  BIGINT: { bits: 64n, signed: true },
  HUGEINT: { bits: 128n, signed: true },
  UTINYINT: { bits: 8n, signed: false },
  USMALLINT: { bits: 16n, signed: false },
  UINTEGER: { bits: 32n, signed: false },
  UBIGINT: { bits: 64n, signed: false },
  UHUGEINT: { bits: 128n, signed: false },
};

/**
 * Whether a canonical number fits the column's exact type, so the engine's cast cannot fail:
 * an integer within its type's range, a decimal with no more whole digits than DECIMAL(p,s)
 * leaves (p − s; DuckDB's DECIMAL without a width is (18,3)).
 */
function fitsType(family: ColumnFamily, type: string, text: string): boolean {
  const base = type.trim().toUpperCase();
  if (family === 'integer') {
    const range = INTEGER_BITS[base];
    if (!range) return true;
    const value = BigInt(text);
    const min = range.signed ? -(1n << (range.bits - 1n)) : 0n;
    const max = range.signed ? (1n << (range.bits - 1n)) - 1n : (1n << range.bits) - 1n;
    return value >= min && value <= max;
  }
  if (family === 'decimal') {
    const [, precision = '18', scale = '3'] = /\((\d+),\s*(\d+)\)/.exec(base) ?? [];
    const digits = Number(precision) - Number(scale);
    if (/e/i.test(text)) return Math.abs(Number(text)) < 10 ** digits;
    return text.replace(/^-/, '').split('.')[0]!.replace(/^0+/, '').length <= digits;
  }
  return true;
}

/** The canonical text of a value for a column of `family`, or null when it is not one. */
export function canonicalValue(family: ColumnFamily, raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (family === 'boolean') {
    if (raw === true || raw === 'true') return 'true';
    if (raw === false || raw === 'false') return 'false';
    return null;
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return null;
    if (family === 'integer') return Number.isSafeInteger(raw) ? String(raw) : null;
    if (family === 'decimal' || family === 'float') return String(raw);
    if (family === 'text') return String(raw);
    return null;
  }
  if (typeof raw !== 'string' || raw.length > ROW_QUERY_LIMITS.maxValueLength) return null;
  switch (family) {
    case 'integer':
      return INTEGER.test(raw) ? raw : null;
    case 'decimal':
      return DECIMAL.test(raw) ? raw : null;
    case 'float':
      // 1e999 is no number a DOUBLE holds (it would read as infinity).
      return FLOAT.test(raw) && Number.isFinite(Number(raw)) ? raw : null;
    case 'date':
      return DATE.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) ? raw : null;
    case 'timestamp':
      return TIMESTAMP.test(raw) && !Number.isNaN(Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw.replace(' ', 'T'))) ? raw : null;
    case 'time':
      return TIME.test(raw) ? raw : null;
    case 'text':
      return raw;
    default:
      return null;
  }
}

/** Splits `(a,b,"c,d")` into its items; double quotes keep commas, `""` is a quote. */
function splitList(text: string): string[] | null {
  if (!text.startsWith('(') || !text.endsWith(')')) return null;
  const inner = text.slice(1, -1);
  if (inner === '') return [];
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let index = 0; index < inner.length; index += 1) {
    const char = inner[index]!;
    if (quoted) {
      if (char === '"' && inner[index + 1] === '"') {
        current += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (char === ',') {
      items.push(current);
      current = '';
      wasQuoted = false;
    } else current += char;
  }
  if (quoted) return null;
  items.push(current);
  return items;
}

interface RawFilter {
  /** Written in the URL's PostgREST form (operators spelled as there: `is.null`, `not.null`). */
  url?: boolean;
  field: string;
  column: string;
  op: string;
  values: unknown[];
}

/** The operators as the URL spells them. */
const URL_OPS = FILTER_OPS.map((op) => (op === 'is_null' ? 'is.null' : op === 'not_null' ? 'not.null' : op));

/**
 * `district=eq.徐汇` … the PostgREST forms: `op.value`, `in.(a,b)`, `between.(1,9)`, `is.null`,
 * `not.null` (and the body's spellings `is_null`, `not_null`, which take no value).
 */
function filterFromParam(column: string, expression: string, field: string): RawFilter | QueryProblem {
  if (expression === 'is.null' || expression === 'is_null') return { field, column, op: 'is_null', values: [], url: true };
  if (expression === 'not.null' || expression === 'is.not_null' || expression === 'not_null') return { field, column, op: 'not_null', values: [], url: true };
  const dot = expression.indexOf('.');
  if (dot <= 0) return { field, code: 'unknown_operator', message: `Write ${column}=<operator>.<value>, e.g. ${column}=eq.value or ${column}=is.null; operators: ${URL_OPS.join(', ')}` };
  const op = expression.slice(0, dot);
  const rest = expression.slice(dot + 1);
  if (op === 'in' || op === 'between') {
    const items = splitList(rest);
    if (!items) return { field, code: 'invalid_value', message: `${op} takes a list in parentheses, e.g. ${op}.(a,b)` };
    return { field, column, op, values: items, url: true };
  }
  return { field, column, op, values: [rest], url: true };
}

function parseLimit(raw: unknown, problems: QueryProblem[]): number {
  if (raw === undefined || raw === null || raw === '') return ROW_QUERY_LIMITS.defaultLimit;
  // A URL parameter is a string of digits, however long: one above the cap is "too many rows",
  // not "not a number" (Number() of a very long one is Infinity, still above the cap).
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value > ROW_QUERY_LIMITS.maxLimit)) {
    problems.push({ field: 'limit', code: 'out_of_range', message: `At most ${ROW_QUERY_LIMITS.maxLimit} rows per page; use the cursor for more, or a file download for everything` });
    return ROW_QUERY_LIMITS.maxLimit;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    problems.push({ field: 'limit', code: 'invalid_value', message: `limit is a whole number of rows from 1 to ${ROW_QUERY_LIMITS.maxLimit}, in digits (e.g. 100)` });
    return ROW_QUERY_LIMITS.defaultLimit;
  }
  return value;
}

function parseFormat(raw: unknown, problems: QueryProblem[]): RowFormat {
  if (raw === undefined || raw === null || raw === '') return 'json';
  if (typeof raw === 'string' && (ROW_FORMATS as readonly string[]).includes(raw)) return raw as RowFormat;
  problems.push({ field: 'format', code: 'invalid_format', message: `format is one of ${ROW_FORMATS.join(', ')}` });
  return 'json';
}

export interface CursorState {
  versionId: string;
  offset: number;
  /** The query's shape (columns, filters, order, limit): a cursor continues only the query that made it. */
  shape: string;
}

/** The opaque `cursor` of the next page. */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify({ v: state.versionId, o: state.offset, s: state.shape }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorState | null {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown; s?: unknown };
    if (typeof parsed.v !== 'string' || !/^[0-9a-f-]{36}$/.test(parsed.v)) return null;
    if (typeof parsed.o !== 'number' || !Number.isSafeInteger(parsed.o) || parsed.o < 0) return null;
    if (typeof parsed.s !== 'string' || !/^[0-9a-f]{16}$/.test(parsed.s)) return null;
    return { versionId: parsed.v, offset: parsed.o, shape: parsed.s };
  } catch {
    return null;
  }
}

/** A short hash of what a query asks (not where it is): what a cursor is bound to. */
export function queryShape(query: Pick<RowQuery, 'columns' | 'filters' | 'order' | 'limit'>): string {
  const text = canonicalize({ columns: query.columns, filters: query.filters, order: query.order, limit: query.limit }) ?? '';
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function checkFilters(raw: RawFilter[], byName: Map<string, QueryColumn>, problems: QueryProblem[]): RowFilter[] {
  if (raw.length > ROW_QUERY_LIMITS.maxFilters) {
    problems.push({ field: 'filters', code: 'too_many', message: `At most ${ROW_QUERY_LIMITS.maxFilters} filters` });
    return [];
  }
  const filters: RowFilter[] = [];
  for (const candidate of raw) {
    const column = byName.get(candidate.column);
    if (!column) {
      problems.push({ field: candidate.field, code: 'unknown_column', message: `No column named ${JSON.stringify(candidate.column)}` });
      continue;
    }
    if (!(FILTER_OPS as readonly string[]).includes(candidate.op)) {
      problems.push({ field: candidate.field, code: 'unknown_operator', message: `Unknown operator ${JSON.stringify(candidate.op)}; one of ${(candidate.url ? URL_OPS : FILTER_OPS).join(', ')}` });
      continue;
    }
    const op = candidate.op as FilterOp;
    const family = columnFamily(column.type);
    if (!OPS_BY_FAMILY[family].includes(op)) {
      problems.push({ field: candidate.field, code: 'not_supported', message: `${op} does not apply to ${column.name} (${column.type}); it takes ${OPS_BY_FAMILY[family].map((name) => (candidate.url ? URL_OPS[FILTER_OPS.indexOf(name)]! : name)).join(', ')}` });
      continue;
    }
    const expected = op === 'is_null' || op === 'not_null' ? 0 : op === 'between' ? 2 : op === 'in' ? -1 : 1;
    if (expected >= 0 && candidate.values.length !== expected) {
      problems.push({ field: candidate.field, code: 'invalid_value', message: expected === 0 ? `${op} takes no value` : `${op} takes ${expected === 2 ? 'two values' : 'one value'}` });
      continue;
    }
    if (op === 'in' && (candidate.values.length === 0 || candidate.values.length > ROW_QUERY_LIMITS.maxInValues)) {
      problems.push({ field: candidate.field, code: candidate.values.length === 0 ? 'invalid_value' : 'too_many', message: `in takes 1 to ${ROW_QUERY_LIMITS.maxInValues} values` });
      continue;
    }
    const values: string[] = [];
    let bad = false;
    for (const value of candidate.values) {
      const text = canonicalValue(op === 'contains' ? 'text' : family, value);
      // A number of the right kind must also fit the column's exact type, or the engine's cast fails.
      const outOfRange = text !== null && op !== 'contains' && !fitsType(family, column.type, text);
      if (text === null || outOfRange || (op === 'contains' && text === '')) {
        bad = true;
        const expected = op === 'contains' ? 'text' : family;
        problems.push({
          field: candidate.field,
          code: 'invalid_value',
          message: outOfRange
            ? `${JSON.stringify(value)} is out of range for ${column.name} (${column.type})`
            : `${column.name} (${column.type}) takes ${op === 'contains' ? 'non-empty text' : FAMILY_WORDS[expected]}: ${JSON.stringify(value)} is not`,
          column: column.name,
          type: column.type,
          expected,
          value: typeof value === 'string' ? value.slice(0, 200) : JSON.stringify(value) ?? String(value),
        });
        break;
      }
      values.push(text);
    }
    if (!bad) filters.push({ column: column.name, op, values });
  }
  return filters;
}

function checkOrder(raw: Array<{ field: string; column: unknown; direction: unknown }>, byName: Map<string, QueryColumn>, problems: QueryProblem[]): RowOrder[] {
  const order: RowOrder[] = [];
  for (const entry of raw) {
    if (typeof entry.column !== 'string' || !byName.has(entry.column)) {
      problems.push({ field: entry.field, code: 'unknown_column', message: `No column named ${JSON.stringify(entry.column)} to order by` });
      continue;
    }
    if (entry.direction !== 'asc' && entry.direction !== 'desc') {
      problems.push({ field: entry.field, code: 'invalid_value', message: `Order ${String(entry.column)} by asc or desc, not ${JSON.stringify(entry.direction)}` });
      continue;
    }
    if (columnFamily(byName.get(entry.column)!.type) === 'other') {
      problems.push({ field: entry.field, code: 'not_supported', message: `${entry.column} cannot be ordered by` });
      continue;
    }
    if (order.some((existing) => existing.column === entry.column)) continue;
    order.push({ column: entry.column, direction: entry.direction });
  }
  if (order.length > 8) problems.push({ field: 'order', code: 'too_many', message: 'Order by at most 8 columns' });
  return order;
}

function checkSelect(raw: unknown, byName: Map<string, QueryColumn>, all: readonly QueryColumn[], problems: QueryProblem[]): string[] {
  if (raw === undefined || raw === null || raw === '' || raw === '*') return all.map((column) => column.name);
  const names = typeof raw === 'string' ? raw.split(',').map((name) => name.trim()) : Array.isArray(raw) ? raw : null;
  if (!names || names.length === 0) {
    problems.push({ field: 'select', code: 'invalid_value', message: 'select lists column names' });
    return all.map((column) => column.name);
  }
  const chosen: string[] = [];
  for (const name of names) {
    if (typeof name !== 'string' || !byName.has(name)) {
      problems.push({ field: 'select', code: 'unknown_column', message: `No column named ${JSON.stringify(name)}` });
      continue;
    }
    if (!chosen.includes(name)) chosen.push(name);
  }
  return chosen;
}

function finish(
  parts: { select: unknown; filters: RawFilter[]; order: Array<{ field: string; column: unknown; direction: unknown }>; limit: unknown; cursor: unknown; format: unknown },
  columns: readonly QueryColumn[],
  problems: QueryProblem[],
): RowQuery {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const query: RowQuery = {
    columns: checkSelect(parts.select, byName, columns, problems),
    filters: checkFilters(parts.filters, byName, problems),
    order: checkOrder(parts.order, byName, problems),
    limit: parseLimit(parts.limit, problems),
    format: parseFormat(parts.format, problems),
    offset: 0,
    versionId: null,
  };
  if (parts.cursor !== undefined && parts.cursor !== null && parts.cursor !== '') {
    const state = typeof parts.cursor === 'string' ? decodeCursor(parts.cursor) : null;
    if (!state) problems.push({ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out' });
    else if (problems.length === 0 && state.shape !== queryShape(query)) {
      problems.push({ field: 'cursor', code: 'invalid_cursor', message: 'The cursor belongs to another query: repeat the same select, filters, order and limit' });
    } else if (state.offset > ROW_QUERY_LIMITS.maxOffset) {
      problems.push({ field: 'cursor', code: 'out_of_range', message: 'Pages this deep are read from a file download' });
    } else {
      query.offset = state.offset;
      query.versionId = state.versionId;
    }
  }
  if (problems.length > 0) throw new DomainError('delivery.invalid_query', problems[0]!.message, { problems });
  return query;
}

/**
 * A query from URL parameters: `select=a,b`, `order=a.desc,b`, `limit`, `cursor`, `format`, and
 * one filter per other parameter (`column=op.value`; repeat a parameter for several filters on
 * one column). Throws `delivery.invalid_query` with every problem in `details.problems`.
 */
/** Parameters other APIs page with; here they are a mistake unless the data has such a column. */
const PAGING_WORDS = new Set(['offset', 'skip', 'page', 'page_size', 'pageSize', 'per_page']);

export function parseRowQueryParams(params: Iterable<[string, string]>, columns: readonly QueryColumn[]): RowQuery {
  const problems: QueryProblem[] = [];
  const reserved: Record<string, string> = {};
  const filters: RawFilter[] = [];
  for (const [key, value] of params) {
    if (RESERVED_PARAMS.has(key)) {
      if (key in reserved) problems.push({ field: key, code: 'invalid_value', message: `${key} is given once` });
      reserved[key] = value;
      continue;
    }
    // Paging words of other APIs, when the data has no such column: pages go by cursor here.
    if (PAGING_WORDS.has(key) && !columns.some((column) => column.name === key)) {
      problems.push({ field: key, code: 'not_supported', message: `${key} is not a parameter of this API: pages are read with cursor=, which each answer gives as nextCursor (and the X-Next-Cursor header)` });
      continue;
    }
    const filter = filterFromParam(key, value, key);
    if ('code' in filter) problems.push(filter);
    else filters.push(filter);
  }
  const order = (reserved.order ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      if (columns.some((column) => column.name === item)) return { field: 'order', column: item, direction: 'asc' };
      const dot = item.lastIndexOf('.');
      // `column.direction`; a known column with another suffix is a wrong direction, not an unknown column.
      if (dot > 0) return { field: 'order', column: item.slice(0, dot), direction: item.slice(dot + 1) };
      return { field: 'order', column: item, direction: 'asc' };
    });
  return finish({ select: reserved.select, filters, order, limit: reserved.limit, cursor: reserved.cursor, format: reserved.format }, columns, problems);
}

/** A query from the JSON body of POST …/rows (same rules as the URL form). */
export function parseRowQueryBody(body: RowQueryBody | null | undefined, columns: readonly QueryColumn[]): RowQuery {
  const problems: QueryProblem[] = [];
  const input = body ?? {};
  const filters: RawFilter[] = [];
  if (input.filters !== undefined) {
    if (!Array.isArray(input.filters)) problems.push({ field: 'filters', code: 'invalid_value', message: 'filters is a list of { column, op, value | values }' });
    else
      input.filters.forEach((raw: unknown, index) => {
        const field = `filters[${index}]`;
        const entry = (raw ?? {}) as { column?: unknown; op?: unknown; value?: unknown; values?: unknown };
        if (typeof entry.column !== 'string' || typeof entry.op !== 'string') {
          problems.push({ field, code: 'invalid_value', message: 'A filter names a column and an op' });
          return;
        }
        const values = entry.values !== undefined ? entry.values : entry.value !== undefined ? [entry.value] : [];
        if (!Array.isArray(values)) {
          problems.push({ field, code: 'invalid_value', message: 'values is a list' });
          return;
        }
        filters.push({ field, column: entry.column, op: entry.op, values });
      });
  }
  const order: Array<{ field: string; column: unknown; direction: unknown }> = [];
  if (input.order !== undefined) {
    if (!Array.isArray(input.order)) problems.push({ field: 'order', code: 'invalid_value', message: 'order is a list of { column, direction }' });
    else
      input.order.forEach((raw: unknown, index) => {
        const entry = (raw ?? {}) as { column?: unknown; direction?: unknown };
        order.push({ field: `order[${index}]`, column: entry.column, direction: entry.direction ?? 'asc' });
      });
  }
  return finish({ select: input.select, filters, order, limit: input.limit, cursor: input.cursor, format: input.format }, columns, problems);
}

/** The cursor of the page after this one, or null when this page reached the end. */
export function nextCursor(query: RowQuery, versionId: string, returned: number): string | null {
  if (returned < query.limit) return null;
  return encodeCursor({ versionId, offset: query.offset + returned, shape: queryShape(query) });
}

/**
 * The cursor after a page that holds `read` rows of the version (a fingerprinted page holds one
 * fewer than it fetched), or null when `more` says no row of the version follows them.
 */
export function cursorAfter(query: RowQuery, versionId: string, read: number, more: boolean): string | null {
  return more ? encodeCursor({ versionId, offset: query.offset + read, shape: queryShape(query) }) : null;
}

/**
 * The selected columns a page's canary row may take from elsewhere in the version: those the
 * query neither filters nor orders by. The canary copies the others from a row of the page, so
 * it meets every filter and sits in the page's order. Empty, or a limit of one row: the page
 * carries no canary.
 */
export function canaryColumns(query: Pick<RowQuery, 'columns' | 'filters' | 'order' | 'limit'>): string[] {
  if (query.limit < 2) return [];
  const fixed = new Set([...query.filters.map((filter) => filter.column), ...query.order.map((entry) => entry.column)]);
  return query.columns.filter((column) => !fixed.has(column));
}

/** `"name"` with inner quotes doubled: how DuckDB quotes an identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SAFE_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$/;

/**
 * SQL for a validated query over `source` (a relation the engine names, e.g. the version's
 * Parquet file). Identifiers come from the schema, quoted; every value is a `$n` parameter cast
 * to its column's type. The page's order is total (the file's row order breaks ties), so an
 * offset names the same rows every time the immutable version is read.
 */
export function rowQuerySql(query: RowQuery, columns: readonly QueryColumn[], source: string, options: { rowNumber?: string } = {}): { sql: string; params: string[] } {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const params: string[] = [];
  const param = (value: string, type: string): string => {
    params.push(value);
    const cast = SAFE_TYPE.test(type.toUpperCase()) ? type.toUpperCase() : 'VARCHAR';
    return `CAST($${params.length} AS ${cast})`;
  };
  const conditions = query.filters.map((filter) => {
    const column = byName.get(filter.column);
    if (!column) throw new DomainError('delivery.invalid_query', `No column named ${filter.column}`, { problems: [{ field: filter.column, code: 'unknown_column' }] });
    const name = quoteIdentifier(column.name);
    const [first, second] = filter.values as [string, string];
    switch (filter.op) {
      case 'eq':
        return `${name} = ${param(first, column.type)}`;
      case 'ne':
        return `${name} IS DISTINCT FROM ${param(first, column.type)}`;
      case 'lt':
        return `${name} < ${param(first, column.type)}`;
      case 'lte':
        return `${name} <= ${param(first, column.type)}`;
      case 'gt':
        return `${name} > ${param(first, column.type)}`;
      case 'gte':
        return `${name} >= ${param(first, column.type)}`;
      case 'between':
        return `${name} BETWEEN ${param(first, column.type)} AND ${param(second, column.type)}`;
      case 'in':
        return `${name} IN (${filter.values.map((value) => param(value, column.type)).join(', ')})`;
      case 'contains':
        return `strpos(lower(${name}), lower(${param(first, 'VARCHAR')})) > 0`;
      case 'is_null':
        return `${name} IS NULL`;
      case 'not_null':
        return `${name} IS NOT NULL`;
    }
  });
  // With `rowNumber`, each row's number in the file comes too, under that name (fingerprints place canaries by it).
  const select = [...query.columns.map(quoteIdentifier), ...(options.rowNumber ? [`file_row_number AS ${quoteIdentifier(options.rowNumber)}`] : [])].join(', ');
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  // Without an order the file's own order is kept (DuckDB preserves insertion order).
  const order =
    query.order.length > 0
      ? ` ORDER BY ${query.order.map((entry) => `${quoteIdentifier(entry.column)} ${entry.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}, file_row_number`
      : '';
  params.push(String(query.limit), String(query.offset));
  const sql = `SELECT ${select} FROM ${source}${where}${order} LIMIT CAST($${params.length - 1} AS BIGINT) OFFSET CAST($${params.length} AS BIGINT)`;
  return { sql, params };
}
