import type { DuckSession, Row } from './duckdb-session.js';
import { identifier, literal } from './sql.js';
import type { ColumnProfile, ColumnSchema, TopValue } from './types.js';

/**
 * Profiling reads the written Parquet file, each column once:
 * - columns with few distinct values (dictionary-encoded in every row group), booleans, nested
 *   columns and every column of a small table are grouped exactly: null count, distinct count,
 *   min/max and the top values all come from the groups;
 * - other (high-cardinality) columns of larger tables get a HyperLogLog distinct estimate, null
 *   count and min/max from a scan. Their top-value candidates are the values that repeat within a
 *   systematic sample of row ranges; the candidates' counts are taken exactly in the same scan.
 *   Columns with no repeating value in the sample (identifiers, timestamps, free text) list only
 *   NULL, and share one scan.
 */
const SAMPLE_RANGES = 8;
const SAMPLE_RANGE_ROWS = 16_384;
/** Tables up to this size are profiled exactly. */
const EXACT_ROWS = SAMPLE_RANGES * SAMPLE_RANGE_ROWS;
const TOP_VALUES = 5;
const CANDIDATES = 20;

export interface ProfileOptions {
  session: DuckSession;
  parquetPath: string;
  schema: ColumnSchema[];
  rowCount: number;
  onProgress?: (fraction: number) => void;
}

interface Measured {
  nulls: number;
  distinct: number;
  min: string | null;
  max: string | null;
  topValues: TopValue[];
}

function isNested(type: string): boolean {
  return /[[(]/.test(type) && !/^(DECIMAL|ENUM)\(/.test(type);
}

export async function profileParquet(options: ProfileOptions): Promise<ColumnProfile[]> {
  const { session, parquetPath, schema, rowCount } = options;
  const dictionary = await dictionaryEncoded(session, parquetPath);
  const canSample = rowCount > EXACT_ROWS && !schema.some((column) => column.name.toLowerCase() === 'file_row_number');
  const sampled = schema
    .filter((column) => canSample && !dictionary.has(column.name) && column.type !== 'BOOLEAN' && !isNested(column.type))
    .map((column) => column.name);

  const steps = schema.length + (sampled.length ? 2 : 0);
  let done = 0;
  const step = () => options.onProgress?.(++done / steps);
  const measured = new Map<string, Measured>();
  if (sampled.length) {
    await createSample(session, parquetPath, sampled, rowCount);
    const repeating = await columnsRepeatingInSample(session, sampled);
    step();
    for (const [name, result] of await scanSampledColumns(session, parquetPath, sampled)) measured.set(name, result);
    step();
    for (const name of sampled) {
      if (repeating.has(name)) measured.get(name)!.topValues = await countCandidates(session, parquetPath, name, measured.get(name)!.nulls);
      step();
    }
    await session.run('DROP TABLE profile_sample');
  }
  for (const column of schema) {
    if (measured.has(column.name)) continue;
    measured.set(column.name, await measureExactly(session, parquetPath, column.name));
    step();
  }
  return schema.map((column) => {
    const result = measured.get(column.name)!;
    return {
      name: column.name,
      type: column.type,
      nullShare: result.nulls / rowCount,
      approxDistinct: result.distinct,
      min: result.min,
      max: result.max,
      topValues: result.topValues,
    };
  });
}

/** Names of the columns that are dictionary-encoded (or all NULL) in every row group. */
async function dictionaryEncoded(session: DuckSession, parquetPath: string): Promise<Set<string>> {
  const rows = await session.rows(`
    SELECT path_in_schema AS name FROM parquet_metadata(${literal(parquetPath)})
    GROUP BY ALL HAVING bool_and(encodings LIKE '%DICTIONARY%' OR stats_null_count = num_values)`);
  return new Set(rows.map((row) => String(row.name)));
}

function text(value: unknown): string | null {
  return (value as string | null) ?? null;
}

function topValue(row: Row): TopValue {
  return { value: text(row.value), count: Number(row.count) };
}

/** Groups the whole column: everything is exact. */
async function measureExactly(session: DuckSession, parquetPath: string, column: string): Promise<Measured> {
  const rows = await session.rows(`
    SELECT CAST(v AS VARCHAR) AS value, c AS count,
           count(v) OVER () AS distinct_values,
           sum(CASE WHEN v IS NULL THEN c ELSE 0 END) OVER () AS nulls,
           CAST(min(v) OVER () AS VARCHAR) AS min_value,
           CAST(max(v) OVER () AS VARCHAR) AS max_value
    FROM (SELECT ${identifier(column)} AS v, count(*) AS c FROM read_parquet(${literal(parquetPath)}) GROUP BY ALL)
    ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
  const first = rows[0] ?? {};
  return {
    nulls: Number(first.nulls ?? 0),
    distinct: Number(first.distinct_values ?? 0),
    min: text(first.min_value),
    max: text(first.max_value),
    topValues: rows.map(topValue),
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

/** The sampled columns in which some non-null value occurs more than once in the sample. */
async function columnsRepeatingInSample(session: DuckSession, columns: string[]): Promise<Set<string>> {
  const [row] = await session.rows(
    `SELECT ${columns.map((column, index) => `count(DISTINCT ${identifier(column)}) < count(${identifier(column)}) AS repeats_${index}`).join(', ')} FROM profile_sample`,
  );
  return new Set(columns.filter((_, index) => row[`repeats_${index}`] === true));
}

/**
 * One scan of all sampled columns: distinct estimate, nulls and min/max. Their top values are
 * NULL (if present) until candidates are counted.
 */
async function scanSampledColumns(session: DuckSession, parquetPath: string, columns: string[]): Promise<Map<string, Measured>> {
  const selects = columns.flatMap((column, index) => {
    const name = identifier(column);
    return [
      `approx_count_distinct(${name}) AS distinct_${index}`,
      `count(*) - count(${name}) AS nulls_${index}`,
      `CAST(min(${name}) AS VARCHAR) AS min_${index}`,
      `CAST(max(${name}) AS VARCHAR) AS max_${index}`,
    ];
  });
  const [row] = await session.rows(`SELECT ${selects.join(', ')} FROM read_parquet(${literal(parquetPath)})`);
  return new Map(
    columns.map((column, index) => {
      const nulls = Number(row[`nulls_${index}`]);
      return [
        column,
        {
          nulls,
          distinct: Number(row[`distinct_${index}`]),
          min: text(row[`min_${index}`]),
          max: text(row[`max_${index}`]),
          topValues: nulls > 0 ? [{ value: null, count: nulls }] : [],
        },
      ];
    }),
  );
}

/** Exact counts of the values that repeat most within the sample; the top values are the most frequent of those and NULL. */
async function countCandidates(session: DuckSession, parquetPath: string, column: string, nulls: number): Promise<TopValue[]> {
  const name = identifier(column);
  const rows = await session.rows(`
    SELECT CAST(v AS VARCHAR) AS value, c AS count FROM (
      SELECT ${name} AS v, count(*) AS c FROM read_parquet(${literal(parquetPath)})
      WHERE ${name} IN (
        SELECT ${name} FROM profile_sample WHERE ${name} IS NOT NULL
        GROUP BY ALL HAVING count(*) > 1 ORDER BY count(*) DESC, ${name} LIMIT ${CANDIDATES})
      GROUP BY ALL
      UNION ALL SELECT NULL, ${nulls} WHERE ${nulls} > 0)
    ORDER BY c DESC, v ASC NULLS FIRST LIMIT ${TOP_VALUES}`);
  return rows.map(topValue);
}
