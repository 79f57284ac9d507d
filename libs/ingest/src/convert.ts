import { readCsvHeader, checkNames } from './csv-header.js';
import type { DuckSession } from './duckdb-session.js';
import { duckDbReason, IngestError } from './errors.js';
import { columnsLiteral, literal } from './sql.js';
import type { ColumnSchema, SourceFormat } from './types.js';

export interface ConvertJob {
  session: DuckSession;
  format: SourceFormat;
  /** The UTF-8 (or Parquet) file DuckDB reads. */
  sourcePath: string;
  /** How the file is named in messages (server paths are never shown). */
  displayName: string;
  /** Where the Parquet file is written. */
  targetPath: string;
  onProgress: (fraction: number) => void;
}

/** Writes the source as Parquet; throws IngestError for problems in the data. */
export async function convertToParquet(job: ConvertJob): Promise<void> {
  if (job.format === 'csv') return convertCsv(job);
  if (job.format === 'parquet') return convertParquet(job);
  return convertJson(job);
}

function copySql(select: string, targetPath: string): string {
  return `COPY (${select}) TO ${literal(targetPath)} (FORMAT parquet)`;
}

function reason(job: ConvertJob, error: unknown): string {
  return duckDbReason(error, { [job.sourcePath]: job.displayName, [job.targetPath]: 'output' });
}

function numberIn(message: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(message);
  return match ? Number(match[1]) : undefined;
}

// ---------------------------------------------------------------- CSV

/** At most this many times a column's type is widened after a value the sample did not show. */
const MAX_WIDENINGS = 16;

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

interface CsvDialect {
  delimiter: string;
  dateFormat: string | null;
  timestampFormat: string | null;
}

function csvReader(sourcePath: string, columns: ColumnSchema[], dialect: CsvDialect): string {
  const options = [
    literal(sourcePath),
    'auto_detect = false',
    'header = true',
    `delim = ${literal(dialect.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    `columns = ${columnsLiteral(columns)}`,
  ];
  if (dialect.dateFormat) options.push(`dateformat = ${literal(dialect.dateFormat)}`);
  if (dialect.timestampFormat) options.push(`timestampformat = ${literal(dialect.timestampFormat)}`);
  return `SELECT * FROM read_csv(${options.join(', ')})`;
}

/**
 * Column types from DuckDB's sniffer (a sample of the file). A file whose sample already holds a
 * ragged row cannot be sniffed strictly; then the types come from a padded sniff, else VARCHAR,
 * and the strict conversion reports the bad line.
 */
async function sniffCsvTypes(job: ConvertJob, delimiter: string, width: number): Promise<Omit<CsvDialect, 'delimiter'> & { types: string[] }> {
  for (const padding of [false, true]) {
    try {
      const [row] = await job.session.rows(
        `SELECT Columns AS columns, DateFormat AS date_format, TimestampFormat AS timestamp_format FROM sniff_csv(${literal(job.sourcePath)}, delim = ${literal(delimiter)}, quote = '"', escape = '"', header = true, strict_mode = ${!padding}${padding ? ', null_padding = true' : ''})`,
      );
      const columns = row.columns as { name: string; type: string }[];
      if (columns.length < width) continue;
      return {
        types: columns.slice(0, width).map((column) => column.type),
        dateFormat: (row.date_format as string | null) ?? null,
        timestampFormat: (row.timestamp_format as string | null) ?? null,
      };
    } catch (error) {
      if (error instanceof IngestError) throw error;
    }
  }
  return { types: Array.from({ length: width }, () => 'VARCHAR'), dateFormat: null, timestampFormat: null };
}

function widen(type: string, value: string): string {
  const numeric = value.trim() !== '' && Number.isFinite(Number(value));
  return INTEGER_TYPES.has(type) && numeric ? 'DOUBLE' : 'VARCHAR';
}

async function convertCsv(job: ConvertJob): Promise<void> {
  const header = await readCsvHeader(job.sourcePath);
  if (header.headerOnly) throw new IngestError('ingest.empty', 'The file has a header but no data rows.');
  const sniffed = await sniffCsvTypes(job, header.delimiter, header.names.length);
  const columns = header.names.map((name, index) => ({ name, type: sniffed.types[index] }));
  const dialect: CsvDialect = { delimiter: header.delimiter, dateFormat: sniffed.dateFormat, timestampFormat: sniffed.timestampFormat };
  for (let widenings = 0; ; widenings += 1) {
    try {
      await job.session.run(copySql(csvReader(job.sourcePath, columns, dialect), job.targetPath), job.onProgress);
      return;
    } catch (error) {
      if (error instanceof IngestError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const conversion = /converting column "(.+?)"\. Could not convert string "(.*?)" to '/.exec(message);
      const column = conversion ? columns.find((candidate) => candidate.name === conversion[1]) : undefined;
      if (column && column.type !== 'VARCHAR' && widenings < MAX_WIDENINGS) {
        column.type = widen(column.type, conversion![2]);
        continue;
      }
      throw csvError(job, error);
    }
  }
}

function csvError(job: ConvertJob, error: unknown): IngestError {
  const message = error instanceof Error ? error.message : String(error);
  const line = numberIn(message, /CSV Error on Line: (\d+)/);
  const where = line === undefined ? {} : { line, row: line - 1 };
  const ragged = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (ragged) {
    const [expected, found] = [Number(ragged[1]), Number(ragged[2])];
    const hint = expected === 1 && line === 2 ? ' The first line must be the header: remove any title above it.' : '';
    return new IngestError(
      'ingest.ragged_rows',
      `Line ${line ?? '?'} has ${found} field${found === 1 ? '' : 's'} but the header has ${expected}.${hint}`,
      { ...where, expected, found },
    );
  }
  const column = /converting column "(.+?)"/.exec(message)?.[1];
  return new IngestError(
    'ingest.malformed',
    line === undefined ? `The CSV file could not be read: ${reason(job, error)}` : `Line ${line} could not be read: ${reason(job, error)}`,
    { ...where, ...(column ? { column } : {}) },
  );
}

// ---------------------------------------------------------------- JSON

async function convertJson(job: ConvertJob): Promise<void> {
  for (const sampleAll of [false, true]) {
    const reader = `SELECT * FROM read_json(${literal(job.sourcePath)}, format = 'auto', records = 'true'${sampleAll ? ', sample_size = -1' : ''})`;
    try {
      await job.session.run(copySql(reader, job.targetPath), job.onProgress);
      break;
    } catch (error) {
      if (error instanceof IngestError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/expected records/.test(message)) throw await jsonShapeError(job);
      // A value that does not fit the type inferred from the sample: infer from the whole file.
      if (/JSON transform error/.test(message) && !sampleAll) continue;
      throw jsonError(job, error);
    }
  }
}

function jsonError(job: ConvertJob, error: unknown): IngestError {
  const message = error instanceof Error ? error.message : String(error);
  const line = numberIn(message, /in line (\d+)/);
  const row = numberIn(message, /in record\/value (\d+)/);
  const place = line !== undefined ? `Line ${line}` : row !== undefined ? `Record ${row}` : 'The file';
  return new IngestError('ingest.malformed', `${place} is not valid JSON: ${reason(job, error).replace(/^.*?: /, '')}`, {
    ...(line !== undefined ? { line } : {}),
    ...(row !== undefined ? { row } : {}),
  });
}

/** Why a JSON file is not a list of records: empty, not objects, or objects without keys. */
async function jsonShapeError(job: ConvertJob): Promise<IngestError> {
  const [shape] = await job.session.rows(`
    SELECT count(*) AS total,
           min(n) FILTER (WHERE json_type(json) <> 'OBJECT') AS first_non_object,
           coalesce(max(json_array_length(json_keys(json))) FILTER (WHERE json_type(json) = 'OBJECT'), 0) AS max_keys
    FROM (SELECT json, row_number() OVER () AS n FROM read_json_objects(${literal(job.sourcePath)}, format = 'auto'))`);
  const total = Number(shape.total);
  if (total === 0) return new IngestError('ingest.empty', 'The JSON file holds no records.');
  if (shape.first_non_object !== null) {
    const row = Number(shape.first_non_object);
    return new IngestError('ingest.malformed', `Record ${row} is not a JSON object; the file must hold an array of objects or one object per line.`, { row });
  }
  if (Number(shape.max_keys) === 0) return new IngestError('ingest.no_columns', 'The JSON objects have no fields.');
  return new IngestError('ingest.malformed', 'The JSON file is not an array of objects or one object per line.');
}

// ---------------------------------------------------------------- Parquet

async function convertParquet(job: ConvertJob): Promise<void> {
  const reader = `SELECT * FROM read_parquet(${literal(job.sourcePath)})`;
  try {
    const columns = await job.session.rows(`DESCRIBE ${reader}`);
    checkNames(columns.map((column) => String(column.column_name)));
    await job.session.run(copySql(reader, job.targetPath), job.onProgress);
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError('ingest.malformed', `The Parquet file could not be read: ${reason(job, error)}`);
  }
}

// ---------------------------------------------------------------- output

/** Columns and row count of a Parquet file. */
export async function describeParquet(session: DuckSession, parquetPath: string): Promise<{ schema: ColumnSchema[]; rowCount: number }> {
  const columns = await session.rows(`DESCRIBE SELECT * FROM read_parquet(${literal(parquetPath)})`);
  const [meta] = await session.rows(`SELECT num_rows FROM parquet_file_metadata(${literal(parquetPath)})`);
  return {
    schema: columns.map((column) => ({ name: String(column.column_name), type: String(column.column_type) })),
    rowCount: Number(meta.num_rows),
  };
}
