import { identifier } from '@civic/ingest';
import { charOffsetOfByte, DeriveError, messageOf, positionDetails, type DeriveErrorDetails } from './errors.js';
import { withConnection } from './parser.js';

/** What the vendor's query is bound in (its positions are counted after it). */
const DESCRIBE = 'DESCRIBE ';

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
      const reader = await connection.runAndReadAll(`${DESCRIBE}${query}`);
      return reader.getRowObjectsJS().map((row): DescribedColumn => (typed ? { name: String(row.column_name), type: String(row.column_type) } : { name: String(row.column_name) }));
    } catch (error) {
      if (!typed) return null;
      throw bindError(error, { sql: query, prefix: DESCRIBE });
    }
  });
}


/** What DuckDB's JSON error (`errors_as_json`) tells beside the message. */
interface JsonError {
  exception_type?: string;
  exception_message?: string;
  /** UTF-8 byte offset in the statement DuckDB was given. */
  position?: string | number;
  error_subtype?: string;
  /** The column, table or function concerned. */
  name?: string;
  type?: string;
}

function jsonError(message: string): JsonError | null {
  const text = message.replace(/^[A-Za-z ]*Error: (?=\{)/, '');
  if (!text.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && typeof (parsed as JsonError).exception_message === 'string' ? (parsed as JsonError) : null;
  } catch {
    return null;
  }
}

/**
 * A DuckDB binder/catalog error as a DeriveError (message without the "… Error:" prefix). When
 * DuckDB reports where (a JSON error's `position`, in bytes of the statement) and `where` says
 * which text the vendor's SQL is and what came before it in that statement, the details carry
 * its `position`, `line` and `column` in the vendor's SQL, as syntax errors do; an unknown column
 * or table also carries its `name`.
 */
export function bindError(error: unknown, where?: { sql: string; prefix: string }): DeriveError {
  const raw = messageOf(error);
  const json = jsonError(raw);
  const message = json ? `${json.exception_type ?? ''} Error: ${json.exception_message}` : raw;
  const first = (message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
  const reason = first.replace(/^[A-Za-z ]*Error: /, '');
  const details: DeriveErrorDetails = {};
  if (json && where) {
    const bytes = Number(json.position) - Buffer.byteLength(where.prefix, 'utf8');
    Object.assign(details, positionDetails(where.sql, charOffsetOfByte(where.sql, bytes)));
  }
  const name = typeof json?.name === 'string' && json.name !== '' ? json.name : undefined;
  if (/Referenced column .* not found|does not have a column named|Referenced table .* not found/i.test(first)) {
    return new DeriveError('derive.unknown_column', reason, name ? { ...details, name } : details);
  }
  if (/^Catalog Error: Table with name/i.test(first)) return new DeriveError('derive.unknown_input', reason, name ? { ...details, name } : details);
  if (/^Catalog Error: .*Function with name/i.test(first)) return new DeriveError('derive.forbidden_function', reason, details);
  // Wrong arguments name the function they were given to.
  if (name && json?.error_subtype === 'NO_MATCHING_FUNCTION') return new DeriveError('derive.invalid_query', reason, { ...details, function: name });
  return new DeriveError('derive.invalid_query', reason, details);
}
