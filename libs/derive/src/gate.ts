import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { describeParquet, DuckSession, identifier, literal, profileParquet, type ColumnProfile, type ColumnSchema } from '@civic/ingest';
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
  memoryLimit?: string;
  threads?: number;
  /** DuckDB's spill directory for large outputs. */
  tempDirectory?: string;
}

const GROUP_SIZE = '__civic_gate_group_size';

async function open(options: GateOptions): Promise<DuckSession> {
  return DuckSession.open({ memoryLimit: options.memoryLimit ?? '1GB', threads: options.threads ?? 2, tempDirectory: options.tempDirectory });
}

/** Checks the plan against the file's columns; returns them. */
async function checkPlan(session: DuckSession, parquetPath: string, plan: GatePlan): Promise<ColumnSchema[]> {
  if (!['small_cells', 'k_anonymity', 'none'].includes(plan.rule)) throw new DeriveError('derive.invalid_input', `Unknown gate rule "${String(plan.rule)}".`);
  if (!Number.isInteger(plan.k) || plan.k < 1) throw new DeriveError('derive.invalid_input', `k must be a positive integer, not ${String(plan.k)}.`);
  const { schema } = await describeParquet(session, parquetPath);
  const names = new Set(schema.map((column) => column.name));
  const wanted = plan.rule === 'small_cells' ? plan.countColumns : plan.rule === 'k_anonymity' ? plan.quasiIdentifiers : [];
  for (const name of wanted) if (!names.has(name)) throw new DeriveError('derive.invalid_input', `The output has no column "${name}".`, { name });
  return schema;
}

/** A boolean SQL expression over one row: true when the row violates a small-cells plan. */
function smallCellCondition(plan: GatePlan): string {
  if (plan.countColumns.length === 0 || plan.k <= 1) return 'false';
  return plan.countColumns.map((name) => `coalesce(${identifier(name)} BETWEEN 1 AND ${plan.k - 1}, false)`).join(' OR ');
}

function partition(plan: GatePlan): string {
  return plan.quasiIdentifiers.length ? `PARTITION BY ${plan.quasiIdentifiers.map(identifier).join(', ')}` : '';
}

/** Counts the rows (and groups) of a Parquet output that the plan's rule would suppress. */
export async function measureGate(parquetPath: string, plan: GatePlan, options: GateOptions = {}): Promise<GateMeasurement> {
  const session = await open(options);
  try {
    await checkPlan(session, parquetPath, plan);
    const table = `read_parquet(${literal(parquetPath)})`;
    if (plan.rule === 'small_cells') {
      const [row] = await session.rows(`SELECT count(*) AS total, count(*) FILTER (WHERE ${smallCellCondition(plan)}) AS violating FROM ${table}`);
      return { rowCount: Number(row.total), violatingRows: Number(row.violating), violatingGroups: Number(row.violating) };
    }
    if (plan.rule === 'k_anonymity') {
      // GROUP BY puts NULLs together: NULL is a value of a quasi-identifier like any other. Without
      // quasi-identifiers all rows are one group (none when there are no rows: hence HAVING).
      const groupBy = plan.quasiIdentifiers.length ? `GROUP BY ${plan.quasiIdentifiers.map(identifier).join(', ')}` : '';
      const [row] = await session.rows(`
        SELECT coalesce(sum(n), 0) AS total,
               coalesce(sum(n) FILTER (WHERE n < ${plan.k}), 0) AS violating_rows,
               count(*) FILTER (WHERE n < ${plan.k}) AS violating_groups
        FROM (SELECT count(*) AS n FROM ${table} ${groupBy} HAVING count(*) > 0)`);
      return { rowCount: Number(row.total), violatingRows: Number(row.violating_rows), violatingGroups: Number(row.violating_groups) };
    }
    const [row] = await session.rows(`SELECT count(*) AS total FROM ${table}`);
    return { rowCount: Number(row.total), violatingRows: 0, violatingGroups: 0 };
  } finally {
    session.close();
  }
}

/**
 * Writes `inputParquet` to `outputParquet` without the rows the plan's rule flags, keeping the
 * column order and types and the row order, and returns the number of rows written. Idempotent:
 * suppressing the result again removes nothing (every remaining group has at least k rows, and
 * no remaining count is between 1 and k-1).
 */
export async function suppress(inputParquet: string, outputParquet: string, plan: GatePlan, options: GateOptions = {}): Promise<number> {
  const partial = `${outputParquet}.${randomUUID()}.partial`;
  const session = await open(options);
  try {
    const schema = await checkPlan(session, inputParquet, plan);
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
    const written = await session.run(`COPY (${query}) TO ${literal(partial)} (FORMAT parquet, COMPRESSION zstd)`);
    await rename(partial, outputParquet);
    return written;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    session.close();
  }
}

export interface OutputProfile {
  rowCount: number;
  schema: ColumnSchema[];
  profile: ColumnProfile[];
}

/** The same per-column profile @civic/ingest records for datasets, of a derived Parquet output. */
export async function profileOutput(parquetPath: string, options: GateOptions = {}): Promise<OutputProfile> {
  const session = await open(options);
  try {
    const { schema, rowCount } = await describeParquet(session, parquetPath);
    const profile =
      rowCount === 0
        ? schema.map((column) => ({ name: column.name, type: column.type, nullShare: 0, approxDistinct: 0, min: null, max: null, topValues: [] }))
        : await profileParquet({ session, parquetPath, schema, rowCount });
    return { rowCount, schema, profile };
  } finally {
    session.close();
  }
}
