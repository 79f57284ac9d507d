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
  const table = `read_parquet(${literal(parquetPath)})`;
  const stats = await readStatistics(session, parquetPath, schema);

  const canSample = !schema.some((column) => column.name.toLowerCase() === 'file_row_number');
  const exact = schema.map((column, index) => !canSample || rowCount <= EXACT_ROWS || stats[index].dictionary || column.type === 'BOOLEAN');
  const sampled = schema.map((_, index) => index).filter((index) => !exact[index]);

  const steps = 1 + schema.length + (sampled.length ? 1 : 0);
  let done = 0;
  const step = () => options.onProgress?.(++done / steps);

  // One scan for whatever the statistics did not answer.
  const needs: string[] = [];
  schema.forEach((column, index) => {
    const name = identifier(column.name);
    if (stats[index].nulls === null) needs.push(`count(*) - count(${name}) AS nulls_${index}`);
    if (stats[index].min === undefined) needs.push(`CAST(min(${name}) AS VARCHAR) AS min_${index}`, `CAST(max(${name}) AS VARCHAR) AS max_${index}`);
    if (!exact[index]) needs.push(`approx_count_distinct(${name}) AS distinct_${index}`);
  });
  const [scan] = needs.length ? await session.rows(`SELECT ${needs.join(', ')} FROM ${table}`) : [{} as Row];
  step();

  const nulls = schema.map((_, index) => stats[index].nulls ?? Number(scan[`nulls_${index}`]));
  const profiles: ColumnProfile[] = schema.map((column, index) => ({
    name: column.name,
    type: column.type,
    nullShare: rowCount === 0 ? 0 : nulls[index] / rowCount,
    approxDistinct: exact[index] ? 0 : Number(scan[`distinct_${index}`]),
    min: stats[index].min === undefined ? ((scan[`min_${index}`] as string | null) ?? null) : stats[index].min!,
    max: stats[index].max === undefined ? ((scan[`max_${index}`] as string | null) ?? null) : stats[index].max!,
    topValues: [],
  }));

  for (const [index, column] of schema.entries()) {
    if (!exact[index]) continue;
    const name = identifier(column.name);
    const rows = await session.rows(`
      SELECT CAST(v AS VARCHAR) AS value, c AS count, count(*) OVER () AS groups, bool_or(v IS NULL) OVER () AS has_null
      FROM (SELECT ${name} AS v, count(*) AS c FROM ${table} GROUP BY ALL)
      ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
    profiles[index].topValues = rows.map(topValue);
    profiles[index].approxDistinct = rows.length ? Number(rows[0].groups) - (rows[0].has_null ? 1 : 0) : 0;
    step();
  }

  if (sampled.length) {
    // One range per SELECT, so that each reads only the row groups holding it.
    const columns = sampled.map((index) => identifier(schema[index].name)).join(', ');
    const ranges = sampleRanges(rowCount).map(
      ([from, to]) => `SELECT ${columns} FROM read_parquet(${literal(parquetPath)}, file_row_number = true) WHERE file_row_number BETWEEN ${from} AND ${to}`,
    );
    await session.run(`CREATE OR REPLACE TEMP TABLE profile_sample AS ${ranges.join(' UNION ALL ')}`);
    step();
    for (const index of sampled) {
      const name = identifier(schema[index].name);
      const rows = await session.rows(`
        SELECT CAST(v AS VARCHAR) AS value, c AS count FROM (
          SELECT ${name} AS v, count(*) AS c FROM ${table}
          WHERE ${name} IN (
            SELECT ${name} FROM profile_sample WHERE ${name} IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, ${name} LIMIT ${CANDIDATES})
          GROUP BY ALL
          UNION ALL SELECT NULL, ${nulls[index]} WHERE ${nulls[index]} > 0)
        ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
      profiles[index].topValues = rows.map(topValue);
      step();
    }
    await session.run('DROP TABLE profile_sample');
  }
  return profiles;
}

function topValue(row: Row): TopValue {
  return { value: (row.value as string | null) ?? null, count: Number(row.count) };
}

/** SAMPLE_RANGES row ranges spread evenly over the table (inclusive bounds). */
function sampleRanges(rowCount: number): [number, number][] {
  const stride = Math.floor(rowCount / SAMPLE_RANGES);
  return Array.from({ length: SAMPLE_RANGES }, (_, range) => [range * stride, range * stride + SAMPLE_RANGE_ROWS - 1]);
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
