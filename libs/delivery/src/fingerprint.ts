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
 * row of the version chosen by HMAC(key, licence, version, canary, column index), so the row
 * looks like the data but, as a whole, exists nowhere else (a canary equal to a real row is
 * drawn again). The Parquet file also names the licence in its key-value metadata. Metadata is
 * easy to strip; canaries survive re-encoding (Parquet → CSV), re-ordering of rows and columns,
 * most filtering and dropped columns (while the columns left still tell them from the data).
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

/** Salts tried at most for a canary that is no row of the version (the last one is kept whatever it gives). */
const CANARY_SALTS = 8;

/**
 * Creates the temporary table `table` of the canary rows of each of `licences` in a version:
 * `civic_holder`, `civic_canary` (its number), `civic_position` (where it goes in the copy: after
 * that file row) and the schema's columns. Each value is copied from the version row
 * HMAC(key, licence, version, canary, column index in the schema, salt) names; a canary equal to
 * a row of the version on every column is drawn again with the next salt. Draws are keyed by the
 * column's index in the version's whole schema: tracing recomputes them from the whole schema,
 * whatever columns a leak kept. All licences are drawn together: the drawn rows are read in one
 * pass and every candidate is checked against the version in one join per salt. Returns the
 * canaries of each licence (0: the version is too small to carry any).
 */
async function canaryTable(connection: DuckDBConnection, input: Omit<FingerprintInput, 'licenseId'>, licences: readonly string[], table: string): Promise<number> {
  const source = `read_parquet(${literal(input.source)}, file_row_number = true)`;
  const names = input.schema.map((column) => quoteIdentifier(column.name));
  await connection.run(`CREATE TEMPORARY TABLE ${table} AS SELECT NULL::VARCHAR AS civic_holder, NULL::INTEGER AS civic_canary, NULL::BIGINT AS civic_position, ${names.join(', ')} FROM ${source} LIMIT 0`);
  const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRowsJS()[0]![0]);
  if (rows < 2 || names.length === 0 || licences.length === 0) return 0;
  const count = canaryCount(rows);
  let pending = licences.flatMap((holder) => Array.from({ length: count }, (_, canary) => ({ holder, canary })));
  for (let salt = 0; salt < CANARY_SALTS && pending.length > 0; salt += 1) {
    const tries = pending.map(({ holder, canary }) => ({ holder, canary, sources: names.map((_, index) => draw(input.key, [holder, input.versionId, canary, index, salt], rows)) }));
    // The drawn rows, read once; each try is then its columns joined from them (row numbers are integers computed here).
    await connection.run(`CREATE OR REPLACE TEMPORARY TABLE civic_drawn AS SELECT file_row_number, ${names.join(', ')} FROM ${source} WHERE file_row_number IN (${[...new Set(tries.flatMap((item) => item.sources))].join(', ')})`);
    const values = tries.map((item, at) => `(${at}, ${item.sources.join(', ')})`).join(', ');
    await connection.run(
      `CREATE OR REPLACE TEMPORARY TABLE civic_try AS SELECT t.civic_try, ${names.map((name, index) => `d${index}.${name}`).join(', ')}
         FROM (VALUES ${values}) t(civic_try, ${names.map((_, index) => `civic_r${index}`).join(', ')})
         ${names.map((_, index) => `JOIN civic_drawn d${index} ON d${index}.file_row_number = t.civic_r${index}`).join(' ')}`,
    );
    const real = new Set(
      (await connection.runAndReadAll(`SELECT t.civic_try FROM civic_try t WHERE EXISTS (SELECT 1 FROM ${source} s WHERE ${names.map((name) => `s.${name} IS NOT DISTINCT FROM t.${name}`).join(' AND ')})`))
        .getRowsJS()
        .map((row) => Number(row[0])),
    );
    // Kept: the tries that are no row of the version (the last salt's whatever it gives); the others are drawn again.
    const kept = tries.map((item, at) => ({ ...item, at })).filter((item) => !real.has(item.at) || salt === CANARY_SALTS - 1);
    if (kept.length > 0) {
      const placed = kept.map((item) => `(${item.at}, ${literal(item.holder)}, ${item.canary}, ${draw(input.key, [item.holder, input.versionId, item.canary, 'position', salt], rows)})`).join(', ');
      await connection.run(
        `INSERT INTO ${table} SELECT p.civic_holder, p.civic_canary, p.civic_position, ${names.map((name) => `t.${name}`).join(', ')}
           FROM (VALUES ${placed}) p(civic_try, civic_holder, civic_canary, civic_position) JOIN civic_try t USING (civic_try)`,
      );
    }
    pending = tries.filter((_, at) => real.has(at)).map(({ holder, canary }) => ({ holder, canary }));
  }
  return count;
}

/**
 * Writes the licence's copy of a version: the rows in file order with the licence's canaries
 * placed among them, as Parquet (with `civic_*` key-value metadata) or CSV with a header.
 */
export async function writeFingerprintedFile(input: FingerprintInput, output: string, format: 'parquet' | 'csv', metadata: Record<string, string>): Promise<{ rows: number; canaries: number }> {
  return withDuck(async (connection) => {
    const canaries = await canaryTable(connection, input, [input.licenseId], 'civic_canary_row');
    const columns = input.schema.map((column) => quoteIdentifier(column.name)).join(', ');
    const source = `read_parquet(${literal(input.source)}, file_row_number = true)`;
    // Each canary goes just after the file row its position names.
    const body =
      canaries > 0
        ? `SELECT ${columns} FROM (
             SELECT ${columns}, file_row_number::DOUBLE AS civic_at FROM ${source}
             UNION ALL
             SELECT ${columns}, civic_position::DOUBLE + 0.5 FROM civic_canary_row
           ) ORDER BY civic_at`
        : `SELECT ${columns} FROM ${source} ORDER BY file_row_number`;
    const options =
      format === 'csv'
        ? '(FORMAT csv, HEADER true)'
        : `(FORMAT parquet, COMPRESSION zstd${Object.keys(metadata).length > 0 ? `, KV_METADATA {${Object.entries(metadata).map(([name, value]) => `${quoteIdentifier(name)}: ${literal(value)}`).join(', ')}}` : ''})`;
    // COPY answers the rows it wrote (no second read of the file).
    const rows = Number((await connection.runAndReadAll(`COPY (${body}) TO ${literal(output)} ${options}`)).getRowsJS()[0]![0]);
    return { rows, canaries };
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
  /** Where the file names this licence: its Parquet key-value metadata or a data API page's `licenseId` field; null when it does not. */
  namedIn: LeakNamedIn | null;
  /**
   * Canary rows of this licence found in the file that are no proof: the version's rows are so
   * few or so alike that rows like them arise by chance with at least EVIDENCE_CHANCE (`chance`).
   * Present only when no canary counts as proof (`canariesFound` is 0).
   */
  possible?: { canaries: number; chance: number };
}

/** Canaries found per licence: those that prove the copy, and those too likely to be chance. */
interface CanaryFinds {
  found: Map<string, number>;
  possible: Map<string, { canaries: number; chance: number }>;
}

export type LeakNamedIn = 'parquet_metadata' | 'page_license_id';

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
 * Evidence names a licence only when it had less than this chance of arising otherwise — from
 * the version's own rows, or from another licence's canaries, each value of which is a value of
 * the version drawn column by column. One bound, and one way of reckoning it
 * (`coincidenceChance`), for page canaries and whole-file canaries alike.
 */
const EVIDENCE_CHANCE = 1e-3;

/**
 * The chance that, in `trials` tries, values drawn column by column from the version's rows (as
 * another licence's canary is drawn) come out equal to the evidence at least once: at most the
 * trials times the product of the shares of the version's rows holding each value.
 */
function coincidenceChance(trials: number, shares: readonly number[]): number {
  return Math.min(1, shares.reduce((product, share) => product * share, trials));
}

/**
 * The chance that a licence with `count` canaries shows found canaries as unlikely as these
 * (`chances`, each from `coincidenceChance`) when its copy was not the source: all of them at
 * once (their product), over each non-empty subset of its canaries that could have been found.
 */
function combinedChance(count: number, chances: readonly number[]): number {
  if (chances.length === 0) return 1;
  return Math.min(1, chances.reduce((product, chance) => product * chance, 2 ** count - 1));
}

/** Rows of a leak looked at as page canaries at most (rows that are not the version's). */
const MAX_PAGE_CANDIDATES = 5_000;
/** Rows of the version tried as a canary's anchor at most, when the row before it repeats in the version. */
const MAX_ANCHORS = 32;
/** (row, anchor, licence, attempt) combinations checked at most in one version (a leak of many pages is traced by its first ones). */
const MAX_PAGE_TRIALS = 200_000;

/**
 * A leak loaded for tracing against one version: the temporary tables `leak_typed` (the leak's
 * rows, `civic_leak_row`, on the columns it shares with the version, typed like the version's)
 * and `leak_stranger` (those of its rows that are no row of the version on the shared columns).
 */
interface LoadedLeak {
  /** The version's file, with `file_row_number`. */
  source: string;
  versionRows: number;
  /** The version's columns the leak holds (by name, in the version's order). */
  shared: QueryColumn[];
  /** Their quoted names. */
  names: string[];
  compare: Array<ReturnType<typeof comparison>>;
  /** Rows of the leak that are no row of the version. */
  strangers: number;
  /** SQL: the leak row `alias` equals the version row `s` on the shared columns. */
  matches(alias: string): string;
  /** SQL: the version's value (of the row or canary `alias`) of shared column `index`, as the text values are compared by. */
  versionText(index: number, alias: string): string;
}

/**
 * The share of the version's rows holding each of the `wanted` values of each shared column (as
 * `versionText`), keyed by `shareKey`.
 */
async function valueShares(connection: DuckDBConnection, leak: LoadedLeak, wanted: ReadonlyMap<number, ReadonlySet<string | null>>): Promise<Map<string, number>> {
  const share = new Map<string, number>();
  for (const [index, set] of wanted) {
    const values = [...set];
    if (values.length === 0) continue;
    const value = leak.versionText(index, 's');
    const known = values.filter((item): item is string => item !== null);
    const conditions = [...(known.length > 0 ? [`${value} IN (${known.map((item) => literal(item)).join(', ')})`] : []), ...(values.includes(null) ? [`${value} IS NULL`] : [])];
    const counts = (await connection.runAndReadAll(`SELECT ${value} AS v, count(*) FROM ${leak.source} s WHERE ${conditions.join(' OR ')} GROUP BY 1`)).getRowsJS();
    for (const [item, count] of counts) share.set(shareKey(index, item === null ? null : String(item)), Number(count) / leak.versionRows);
  }
  return share;
}

/**
 * Page canaries of `candidates` in the leak: each row of the leak that is no row of the version
 * is checked against the row just before it (its anchor, when the page's order was kept): it is
 * a licence's canary when every column is either the anchor's or the licence's draw for that
 * anchor, some column differs from the anchor, the values equal to the draws are rarer together
 * than EVIDENCE_CHANCE (times the anchors and attempts tried), and no other licence's draws
 * explain the row as well. Draws are keyed by column name, so a page leaked with fields dropped
 * or re-ordered is traced on the fields it kept.
 */
async function pageCanaries(connection: DuckDBConnection, version: Omit<FingerprintInput, 'licenseId'>, leak: LoadedLeak, candidates: readonly string[]): Promise<CanaryFinds> {
  const found = new Map<string, number>();
  const possible = new Map<string, { canaries: number; chance: number }>();
  const { source, versionRows, names } = leak;
  const strangers = (await connection.runAndReadAll(`SELECT civic_leak_row FROM leak_stranger ORDER BY 1 LIMIT ${MAX_PAGE_CANDIDATES}`)).getRowsJS().map((row) => Number(row[0]));
  if (strangers.length === 0) return { found, possible };
  const stranger = new Set(strangers);
  const before = strangers.map((row) => row - 1).filter((row) => row >= 0 && !stranger.has(row));
  if (before.length === 0) return { found, possible };
  // The anchors: the version's rows equal to the row before each stranger (at most MAX_ANCHORS when rows repeat).
  const anchorRows = (
    await connection.runAndReadAll(
      `SELECT civic_leak_row, file_row_number FROM (SELECT l.civic_leak_row, s.file_row_number, row_number() OVER (PARTITION BY l.civic_leak_row ORDER BY s.file_row_number) AS k
         FROM leak_typed l JOIN ${source} s ON ${leak.matches('l')} WHERE l.civic_leak_row IN (${before.join(', ')})) WHERE k <= ${MAX_ANCHORS}`,
    )
  ).getRowsJS();
  const anchorsOf = new Map<number, number[]>();
  for (const [leakRow, fileRow] of anchorRows) anchorsOf.set(Number(leakRow) + 1, [...(anchorsOf.get(Number(leakRow) + 1) ?? []), Number(fileRow)]);
  const columnNames = leak.shared.map((column) => column.name);
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
  const leakedValues = new Map<number, Array<string | null>>();
  for (const row of (await connection.runAndReadAll(`SELECT civic_leak_row, ${names.map((name) => `CAST(${name} AS VARCHAR)`).join(', ')} FROM leak_typed WHERE civic_leak_row IN (${[...anchorsOf.keys()].join(', ')})`)).getRowsJS()) {
    leakedValues.set(Number(row[0]), row.slice(1).map((value) => (value === null ? null : String(value))));
  }
  const needed = [...new Set(trials.flatMap((trial) => [trial.anchor, ...trial.sources]))];
  const versionValues = new Map<number, Array<string | null>>();
  for (let start = 0; start < needed.length; start += 10_000) {
    const chunk = needed.slice(start, start + 10_000);
    const rows = (await connection.runAndReadAll(`SELECT file_row_number, ${names.map((_, index) => leak.versionText(index, 's')).join(', ')} FROM ${source} s WHERE file_row_number IN (${chunk.join(', ')})`)).getRowsJS();
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
  const wanted = new Map<number, Set<string | null>>();
  for (const hit of hits.values()) for (const index of hit.drawn) wanted.set(index, (wanted.get(index) ?? new Set()).add(leakedValues.get(hit.leakRow)![index] ?? null));
  const share = await valueShares(connection, leak, wanted);
  const explained = new Map<number, Array<{ holder: string; chance: number }>>();
  for (const [id, hit] of hits) {
    const chance = coincidenceChance(tried.get(id) ?? 1, hit.drawn.map((index) => share.get(shareKey(index, leakedValues.get(hit.leakRow)![index] ?? null)) ?? 1));
    explained.set(hit.leakRow, [...(explained.get(hit.leakRow) ?? []), { holder: hit.holder, chance }]);
  }
  // A row that more than one licence's draws explain is evidence for none of them; one too likely by chance is only a lead.
  for (const holders of explained.values()) {
    const proving = holders.filter((item) => item.chance < EVIDENCE_CHANCE);
    if (proving.length === 1) found.set(proving[0]!.holder, (found.get(proving[0]!.holder) ?? 0) + 1);
    else if (proving.length === 0 && holders.length === 1) {
      const { holder, chance } = holders[0]!;
      const before = possible.get(holder);
      possible.set(holder, { canaries: (before?.canaries ?? 0) + 1, chance: Math.min(before?.chance ?? 1, chance) });
    }
  }
  return { found, possible };
}

/**
 * Whole-file canaries of `candidates` in the leak, by licence. Each licence's canaries are
 * recomputed from the version's whole schema (as its copy was written) and compared on the
 * columns the leak kept, by name: a leak that dropped, re-ordered or re-encoded columns still
 * matches. A canary is found when a row of the leak that is no row of the version equals it on
 * those columns and no other licence's canary does too. A licence's found canaries count only
 * when, together, they would come from another licence's canaries less than EVIDENCE_CHANCE
 * (each: the leak's rows that are no row of the version times the product of the shares of the
 * version's rows holding each of its values), so a leak of too few or too common columns names
 * nobody.
 */
async function fileCanaries(connection: DuckDBConnection, version: Omit<FingerprintInput, 'licenseId'>, leak: LoadedLeak, candidates: readonly string[]): Promise<CanaryFinds> {
  const found = new Map<string, number>();
  const possible = new Map<string, { canaries: number; chance: number }>();
  const count = await canaryTable(connection, version, candidates, 'file_canary');
  if (count === 0) return { found, possible };
  const on = leak.names.map((name, index) => `l.${name} IS NOT DISTINCT FROM ${leak.compare[index]!.version(`c.${name}`)}`).join(' AND ');
  const hits = (await connection.runAndReadAll(`SELECT c.civic_holder, c.civic_canary, l.civic_leak_row FROM leak_stranger t JOIN leak_typed l USING (civic_leak_row) JOIN file_canary c ON ${on}`)).getRowsJS();
  const byRow = new Map<number, Array<{ holder: string; canary: number }>>();
  for (const [holder, canary, row] of hits) byRow.set(Number(row), [...(byRow.get(Number(row)) ?? []), { holder: String(holder), canary: Number(canary) }]);
  // A row that more than one licence's canaries explain is evidence for none of them.
  const canariesOf = new Map<string, Set<number>>();
  for (const matched of byRow.values()) {
    if (new Set(matched.map((item) => item.holder)).size !== 1) continue;
    for (const { holder, canary } of matched) canariesOf.set(holder, (canariesOf.get(holder) ?? new Set()).add(canary));
  }
  if (canariesOf.size === 0) return { found, possible };
  // Each found canary's values on the shared columns, and how common each is in the version.
  const values = new Map<string, Array<string | null>>();
  const wanted = new Map<number, Set<string | null>>();
  for (const row of (await connection.runAndReadAll(`SELECT civic_holder, civic_canary, ${leak.names.map((_, index) => leak.versionText(index, 'c')).join(', ')} FROM file_canary c`)).getRowsJS()) {
    if (!canariesOf.get(String(row[0]))?.has(Number(row[1]))) continue;
    const texts = row.slice(2).map((value) => (value === null ? null : String(value)));
    values.set(`${String(row[0])}\u0000${Number(row[1])}`, texts);
    texts.forEach((text, index) => wanted.set(index, (wanted.get(index) ?? new Set()).add(text)));
  }
  const share = await valueShares(connection, leak, wanted);
  for (const [holder, canaries] of canariesOf) {
    const chances = [...canaries].map((canary) => coincidenceChance(leak.strangers, values.get(`${holder}\u0000${canary}`)!.map((text, index) => share.get(shareKey(index, text)) ?? 1)));
    const chance = combinedChance(count, chances);
    if (chance < EVIDENCE_CHANCE) found.set(holder, canaries.size);
    else possible.set(holder, { canaries: canaries.size, chance });
  }
  return { found, possible };
}

/**
 * Which licences a leaked file (Parquet, CSV or JSON) came from: for each candidate licence of
 * the version, its whole-file canaries are recomputed from the version's file and looked for in
 * the leak on the columns it kept, and rows that are no row of the version are checked as page
 * canaries; the file's metadata is read too. Candidates with any evidence come back, strongest
 * first.
 */
export async function traceLeak(leaked: string, format: LeakFormat, version: Omit<FingerprintInput, 'licenseId'>, candidates: readonly string[]): Promise<LeakEvidence[]> {
  return withDuck(async (connection) => {
    const named = await loadLeak(connection, leaked, format);
    const leakedColumns = (await connection.runAndReadAll('DESCRIBE SELECT * FROM leak')).getRowObjectsJS().map((row) => String(row.column_name));
    // Compared by the types the version's file really has (the recorded schema says the same, unless it was written by hand).
    const types = new Map((await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(version.source)})`)).getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]));
    const shared = version.schema.filter((column) => leakedColumns.includes(column.name)).map((column) => ({ name: column.name, type: types.get(column.name) ?? column.type }));
    const source = `read_parquet(${literal(version.source)}, file_row_number = true)`;
    const versionRows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRowsJS()[0]![0]);
    const names = shared.map((column) => quoteIdentifier(column.name));
    const compare = shared.map((column) => comparison(column, format));
    const leak: LoadedLeak = {
      source,
      versionRows,
      shared,
      names,
      compare,
      strangers: 0,
      matches: (alias) => names.map((name, index) => `${alias}.${name} IS NOT DISTINCT FROM ${compare[index]!.version(`s.${name}`)}`).join(' AND '),
      versionText: (index, alias) => `CAST(${compare[index]!.version(`${alias}.${names[index]!}`)} AS VARCHAR)`,
    };
    let pages: CanaryFinds = { found: new Map(), possible: new Map() };
    let files: CanaryFinds = { found: new Map(), possible: new Map() };
    if (shared.length > 0 && versionRows >= 2) {
      // The leak's shared columns typed like the version's, by leak row; then which of them are no row of the version.
      await connection.run(`CREATE TEMPORARY TABLE leak_typed AS SELECT rowid AS civic_leak_row, ${names.map((name, index) => `${compare[index]!.leaked(name)} AS ${name}`).join(', ')} FROM leak`);
      await connection.run(`CREATE TEMPORARY TABLE leak_stranger AS SELECT l.civic_leak_row FROM leak_typed l WHERE NOT EXISTS (SELECT 1 FROM ${source} s WHERE ${leak.matches('l')})`);
      leak.strangers = Number((await connection.runAndReadAll('SELECT count(*) FROM leak_stranger')).getRowsJS()[0]![0]);
      // Canaries are rows of no version: a leak of the version's rows alone carries none.
      if (leak.strangers > 0) {
        pages = await pageCanaries(connection, version, leak, candidates);
        files = await fileCanaries(connection, version, leak, candidates);
      }
    }
    // Of how many: the whole-file canaries a copy of this version holds (the same for every licence).
    const count = shared.length > 0 && versionRows >= 2 ? canaryCount(versionRows) : 0;
    const evidence: LeakEvidence[] = [];
    for (const licenseId of candidates) {
      const found = files.found.get(licenseId) ?? 0;
      const inPages = pages.found.get(licenseId) ?? 0;
      const leads = [files.possible.get(licenseId), pages.possible.get(licenseId)].filter((lead) => lead !== undefined);
      const possible = found + inPages === 0 && leads.length > 0 ? { canaries: leads.reduce((sum, lead) => sum + lead.canaries, 0), chance: Math.min(...leads.map((lead) => lead.chance)) } : null;
      if (found > 0 || inPages > 0 || named === licenseId || possible) {
        // Of how many: the licence's whole-file canaries when the file is (part of) a whole-file copy, plus the page canaries found.
        const total = (found > 0 || inPages === 0 ? count : 0) + inPages;
        const namedIn: LeakNamedIn | null = named === licenseId ? (format === 'parquet' ? 'parquet_metadata' : 'page_license_id') : null;
        evidence.push({ licenseId, canariesFound: found + inPages, canaries: total, ...(inPages > 0 ? { pageCanaries: inPages } : {}), namedInMetadata: namedIn !== null, namedIn, ...(possible ? { possible } : {}) });
      }
    }
    return evidence.sort(
      (a, b) => b.canariesFound - a.canariesFound || Number(b.namedInMetadata) - Number(a.namedInMetadata) || (a.possible?.chance ?? 2) - (b.possible?.chance ?? 2),
    );
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
