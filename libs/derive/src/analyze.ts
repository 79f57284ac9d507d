import { charOffsetOfByte, DeriveError, positionDetails } from './errors.js';
import { isAllowedFunction, isCountFunction, isSummarizingAggregate } from './functions.js';
import { describeOnEmptyTables, type DescribedColumn } from './describe.js';
import { parseStatements, renderExpressions, type AstNode } from './parser.js';

/** One input as the vendor's SQL sees it: a table name and its (visible) columns, optionally typed. */
export interface DerivationInput {
  name: string;
  columns: Array<string | { name: string; type?: string }>;
}

export interface AnalyzeRequest {
  sql: string;
  inputs: DerivationInput[];
  /**
   * Refuse a query that does not read every declared input: `derive.no_input_read` when it reads
   * none of them, `derive.unused_input` when it leaves some out (their names in
   * `details.inputs`). An input counts as read when a table reference the query actually reaches
   * names it: in the query itself, a subquery, or a CTE the query uses (transitively); a CTE
   * nobody references reads nothing. Default false.
   */
  requireAllInputs?: boolean;
}

export interface ColumnSource {
  input: string;
  column: string;
}

/** `count`: the output is exactly a count (count, count(*), count(DISTINCT …), count_if…); `other`: another aggregate. */
export type AggregateKind = 'count' | 'other' | null;

export interface OutputColumn {
  name: string;
  /** DuckDB's type, when it could be bound (typed inputs); absent otherwise. */
  type?: string;
  /** Every input column the value may depend on (conservative). */
  sources: ColumnSource[];
  aggregate: AggregateKind;
}

export interface DerivationAnalysis {
  /** Declared inputs the query reads (directly, in subqueries, or through CTEs it uses), in declaration order. */
  inputsUsed: string[];
  outputs: OutputColumn[];
  /** The query text to embed in a larger statement: the vendor's text without a trailing semicolon, verified by DuckDB to parse to the same tree. */
  query: string;
}

/** A source set: keys are `input\u0000column`. */
type Sources = Set<string>;
type Col = StaticColumn;

/** A column as the static analysis sees it (internal). */
export interface StaticColumn {
  name: string;
  sources: Sources;
  aggregate: AggregateKind;
  /** Stands for zero or more columns whose number and names DuckDB decides (COLUMNS(…), PIVOT). */
  wildcard?: boolean;
  /** The select-list expression, when the name must be rendered by DuckDB. */
  render?: AstNode;
}

interface Binding {
  alias: string;
  columns: Col[];
  /** Columns that an unqualified `*` leaves out (the right side of USING / NATURAL joins). */
  hiddenFromStar: Set<string>;
  /** A relation whose columns are not known statically (PIVOT / UNPIVOT): anything may come from these sources. */
  opaque?: { sources: Sources; aggregate: AggregateKind };
}

interface Scope {
  bindings: Binding[];
  outer: Scope | null;
  env: Map<string, Col[]>;
  /** Select-list aliases visible to WHERE, GROUP BY, HAVING, QUALIFY and later select items. */
  aliases: Col[];
}

const KEY_SEPARATOR = '\u0000';
const TABLE_REF_TYPES = new Set([
  'BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT', 'SHOW_REF', 'CROSS_PRODUCT',
  'COLUMN_DATA', 'DELIM_GET', 'BOUND_REF', 'INVALID',
]);
const QUERY_NODE_TYPES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE', 'BOUND_SUBQUERY_NODE', 'STATEMENT_NODE']);
const EXPRESSION_CLASSES = new Set([
  'COLUMN_REF', 'CONSTANT', 'FUNCTION', 'WINDOW', 'CASE', 'CAST', 'COMPARISON', 'CONJUNCTION', 'OPERATOR', 'BETWEEN',
  'COLLATE', 'STAR', 'SUBQUERY', 'LAMBDA', 'POSITIONAL_REFERENCE',
]);

const lower = (name: string) => name.toLowerCase();

/**
 * Names DuckDB binds to a value when no column has them (SQL's parameterless "functions"): the
 * clock ones are allowed, the session ones are refused like the functions behind them.
 */
const SPECIAL_VALUES = new Map<string, boolean>([
  ['current_date', true], ['current_time', true], ['current_timestamp', true], ['localtime', true], ['localtimestamp', true],
  ['current_user', false], ['user', false], ['session_user', false], ['current_role', false], ['current_catalog', false], ['current_schema', false],
]);

/**
 * The kind of a column that may hold either of two kinds of value (set operations, ambiguous or
 * wildcard references): a count only if both are counts, a plain value if either is. Calling a
 * column a count makes it public downstream, so the weaker kind must win.
 */
function weakerAggregate(a: AggregateKind, b: AggregateKind): AggregateKind {
  if (a === null || b === null) return null;
  if (a === 'other' || b === 'other') return 'other';
  return 'count';
}

function weakestAggregate(kinds: AggregateKind[]): AggregateKind {
  return kinds.length === 0 ? null : kinds.reduce(weakerAggregate);
}

function union(target: Sources, ...others: Sources[]): Sources {
  for (const other of others) for (const key of other) target.add(key);
  return target;
}

function copyCol(col: Col, name = col.name): Col {
  return { name, sources: new Set(col.sources), aggregate: col.aggregate, wildcard: col.wildcard };
}

/** Renames the first columns as a `t(a, b)` or CTE alias list does. */
function renamed(columns: Col[], aliases: unknown): Col[] {
  const names = Array.isArray(aliases) ? (aliases as unknown[]).map(String) : [];
  return columns.map((col, index) => (index < names.length && !col.wildcard ? copyCol(col, names[index]) : copyCol(col)));
}

class Analyzer {
  /** Inputs read by the query (or CTE definition) being walked; a CTE's reads count where it is referenced. */
  private reads = new Set<string>();
  /** What each CTE definition reads, keyed by the column list stored for it in the environment. */
  private readonly cteReads = new WeakMap<Col[], Set<string>>();
  readonly visited = new WeakSet<object>();
  private readonly collectors: Sources[] = [];
  private readonly inputs = new Map<string, { name: string; columns: string[] }>();

  constructor(inputs: DerivationInput[]) {
    for (const input of inputs) {
      this.inputs.set(lower(input.name), { name: input.name, columns: input.columns.map((column) => (typeof column === 'string' ? column : column.name)) });
    }
  }

  /** Inputs the walked query reads (call after walking the root). */
  get used(): ReadonlySet<string> {
    return this.reads;
  }

  /** Walks a CTE definition with its own record of reads, kept with its columns. */
  private defineCte(walk: () => Col[], aliases?: unknown): Col[] {
    const outerReads = this.reads;
    const own = new Set<string>();
    this.reads = own;
    let columns: Col[];
    try {
      columns = walk();
    } finally {
      this.reads = outerReads;
    }
    const defined = aliases === undefined ? columns : renamed(columns, aliases);
    this.cteReads.set(defined, own);
    return defined;
  }

  // ---------------------------------------------------------------- query nodes

  query(node: AstNode, env: Map<string, Col[]>, outer: Scope | null): Col[] {
    if (!node || typeof node !== 'object') throw unsupported('an empty query');
    this.visited.add(node);
    const scopeEnv = this.withCtes(node.cte_map, env, outer);
    switch (node.type) {
      case 'SELECT_NODE':
        return this.select(node, scopeEnv, outer);
      case 'SET_OPERATION_NODE':
        return this.setOperation(node, scopeEnv, outer);
      case 'RECURSIVE_CTE_NODE':
        return this.recursiveCte(node, scopeEnv, outer);
      case 'CTE_NODE': {
        const defined = new Map(scopeEnv);
        defined.set(lower(String(node.cte_name)), this.defineCte(() => this.query(node.query?.node ?? node.query, scopeEnv, outer)));
        return this.query(node.child, defined, outer);
      }
      default:
        throw unsupported(`a ${String(node.type)} query`);
    }
  }

  private withCtes(cteMap: AstNode | undefined, env: Map<string, Col[]>, outer: Scope | null): Map<string, Col[]> {
    const entries: AstNode[] = cteMap?.map ?? [];
    if (entries.length === 0) return env;
    const scoped = new Map(env);
    for (const entry of entries) {
      const name = String(entry.key);
      const definition = entry.value ?? {};
      const node = definition.query?.node;
      scoped.set(lower(name), this.defineCte(() => this.query(node, scoped, outer), definition.aliases ?? []));
    }
    return scoped;
  }

  private recursiveCte(node: AstNode, env: Map<string, Col[]>, outer: Scope | null): Col[] {
    const name = lower(String(node.cte_name));
    let columns = renamed(this.query(node.left, env, outer), node.aliases);
    // The recursive part may feed any column back into any other: iterate to a fixed point.
    for (let round = 0; round < 8; round += 1) {
      const withSelf = new Map(env);
      withSelf.set(name, columns);
      const right = this.query(node.right, withSelf, outer);
      const merged = combinePositional(columns, right);
      const before = columns.reduce((total, col) => total + col.sources.size, 0);
      const after = merged.reduce((total, col) => total + col.sources.size, 0);
      columns = merged;
      if (after === before) break;
    }
    return columns;
  }

  private setOperation(node: AstNode, env: Map<string, Col[]>, outer: Scope | null): Col[] {
    const children: AstNode[] = Array.isArray(node.children) && node.children.length ? node.children : [node.left, node.right];
    const results = children.map((child) => this.query(child, env, outer));
    let columns = results[0];
    for (const next of results.slice(1)) {
      columns = node.setop_type === 'UNION_BY_NAME' ? combineByName(columns, next) : combinePositional(columns, next);
    }
    this.modifiers(node, { bindings: [{ alias: '', columns, hiddenFromStar: new Set() }], outer, env, aliases: [] });
    return columns;
  }

  private select(node: AstNode, env: Map<string, Col[]>, outer: Scope | null): Col[] {
    const bindings = node.from_table ? this.tableRef(node.from_table, env, outer, []) : [];
    const scope: Scope = { bindings, outer, env, aliases: [] };
    const output: Col[] = [];
    for (const expression of (node.select_list ?? []) as AstNode[]) {
      if (expression.class === 'STAR' && !(expression.columns && expression.expr)) {
        output.push(...this.expandStar(expression, scope));
        continue;
      }
      const aliasScope: Scope = { ...scope, aliases: output.filter((col) => !col.wildcard && col.render === undefined) };
      if (expandsToColumns(expression)) {
        output.push({ name: '*', sources: this.deps(expression, aliasScope), aggregate: this.topAggregate(expression, aliasScope), wildcard: true });
        continue;
      }
      const sources = this.deps(expression, aliasScope);
      const aggregate = this.topAggregate(expression, aliasScope);
      const alias = typeof expression.alias === 'string' ? expression.alias : '';
      if (alias) output.push({ name: alias, sources, aggregate });
      else if (expression.class === 'COLUMN_REF') output.push({ name: this.columnRefName(expression, aliasScope), sources, aggregate });
      else output.push({ name: '', sources, aggregate, render: expression });
    }
    const clauseScope: Scope = { ...scope, aliases: output.filter((col) => !col.wildcard) };
    for (const clause of [node.where_clause, node.having, node.qualify]) this.deps(clause, clauseScope);
    for (const group of (node.group_expressions ?? []) as AstNode[]) this.deps(group, clauseScope);
    this.modifiers(node, clauseScope);
    return output;
  }

  /** ORDER BY, LIMIT, DISTINCT ON: checked (subqueries, functions) but they do not change what a column depends on. */
  private modifiers(node: AstNode, scope: Scope): void {
    for (const modifier of (node.modifiers ?? []) as AstNode[]) this.deps(modifier, scope, true);
  }

  private expandStar(star: AstNode, scope: Scope): Col[] {
    const relation = typeof star.relation_name === 'string' ? lower(star.relation_name) : '';
    const bindings = relation ? scope.bindings.filter((binding) => lower(binding.alias) === relation) : scope.bindings;
    if (relation && bindings.length === 0) {
      throw at(star, new DeriveError('derive.unknown_input', `"${star.relation_name}" is not a table in this query.`, { name: String(star.relation_name) }));
    }
    if (star.columns) {
      // COLUMNS(*) is the same as *; COLUMNS('regex') / COLUMNS(lambda) pick columns at bind time.
      if (star.expr) return [{ name: '*', sources: allSources(bindings), aggregate: null, wildcard: true }];
    }
    const excluded = new Set<string>(
      [...((star.exclude_list ?? []) as unknown[]), ...((star.qualified_exclude_list ?? []) as unknown[])].map((entry) =>
        lower(typeof entry === 'string' ? entry : String((entry as AstNode)?.column ?? (entry as AstNode)?.column_name ?? '')),
      ),
    );
    const replacements = new Map<string, AstNode>();
    for (const entry of (star.replace_list ?? []) as AstNode[]) replacements.set(lower(String(entry.key)), entry.value);
    const renames = new Map<string, string>();
    for (const entry of (star.rename_list ?? []) as AstNode[]) {
      const key = entry.key;
      renames.set(lower(String(typeof key === 'string' ? key : key?.column)), String(entry.value));
    }
    const columns: Col[] = [];
    for (const binding of bindings) {
      if (binding.opaque) {
        columns.push({ name: '*', sources: new Set(binding.opaque.sources), aggregate: binding.opaque.aggregate, wildcard: true });
        continue;
      }
      for (const col of binding.columns) {
        const key = lower(col.name);
        if (col.wildcard) {
          columns.push(copyCol(col));
          continue;
        }
        if (!relation && binding.hiddenFromStar.has(key)) continue;
        if (excluded.has(key)) continue;
        const replacement = replacements.get(key);
        if (replacement) {
          columns.push({ name: col.name, sources: this.deps(replacement, scope), aggregate: this.topAggregate(replacement, scope) });
          continue;
        }
        columns.push(copyCol(col, renames.get(key) ?? col.name));
      }
    }
    return columns;
  }

  // ---------------------------------------------------------------- table references

  private tableRef(ref: AstNode, env: Map<string, Col[]>, outer: Scope | null, lateral: Binding[]): Binding[] {
    if (!ref || typeof ref !== 'object') throw unsupported('an empty table reference');
    this.visited.add(ref);
    switch (ref.type) {
      case 'EMPTY':
        return [];
      case 'BASE_TABLE':
        return [this.baseTable(ref, env)];
      case 'JOIN':
        return this.join(ref, env, outer, lateral);
      case 'SUBQUERY': {
        const scope: Scope = { bindings: lateral, outer, env, aliases: [] };
        const columns = this.query(ref.subquery?.node, env, scope);
        return [{ alias: String(ref.alias ?? ''), columns: renamed(columns, ref.column_name_alias), hiddenFromStar: new Set() }];
      }
      case 'EXPRESSION_LIST': {
        const scope: Scope = { bindings: lateral, outer, env, aliases: [] };
        const rows: AstNode[][] = ref.values ?? [];
        const width = rows[0]?.length ?? 0;
        const columns: Col[] = Array.from({ length: width }, (_, index) => ({ name: `col${index}`, sources: new Set<string>(), aggregate: null }));
        for (const row of rows) row.forEach((value, index) => columns[index] && union(columns[index].sources, this.deps(value, scope)));
        const names = Array.isArray(ref.expected_names) && ref.expected_names.length ? ref.expected_names : undefined;
        return [{ alias: String(ref.alias || 'valueslist'), columns: renamed(renamed(columns, names), ref.column_name_alias), hiddenFromStar: new Set() }];
      }
      case 'PIVOT':
        return [this.pivot(ref, env, outer, lateral)];
      case 'TABLE_FUNCTION': {
        const name = String(ref.function?.function_name ?? 'a table function');
        throw at(ref, new DeriveError('derive.forbidden_function', `Table functions such as ${name}() cannot be used: a derivation reads only its declared inputs.`, { function: name }));
      }
      case 'SHOW_REF':
        throw new DeriveError('derive.not_a_query', 'DESCRIBE, SHOW and SUMMARIZE cannot be used in a derivation.');
      default:
        throw unsupported(`a ${String(ref.type)} table reference`);
    }
  }

  private baseTable(ref: AstNode, env: Map<string, Col[]>): Binding {
    const name = String(ref.table_name ?? '');
    if (ref.at_clause) throw at(ref, unsupported('AT (time travel) clauses'));
    if (ref.catalog_name || ref.schema_name) {
      const qualified = [ref.catalog_name, ref.schema_name, name].filter(Boolean).join('.');
      throw at(ref, new DeriveError('derive.unknown_input', `"${qualified}" is not an input of this derivation; refer to inputs by their plain name.`, { name: qualified }));
    }
    const key = lower(name);
    let columns: Col[];
    const cte = env.get(key);
    if (cte) {
      columns = cte.map((col) => copyCol(col));
      // Referencing a CTE reads what its definition reads.
      for (const input of this.cteReads.get(cte) ?? []) this.reads.add(input);
    } else {
      const input = this.inputs.get(key);
      if (!input) {
        throw at(ref, new DeriveError('derive.unknown_input', `"${name}" is not an input of this derivation (files, URLs and other tables cannot be read).`, { name }));
      }
      this.reads.add(input.name);
      columns = input.columns.map((column) => ({ name: column, sources: new Set([`${input.name}${KEY_SEPARATOR}${column}`]), aggregate: null }));
    }
    return { alias: String(ref.alias || name), columns: renamed(columns, ref.column_name_alias), hiddenFromStar: new Set() };
  }

  private join(ref: AstNode, env: Map<string, Col[]>, outer: Scope | null, lateral: Binding[]): Binding[] {
    const left = this.tableRef(ref.left, env, outer, lateral);
    const right = this.tableRef(ref.right, env, outer, [...lateral, ...left]);
    const bindings = [...left, ...right];
    this.deps(ref.condition, { bindings, outer, env, aliases: [] });
    let using: string[] = ((ref.using_columns ?? []) as unknown[]).map((name) => lower(String(name)));
    if (ref.ref_type === 'NATURAL') {
      const leftNames = new Set(left.flatMap((binding) => binding.columns.map((col) => lower(col.name))));
      using = [...new Set(right.flatMap((binding) => binding.columns.map((col) => lower(col.name))).filter((name) => leftNames.has(name)))];
    }
    for (const name of using) {
      const leftCol = left.flatMap((binding) => binding.columns.filter((col) => lower(col.name) === name && !binding.hiddenFromStar.has(name)))[0];
      const rightCols = right.flatMap((binding) => binding.columns.filter((col) => lower(col.name) === name));
      if (leftCol) for (const col of rightCols) union(leftCol.sources, col.sources);
      for (const binding of right) if (binding.columns.some((col) => lower(col.name) === name)) binding.hiddenFromStar.add(name);
    }
    return bindings;
  }

  private pivot(ref: AstNode, env: Map<string, Col[]>, outer: Scope | null, lateral: Binding[]): Binding {
    const source = this.tableRef(ref.source, env, outer, lateral);
    const scope: Scope = { bindings: source, outer, env, aliases: [] };
    for (const expression of (ref.aggregates ?? []) as AstNode[]) this.deps(expression, scope);
    for (const pivot of (ref.pivots ?? []) as AstNode[]) {
      for (const expression of (pivot.pivot_expressions ?? []) as AstNode[]) this.deps(expression, scope);
      for (const entry of (pivot.entries ?? []) as AstNode[]) this.deps(entry.star_expr, scope);
      if (pivot.subquery) this.deps({ class: 'SUBQUERY', subquery: pivot.subquery }, scope);
    }
    // Group, pivot and value columns are indistinguishable here: all are plain values (a count
    // column would be made public downstream whatever it holds).
    return { alias: String(ref.alias ?? ''), columns: [], hiddenFromStar: new Set(), opaque: { sources: allSources(source), aggregate: null } };
  }

  // ---------------------------------------------------------------- expressions

  /** The input columns an expression depends on. `lenient`: names that resolve nowhere are ignored (DuckDB's binder decides). */
  deps(expression: AstNode | null | undefined, scope: Scope, lenient = false, lambdas: ReadonlySet<string> = new Set()): Sources {
    const result: Sources = new Set();
    if (!expression || typeof expression !== 'object') return result;
    if (Array.isArray(expression)) {
      for (const item of expression) union(result, this.deps(item, scope, lenient, lambdas));
      return result;
    }
    switch (expression.class) {
      case 'COLUMN_REF': {
        const names: string[] = ((expression.column_names ?? []) as unknown[]).map(String);
        if (names.length > 0 && lambdas.has(lower(names[0]))) return result;
        const resolved = this.resolve(names, scope);
        if (!resolved && names.length === 1 && SPECIAL_VALUES.has(lower(names[0]))) {
          if (SPECIAL_VALUES.get(lower(names[0]))) return result;
          throw at(expression, new DeriveError('derive.forbidden_function', `${names[0]} is not allowed in a derivation.`, { function: lower(names[0]) }));
        }
        if (!resolved) {
          if (lenient) return result;
          throw at(expression, new DeriveError('derive.unknown_column', `Column "${names.join('.')}" is not a column of the inputs in scope.`, { name: names.join('.') }));
        }
        for (const col of resolved) union(result, col.sources);
        for (const collector of this.collectors) union(collector, result);
        return result;
      }
      case 'LAMBDA': {
        const params = new Set(lambdas);
        collectLambdaParams(expression.lhs, params);
        return this.deps(expression.expr, scope, lenient, params);
      }
      case 'SUBQUERY': {
        const collector: Sources = new Set();
        this.collectors.push(collector);
        try {
          const columns = this.query(expression.subquery?.node, scope.env, scope);
          for (const col of columns) union(result, col.sources);
        } finally {
          this.collectors.pop();
        }
        union(result, collector, this.deps(expression.child, scope, lenient, lambdas));
        for (const active of this.collectors) union(active, result);
        return result;
      }
      case 'STAR':
      case 'POSITIONAL_REFERENCE': {
        const relation = typeof expression.relation_name === 'string' ? lower(expression.relation_name) : '';
        const bindings = relation ? scope.bindings.filter((binding) => lower(binding.alias) === relation) : scope.bindings;
        union(result, allSources(bindings));
        for (const key of ['expr'] as const) if (expression[key]) union(result, this.deps(expression[key], scope, true, lambdas));
        for (const entry of (expression.replace_list ?? []) as AstNode[]) union(result, this.deps(entry.value, scope, lenient, lambdas));
        for (const collector of this.collectors) union(collector, result);
        return result;
      }
      default:
        break;
    }
    // Any other expression: its value depends on all of its children.
    for (const [key, value] of Object.entries(expression)) {
      if (key === 'class' || key === 'type' || key === 'alias' || key === 'query_location') continue;
      union(result, this.descend(value, scope, lenient, lambdas));
    }
    return result;
  }

  private descend(value: unknown, scope: Scope, lenient: boolean, lambdas: ReadonlySet<string>): Sources {
    const result: Sources = new Set();
    if (!value || typeof value !== 'object') return result;
    if (Array.isArray(value)) {
      for (const item of value) union(result, this.descend(item, scope, lenient, lambdas));
      return result;
    }
    const node = value as AstNode;
    if (typeof node.class === 'string') return this.deps(node, scope, lenient, lambdas);
    for (const child of Object.values(node)) union(result, this.descend(child, scope, lenient, lambdas));
    return result;
  }

  /** The columns a (possibly qualified) name refers to, looking outwards through enclosing queries. */
  private resolve(names: string[], scope: Scope): Col[] | null {
    for (let level: Scope | null = scope; level; level = level.outer) {
      const found = this.lookup(names.map(lower), level);
      if (found.length > 0) return found;
    }
    return null;
  }

  private lookup(names: string[], scope: Scope): Col[] {
    const found: Col[] = [];
    const [first, second, third] = names;
    for (const binding of scope.bindings) {
      const alias = lower(binding.alias);
      if (binding.opaque) {
        // PIVOT / UNPIVOT: any name may be one of its columns, made of any of its sources.
        if (names.length === 1 || alias === first) {
          found.push({ name: names[names.length - 1], sources: new Set(binding.opaque.sources), aggregate: binding.opaque.aggregate });
        }
        continue;
      }
      // a column, or a struct field of a column
      for (const col of binding.columns) if (!col.wildcard && lower(col.name) === first) found.push(col);
      if (alias === first) {
        if (names.length === 1) found.push(...binding.columns); // the whole row, as a struct
        else for (const col of binding.columns) if (!col.wildcard && lower(col.name) === second) found.push(col);
      }
      // schema.table.column
      if (names.length >= 3 && alias === second) for (const col of binding.columns) if (!col.wildcard && lower(col.name) === third) found.push(col);
      // a relation with wildcard columns may hold any name
      for (const col of binding.columns) if (col.wildcard && (names.length === 1 || alias === first)) found.push(col);
    }
    if (names.length === 1) for (const col of scope.aliases) if (lower(col.name) === first) found.push(col);
    return found;
  }

  private columnRefName(expression: AstNode, scope: Scope): string {
    const names: string[] = ((expression.column_names ?? []) as unknown[]).map(String);
    const resolved = this.resolve(names, scope);
    const last = names[names.length - 1] ?? '';
    const exact = resolved?.filter((col) => lower(col.name) === lower(last)) ?? [];
    return exact.length > 0 ? exact[0].name : last;
  }

  /**
   * count / other aggregate / null for the top of a select-list expression; plain references
   * carry the kind of what they name. Only a grouped count is a count and only a summarizing
   * aggregate (sum, avg, stddev…) is `other`: aggregates that return one of their input values
   * (min, max, mode, any_value, list…) and every window function are row-level values (null),
   * so their sources keep their sensitivity.
   */
  topAggregate(expression: AstNode, scope: Scope): AggregateKind {
    if (!expression || typeof expression !== 'object') return null;
    if (expression.class === 'FUNCTION') {
      const name = String(expression.function_name ?? '');
      if (isCountFunction(name)) return 'count';
      return isSummarizingAggregate(name) ? 'other' : null;
    }
    if (expression.class === 'WINDOW') return null;
    if (expression.class === 'COLUMN_REF') {
      const names: string[] = ((expression.column_names ?? []) as unknown[]).map(String);
      return weakestAggregate((this.resolve(names, scope) ?? []).map((col) => col.aggregate));
    }
    return null;
  }
}

function unsupported(what: string): DeriveError {
  return new DeriveError('derive.unsupported', `Derivations cannot use ${what}.`);
}

/** The parse tree's byte offset (`query_location`) of the node each refusal is about. */
const refusedAt = new WeakMap<DeriveError, number>();

/**
 * Records where in the SQL `node` starts, for `locate`. A location of 0 is none (the parser's "no
 * location" marker is read as 0, and no table, column or function can start a statement).
 */
function at(node: AstNode | null | undefined, error: DeriveError): DeriveError {
  const location = Number(node?.query_location);
  if (Number.isInteger(location) && location > 0) refusedAt.set(error, location);
  return error;
}

/** Gives a refusal of the analysis the position, line and column in `sql` of the node it is about, as DuckDB's syntax errors have. */
function locate(error: unknown, sql: string): unknown {
  if (!(error instanceof DeriveError) || error.details.position !== undefined) return error;
  const bytes = refusedAt.get(error);
  if (bytes !== undefined) Object.assign(error.details, positionDetails(sql, charOffsetOfByte(sql, bytes)));
  return error;
}

function allSources(bindings: Binding[]): Sources {
  const result: Sources = new Set();
  for (const binding of bindings) {
    if (binding.opaque) union(result, binding.opaque.sources);
    for (const col of binding.columns) union(result, col.sources);
  }
  return result;
}

function collectLambdaParams(lhs: AstNode | undefined, params: Set<string>): void {
  if (!lhs || typeof lhs !== 'object') return;
  if (Array.isArray(lhs)) {
    for (const item of lhs) collectLambdaParams(item, params);
    return;
  }
  if (lhs.class === 'COLUMN_REF') {
    const names = (lhs.column_names ?? []) as unknown[];
    if (names.length) params.add(lower(String(names[0])));
    return;
  }
  for (const child of Object.values(lhs)) if (child && typeof child === 'object') collectLambdaParams(child as AstNode, params);
}

/** Whether a select-list expression expands into several columns (COLUMNS(…) inside it, or *COLUMNS unpacking). */
function expandsToColumns(expression: AstNode): boolean {
  let found = false;
  const visit = (value: unknown): void => {
    if (found || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as AstNode;
    if (node.class === 'STAR' && node.columns) found = true;
    else if (node.class === 'OPERATOR' && node.type === 'OPERATOR_UNPACK') found = true;
    else if (node.class === 'SUBQUERY') return;
    else Object.values(node).forEach(visit);
  };
  visit(expression);
  return found;
}

function collapse(columns: Col[]): Col {
  const sources: Sources = new Set();
  for (const col of columns) union(sources, col.sources);
  return { name: '*', sources, aggregate: weakestAggregate(columns.map((col) => col.aggregate)), wildcard: true };
}

function combinePositional(left: Col[], right: Col[]): Col[] {
  if (left.some((col) => col.wildcard) || right.some((col) => col.wildcard) || left.length !== right.length) return [collapse([...left, ...right])];
  return left.map((col, index) => ({
    name: col.name,
    render: col.render,
    sources: union(new Set(col.sources), right[index].sources),
    aggregate: weakerAggregate(col.aggregate, right[index].aggregate),
  }));
}

function combineByName(left: Col[], right: Col[]): Col[] {
  if (left.some((col) => col.wildcard || col.render) || right.some((col) => col.wildcard || col.render)) return [collapse([...left, ...right])];
  const result = left.map((col) => copyCol(col));
  for (const col of right) {
    const match = result.find((candidate) => lower(candidate.name) === lower(col.name));
    if (match) {
      union(match.sources, col.sources);
      match.aggregate = weakerAggregate(match.aggregate, col.aggregate);
    } else result.push(copyCol(col));
  }
  return result;
}

/** Strips parser positions so that two parses of the same query compare equal. */
function withoutPositions(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'query_location' ? undefined : value));
}

/** Checks every function call, expression kind and query node in the tree, independently of the scope walk. */
function checkTree(root: AstNode): void {
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as AstNode;
    if (typeof node.class === 'string') {
      if (node.class === 'PARAMETER') throw at(node, unsupported('prepared-statement parameters ($1, ?)'));
      if (!EXPRESSION_CLASSES.has(node.class)) throw at(node, unsupported(`${String(node.class).toLowerCase()} expressions`));
    } else if (typeof node.type === 'string' && node.type.endsWith('_NODE') && !QUERY_NODE_TYPES.has(node.type) && 'cte_map' in node) {
      throw unsupported(`a ${node.type} query`);
    }
    if ('function_name' in node) {
      const name = String(node.function_name);
      const schema = String(node.schema ?? '');
      const catalog = String(node.catalog ?? '');
      if (catalog !== '' || (schema !== '' && lower(schema) !== 'main')) {
        throw at(node, new DeriveError('derive.forbidden_function', `${[catalog, schema, name].filter(Boolean).join('.')}() cannot be used: call functions by their plain name.`, { function: name }));
      }
      if (!isAllowedFunction(name)) {
        throw at(node, new DeriveError('derive.forbidden_function', `${name}() is not an allowed function in a derivation.`, { function: name }));
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
}

/** After the scope walk: every table reference and query node in the tree must have been walked (nothing escaped the checks). */
function checkAllVisited(root: AstNode, visited: WeakSet<object>): void {
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as AstNode;
    const isTableRef = typeof node.class !== 'string' && typeof node.type === 'string' && TABLE_REF_TYPES.has(node.type) && 'alias' in node;
    const isQueryNode = typeof node.class !== 'string' && typeof node.type === 'string' && QUERY_NODE_TYPES.has(node.type);
    if ((isTableRef || isQueryNode) && !visited.has(node)) throw unsupported(`this construct (${String(node.type)})`);
    Object.values(node).forEach(visit);
  };
  visit(root);
}

function checkInputs(inputs: DerivationInput[]): void {
  const names = new Set<string>();
  for (const input of inputs) {
    if (!input.name || typeof input.name !== 'string') throw new DeriveError('derive.invalid_input', 'Every input needs a name.');
    if (names.has(lower(input.name))) throw new DeriveError('derive.invalid_input', `Two inputs are named "${input.name}".`, { input: input.name });
    names.add(lower(input.name));
    const columns = new Set<string>();
    for (const column of input.columns) {
      const name = typeof column === 'string' ? column : column.name;
      if (columns.has(lower(name))) throw new DeriveError('derive.invalid_input', `Input "${input.name}" has two columns named "${name}".`, { input: input.name, name });
      columns.add(lower(name));
    }
  }
}

/**
 * A derivation is computed from its inputs, and every declared input is credited in its lineage
 * (and paid for by revenue shares): reading none of them, or leaving one out, is refused.
 */
function checkEveryInputRead(inputs: DerivationInput[], inputsUsed: string[]): void {
  const read = new Set(inputsUsed);
  const unread = inputs.map((input) => input.name).filter((name) => !read.has(name));
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
  if (inputsUsed.length === 0) {
    throw new DeriveError(
      'derive.no_input_read',
      inputs.length === 0
        ? 'The derivation has no inputs to read.'
        : `The query reads none of its inputs (${quoted(unread)}): a derivation must be computed from its inputs.`,
      { inputs: unread },
    );
  }
  if (unread.length > 0) {
    throw new DeriveError(
      'derive.unused_input',
      `The query does not read ${unread.length === 1 ? 'input' : 'inputs'} ${quoted(unread)}: use ${unread.length === 1 ? 'it' : 'them'} or remove ${unread.length === 1 ? 'it' : 'them'} from the inputs (every input is credited in the product's lineage).`,
      { inputs: unread },
    );
  }
}

/**
 * The vendor's text without its trailing semicolon(s), such that `(\n<text>\n)` parses to the same
 * tree as the original: safe to embed in COPY (…) TO or a subquery.
 */
async function isolateQuery(sql: string, original: AstNode): Promise<string> {
  const expected = withoutPositions(original);
  const matches = async (text: string): Promise<boolean> => {
    try {
      const [statement] = await parseStatements(`SELECT * FROM (\n${text}\n)`);
      return withoutPositions(statement?.node?.from_table?.subquery?.node) === expected;
    } catch {
      return false;
    }
  };
  let candidate = sql.trimEnd();
  if (await matches(candidate)) return candidate;
  // Remove semicolons from the end, one more each time: the terminator(s), and any in a trailing
  // comment (harmless). Removing one inside a string literal changes the tree and never verifies.
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const index = candidate.lastIndexOf(';');
    if (index < 0) break;
    candidate = (candidate.slice(0, index) + candidate.slice(index + 1)).trimEnd();
    if (await matches(candidate)) return candidate;
  }
  throw new DeriveError('derive.syntax', 'The query cannot be isolated from what follows it; remove the trailing semicolon and anything after it.');
}

/**
 * Reconciles the statically derived columns with the names and types DuckDB gives them (by
 * position; wildcard stretches are matched conservatively).
 */
export function reconcile(columns: Col[], described: DescribedColumn[]): OutputColumn[] {
  const finish = (col: Col, actual: DescribedColumn): OutputColumn => ({
    name: actual.name,
    ...(actual.type ? { type: actual.type } : {}),
    sources: toSources(col.sources),
    aggregate: col.aggregate,
  });
  const wildcards = columns.filter((col) => col.wildcard);
  if (wildcards.length === 0 && columns.length === described.length) return described.map((actual, index) => finish(columns[index], actual));
  if (wildcards.length === 0) return described.map((actual) => finish(collapse(columns), actual));
  const firstWildcard = columns.findIndex((col) => col.wildcard);
  const lastWildcard = columns.length - 1 - [...columns].reverse().findIndex((col) => col.wildcard);
  const prefix = columns.slice(0, firstWildcard);
  const suffix = columns.slice(lastWildcard + 1);
  if (prefix.length + suffix.length > described.length) return described.map((actual) => finish(collapse(columns), actual));
  const middle = collapse(columns.slice(firstWildcard, lastWildcard + 1));
  return described.map((actual, index) => {
    if (index < prefix.length) return finish(prefix[index], actual);
    const fromEnd = described.length - 1 - index;
    if (fromEnd < suffix.length) return finish(suffix[suffix.length - 1 - fromEnd], actual);
    return finish(middle, actual);
  });
}

function toSources(sources: Sources): ColumnSource[] {
  return [...sources]
    .map((key) => {
      const [input, column] = key.split(KEY_SEPARATOR);
      return { input, column };
    })
    .sort((a, b) => (a.input === b.input ? (a.column < b.column ? -1 : a.column > b.column ? 1 : 0) : a.input < b.input ? -1 : 1));
}

export function checkDuplicateNames(outputs: Array<{ name: string }>): void {
  const seen = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const output of outputs) {
    const key = lower(output.name);
    if (seen.has(key)) duplicates.add(output.name);
    else seen.set(key, output.name);
  }
  if (duplicates.size > 0) {
    const columns = [...duplicates];
    throw new DeriveError('derive.duplicate_columns', `The output has more than one column named ${columns.map((name) => `"${name}"`).join(', ')}; give each column a distinct name with AS.`, { columns });
  }
}

/** The statically derived columns of a validated query, before DuckDB names them. */
export interface StaticAnalysis {
  inputsUsed: string[];
  columns: Col[];
  query: string;
}

/**
 * Parses the vendor's SQL with DuckDB and checks it: exactly one SELECT; tables only from the
 * declared inputs and CTEs in scope; functions only from the allow-list; no table functions.
 * Returns the column lineage (without final names).
 */
export async function analyzeStatically(request: AnalyzeRequest): Promise<StaticAnalysis> {
  checkInputs(request.inputs);
  if (typeof request.sql !== 'string' || request.sql.trim() === '') throw new DeriveError('derive.not_a_query', 'The derivation is empty.');
  const statements = await parseStatements(request.sql);
  if (statements.length !== 1) {
    throw new DeriveError('derive.not_a_query', `A derivation must be exactly one SELECT query, not ${statements.length} statements.`);
  }
  const root = statements[0].node as AstNode;
  const analyzer = new Analyzer(request.inputs);
  let columns: Col[];
  try {
    checkTree(root);
    columns = analyzer.query(root, new Map(), null);
    checkAllVisited(root, analyzer.visited);
  } catch (error) {
    throw locate(error, request.sql);
  }
  const inputsUsed = request.inputs.map((input) => input.name).filter((name) => analyzer.used.has(name));
  if (request.requireAllInputs) checkEveryInputRead(request.inputs, inputsUsed);
  const query = await isolateQuery(request.sql, root);
  const toRender = columns.filter((col) => col.render !== undefined);
  const rendered = await renderExpressions(toRender.map((col) => col.render as AstNode));
  toRender.forEach((col, index) => (col.name = rendered[index]));
  return { inputsUsed, columns, query };
}

/**
 * Validates a derivation and returns which inputs it reads and, for each output column, the input
 * columns it depends on and whether it is a count or another aggregate. Names and types come from
 * DuckDB binding the query against empty tables shaped like the inputs when it can (typed
 * inputs); otherwise names are DuckDB's rendering of each expression.
 */
export async function analyzeDerivation(request: AnalyzeRequest): Promise<DerivationAnalysis> {
  const analysis = await analyzeStatically(request);
  const described = await describeOnEmptyTables(analysis.query, request.inputs);
  const outputs = described
    ? reconcile(analysis.columns, described)
    : analysis.columns.map((col) => ({ name: col.name, sources: toSources(col.sources), aggregate: col.aggregate }));
  checkDuplicateNames(outputs);
  return { inputsUsed: analysis.inputsUsed, outputs, query: analysis.query };
}
