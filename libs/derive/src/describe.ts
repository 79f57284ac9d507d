import { identifier } from '@civic/ingest';
import { DeriveError, messageOf } from './errors.js';
import { withConnection } from './parser.js';

export interface DescribedColumn {
  name: string;
  /** Absent when the inputs were not typed (the names are still DuckDB's). */
  type?: string;
}

interface ShapedInput {
  name: string;
  columns: Array<string | { name: string; type?: string }>;
}

/**
 * Binds a validated query against empty temporary tables shaped like the inputs, in the parser's
 * locked instance, and returns DuckDB's names and types of its output columns. Untyped columns are
 * bound as VARCHAR; then only the names are trusted, and a bind failure returns null (the query
 * may be fine with the real types). With fully typed inputs a bind failure is the query's error.
 */
export async function describeOnEmptyTables(query: string, inputs: ShapedInput[]): Promise<DescribedColumn[] | null> {
  const typed = inputs.every((input) => input.columns.every((column) => typeof column !== 'string' && Boolean(column.type)));
  return withConnection(async (connection) => {
    try {
      for (const input of inputs) {
        const columns = input.columns.map((column) =>
          typeof column === 'string' ? `${identifier(column)} VARCHAR` : `${identifier(column.name)} ${column.type || 'VARCHAR'}`,
        );
        const create = `CREATE TEMP TABLE ${identifier(input.name)} (${columns.length ? columns.join(', ') : '"_" VARCHAR'})`;
        // Type names come from recorded schemas, not from vendors; still, one statement only.
        if ((await connection.extractStatements(create)).count !== 1) return null;
        await connection.run(create);
      }
    } catch {
      // A type DuckDB cannot spell back (or an odd name): fall back to names from the tree.
      return null;
    }
    try {
      // Not `SELECT * FROM (…)`: that would rename duplicate names (a, a_1) and hide them.
      const reader = await connection.runAndReadAll(`DESCRIBE ${query}`);
      return reader.getRowObjectsJS().map((row): DescribedColumn => (typed ? { name: String(row.column_name), type: String(row.column_type) } : { name: String(row.column_name) }));
    } catch (error) {
      if (!typed) return null;
      throw bindError(error);
    }
  });
}

/** A DuckDB binder/catalog error as a DeriveError (message without the "… Error:" prefix). */
export function bindError(error: unknown): DeriveError {
  const message = messageOf(error);
  const first = (message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
  const reason = first.replace(/^[A-Za-z ]*Error: /, '');
  if (/Referenced column .* not found|does not have a column named|Referenced table .* not found/i.test(first)) {
    return new DeriveError('derive.unknown_column', reason);
  }
  if (/^Catalog Error: Table with name/i.test(first)) return new DeriveError('derive.unknown_input', reason);
  if (/^Catalog Error: .*Function with name/i.test(first)) return new DeriveError('derive.forbidden_function', reason);
  return new DeriveError('derive.invalid_query', reason);
}
