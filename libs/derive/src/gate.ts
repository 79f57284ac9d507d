import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { DuckSession, identifier, literal, profileParquet, type ColumnProfile, type ColumnSchema } from '@civic/ingest';
import { withinLimits, type OutputEngine, type Queries, type UseLimits } from './engine.js';
import { DeriveError } from './errors.js';

/**
 * The privacy gate's measurement over a materialized output, in DuckDB. The rules themselves
 * (which columns are quasi-identifiers or counts, which k) are decided elsewhere; this is their
 * plain input.
 */
export interface GatePlan {
  quasiIdentifiers: string[];
  countColumns: string[];
  /** Minimum group size (a positive integer). */
  k: number;
  /**
   * `small_cells`: a row violates when any count column is between 1 and k-1.
   * `k_anonymity`: a row violates when its combination of quasi-identifier values (NULL counting
   * as a value) occurs fewer than k times. `none`: nothing violates.
   */
  rule: 'small_cells' | 'k_anonymity' | 'none';
}

export interface GateMeasurement {
  rowCount: number;
  violatingRows: number;
  /** small_cells: the violating rows; k_anonymity: the quasi-identifier combinations occurring fewer than k times. */
  violatingGroups: number;
}

export interface GateOptions {
  /** DuckDB memory limit (default 1GB; with `engine`, the engine's). Reaching it fails the call with `derive.out_of_memory`. */
  memoryLimit?: string;
  /** DuckDB threads (default 2; with `engine`, the engine's). */
  threads?: number;
  /** Time limit of the call in milliseconds (default none; with `engine`, the engine's): `derive.timeout`. */
  timeoutMs?: number;
  /** DuckDB's spill directory for large outputs. */
  tempDirectory?: string;
  /** Run on a connection of this long-lived engine (an instance to itself) instead of a DuckDB instance of its own. */
  engine?: OutputEngine;
}

export interface OutputProfile {
  rowCount: number;
  schema: ColumnSchema[];
  profile: ColumnProfile[];
}

const GROUP_SIZE = '__civic_gate_group_size';
/** @civic/ingest profiles tables up to this many rows exactly (8 sample ranges of 16,384 rows); the same here. */
const EXACT_PROFILE_ROWS = 8 * 16_384;
const TOP_VALUES = 5;

/**
 * Runs `use` on a connection of the engine, or of a DuckDB instance opened for it, within the
 * memory and time limits (`derive.out_of_memory`, `derive.timeout`); `limits` are for any further
 * instance `use` opens.
 */
async function withQueries<T>(options: GateOptions, use: (queries: Queries, limits: UseLimits) => Promise<T>): Promise<T> {
  if (options.engine) return options.engine.use((queries, _connection, limits) => use(queries, limits));
  const memoryLimit = options.memoryLimit ?? '1GB';
  const threads = options.threads ?? 2;
  return withinLimits({ memoryLimit, threads, timeoutMs: options.timeoutMs }, async (signal) => {
    const session = await DuckSession.open({ memoryLimit, threads, tempDirectory: options.tempDirectory, signal });
    try {
      return await use(session, { memoryLimit, threads, signal });
    } finally {
      session.close();
    }
  });
}

/** Columns and row count of a Parquet file, from its metadata. */
async function describeFile(queries: Queries, parquetPath: string): Promise<{ schema: ColumnSchema[]; rowCount: number }> {
  const columns = await queries.rows(`DESCRIBE SELECT * FROM read_parquet(${literal(parquetPath)})`);
  const [meta] = await queries.rows(`SELECT num_rows FROM parquet_file_metadata(${literal(parquetPath)})`);
  return { schema: columns.map((column) => ({ name: String(column.column_name), type: String(column.column_type) })), rowCount: Number(meta?.num_rows ?? 0) };
}

/** Checks the plan against the output's columns. */
function checkPlan(schema: readonly ColumnSchema[], plan: GatePlan): void {
  if (!['small_cells', 'k_anonymity', 'none'].includes(plan.rule)) throw new DeriveError('derive.invalid_input', `Unknown gate rule "${String(plan.rule)}".`);
  if (!Number.isInteger(plan.k) || plan.k < 1) throw new DeriveError('derive.invalid_input', `k must be a positive integer, not ${String(plan.k)}.`);
  const names = new Set(schema.map((column) => column.name));
  const wanted = plan.rule === 'small_cells' ? plan.countColumns : plan.rule === 'k_anonymity' ? plan.quasiIdentifiers : [];
  for (const name of wanted) if (!names.has(name)) throw new DeriveError('derive.invalid_input', `The output has no column "${name}".`, { name });
}

/** A boolean SQL expression over one row: true when the row violates a small-cells plan. */
function smallCellCondition(plan: GatePlan): string {
  if (plan.countColumns.length === 0 || plan.k <= 1) return 'false';
  return plan.countColumns.map((name) => `coalesce(${identifier(name)} BETWEEN 1 AND ${plan.k - 1}, false)`).join(' OR ');
}

function partition(plan: GatePlan): string {
  return plan.quasiIdentifiers.length ? `PARTITION BY ${plan.quasiIdentifiers.map(identifier).join(', ')}` : '';
}

async function measure(queries: Queries, parquetPath: string, plan: GatePlan): Promise<GateMeasurement> {
  const table = `read_parquet(${literal(parquetPath)})`;
  if (plan.rule === 'small_cells') {
    const [row] = await queries.rows(`SELECT count(*) AS total, count(*) FILTER (WHERE ${smallCellCondition(plan)}) AS violating FROM ${table}`);
    return { rowCount: Number(row!.total), violatingRows: Number(row!.violating), violatingGroups: Number(row!.violating) };
  }
  if (plan.rule === 'k_anonymity') {
    // GROUP BY puts NULLs together: NULL is a value of a quasi-identifier like any other. Without
    // quasi-identifiers all rows are one group (none when there are no rows: hence HAVING).
    const groupBy = plan.quasiIdentifiers.length ? `GROUP BY ${plan.quasiIdentifiers.map(identifier).join(', ')}` : '';
    const [row] = await queries.rows(`
      SELECT coalesce(sum(n), 0) AS total,
             coalesce(sum(n) FILTER (WHERE n < ${plan.k}), 0) AS violating_rows,
             count(*) FILTER (WHERE n < ${plan.k}) AS violating_groups
      FROM (SELECT count(*) AS n FROM ${table} ${groupBy} HAVING count(*) > 0)`);
    return { rowCount: Number(row!.total), violatingRows: Number(row!.violating_rows), violatingGroups: Number(row!.violating_groups) };
  }
  const [row] = await queries.rows(`SELECT count(*) AS total FROM ${table}`);
  return { rowCount: Number(row!.total), violatingRows: 0, violatingGroups: 0 };
}

async function suppressInto(queries: Queries, inputParquet: string, outputParquet: string, plan: GatePlan, schema: readonly ColumnSchema[]): Promise<number> {
  const partial = `${outputParquet}.${randomUUID()}.partial`;
  try {
    const source = literal(inputParquet);
    const ordered = !schema.some((column) => column.name.toLowerCase() === 'file_row_number');
    const scan = ordered ? `read_parquet(${source}, file_row_number = true)` : `read_parquet(${source})`;
    const keep = schema.map((column) => identifier(column.name)).join(', ');
    const order = ordered ? 'ORDER BY file_row_number' : '';
    let query: string;
    if (plan.rule === 'small_cells') query = `SELECT ${keep} FROM ${scan} WHERE NOT (${smallCellCondition(plan)}) ${order}`;
    else if (plan.rule === 'k_anonymity') {
      query = `SELECT ${keep} FROM (SELECT *, count(*) OVER (${partition(plan)}) AS ${GROUP_SIZE} FROM ${scan}) WHERE ${GROUP_SIZE} >= ${plan.k} ${order}`;
    } else query = `SELECT ${keep} FROM ${scan} ${order}`;
    const written = await queries.run(`COPY (${query}) TO ${literal(partial)} (FORMAT parquet, COMPRESSION zstd)`);
    await rename(partial, outputParquet);
    return written;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

function isNested(type: string): boolean {
  return /[[(]/.test(type) && !/^(DECIMAL|ENUM)\(/.test(type);
}

/**
 * The exact per-column profile of a small output in one statement: each column is grouped once
 * (a materialized CTE), and its null count, distinct count, min, max (row 0) and top values
 * (rows 1..5) come from the groups — the figures @civic/ingest's profiler computes column by
 * column, with one query each, for tables of this size.
 */
async function exactProfile(queries: Queries, parquetPath: string, schema: readonly ColumnSchema[], rowCount: number): Promise<ColumnProfile[]> {
  const source = `read_parquet(${literal(parquetPath)})`;
  const groups = schema.map((column, index) => `g${index} AS MATERIALIZED (SELECT ${identifier(column.name)} AS v, count(*) AS c FROM ${source} GROUP BY ALL)`);
  const parts = schema.map(
    (_, index) => `SELECT ${index} AS col, 0 AS rank, NULL::VARCHAR AS value, NULL::BIGINT AS c, count(v) AS distinct_values,
           coalesce(sum(c) FILTER (WHERE v IS NULL), 0) AS nulls, CAST(min(v) AS VARCHAR) AS min_value, CAST(max(v) AS VARCHAR) AS max_value
      FROM g${index}
    UNION ALL
    SELECT ${index}, rank, value, c, NULL, NULL, NULL, NULL
      FROM (SELECT row_number() OVER (ORDER BY c DESC, v ASC NULLS FIRST) AS rank, CAST(v AS VARCHAR) AS value, c FROM g${index})
     WHERE rank <= ${TOP_VALUES}`,
  );
  const rows = await queries.rows(`WITH ${groups.join(',\n')}\n${parts.join('\nUNION ALL\n')}\nORDER BY col, rank`);
  return schema.map((column, index) => {
    const own = rows.filter((row) => Number(row.col) === index);
    const stats = own.find((row) => Number(row.rank) === 0) ?? {};
    return {
      name: column.name,
      type: column.type,
      nullShare: Number(stats.nulls ?? 0) / rowCount,
      approxDistinct: Number(stats.distinct_values ?? 0),
      min: (stats.min_value as string | null | undefined) ?? null,
      max: (stats.max_value as string | null | undefined) ?? null,
      topValues: own.filter((row) => Number(row.rank) > 0).map((row) => ({ value: (row.value as string | null) ?? null, count: Number(row.c) })),
    };
  });
}

async function profileWith(queries: Queries, parquetPath: string, schema: ColumnSchema[], rowCount: number, options: GateOptions, limits: UseLimits): Promise<ColumnProfile[]> {
  if (rowCount === 0) return schema.map((column) => ({ name: column.name, type: column.type, nullShare: 0, approxDistinct: 0, min: null, max: null, topValues: [] }));
  if (rowCount <= EXACT_PROFILE_ROWS && !schema.some((column) => isNested(column.type))) return exactProfile(queries, parquetPath, schema, rowCount);
  // Large (or nested) outputs: @civic/ingest's profiler, sampling as it does for datasets.
  const session = await DuckSession.open({ memoryLimit: limits.memoryLimit, threads: limits.threads, tempDirectory: options.tempDirectory, signal: limits.signal });
  try {
    return await profileParquet({ session, parquetPath, schema, rowCount });
  } finally {
    session.close();
  }
}

/** Counts the rows (and groups) of a Parquet output that the plan's rule would suppress. */
export async function measureGate(parquetPath: string, plan: GatePlan, options: GateOptions = {}): Promise<GateMeasurement> {
  return withQueries(options, async (queries) => {
    checkPlan((await describeFile(queries, parquetPath)).schema, plan);
    return measure(queries, parquetPath, plan);
  });
}

/**
 * Writes `inputParquet` to `outputParquet` without the rows the plan's rule flags, keeping the
 * column order and types and the row order, and returns the number of rows written. Idempotent:
 * suppressing the result again removes nothing (every remaining group has at least k rows, and
 * no remaining count is between 1 and k-1).
 */
export async function suppress(inputParquet: string, outputParquet: string, plan: GatePlan, options: GateOptions = {}): Promise<number> {
  return withQueries(options, async (queries) => {
    const { schema } = await describeFile(queries, inputParquet);
    checkPlan(schema, plan);
    return suppressInto(queries, inputParquet, outputParquet, plan, schema);
  });
}

/** The same per-column profile @civic/ingest records for datasets, of a derived Parquet output. */
export async function profileOutput(parquetPath: string, options: GateOptions = {}): Promise<OutputProfile> {
  return withQueries(options, async (queries, limits) => {
    const { schema, rowCount } = await describeFile(queries, parquetPath);
    return { rowCount, schema, profile: await profileWith(queries, parquetPath, schema, rowCount, options, limits) };
  });
}

/** What to do with an output once measured: publish it whole, without the violating rows, or not at all. */
export type GateDecision = 'pass' | 'suppress' | 'fail';

export interface GateOutputOptions extends GateOptions {
  /** Decides from the measurement (the rules live with the caller). */
  decide: (measurement: GateMeasurement) => GateDecision;
  /** Where the output without the violating rows is written, when the decision is to suppress. */
  suppressedPath: string;
  /** The output's columns and row count when known (e.g. from materializing it): its metadata is then not read again. */
  known?: { schema: ColumnSchema[]; rowCount: number };
}

export interface GateOutput {
  measurement: GateMeasurement;
  decision: GateDecision;
  /** The file to publish (the output itself, or `suppressedPath`); null when the decision is to fail. */
  publishedPath: string | null;
  /** The profile of what is published; null when the decision is to fail. */
  published: OutputProfile | null;
}

/**
 * The gate and the profile in one pass over one connection: measures the plan over the output,
 * asks for the decision, writes the output without the violating rows when it is to suppress,
 * and profiles what is to be published — the same figures as measureGate, suppress and
 * profileOutput one after the other, without a DuckDB instance or a metadata read each.
 */
export async function gateOutput(parquetPath: string, plan: GatePlan, options: GateOutputOptions): Promise<GateOutput> {
  return withQueries(options, async (queries, limits) => {
    const { schema, rowCount } = options.known ?? (await describeFile(queries, parquetPath));
    checkPlan(schema, plan);
    const measurement = await measure(queries, parquetPath, plan);
    const decision = options.decide(measurement);
    if (decision === 'fail') return { measurement, decision, publishedPath: null, published: null };
    let publishedPath = parquetPath;
    let rows = rowCount;
    if (decision === 'suppress') {
      rows = await suppressInto(queries, parquetPath, options.suppressedPath, plan, schema);
      publishedPath = options.suppressedPath;
    }
    const profile = await profileWith(queries, publishedPath, [...schema], rows, options, limits);
    return { measurement, decision, publishedPath, published: { rowCount: rows, schema: [...schema], profile } };
  });
}
