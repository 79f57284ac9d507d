import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DeriveError, positionDetails, tidyParserMessage } from './errors.js';

/**
 * DuckDB's own parser, reached through `json_serialize_sql` in a private in-memory instance that
 * can touch nothing: no external access, no extensions, configuration locked. It never runs
 * vendor SQL, it only parses it (the SQL travels as a bound parameter). Its errors are JSON
 * (`errors_as_json`), so that a binder error's position reaches `bindError` as a field.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = Record<string, any>;

let instance: Promise<DuckDBInstance> | null = null;

async function parserInstance(): Promise<DuckDBInstance> {
  instance ??= (async () => {
    const created = await DuckDBInstance.create(':memory:', {
      memory_limit: '128MB',
      threads: '1',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      enable_external_access: 'false',
      errors_as_json: 'true',
      lock_configuration: 'true',
    });
    return created;
  })();
  return instance;
}

export async function withConnection<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await (await parserInstance()).connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
  }
}

/**
 * `json_serialize_sql` writes the parser's "no location" marker (2^64 - 1) as a bare number,
 * which JavaScript cannot hold exactly; it is meaningless, so it becomes 0.
 */
function parseJson(text: string): AstNode {
  return JSON.parse(text.replaceAll('"query_location":18446744073709551615', '"query_location":0')) as AstNode;
}

/** The statements of `sql` as DuckDB's parse tree. Syntax errors are `derive.syntax`; statements other than SELECT are `derive.not_a_query`. */
export async function parseStatements(sql: string): Promise<AstNode[]> {
  const text = await withConnection(async (connection) => {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql(?::VARCHAR) AS ast', [sql]);
    return String(reader.getRowObjectsJS()[0].ast);
  });
  const parsed = parseJson(text);
  if (parsed.error) {
    const message = tidyParserMessage(String(parsed.error_message ?? 'The SQL cannot be parsed.'));
    if (parsed.error_type === 'parser') {
      // The parser counts characters (unlike the binder and the tree's query_location, which count bytes).
      const position = parsed.position === undefined ? undefined : Number(parsed.position);
      throw new DeriveError('derive.syntax', `Syntax error: ${message}`, positionDetails(sql, position));
    }
    if (/Only SELECT statements/i.test(message)) {
      throw new DeriveError('derive.not_a_query', 'A derivation must be exactly one SELECT query (COPY, ATTACH, SET, PRAGMA, CREATE and other statements are not allowed).');
    }
    throw new DeriveError('derive.not_a_query', `The SQL cannot be used as a derivation: ${message}`);
  }
  return (parsed.statements ?? []) as AstNode[];
}

/**
 * DuckDB's own rendering of each expression, which is the name it gives an unaliased output
 * column (e.g. `count_star()`, `(fare + 1)`).
 */
export async function renderExpressions(expressions: AstNode[]): Promise<string[]> {
  if (expressions.length === 0) return [];
  return withConnection(async (connection) => {
    const statements = expressions.map((expression) =>
      JSON.stringify({
        error: false,
        statements: [
          {
            node: {
              type: 'SELECT_NODE',
              modifiers: [],
              cte_map: { map: [] },
              select_list: [{ ...expression, alias: '' }],
              from_table: { type: 'EMPTY', alias: '', sample: null, query_location: 0 },
              where_clause: null,
              group_expressions: [],
              group_sets: [],
              aggregate_handling: 'STANDARD_HANDLING',
              having: null,
              sample: null,
              qualify: null,
            },
            named_param_map: [],
          },
        ],
      }),
    );
    const placeholders = statements.map((_, index) => `json_deserialize_sql($${index + 1}::JSON) AS e${index}`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT ${placeholders}`, statements);
    const row = reader.getRowObjectsJS()[0];
    return statements.map((_, index) => String(row[`e${index}`]).replace(/^SELECT /, ''));
  });
}

/** Closes the shared parser instance (tests, shutdown). It is recreated on the next use. */
export async function closeParser(): Promise<void> {
  const current = instance;
  instance = null;
  if (current) (await current).closeSync();
}
