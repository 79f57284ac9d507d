import { createHmac } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, type QueryColumn } from '@civic/domain';
import { literal } from '@civic/ingest';

/**
 * Licensee fingerprints of delivered files. Each licence gets, in every file of a version, a few
 * canary rows that no other licence gets: each canary's value in each column is copied from a
 * row of the version chosen by HMAC(key, licence, version, canary, column), so the row looks
 * like the data but, as a whole, exists nowhere else (a canary equal to a real row is drawn
 * again). The Parquet file also names the licence in its key-value metadata. Metadata is easy
 * to strip; canaries survive re-encoding (Parquet → CSV), re-ordering and most filtering.
 */

export interface FingerprintInput {
  /** The version's Parquet file. */
  source: string;
  schema: readonly QueryColumn[];
  licenseId: string;
  versionId: string;
  /** The platform's fingerprint key (never leaves the platform). */
  key: Buffer;
}

/** One canary per 10,000 rows, at least one and at most five. */
export function canaryCount(rows: number): number {
  return Math.min(5, Math.max(1, Math.ceil(rows / 10_000)));
}

function draw(key: Buffer, parts: Array<string | number>, modulo: number): number {
  const digest = createHmac('sha256', key).update(parts.join('\u0000')).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(modulo));
}

async function withDuck<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** SQL selecting the canary rows of a licence (as a UNION of single-row SELECTs), and where each goes. */
async function canarySql(connection: DuckDBConnection, input: FingerprintInput): Promise<{ sql: string; positions: number[]; count: number } | null> {
  const source = `read_parquet(${literal(input.source)}, file_row_number = true)`;
  const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRowsJS()[0]![0]);
  if (rows < 2 || input.schema.length === 0) return null;
  const count = canaryCount(rows);
  const selects: string[] = [];
  const positions: number[] = [];
  for (let canary = 0; canary < count; canary += 1) {
    // Draw again (a new salt) until the combination is not a real row; a handful of tries suffice.
    for (let salt = 0; salt < 8; salt += 1) {
      const columns = input.schema.map(
        (column, index) =>
          `(SELECT ${quoteIdentifier(column.name)} FROM ${source} WHERE file_row_number = ${draw(input.key, [input.licenseId, input.versionId, canary, index, salt], rows)}) AS ${quoteIdentifier(column.name)}`,
      );
      const select = `SELECT ${columns.join(', ')}`;
      const matches = `SELECT count(*) FROM ${source} s, (${select}) c WHERE ${input.schema.map((column) => `s.${quoteIdentifier(column.name)} IS NOT DISTINCT FROM c.${quoteIdentifier(column.name)}`).join(' AND ')}`;
      const real = Number((await connection.runAndReadAll(matches)).getRowsJS()[0]![0]);
      if (real === 0 || salt === 7) {
        selects.push(select);
        positions.push(draw(input.key, [input.licenseId, input.versionId, canary, 'position', salt], rows));
        break;
      }
    }
  }
  return { sql: selects.join(' UNION ALL '), positions, count };
}

/**
 * Writes the licence's copy of a version: the rows in file order with the licence's canaries
 * placed among them, as Parquet (with `civic_*` key-value metadata) or CSV with a header.
 */
export async function writeFingerprintedFile(input: FingerprintInput, output: string, format: 'parquet' | 'csv', metadata: Record<string, string>): Promise<{ rows: number; canaries: number }> {
  return withDuck(async (connection) => {
    const canaries = await canarySql(connection, input);
    const columns = input.schema.map((column) => quoteIdentifier(column.name)).join(', ');
    const source = `read_parquet(${literal(input.source)}, file_row_number = true)`;
    const body = canaries
      ? `SELECT ${columns} FROM (
           SELECT ${columns}, file_row_number::DOUBLE AS position FROM ${source}
           UNION ALL
           SELECT ${columns}, position FROM (SELECT *, row_number() OVER () AS n FROM (${canaries.sql})) c
             JOIN (SELECT unnest([${canaries.positions.map((position) => `${position}.5`).join(', ')}]) AS position, unnest(range(1, ${canaries.positions.length + 1})) AS n) p USING (n)
         ) ORDER BY position`
      : `SELECT ${columns} FROM ${source} ORDER BY file_row_number`;
    const options =
      format === 'csv'
        ? '(FORMAT csv, HEADER true)'
        : `(FORMAT parquet, COMPRESSION zstd, KV_METADATA {${Object.entries(metadata)
            .map(([name, value]) => `${quoteIdentifier(name)}: ${literal(value)}`)
            .join(', ')}})`;
    await connection.run(`COPY (${body}) TO ${literal(output)} ${options}`);
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM read_${format === 'csv' ? 'csv_auto' : 'parquet'}(${literal(output)})`)).getRowsJS()[0]![0]);
    return { rows, canaries: canaries?.count ?? 0 };
  });
}

export interface LeakEvidence {
  licenseId: string;
  /** Canaries of this licence found in the file, of how many it was given. */
  canariesFound: number;
  canaries: number;
  /** The licence named in the file's Parquet metadata, if any. */
  namedInMetadata: boolean;
}

/**
 * Which licences a leaked file (Parquet or CSV) came from: for each candidate licence of the
 * version, its canaries are recomputed from the version's file and looked for in the leak; the
 * Parquet metadata is read too. Candidates with any evidence come back, strongest first.
 */
export async function traceLeak(leaked: string, format: 'parquet' | 'csv', version: Omit<FingerprintInput, 'licenseId'>, candidates: readonly string[]): Promise<LeakEvidence[]> {
  return withDuck(async (connection) => {
    const table = format === 'csv' ? `read_csv(${literal(leaked)}, header = true, all_varchar = true)` : `read_parquet(${literal(leaked)})`;
    let named: string | null = null;
    if (format === 'parquet') {
      const rows = (await connection.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${literal(leaked)})`)).getRowObjectsJS();
      named = (rows.find((row) => row.key === 'civic_licence')?.value as string | undefined) ?? null;
    }
    const leakedColumns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${table}`)).getRowObjectsJS().map((row) => String(row.column_name));
    const shared = version.schema.filter((column) => leakedColumns.includes(column.name));
    const evidence: LeakEvidence[] = [];
    for (const licenseId of candidates) {
      const canaries = await canarySql(connection, { ...version, licenseId, schema: shared });
      let found = 0;
      if (canaries && shared.length > 0) {
        // Compare as text, so a CSV (all text) and a Parquet leak are read alike.
        const cast = (prefix: string) => shared.map((column) => `CAST(${prefix}.${quoteIdentifier(column.name)} AS VARCHAR)`);
        const left = cast('l');
        const right = cast('c');
        const sql = `SELECT count(DISTINCT c.n) FROM (SELECT *, row_number() OVER () AS n FROM (${canaries.sql})) c, ${table} l WHERE ${left.map((value, index) => `${value} IS NOT DISTINCT FROM ${right[index]}`).join(' AND ')}`;
        found = Number((await connection.runAndReadAll(sql)).getRowsJS()[0]![0]);
      }
      if (found > 0 || named === licenseId) evidence.push({ licenseId, canariesFound: found, canaries: canaries?.count ?? 0, namedInMetadata: named === licenseId });
    }
    return evidence.sort((a, b) => b.canariesFound - a.canariesFound || Number(b.namedInMetadata) - Number(a.namedInMetadata));
  });
}

/**
 * Traces a leaked file through a product's versions, newest first, and stops at the first
 * version whose canaries it carries (metadata-only evidence does not stop the search).
 */
export async function traceProductLeak<Version extends { id: string; schema: readonly QueryColumn[] }>(
  leaked: string,
  format: 'parquet' | 'csv',
  product: { versions: readonly Version[]; candidates: readonly string[]; key: Buffer },
  /** A local file of a version's Parquet, released once read. */
  sourceOf: (version: Version) => Promise<{ path: string; release(): Promise<void> }>,
): Promise<Array<LeakEvidence & { versionId: string }>> {
  const found: Array<LeakEvidence & { versionId: string }> = [];
  for (const version of product.versions) {
    const source = await sourceOf(version);
    try {
      const evidence = await traceLeak(leaked, format, { source: source.path, schema: version.schema, versionId: version.id, key: product.key }, product.candidates);
      found.push(...evidence.map((item) => ({ ...item, versionId: version.id })));
      if (evidence.some((item) => item.canariesFound > 0)) break;
    } finally {
      await source.release();
    }
  }
  return found;
}
