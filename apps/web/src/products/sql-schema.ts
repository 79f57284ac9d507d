import type { InputColumn } from '../api/schema-types';

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A column name as DuckDB SQL reads it: plain lower-case names as they are, anything else quoted ("年份"). */
export function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Inputs and columns are listed before keywords and functions (CodeMirror's completion ranks by match, then boost). */
export const SCHEMA_BOOST = 10;

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
  let name = base;
  for (let index = 2; taken.includes(name); index += 1) name = `${base}_${index}`;
  return name;
}
