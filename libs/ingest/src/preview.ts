import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { DuckSession } from './duckdb-session.js';
import { identifier, literal } from './sql.js';
import type { ColumnSchema } from './types.js';

export type PreviewValue = string | number | boolean | null;

export interface ParquetRows {
  columns: ColumnSchema[];
  rows: Record<string, PreviewValue>[];
}

const NUMBER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'FLOAT', 'REAL', 'DOUBLE']);
const BIG_INTEGER_TYPES = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/** A projection of one column whose result converts to a JSON-safe value (see `toJsonSafe`). */
export function jsonSafeProjection(column: ColumnSchema): string {
  const name = identifier(column.name);
  const type = column.type.toUpperCase();
  if (type === 'BOOLEAN' || NUMBER_TYPES.has(type) || BIG_INTEGER_TYPES.has(type)) return name;
  if (type === 'DATE') return `CAST(${name} AS VARCHAR)`;
  if (type.startsWith('TIMESTAMP')) return `replace(CAST(${name} AS VARCHAR), ' ', 'T')`;
  if (type === 'VARCHAR' || type.startsWith('DECIMAL') || type.startsWith('ENUM') || !/[([]/.test(type)) return `CAST(${name} AS VARCHAR)`;
  return `CAST(to_json(${name}) AS VARCHAR)`;
}

/** A value read through `jsonSafeProjection` as JSON: big integers beyond 2^53 and non-finite numbers as text. */
export function toJsonSafe(value: unknown): PreviewValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/**
 * Rows of a Parquet file as JSON-safe values, in file order: integers as numbers (as strings beyond
 * 2^53), decimals as strings, dates and timestamps as ISO 8601 strings, nested values as JSON text.
 */
export async function readParquetRows(
  parquetPath: string,
  page: { limit: number; offset?: number; excludeColumns?: readonly string[] },
): Promise<ParquetRows> {
  const session = await DuckSession.open({ memoryLimit: '256MB', threads: 1 });
  try {
    const table = `read_parquet(${literal(parquetPath)})`;
    const described = await session.rows(`DESCRIBE SELECT * FROM ${table}`);
    const excluded = new Set(page.excludeColumns ?? []);
    const columns = described.map((row) => ({ name: String(row.column_name), type: String(row.column_type) })).filter((column) => !excluded.has(column.name));
    const limit = Math.max(0, Math.floor(page.limit));
    const offset = Math.max(0, Math.floor(page.offset ?? 0));
    const rows = await session.rows(`SELECT ${columns.map((column) => `${jsonSafeProjection(column)} AS ${identifier(column.name)}`).join(', ')} FROM ${table} LIMIT ${limit} OFFSET ${offset}`);
    return {
      columns,
      rows: rows.map((row) => Object.fromEntries(columns.map((column) => [column.name, toJsonSafe(row[column.name])]))),
    };
  } finally {
    session.close();
  }
}

/** The columns to select: all, or all but the excluded ones. */
function projection(excludeColumns: readonly string[] | undefined): string {
  return excludeColumns && excludeColumns.length > 0 ? `* EXCLUDE (${excludeColumns.map(identifier).join(', ')})` : '*';
}

/**
 * Writes a Parquet file as UTF-8 CSV with a header row (via a temporary name, then renamed),
 * leaving out `excludeColumns`.
 */
export async function copyParquetToCsv(parquetPath: string, csvPath: string, options: { excludeColumns?: readonly string[] } = {}): Promise<void> {
  await copyParquet(parquetPath, csvPath, '(FORMAT csv, HEADER true)', options.excludeColumns);
}

/** Writes a copy of a Parquet file without `excludeColumns` (via a temporary name, then renamed). */
export async function copyParquetWithout(parquetPath: string, outputPath: string, excludeColumns: readonly string[]): Promise<void> {
  await copyParquet(parquetPath, outputPath, '(FORMAT parquet, COMPRESSION zstd)', excludeColumns);
}

async function copyParquet(parquetPath: string, outputPath: string, format: string, excludeColumns: readonly string[] | undefined): Promise<void> {
  const partial = `${outputPath}.${randomUUID()}.partial`;
  const session = await DuckSession.open({ memoryLimit: '512MB', threads: 2 });
  try {
    await session.run(`COPY (SELECT ${projection(excludeColumns)} FROM read_parquet(${literal(parquetPath)})) TO ${literal(partial)} ${format}`);
    await rename(partial, outputPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    session.close();
  }
}
