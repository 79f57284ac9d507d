import type { InputColumn } from '../api/schema-types';
import { isSqlReservedWord } from './product-vocabulary';

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A column name as DuckDB SQL reads it: plain lower-case names as they are, anything else ("年份", a reserved word like "order") quoted. */
export function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) && !isSqlReservedWord(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Inputs and columns are listed before keywords and functions (CodeMirror's completion ranks by match, then boost). */
export const SCHEMA_BOOST = 10;
/** Columns of the inputs the query reads (FROM/JOIN) rank above other inputs' columns. */
export const SCOPE_BOOST = 20;
/** Right after FROM or JOIN, the inputs rank above everything else. */
export const TABLE_BOOST = 30;

export interface ColumnCompletion {
  label: string;
  /** What is inserted: the quoted name where it needs quotes. */
  apply: string;
  detail: string;
  type: 'property';
  boost: number;
}

export interface TableCompletion {
  self: { label: string; type: 'type'; detail: string; boost: number };
  children: ColumnCompletion[];
}

/**
 * The inputs and the columns the SQL may read, as CodeMirror's SQL completion schema: typing an
 * input name offers it as a table and `input.` (or an alias of it) offers its columns, quoted
 * where needed, ahead of keywords and functions. `sqlColumnCompletions` offers the columns on
 * their own.
 */
export function sqlCompletionSchema(
  inputs: ReadonlyArray<{ name: string; columns: readonly InputColumn[] }>,
  describe: (column: InputColumn) => string = (column) => column.type,
  inputDetail: (input: { name: string }) => string = () => '',
): Record<string, TableCompletion> {
  const schema: Record<string, TableCompletion> = {};
  for (const input of inputs) {
    schema[input.name] = {
      self: { label: input.name, type: 'type', detail: inputDetail(input), boost: SCHEMA_BOOST },
      children: input.columns.map((column) => ({ label: column.name, apply: quoteIdentifier(column.name), detail: describe(column), type: 'property', boost: SCHEMA_BOOST })),
    };
  }
  return schema;
}

/**
 * Every column of every input, offered bare (a SELECT list usually names columns without their
 * input): one completion per name, its detail naming the inputs that have it.
 */
export function sqlColumnCompletions(
  inputs: ReadonlyArray<{ name: string; columns: readonly InputColumn[] }>,
  describe: (column: InputColumn) => string = (column) => column.type,
): ColumnCompletion[] {
  const byName = new Map<string, { column: InputColumn; inputs: string[] }>();
  for (const input of inputs) {
    for (const column of input.columns) {
      const seen = byName.get(column.name);
      if (seen) seen.inputs.push(input.name);
      else byName.set(column.name, { column, inputs: [input.name] });
    }
  }
  return [...byName.values()].map(({ column, inputs: names }) => ({
    label: column.name,
    apply: quoteIdentifier(column.name),
    detail: `${names.join(', ')} · ${describe(column)}`,
    type: 'property',
    boost: SCHEMA_BOOST,
  }));
}

/** A letter, digit, `_` or `$`: what an unquoted name (CJK included) is made of. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_$]/u;

export interface SqlToken {
  kind: 'word' | 'quoted' | 'punct';
  /** The name it stands for: a word lower-cased (DuckDB folds it), a quoted name unquoted. */
  name: string;
  from: number;
  to: number;
}

export interface SqlScan {
  tokens: SqlToken[];
  /** What the text ends inside of, unterminated: a quoted name, a string or a comment. */
  open: 'quoted' | 'string' | 'comment' | null;
  /** Where that unterminated part starts. */
  openFrom: number;
}

/** Splits SQL into words, quoted names and punctuation, skipping strings and comments. */
export function scanSql(text: string): SqlScan {
  const tokens: SqlToken[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '-' && text[index + 1] === '-') {
      const end = text.indexOf('\n', index);
      if (end < 0) return { tokens, open: 'comment', openFrom: index };
      index = end + 1;
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      if (end < 0) return { tokens, open: 'comment', openFrom: index };
      index = end + 2;
    } else if (char === '"' || char === "'") {
      let end = index + 1;
      for (;;) {
        const close = text.indexOf(char, end);
        if (close < 0) return { tokens, open: char === '"' ? 'quoted' : 'string', openFrom: index };
        end = close + 1;
        if (text[end] !== char) break;
        end += 1;
      }
      if (char === '"') tokens.push({ kind: 'quoted', name: text.slice(index + 1, end - 1).replaceAll('""', '"'), from: index, to: end });
      index = end;
    } else if (WORD_CHAR.test(char)) {
      let end = index + 1;
      while (end < text.length && WORD_CHAR.test(text[end]!)) end += 1;
      tokens.push({ kind: 'word', name: text.slice(index, end).toLowerCase(), from: index, to: end });
      index = end;
    } else {
      tokens.push({ kind: 'punct', name: char, from: index, to: index + 1 });
      index += 1;
    }
  }
  return { tokens, open: null, openFrom: text.length };
}

/** Keywords that end a FROM item rather than name its alias. */
const NOT_ALIAS = new Set(
  'where group having order limit offset qualify window union intersect except join inner left right full outer cross natural positional asof anti semi on using lateral pivot unpivot tablesample sample fetch for'.split(' '),
);

/** The clauses a name may be completed in. */
const CLAUSES = new Set('select from join on using where group having qualify order window limit offset'.split(' '));

/**
 * The inputs a query names after FROM and JOIN, by the name or alias it reads them as
 * (`FROM weather w JOIN traffic AS t` gives weather, w → weather, traffic, t → traffic).
 */
export function sqlReferences(tokens: readonly SqlToken[]): Map<string, string> {
  const references = new Map<string, string>();
  const isName = (token: SqlToken | undefined): token is SqlToken => !!token && (token.kind === 'quoted' || (token.kind === 'word' && !NOT_ALIAS.has(token.name)));
  for (let index = 0; index < tokens.length; index += 1) {
    const keyword = tokens[index]!;
    if (keyword.kind !== 'word' || (keyword.name !== 'from' && keyword.name !== 'join')) continue;
    let at = index + 1;
    for (;;) {
      const table = tokens[at];
      if (!isName(table) || tokens[at + 1]?.name === '(' || tokens[at + 1]?.name === '.') break;
      references.set(table.name, table.name);
      at += 1;
      if (tokens[at]?.kind === 'word' && tokens[at]!.name === 'as') at += 1;
      const alias = tokens[at];
      if (isName(alias)) {
        references.set(alias.name, table.name);
        at += 1;
      }
      if (keyword.name !== 'from' || tokens[at]?.name !== ',') break;
      at += 1;
    }
  }
  return references;
}

/** The clause the end of `tokens` is in (`select`, `from`, `where`…), or null inside parentheses or before any. */
function clauseAt(tokens: readonly SqlToken[]): string | null {
  let depth = 0;
  for (let index = tokens.length - 1; index >= 0; index -= 1) {
    const token = tokens[index]!;
    if (token.name === ')' && token.kind === 'punct') depth += 1;
    else if (token.name === '(' && token.kind === 'punct') {
      if (depth === 0) return null;
      depth -= 1;
    } else if (depth === 0 && token.kind === 'word' && CLAUSES.has(token.name)) return token.name === 'using' ? 'on' : token.name;
  }
  return null;
}

export interface SqlNameContext {
  /** Where the typed name starts in the text before the cursor (its opening quote, if any). */
  from: number;
  /** Whether the typed name starts with a quote. */
  quoted: boolean;
  /** The name before a dot (`weather.` or an alias), as written: the input whose columns to offer. */
  parent: SqlToken | null;
  /** Right after FROM or JOIN (or a comma in a FROM list): where an input is named. */
  table: boolean;
}

/**
 * What is being typed at the end of `before`: the name so far (any letters, CJK included, with or
 * without an opening quote), the name before a dot, and whether an input is expected there. Null in
 * a string, a comment or a number.
 */
export function sqlNameContext(before: string): SqlNameContext | null {
  const scan = scanSql(before);
  if (scan.open === 'string' || scan.open === 'comment') return null;
  let tokens = scan.tokens;
  let from = before.length;
  const quoted = scan.open === 'quoted';
  if (quoted) from = scan.openFrom;
  else {
    const last = tokens.at(-1);
    if (last?.kind === 'word' && last.to === before.length) {
      if (/^\p{N}/u.test(last.name)) return null;
      from = last.from;
      tokens = tokens.slice(0, -1);
    }
  }
  const previous = tokens.at(-1);
  if (previous?.kind === 'punct' && previous.name === '.' && previous.to === from) {
    const parent = tokens.at(-2);
    return parent && parent.kind !== 'punct' && parent.to === previous.from ? { from, quoted, parent, table: false } : null;
  }
  const table =
    (previous?.kind === 'word' && (previous.name === 'from' || previous.name === 'join')) || (previous?.kind === 'punct' && previous.name === ',' && clauseAt(tokens) === 'from');
  return { from, quoted, parent: null, table };
}

export interface SchemaOption {
  label: string;
  apply: string;
  detail?: string;
  type: string;
  boost: number;
}

export interface SchemaCompletions {
  /** Where the typed name starts: after its opening quote when quoted (completion matches the unquoted names). */
  from: number;
  /** Whether an opening quote precedes `from` (applying replaces it too). */
  quoted: boolean;
  options: SchemaOption[];
}

/**
 * The inputs, their columns and the query's aliases to offer at the end of `before` (the text after
 * the cursor, `after`, names the rest of the query's inputs): after `input.` or `alias.` that
 * input's columns; right after FROM/JOIN the inputs first; elsewhere the columns of the inputs the
 * query reads (FROM/JOIN) above other inputs' columns. Null where no name is typed (unless
 * `explicit`), in strings and comments.
 */
export function schemaCompletions(
  schema: Record<string, TableCompletion>,
  columns: readonly ColumnCompletion[],
  before: string,
  after: string,
  explicit: boolean,
): SchemaCompletions | null {
  const context = sqlNameContext(before);
  if (!context) return null;
  const { from, quoted, parent, table } = context;
  const nameFrom = quoted ? from + 1 : from;
  // The rest of the current name (and its closing quote) is not part of the query's FROM list.
  const rest = quoted ? after.replace(/^[^"\n]*"?/, '') : after.replace(/^[\p{L}\p{N}\p{M}_$]+/u, '');
  const references = sqlReferences([...scanSql(before.slice(0, from)).tokens, ...scanSql(rest).tokens]);
  const inputNamed = (name: string, exact: boolean): string | undefined =>
    name in schema ? name : exact ? undefined : Object.keys(schema).find((key) => key.toLowerCase() === name);

  if (parent) {
    const named = references.get(parent.name) ?? parent.name;
    const input = inputNamed(named, parent.kind === 'quoted' && !references.has(parent.name));
    if (!input) return null;
    return { from: nameFrom, quoted, options: schema[input]!.children.map((column) => ({ ...column, boost: SCHEMA_BOOST })) };
  }
  if (!quoted && from === before.length && !explicit) return null;

  const inScope = new Set([...references.values()].map((name) => inputNamed(name, false)).filter((name): name is string => !!name));
  const inputsOf = new Map<string, string[]>();
  for (const [input, table] of Object.entries(schema)) {
    for (const column of table.children) inputsOf.set(column.label, [...(inputsOf.get(column.label) ?? []), input]);
  }
  const options: SchemaOption[] = Object.values(schema).map((input) => ({ ...input.self, apply: quoteIdentifier(input.self.label), boost: table ? TABLE_BOOST : SCHEMA_BOOST }));
  for (const column of columns) {
    const read = (inputsOf.get(column.label) ?? []).some((input) => inScope.has(input));
    options.push({ ...column, boost: !table && read ? SCOPE_BOOST : SCHEMA_BOOST });
  }
  if (!table) {
    for (const [alias, name] of references) {
      if (alias !== name && !(alias in schema)) options.push({ label: alias, apply: quoteIdentifier(alias), detail: name, type: 'constant', boost: SCOPE_BOOST });
    }
  }
  return { from: nameFrom, quoted, options };
}

/** The first SQL of a new derived product: every visible column of its first input, to edit from there. */
export function starterSql(inputNames: readonly string[]): string {
  const [first] = inputNames;
  return first ? `SELECT *\nFROM ${first}` : '';
}

/** A suggested input name for a dataset or product slug: a lower-case SQL identifier, unique among `taken`. */
export function suggestInputName(slug: string, taken: readonly string[]): string {
  const words = slug
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .split('_')
    .filter(Boolean);
  // Short names read best in SQL: the first two words of the slug.
  let base = words.slice(0, 2).join('_') || 'input';
  if (!/^[a-z_]/.test(base)) base = `t_${base}`;
  base = base.slice(0, 40);
  // `select`, `order`… cannot name a table unquoted.
  if (isSqlReservedWord(base)) base = `${base}_data`;
  let name = base;
  for (let index = 2; taken.includes(name); index += 1) name = `${base}_${index}`;
  return name;
}
