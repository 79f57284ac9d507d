import type { DuckSession, Row } from './duckdb-session.js';
import { identifier, literal } from './sql.js';
import type { ColumnProfile, ColumnSchema, TopValue } from './types.js';

/**
 * Profiling reads the written Parquet file:
 * - row count, null counts and min/max come from the Parquet statistics when they are exact;
 * - columns that are dictionary-encoded in every row group (few distinct values), booleans, and
 *   every column of a small table are grouped exactly: distinct count and top values in one query;
 * - other (high-cardinality) columns get a HyperLogLog distinct estimate, all in one scan, and
 *   top-value candidates from a systematic sample of row ranges whose counts are then taken
 *   exactly over the whole column.
 */
const SAMPLE_RANGES = 16;
const SAMPLE_RANGE_ROWS = 8_192;
/** Tables up to this size are profiled exactly. */
const EXACT_ROWS = SAMPLE_RANGES * SAMPLE_RANGE_ROWS;
const TOP_VALUES = 5;
const CANDIDATES = 20;

const STATS_TYPES = new Set([
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'DATE', 'TIMESTAMP', 'VARCHAR',
]);

interface ColumnStats {
  nulls: number | null;
  min: string | null | undefined;
  max: string | null | undefined;
  dictionary: boolean;
}

export interface ProfileOptions {
  session: DuckSession;
  parquetPath: string;
  schema: ColumnSchema[];
  rowCount: number;
  onProgress?: (fraction: number) => void;
}

function isFlat(type: string): boolean {
  return /^[A-Z ]+(\(\d+,\s*\d+\))?$/.test(type);
}

export async function profileParquet(options: ProfileOptions): Promise<ColumnProfile[]> {
  const { session, parquetPath, schema, rowCount } = options;
  const stats = await readStatistics(session, parquetPath, schema);
  const canSample = !schema.some((column) => column.name.toLowerCase() === 'file_row_number');
  const exact = schema.map((column, index) => !canSample || rowCount <= EXACT_ROWS || stats[index].dictionary || column.type === 'BOOLEAN');
  const sampled = schema.map((_, index) => index).filter((index) => !exact[index]);

  const steps = 1 + schema.length + (sampled.length ? 1 : 0);
  let done = 0;
  const step = () => options.onProgress?.(++done / steps);

  const scan = await scanUnanswered(session, parquetPath, schema, stats, exact);
  step();
  const profiles: ColumnProfile[] = schema.map((column, index) => ({
    name: column.name,
    type: column.type,
    nullShare: scan.nulls[index] / rowCount,
    approxDistinct: scan.distinct[index] ?? 0,
    min: scan.min[index],
    max: scan.max[index],
    topValues: [],
  }));

  for (const index of schema.keys()) {
    if (!exact[index]) continue;
    const { topValues, distinct } = await exactTopValues(session, parquetPath, schema[index].name);
    Object.assign(profiles[index], { topValues, approxDistinct: distinct });
    step();
  }

  if (sampled.length) {
    await createSample(session, parquetPath, sampled.map((index) => schema[index].name), rowCount);
    step();
    for (const index of sampled) {
      profiles[index].topValues = await sampledTopValues(session, parquetPath, schema[index].name, scan.nulls[index]);
      step();
    }
    await session.run('DROP TABLE profile_sample');
  }
  return profiles;
}

interface Scanned {
  nulls: number[];
  min: (string | null)[];
  max: (string | null)[];
  /** Distinct estimates of the columns that are not grouped exactly. */
  distinct: (number | undefined)[];
}

/** One scan for the null counts and ranges the statistics did not answer, and the distinct estimates. */
async function scanUnanswered(session: DuckSession, parquetPath: string, schema: ColumnSchema[], stats: ColumnStats[], exact: boolean[]): Promise<Scanned> {
  const selects: string[] = [];
  schema.forEach((column, index) => {
    const name = identifier(column.name);
    if (stats[index].nulls === null) selects.push(`count(*) - count(${name}) AS nulls_${index}`);
    if (stats[index].min === undefined) selects.push(`CAST(min(${name}) AS VARCHAR) AS min_${index}`, `CAST(max(${name}) AS VARCHAR) AS max_${index}`);
    if (!exact[index]) selects.push(`approx_count_distinct(${name}) AS distinct_${index}`);
  });
  const [row] = selects.length ? await session.rows(`SELECT ${selects.join(', ')} FROM read_parquet(${literal(parquetPath)})`) : [{} as Row];
  const text = (value: unknown) => (value as string | null) ?? null;
  return {
    nulls: stats.map((column, index) => column.nulls ?? Number(row[`nulls_${index}`])),
    min: stats.map((column, index) => (column.min === undefined ? text(row[`min_${index}`]) : column.min)),
    max: stats.map((column, index) => (column.max === undefined ? text(row[`max_${index}`]) : column.max)),
    distinct: exact.map((isExact, index) => (isExact ? undefined : Number(row[`distinct_${index}`]))),
  };
}

/** Groups the whole column: exact top values and distinct count. */
async function exactTopValues(session: DuckSession, parquetPath: string, column: string): Promise<{ topValues: TopValue[]; distinct: number }> {
  const rows = await session.rows(`
    SELECT CAST(v AS VARCHAR) AS value, c AS count, count(*) OVER () AS groups, bool_or(v IS NULL) OVER () AS has_null
    FROM (SELECT ${identifier(column)} AS v, count(*) AS c FROM read_parquet(${literal(parquetPath)}) GROUP BY ALL)
    ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
  return {
    topValues: rows.map(topValue),
    distinct: rows.length ? Number(rows[0].groups) - (rows[0].has_null ? 1 : 0) : 0,
  };
}

/** Copies SAMPLE_RANGES evenly spread row ranges of the given columns into `profile_sample`. */
async function createSample(session: DuckSession, parquetPath: string, columns: string[], rowCount: number): Promise<void> {
  const list = columns.map(identifier).join(', ');
  const stride = Math.floor(rowCount / SAMPLE_RANGES);
  // One range per SELECT, so that each reads only the row groups holding it.
  const ranges = Array.from({ length: SAMPLE_RANGES }, (_, range) => {
    const from = range * stride;
    return `SELECT ${list} FROM read_parquet(${literal(parquetPath)}, file_row_number = true) WHERE file_row_number BETWEEN ${from} AND ${from + SAMPLE_RANGE_ROWS - 1}`;
  });
  await session.run(`CREATE OR REPLACE TEMP TABLE profile_sample AS ${ranges.join(' UNION ALL ')}`);
}

/** The sample's most frequent values, counted exactly over the whole column, and NULL's count. */
async function sampledTopValues(session: DuckSession, parquetPath: string, column: string, nulls: number): Promise<TopValue[]> {
  const name = identifier(column);
  const rows = await session.rows(`
    SELECT CAST(v AS VARCHAR) AS value, c AS count FROM (
      SELECT ${name} AS v, count(*) AS c FROM read_parquet(${literal(parquetPath)})
      WHERE ${name} IN (
        SELECT ${name} FROM profile_sample WHERE ${name} IS NOT NULL
        GROUP BY ALL ORDER BY count(*) DESC, ${name} LIMIT ${CANDIDATES})
      GROUP BY ALL
      UNION ALL SELECT NULL, ${nulls} WHERE ${nulls} > 0)
    ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
  return rows.map(topValue);
}

function topValue(row: Row): TopValue {
  return { value: (row.value as string | null) ?? null, count: Number(row.count) };
}

/**
 * Null counts, min/max and dictionary encoding per column from the Parquet footer. Only for flat
 * schemas (nested columns have several leaves) and for types whose statistics render exactly.
 */
async function readStatistics(session: DuckSession, parquetPath: string, schema: ColumnSchema[]): Promise<ColumnStats[]> {
  const unknown = (): ColumnStats => ({ nulls: null, min: undefined, max: undefined, dictionary: false });
  if (!schema.every((column) => isFlat(column.type))) return schema.map(unknown);
  await session.run(`
    CREATE OR REPLACE TEMP TABLE profile_meta AS
    SELECT column_id, num_values, stats_null_count, stats_min_value, stats_max_value, min_is_exact, max_is_exact,
           encodings LIKE '%DICTIONARY%' AS dictionary
    FROM parquet_metadata(${literal(parquetPath)})`);
  const selects = schema.map((column, index) => {
    const typed = (field: string) =>
      column.type === 'VARCHAR' ? field : `TRY_CAST(${field} AS ${column.type})`;
    const range = STATS_TYPES.has(column.type)
      ? `bool_and(stats_null_count = num_values OR (stats_min_value IS NOT NULL AND min_is_exact AND max_is_exact)) AS has_range,
         CAST(min(${typed('stats_min_value')}) FILTER (WHERE stats_null_count < num_values) AS VARCHAR) AS min,
         CAST(max(${typed('stats_max_value')}) FILTER (WHERE stats_null_count < num_values) AS VARCHAR) AS max`
      : 'false AS has_range, NULL AS min, NULL AS max';
    return `SELECT ${index} AS i, bool_and(stats_null_count IS NOT NULL) AS has_nulls, sum(stats_null_count) AS nulls,
              bool_and(dictionary OR stats_null_count = num_values) AS dictionary, ${range}
            FROM profile_meta WHERE column_id = ${index}`;
  });
  const rows = await session.rows(`${selects.join('\nUNION ALL\n')} ORDER BY i`);
  await session.run('DROP TABLE profile_meta');
  return rows.map((row) => ({
    nulls: row.has_nulls === true ? Number(row.nulls) : null,
    min: row.has_range === true ? ((row.min as string | null) ?? null) : undefined,
    max: row.has_range === true ? ((row.max as string | null) ?? null) : undefined,
    dictionary: row.dictionary === true,
  }));
}
