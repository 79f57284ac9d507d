import { insertCompletionText, pickedCompletion, snippetCompletion, type Completion, type CompletionSource } from '@codemirror/autocomplete';
import { PostgreSQL, SQLDialect, sql } from '@codemirror/lang-sql';
import type { Extension } from '@uiw/react-codemirror';
import { schemaCompletions, type ColumnCompletion, type TableCompletion } from './sql-schema';

/**
 * The keywords of a derivation: DuckDB's (`duckdb_keywords()`, DuckDB 1.5) that a single SELECT
 * uses — clauses, joins, window frames, PIVOT, lambdas, interval units. Statements the sandbox
 * refuses (COPY, ATTACH, INSTALL, PRAGMA, SHOW…) are left out, so they are neither offered nor
 * highlighted.
 */
const KEYWORDS = [
  'all and anti any as asc asof between both by case cast collate columns cross cube current desc distinct else end',
  'escape except exclude exists extract fetch filter first following for from full glob group grouping grouping_id having',
  'ignore ilike in inner intersect interval is isnull join lambda last lateral leading left like limit materialized natural',
  'not notnull nulls offset on only or order others outer over overlaps partition pivot pivot_longer pivot_wider positional',
  'preceding qualify range recursive rename replace respect right rollup row rows select semi sets similar some then ties to',
  'trailing try_cast union unbounded unpivot using values when where window with within without',
  'century day days decade hour hours microsecond microseconds millennium millisecond milliseconds minute minutes month',
  'months quarter quarters second seconds week weeks year years',
].join(' ');

/** DuckDB's type names (`duckdb_types()`), for CAST and TRY_CAST. */
const TYPES = [
  'bigint bit bitstring blob bool boolean bytea char date datetime decimal double enum float float4 float8 hugeint int int2',
  'int4 int8 integer interval json list map numeric real smallint string struct text time timestamp timestamptz timetz',
  'tinyint ubigint uhugeint uinteger union usmallint utinyint uuid varchar',
].join(' ');

/** Common aggregates (every one is on the sandbox's allow-list in libs/derive). */
const AGGREGATES = [
  'count count_if sum avg mean min max median mode quantile_cont quantile_disc approx_count_distinct approx_quantile',
  'stddev stddev_samp stddev_pop variance var_samp var_pop corr covar_pop covar_samp regr_slope regr_intercept regr_r2',
  'string_agg list array_agg arg_max arg_min max_by min_by any_value first last bool_and bool_or product geomean',
  'weighted_avg histogram entropy kurtosis skewness',
].join(' ');

/** Window functions. */
const WINDOW_FUNCTIONS = 'row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value';

/** Common scalar functions: numbers, text, dates, lists, JSON. */
const SCALAR_FUNCTIONS = [
  'abs ceil floor round trunc sqrt power pow exp ln log log10 log2 greatest least mod sign pi random nullif coalesce',
  'lower upper length trim ltrim rtrim lpad rpad substr substring left right concat concat_ws replace split_part',
  'string_split starts_with ends_with contains strpos position regexp_matches regexp_extract regexp_replace',
  'regexp_full_match format printf md5 sha256 hash to_json json_extract json_extract_string json_value',
  'year month day hour minute second quarter week dayofweek dayofyear isodow date_trunc date_part date_diff date_add',
  'date_sub datediff strftime strptime try_strptime make_date make_timestamp epoch epoch_ms to_timestamp today now',
  'current_date time_bucket last_day monthname dayname age list_value list_contains list_sum list_avg list_distinct',
  'list_sort unnest struct_pack struct_extract map_keys typeof',
].join(' ');

export type FunctionKind = 'aggregate' | 'window' | 'scalar';

const FUNCTION_KINDS = new Map<string, FunctionKind>();
for (const [names, kind] of [
  [SCALAR_FUNCTIONS, 'scalar'],
  [WINDOW_FUNCTIONS, 'window'],
  [AGGREGATES, 'aggregate'],
] as const) {
  for (const name of names.split(' ')) FUNCTION_KINDS.set(name, kind);
}

/** Whether the editor offers `name` as a function, and as which kind. */
export function functionKind(name: string): FunctionKind | undefined {
  return FUNCTION_KINDS.get(name.toLowerCase());
}

/**
 * DuckDB's SQL as CodeMirror reads it: PostgreSQL's lexical rules (DuckDB follows them: `"quoted
 * identifiers"`, `$$strings$$`, `::` casts) with DuckDB's keywords, types and common functions.
 * The functions are CodeMirror's "builtin" words: highlighted as names and completed as functions.
 */
export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: KEYWORDS,
  types: TYPES,
  builtin: [...FUNCTION_KINDS.keys()].join(' '),
  // DuckDB folds unquoted identifiers: `Hour` reads the column `hour`.
  caseInsensitiveIdentifiers: true,
});

export interface DuckdbSqlOptions {
  /** Input views and their columns (`input.` completes its columns). */
  schema: Record<string, TableCompletion>;
  /** Columns offered on their own, outside `input.`: a SELECT list names them bare. */
  columns: readonly ColumnCompletion[];
  /** The detail shown beside a function of each kind ("aggregate"…), in the reader's language. */
  functionDetail: (kind: FunctionKind) => string;
}

/** A typed name so far: any letters (CJK included) after an opening quote, or a bare word. */
const QUOTED_SPAN = /^[^"\n]*$/;
const WORD_SPAN = /^[\p{L}\p{N}\p{M}_$]*$/u;

/**
 * Completes the inputs, their columns and the query's aliases (see `schemaCompletions`). Names are
 * matched unquoted as typed, with or without an opening quote, and applying one replaces the whole
 * typed name, its quotes included, with the name as SQL reads it (quoted where needed).
 */
export function schemaCompletionSource(schema: Record<string, TableCompletion>, columns: readonly ColumnCompletion[]): CompletionSource {
  return (context) => {
    const { state, pos } = context;
    const result = schemaCompletions(schema, columns, state.sliceDoc(0, pos), state.sliceDoc(pos), context.explicit);
    if (!result) return null;
    if (!result.quoted) return { from: result.from, options: result.options, validFor: WORD_SPAN };
    // Matched after the opening quote; applied over it and over a closing quote just after the cursor.
    const options: Completion[] = result.options.map((option) => ({
      ...option,
      apply: (view, completion, from, to) => {
        const end = view.state.sliceDoc(to, to + 1) === '"' ? to + 1 : to;
        view.dispatch({ ...insertCompletionText(view.state, option.apply, from - 1, end), annotations: pickedCompletion.of(completion) });
      },
    }));
    return { from: result.from, options, validFor: QUOTED_SPAN };
  };
}

/**
 * SQL language support for the SQL editor: highlighting and CodeMirror's SQL completion of the
 * input views, their columns (after `input.` or an alias, and bare), DuckDB keywords and types
 * (upper case) and common functions (lower case, inserted with their parentheses).
 */
export function duckdbSql({ schema, columns, functionDetail }: DuckdbSqlOptions): Extension {
  const keywordCompletion = (label: string, type: string): Completion => {
    const kind = functionKind(label);
    if (!kind) return { label, type };
    const name = label.toLowerCase();
    // count(*) is what counting rows is written as; everything else starts with the cursor inside.
    return snippetCompletion(name === 'count' ? `${name}(\${*})` : `${name}(\${})`, { label: name, type: 'function', detail: functionDetail(kind) });
  };
  return [
    sql({ dialect: DuckDB, upperCaseKeywords: true, keywordCompletion }),
    DuckDB.language.data.of({ autocomplete: schemaCompletionSource(schema, columns) }),
  ];
}
