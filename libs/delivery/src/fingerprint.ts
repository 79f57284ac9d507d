import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { canaryColumns, columnFamily, queryShape, quoteIdentifier, type QueryColumn, type RowQuery } from '@civic/domain';
import { literal } from '@civic/ingest';
import type { JsonValue, PageFileCanary, RowReader } from './row-reader.js';

/**
 * Licensee fingerprints of delivered files. Each licence gets, in every file of a version, a few
 * canary rows that no other licence gets: each canary's value in each column is copied from a
 * row of the version chosen by HMAC(key, licence, version, canary, column), so the row looks
 * like the data but, as a whole, exists nowhere else (a canary equal to a real row is drawn
 * again). The Parquet file also names the licence in its key-value metadata. Metadata is easy
 * to strip; canaries survive re-encoding (Parquet → CSV), re-ordering and most filtering.
 *
 * Pages of the data API (every format) carry one canary each, in their last slot: it follows an HMAC-chosen row of the page (its anchor) and copies the
 * columns the query filters or orders by from it — so it meets the filters and keeps the order
 * — while each other column comes from a row of the version chosen by HMAC(key, holder,
 * version, anchor's file row, column). Tracing finds it next to its anchor.
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

/** Attempts at a page canary that is no row of the version (tracing tries as many). */
export const PAGE_CANARY_ATTEMPTS = 2;

export interface PageCanaryInput {
  /** The platform's fingerprint key. */
  key: Buffer;
  /** The licence the page is delivered under, or `owner-<organization>` for the owner's reads. */
  holder: string;
  versionId: string;
  /** Rows in the version's file (draws pick among them). */
  versionRows: number;
}

/** Which of a page's `rows` rows its canary follows (and copies its filtered and ordered columns from). */
export function pageCanaryAnchor(input: PageCanaryInput, shape: string, offset: number, rows: number): number {
  return draw(input.key, ['page-anchor', input.holder, input.versionId, shape, offset], rows);
}

/** For each drawn column, the file row its value comes from: per attempt, one row number per column. */
export function pageCanarySources(input: PageCanaryInput, anchorRow: number, columns: readonly string[]): number[][] {
  return Array.from({ length: PAGE_CANARY_ATTEMPTS }, (_, attempt) => columns.map((column) => draw(input.key, ['page', input.holder, input.versionId, anchorRow, column, attempt], input.versionRows)));
}

/** The page-file form of a page's canary (CSV and Parquet pages, written by DuckDB). */
export function pageFileCanary(input: PageCanaryInput, query: RowQuery): PageFileCanary | undefined {
  const columns = canaryColumns(query);
  if (columns.length === 0 || input.versionRows < 2) return undefined;
  const shape = queryShape(query);
  return {
    columns,
    plan: (rowNumbers) => {
      const anchor = pageCanaryAnchor(input, shape, query.offset, rowNumbers.length);
      return { anchor, attempts: pageCanarySources(input, rowNumbers[anchor]!, columns) };
    },
  };
}

export interface FingerprintedPage {
  columns: QueryColumn[];
  /** The page's rows, its canary among them. */
  rows: JsonValue[][];
  /** Rows of the version among them (the cursor advances by as many). */
  read: number;
  /** Whether rows of the version follow them (the page has a next one). */
  more: boolean;
  /** Where the canary is in `rows`, or null when the page has none. */
  canaryAt: number | null;
}

/**
 * A JSON or NDJSON page with its holder's canary: the page's rows read through `reader` (its
 * page cache), of which the first `limit - 1` are kept and the canary follows its anchor among
 * them; when every draw is a row of the version (a projection with nothing to mark), the page
 * keeps all its rows instead. The same page in CSV or Parquet (`pageFileCanary`) is the same.
 */
export async function fingerprintedPage(reader: RowReader, file: string, schema: readonly QueryColumn[], query: RowQuery, input: PageCanaryInput): Promise<FingerprintedPage> {
  const page = await reader.page(file, query, schema);
  const plain = { columns: page.columns, rows: page.rows, read: page.rows.length, more: page.rows.length === query.limit, canaryAt: null };
  const canary = pageFileCanary(input, query);
  const kept = page.rows.slice(0, query.limit - 1);
  if (!canary || kept.length === 0) return plain;
  const { anchor, attempts } = canary.plan(page.rowNumbers.slice(0, kept.length))!;
  const values = await reader.rowValues(file, schema, attempts.flat(), canary.columns);
  const at = canary.columns.map((name) => page.columns.findIndex((column) => column.name === name));
  for (const sources of attempts) {
    // A canary equal to a row of the version would mark nothing: drawn again (as in files).
    if (await reader.repeatsVersionRow(file, query.columns, page.rowNumbers[anchor]!, canary.columns, sources)) continue;
    const row = [...kept[anchor]!];
    sources.forEach((source, index) => (row[at[index]!] = values.get(source)?.[index] ?? null));
    return { columns: page.columns, rows: [...kept.slice(0, anchor + 1), row, ...kept.slice(anchor + 1)], read: kept.length, more: page.rows.length > kept.length, canaryAt: anchor + 1 };
  }
  return plain;
}

export interface LeakEvidence {
  licenseId: string;
  /** Canaries of this licence found in the file (whole-file canaries and page canaries), of how many it could hold. */
  canariesFound: number;
  canaries: number;
  /** Of the canaries found, those of data API pages (present when any). */
  pageCanaries?: number;
  /** The licence named in the file's metadata (Parquet key-value metadata, a JSON page's licenseId), if any. */
  namedInMetadata: boolean;
}

/** What a leaked file is read as: Parquet, CSV, or JSON (a JSON page, an array of rows, or NDJSON). */
export type LeakFormat = 'parquet' | 'csv' | 'json';

/** The format of a leaked file from its first bytes. */
export function leakFormatOf(head: Buffer): LeakFormat {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('{') || text.startsWith('[') ? 'json' : 'csv';
}

const SAFE_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$/;

/**
 * How a column is compared between a leaked file and the version. A leak arrives as text (a
 * CSV, a JSON page's values, a Parquet file read as text): values of typed columns are cast
 * back to the column's type, so `100`, `100.0` and `1e2` are one number and a timestamp written
 * with a `T` or a space one instant; other columns are compared as text.
 */
function comparison(column: QueryColumn, format: LeakFormat): { leaked: (text: string) => string; version: (value: string) => string } {
  const type = column.type.toUpperCase();
  const family = columnFamily(column.type);
  if (family === 'text') return { leaked: (text) => text, version: (value) => value };
  if (family !== 'other' && SAFE_TYPE.test(type)) return { leaked: (text) => `TRY_CAST(${text} AS ${type})`, version: (value) => value };
  return { leaked: (text) => text, version: (value) => (format === 'json' ? `CAST(to_json(${value}) AS VARCHAR)` : `CAST(${value} AS VARCHAR)`) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rows of a leaked JSON file: a page as the API wrote it, an array of row objects, or NDJSON. */
function parseJsonLeak(text: string): { rows: Array<Record<string, unknown>>; named: string | null } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // NDJSON: one object per line (a bad line makes the file unreadable, never half-traced).
    return { rows: trimmed.split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown).filter(isObject), named: null };
  }
  if (Array.isArray(parsed)) return { rows: parsed.filter(isObject), named: null };
  if (isObject(parsed) && Array.isArray(parsed.rows)) return { rows: parsed.rows.filter(isObject), named: typeof parsed.licenseId === 'string' ? parsed.licenseId : null };
  if (isObject(parsed)) return { rows: [parsed], named: null };
  throw new Error('not a JSON page, array of rows or NDJSON');
}

/** A JSON value as the text a CSV of it would hold. */
function jsonText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Loads a leaked file into the table `leak` (every column as text, in the file's row order:
 * `rowid`) and tells the licence its metadata names, if any.
 */
async function loadLeak(connection: DuckDBConnection, leaked: string, format: LeakFormat): Promise<string | null> {
  if (format === 'csv') {
    await connection.run(`CREATE TEMPORARY TABLE leak AS SELECT * FROM read_csv(${literal(leaked)}, header = true, all_varchar = true)`);
    return null;
  }
  if (format === 'parquet') {
    const meta = (await connection.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${literal(leaked)})`)).getRowObjectsJS();
    const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(leaked)})`)).getRowObjectsJS().map((row) => String(row.column_name));
    await connection.run(`CREATE TEMPORARY TABLE leak AS SELECT ${columns.map((name) => `CAST(${quoteIdentifier(name)} AS VARCHAR) AS ${quoteIdentifier(name)}`).join(', ')} FROM read_parquet(${literal(leaked)})`);
    return (meta.find((row) => row.key === 'civic_licence')?.value as string | undefined) ?? null;
  }
  const { rows, named } = parseJsonLeak(await readFile(leaked, 'utf8'));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (columns.length === 0) {
    await connection.run('CREATE TEMPORARY TABLE leak (civic_empty VARCHAR)');
    return named;
  }
  // The rows as text, through a newline-delimited file DuckDB reads with every column as VARCHAR.
  const work = await mkdtemp(path.join(tmpdir(), 'civic-leak-json-'));
  try {
    const file = path.join(work, 'rows.ndjson');
    await writeFile(file, rows.map((row) => `${JSON.stringify(Object.fromEntries(columns.map((name) => [name, jsonText(row[name])])))}\n`).join(''));
    const types = columns.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ');
    await connection.run(`CREATE TEMPORARY TABLE leak AS SELECT ${columns.map(quoteIdentifier).join(', ')} FROM read_json(${literal(file)}, format = 'newline_delimited', columns = {${types}})`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return named;
}

const shareKey = (column: number, value: string | null) => `${column}:${value === null ? 'null' : `=${value}`}`;

/**
 * A page canary counts for a licence only when the values it shares with that licence's draws
 * were this unlikely to come from another licence's draws (the product of the shares of the
 * version's rows holding each, times the attempts tried), and no other licence explains it.
 */
const PAGE_CANARY_CHANCE = 1e-3;
/** Rows of a leak looked at as page canaries at most (rows that are not the version's). */
const MAX_PAGE_CANDIDATES = 5_000;
/** Rows of the version tried as a canary's anchor at most, when the row before it repeats in the version. */
const MAX_ANCHORS = 32;
/** (row, anchor, licence, attempt) combinations checked at most in one version (a leak of many pages is traced by its first ones). */
const MAX_PAGE_TRIALS = 200_000;

/**
 * Page canaries of `candidates` in the leak: each row of the leak that is no row of the version
 * is checked against the row just before it (its anchor, when the page's order was kept): it is
 * a licence's canary when every column is either the anchor's or the licence's draw for that
 * anchor, some column differs from the anchor, the values equal to the draws are rarer together
 * than PAGE_CANARY_CHANCE, and no other licence's draws explain the row as well.
 */
async function pageCanaries(connection: DuckDBConnection, version: Omit<FingerprintInput, 'licenseId'>, shared: readonly QueryColumn[], format: LeakFormat, candidates: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (shared.length === 0) return found;
  const source = `read_parquet(${literal(version.source)}, file_row_number = true)`;
  const versionRows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRowsJS()[0]![0]);
  if (versionRows < 2) return found;
  const compare = shared.map((column) => comparison(column, format));
  const names = shared.map((column) => quoteIdentifier(column.name));
  // The leak's shared columns typed like the version's, by leak row; then which of them are no row of the version.
  await connection.run(`CREATE TEMPORARY TABLE leak_typed AS SELECT rowid AS civic_leak_row, ${names.map((name, index) => `${compare[index]!.leaked(name)} AS ${name}`).join(', ')} FROM leak`);
  const matches = (alias: string) => names.map((name, index) => `${alias}.${name} IS NOT DISTINCT FROM ${compare[index]!.version(`s.${name}`)}`).join(' AND ');
  const strangers = (
    await connection.runAndReadAll(`SELECT l.civic_leak_row FROM leak_typed l WHERE NOT EXISTS (SELECT 1 FROM ${source} s WHERE ${matches('l')}) ORDER BY 1 LIMIT ${MAX_PAGE_CANDIDATES}`)
  )
    .getRowsJS()
    .map((row) => Number(row[0]));
  if (strangers.length === 0) return found;
  const stranger = new Set(strangers);
  const before = strangers.map((row) => row - 1).filter((row) => row >= 0 && !stranger.has(row));
  if (before.length === 0) return found;
  // The anchors: the version's rows equal to the row before each stranger (at most MAX_ANCHORS when rows repeat).
  const anchorRows = (
    await connection.runAndReadAll(
      `SELECT civic_leak_row, file_row_number FROM (SELECT l.civic_leak_row, s.file_row_number, row_number() OVER (PARTITION BY l.civic_leak_row ORDER BY s.file_row_number) AS k
         FROM leak_typed l JOIN ${source} s ON ${matches('l')} WHERE l.civic_leak_row IN (${before.join(', ')})) WHERE k <= ${MAX_ANCHORS}`,
    )
  ).getRowsJS();
  const anchorsOf = new Map<number, number[]>();
  for (const [leakRow, fileRow] of anchorRows) anchorsOf.set(Number(leakRow) + 1, [...(anchorsOf.get(Number(leakRow) + 1) ?? []), Number(fileRow)]);
  const columnNames = shared.map((column) => column.name);
  const trials: Array<{ leakRow: number; anchor: number; holder: string; sources: number[] }> = [];
  for (const [leakRow, anchors] of anchorsOf) {
    if (trials.length >= MAX_PAGE_TRIALS) break;
    for (const anchor of anchors) {
      for (const holder of candidates) {
        for (const sources of pageCanarySources({ key: version.key, holder, versionId: version.versionId, versionRows }, anchor, columnNames)) trials.push({ leakRow, anchor, holder, sources });
      }
    }
  }
  // Every value compared as DuckDB's text of the typed value, on both sides.
  const text = (expression: string) => `CAST(${expression} AS VARCHAR)`;
  const leakedValues = new Map<number, Array<string | null>>();
  for (const row of (await connection.runAndReadAll(`SELECT civic_leak_row, ${names.map((name) => text(name)).join(', ')} FROM leak_typed WHERE civic_leak_row IN (${[...anchorsOf.keys()].join(', ')})`)).getRowsJS()) {
    leakedValues.set(Number(row[0]), row.slice(1).map((value) => (value === null ? null : String(value))));
  }
  const needed = [...new Set(trials.flatMap((trial) => [trial.anchor, ...trial.sources]))];
  const versionValues = new Map<number, Array<string | null>>();
  for (let start = 0; start < needed.length; start += 10_000) {
    const chunk = needed.slice(start, start + 10_000);
    const rows = (await connection.runAndReadAll(`SELECT file_row_number, ${names.map((name, index) => text(compare[index]!.version(`s.${name}`))).join(', ')} FROM ${source} s WHERE file_row_number IN (${chunk.join(', ')})`)).getRowsJS();
    for (const row of rows) versionValues.set(Number(row[0]), row.slice(1).map((value) => (value === null ? null : String(value))));
  }
  const tried = new Map<string, number>();
  const hits = new Map<string, { holder: string; leakRow: number; drawn: number[] }>();
  for (const trial of trials) {
    const leaked = leakedValues.get(trial.leakRow);
    const anchor = versionValues.get(trial.anchor);
    if (!leaked || !anchor) continue;
    const id = `${trial.holder}\u0000${trial.leakRow}`;
    tried.set(id, (tried.get(id) ?? 0) + 1);
    // Every column is the anchor's or the draw's, some column differs from the anchor; the columns equal to the draw are the evidence.
    const drawn: number[] = [];
    let fits = true;
    let differs = false;
    leaked.forEach((value, index) => {
      const fromDraw = value === versionValues.get(trial.sources[index]!)?.[index];
      if (fromDraw) drawn.push(index);
      if (value !== anchor[index]) {
        differs = true;
        if (!fromDraw) fits = false;
      }
    });
    if (fits && differs && drawn.length > (hits.get(id)?.drawn.length ?? 0)) hits.set(id, { holder: trial.holder, leakRow: trial.leakRow, drawn });
  }
  // How likely the drawn values were to come up by chance: the share of the version's rows holding each (one count per column).
  const share = new Map<string, number>();
  for (let index = 0; index < names.length; index += 1) {
    const values: Array<string | null> = [...new Set([...hits.values()].filter((hit) => hit.drawn.includes(index)).map((hit) => leakedValues.get(hit.leakRow)![index] ?? null))];
    if (values.length === 0) continue;
    const value = text(compare[index]!.version(`s.${names[index]}`));
    const known = values.filter((item): item is string => item !== null);
    const counts = (
      await connection.runAndReadAll(
        `SELECT ${value} AS v, count(*) FROM ${source} s WHERE ${[...(known.length > 0 ? [`${value} IN (${known.map((item) => literal(item)).join(', ')})`] : []), ...(values.includes(null) ? [`${value} IS NULL`] : [])].join(' OR ')} GROUP BY 1`,
      )
    ).getRowsJS();
    for (const [item, count] of counts) share.set(shareKey(index, item === null ? null : String(item)), Number(count) / versionRows);
  }
  const explained = new Map<number, string[]>();
  for (const [id, hit] of hits) {
    let chance = tried.get(id) ?? 1;
    for (const index of hit.drawn) chance *= share.get(shareKey(index, leakedValues.get(hit.leakRow)![index] ?? null)) ?? 1;
    if (chance <= PAGE_CANARY_CHANCE) explained.set(hit.leakRow, [...(explained.get(hit.leakRow) ?? []), hit.holder]);
  }
  // A row that more than one licence's draws explain is evidence for none of them.
  for (const holders of explained.values()) if (holders.length === 1) found.set(holders[0]!, (found.get(holders[0]!) ?? 0) + 1);
  return found;
}

/**
 * Which licences a leaked file (Parquet, CSV or JSON) came from: for each candidate licence of
 * the version, its whole-file canaries are recomputed from the version's file and looked for in
 * the leak, and rows that are no row of the version are checked as page canaries; the file's
 * metadata is read too. Candidates with any evidence come back, strongest first.
 */
export async function traceLeak(leaked: string, format: LeakFormat, version: Omit<FingerprintInput, 'licenseId'>, candidates: readonly string[]): Promise<LeakEvidence[]> {
  return withDuck(async (connection) => {
    const named = await loadLeak(connection, leaked, format);
    const leakedColumns = (await connection.runAndReadAll('DESCRIBE SELECT * FROM leak')).getRowObjectsJS().map((row) => String(row.column_name));
    // Compared by the types the version's file really has (the recorded schema says the same, unless it was written by hand).
    const types = new Map((await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(version.source)})`)).getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]));
    const shared = version.schema.filter((column) => leakedColumns.includes(column.name)).map((column) => ({ name: column.name, type: types.get(column.name) ?? column.type }));
    const compare = shared.map((column) => comparison(column, format));
    const pages = await pageCanaries(connection, version, shared, format, candidates);
    const evidence: LeakEvidence[] = [];
    for (const licenseId of candidates) {
      const canaries = await canarySql(connection, { ...version, licenseId, schema: shared });
      let found = 0;
      if (canaries && shared.length > 0) {
        const conditions = shared.map((column, index) => `${compare[index]!.leaked(`l.${quoteIdentifier(column.name)}`)} IS NOT DISTINCT FROM ${compare[index]!.version(`c.${quoteIdentifier(column.name)}`)}`);
        const sql = `SELECT count(DISTINCT c.n) FROM (SELECT *, row_number() OVER () AS n FROM (${canaries.sql})) c, leak l WHERE ${conditions.join(' AND ')}`;
        found = Number((await connection.runAndReadAll(sql)).getRowsJS()[0]![0]);
      }
      const inPages = pages.get(licenseId) ?? 0;
      if (found > 0 || inPages > 0 || named === licenseId) {
        // Of how many: the licence's whole-file canaries when the file is (part of) a whole-file copy, plus the page canaries found.
        const total = (found > 0 || inPages === 0 ? (canaries?.count ?? 0) : 0) + inPages;
        evidence.push({ licenseId, canariesFound: found + inPages, canaries: total, ...(inPages > 0 ? { pageCanaries: inPages } : {}), namedInMetadata: named === licenseId });
      }
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
  format: LeakFormat,
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
