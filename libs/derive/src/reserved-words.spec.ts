import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SQL_RESERVED_WORDS } from '@civic/domain';

/**
 * The domain's list of words an input may not be named (libs/domain, static so the API and the
 * web app need no DuckDB) against the DuckDB the derivations run on: exactly the keywords that
 * cannot name a table unquoted.
 */
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await connection.run('CREATE VIEW other AS SELECT 1 AS a');
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

async function readsAsTable(word: string): Promise<boolean> {
  await connection.run(`CREATE OR REPLACE VIEW "${word}" AS SELECT 1 AS a`);
  try {
    await connection.runAndReadAll(`SELECT * FROM ${word}`);
    await connection.runAndReadAll(`SELECT o.a FROM other o JOIN ${word} ON ${word}.a = o.a`);
    return true;
  } catch {
    return false;
  } finally {
    await connection.run(`DROP VIEW "${word}"`);
  }
}

it('the input names refused are the DuckDB keywords that cannot name a table unquoted', async () => {
  const keywords = (await connection.runAndReadAll('SELECT keyword_name FROM duckdb_keywords() ORDER BY 1')).getRows().map((row) => String(row[0]));
  const failing: string[] = [];
  for (const word of keywords) if (!(await readsAsTable(word))) failing.push(word);
  expect([...SQL_RESERVED_WORDS].sort()).toEqual(failing.sort());
}, 60_000);
