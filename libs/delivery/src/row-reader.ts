import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { rowQuerySql, quoteIdentifier, type QueryColumn, type RowQuery } from '@civic/domain';
import { jsonSafeProjection, literal, toJsonSafe, type PreviewValue } from '@civic/ingest';

export type JsonValue = PreviewValue;

export interface RowPage {
  columns: QueryColumn[];
  /** Rows as JSON-safe values in `columns` order. */
  rows: JsonValue[][];
  /** Each row's number in the version's file (`file_row_number`). */
  rowNumbers: number[];
}

/**
 * The licensee's canary of a page file (see `fingerprint.ts`): which selected columns it draws
 * from other rows of the version, and, given the page's rows (their file row numbers), the
 * page row it follows (whose other columns it copies) and, per attempt, the file rows its
 * drawn columns come from. Null: no canary for this page.
 */
export interface PageFileCanary {
  columns: readonly string[];
  plan(rowNumbers: readonly number[]): { anchor: number; attempts: ReadonlyArray<readonly number[]> } | null;
}

/** The column carrying each page row's file row number (never delivered). */
const ROW_NUMBER = 'civic_file_row';

export interface RowReaderOptions {
  /** Directories the reader may read and write (the stored versions, its scratch directory); nothing else. */
  allowedDirectories: string[];
  /** Where page files (CSV, Parquet) are written before they are sent; inside allowedDirectories. */
  scratchDirectory: string;
  memoryLimit?: string;
  threads?: number;
  /** Connections kept open; each query takes one. */
  connections?: number;
  /** A query still running after this long is interrupted. */
  timeoutMs?: number;
  /** Rows kept in the page cache across all cached pages (0: no cache). */
  cacheRows?: number;
}

export class RowReaderError extends Error {
  constructor(
    readonly code: 'delivery.timeout' | 'delivery.query_failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads pages of rows from product versions' Parquet files through one long-lived DuckDB
 * instance: every query is `rowQuerySql` (caller values bound as parameters, never spliced),
 * the instance reads and writes only the allowed directories, loads no extensions, and its
 * configuration is locked before the first query.
 */
export class RowReader {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: Array<(connection: DuckDBConnection) => void> = [];
  private closed = false;
  /** Pages of immutable files by (file, SQL, parameters), least recently used first. */
  private readonly cache = new Map<string, RowPage>();
  private cachedRows = 0;
  /** Values of single rows (canaries' sources) by (file, row, columns); and row counts of files. */
  private readonly cells = new Map<string, JsonValue[]>();
  private readonly counts = new Map<string, Promise<number>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    connections: DuckDBConnection[],
    private readonly options: Required<Pick<RowReaderOptions, 'scratchDirectory' | 'timeoutMs' | 'cacheRows'>>,
  ) {
    this.idle.push(...connections);
  }

  static async open(options: RowReaderOptions): Promise<RowReader> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const first = await instance.connect();
    const allowed = options.allowedDirectories.map((directory) => literal(path.resolve(directory) + path.sep));
    await first.run(`SET TimeZone = 'UTC'; SET allowed_directories = [${allowed.join(', ')}]; SET enable_external_access = false; SET lock_configuration = true`);
    const connections = [first];
    for (let index = 1; index < (options.connections ?? 4); index += 1) connections.push(await instance.connect());
    return new RowReader(instance, connections, { scratchDirectory: options.scratchDirectory, timeoutMs: options.timeoutMs ?? 10_000, cacheRows: options.cacheRows ?? 200_000 });
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new RowReaderError('delivery.query_failed', 'The row reader is closed');
    const connection = this.idle.pop();
    if (connection) return connection;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }

  /** Runs `work` on a connection, interrupting it after the time limit. */
  private async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.options.timeoutMs);
    try {
      return await work(connection);
    } catch (error) {
      if (timedOut) throw new RowReaderError('delivery.timeout', `The query took longer than ${this.options.timeoutMs} ms; narrow it with filters or fewer rows`);
      throw new RowReaderError('delivery.query_failed', error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
      this.release(connection);
    }
  }

  private source(file: string): string {
    return `read_parquet(${literal(file)}, file_row_number = true)`;
  }

  /**
   * One page of rows as JSON-safe values. The files are immutable versions, so a page once read
   * is kept (up to `cacheRows` rows in all, least recently used out first): the same query again
   * costs no DuckDB work. Callers must not modify the returned page.
   */
  async page(file: string, query: RowQuery, schema: readonly QueryColumn[]): Promise<RowPage> {
    const columns = query.columns.map((name) => schema.find((column) => column.name === name)!);
    const { sql, params } = rowQuerySql(query, schema, this.source(file), { rowNumber: ROW_NUMBER });
    const projected = `SELECT ${[...columns.map((column) => `${jsonSafeProjection(column)} AS ${quoteIdentifier(column.name)}`), quoteIdentifier(ROW_NUMBER)].join(', ')} FROM (${sql})`;
    const key = `${projected}\u0000${params.join('\u0000')}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const page = await this.withConnection(async (connection) => {
      const prepared = await connection.prepare(projected);
      prepared.bind(params);
      const reader = await prepared.runAndReadAll();
      const rows = reader.getRowsJS();
      return { columns, rows: rows.map((row) => row.slice(0, columns.length).map(toJsonSafe)), rowNumbers: rows.map((row) => Number(row[columns.length])) };
    });
    this.remember(key, page);
    return page;
  }

  /** Rows in a file (read from its metadata once). */
  rowCount(file: string): Promise<number> {
    let count = this.counts.get(file);
    if (!count) {
      count = this.withConnection(async (connection) => Number((await connection.runAndReadAll(`SELECT count(*) FROM ${this.source(file)}`)).getRowsJS()[0]![0]));
      count.catch(() => this.counts.delete(file));
      this.counts.set(file, count);
      if (this.counts.size > 1_024) this.counts.delete(this.counts.keys().next().value as string);
    }
    return count;
  }

  /**
   * Some columns of some rows of a file (by file row number) as JSON-safe values, in `columns`
   * order: where canaries take their values from. Kept like pages (the files never change).
   */
  async rowValues(file: string, schema: readonly QueryColumn[], rowNumbers: readonly number[], columnNames: readonly string[]): Promise<Map<number, JsonValue[]>> {
    const columns = columnNames.map((name) => schema.find((column) => column.name === name)!);
    const prefix = `${file}\u0000${columnNames.join('\u0000')}\u0000`;
    const found = new Map<number, JsonValue[]>();
    const missing = [...new Set(rowNumbers)].filter((row) => {
      const known = this.cells.get(prefix + row);
      if (known) found.set(row, known);
      return !known;
    });
    if (missing.length > 0) {
      // Row numbers are integers the caller computed (never text from a request).
      const rows = await this.withConnection(async (connection) => {
        const projected = `SELECT file_row_number, ${columns.map((column) => `${jsonSafeProjection(column)} AS ${quoteIdentifier(column.name)}`).join(', ')} FROM ${this.source(file)} WHERE file_row_number IN (${missing.map((row) => String(Math.trunc(row))).join(', ')})`;
        return (await connection.runAndReadAll(projected)).getRowsJS();
      });
      for (const row of rows) {
        const values = row.slice(1).map(toJsonSafe);
        found.set(Number(row[0]), values);
        this.cells.set(prefix + Number(row[0]), values);
      }
      while (this.cells.size > this.options.cacheRows / 4) this.cells.delete(this.cells.keys().next().value as string);
    }
    return found;
  }

  private remember(key: string, page: RowPage): void {
    if (page.rows.length > this.options.cacheRows / 4) return;
    this.cache.set(key, page);
    this.cachedRows += page.rows.length;
    for (const [oldest, evicted] of this.cache) {
      if (this.cachedRows <= this.options.cacheRows) break;
      this.cache.delete(oldest);
      this.cachedRows -= evicted.rows.length;
    }
  }

  /**
   * One page as a file (CSV with a header, or Parquet): its bytes, the rows it holds, the rows of
   * the version among them (`read`) and whether more rows of the version follow them (`more`).
   * With a `canary`, the page's last slot is its canary when one can be drawn: the page then
   * holds the first `limit - 1` rows it read and the canary.
   */
  async pageFile(
    file: string,
    query: RowQuery,
    schema: readonly QueryColumn[],
    format: 'csv' | 'parquet',
    metadata: Record<string, string> = {},
    canary?: PageFileCanary,
  ): Promise<{ bytes: Buffer; rows: number; read: number; more: boolean }> {
    const { sql, params } = rowQuerySql(query, schema, this.source(file), { rowNumber: ROW_NUMBER });
    const table = `page_${randomUUID().replaceAll('-', '')}`;
    const out = path.join(this.options.scratchDirectory, `${table}.${format}`);
    const columns = query.columns.map(quoteIdentifier);
    return this.withConnection(async (connection) => {
      try {
        // COPY takes no parameters: the page is selected (with them) into a temporary table first.
        const prepared = await connection.prepare(`CREATE TEMPORARY TABLE ${table} AS ${sql}`);
        prepared.bind(params);
        await prepared.run();
        // A temporary table's rowid is its insertion order: the page's order.
        const rowNumbers = (await connection.runAndReadAll(`SELECT ${quoteIdentifier(ROW_NUMBER)} FROM ${table} ORDER BY rowid`)).getRowsJS().map((row) => Number(row[0]));
        const kept = rowNumbers.slice(0, query.limit - 1);
        const added = canary && kept.length > 0 ? await this.placeCanary(connection, file, query.columns, canary, kept) : null;
        const read = added ? kept.length : rowNumbers.length;
        const options =
          format === 'csv'
            ? '(FORMAT csv, HEADER true)'
            : `(FORMAT parquet, COMPRESSION zstd${Object.keys(metadata).length > 0 ? `, KV_METADATA {${Object.entries(metadata).map(([key, value]) => `${quoteIdentifier(key)}: ${literal(value)}`).join(', ')}}` : ''})`;
        const body = added
          ? `SELECT ${columns.join(', ')} FROM (SELECT ${columns.join(', ')}, rowid::DOUBLE AS civic_position FROM ${table} WHERE rowid < ${read} UNION ALL SELECT *, ${added.anchor}.5 FROM (${added.sql})) ORDER BY civic_position`
          : `SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`;
        await connection.run(`COPY (${body}) TO ${literal(out)} ${options}`);
        return { bytes: await readFile(out), rows: read + (added ? 1 : 0), read, more: added ? rowNumbers.length > read : rowNumbers.length === query.limit };
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
        await rm(out, { force: true });
      }
    });
  }

  /** The SQL of a page file's canary row: the first attempt of the plan that is no row of the version. */
  private async placeCanary(connection: DuckDBConnection, file: string, selected: readonly string[], canary: PageFileCanary, rowNumbers: readonly number[]): Promise<{ anchor: number; sql: string } | null> {
    const plan = canary.plan(rowNumbers);
    if (!plan) return null;
    const anchor = Math.trunc(plan.anchor);
    for (const sources of plan.attempts) {
      const sql = this.canarySql(file, selected, rowNumbers[anchor]!, canary.columns, sources);
      if (!(await this.isVersionRow(connection, file, selected, sql))) return { anchor, sql };
    }
    return null;
  }

  /**
   * A canary row as SQL over the version's file: each drawn column read from the row its source
   * names, the others from the anchor row (by file row number). Only integers computed by the
   * caller go into the text, never request values.
   */
  private canarySql(file: string, selected: readonly string[], anchorRow: number, drawnColumns: readonly string[], sources: readonly number[]): string {
    const values = selected.map((name) => {
      const drawn = drawnColumns.indexOf(name);
      const row = drawn >= 0 ? sources[drawn]! : anchorRow;
      return `(SELECT ${quoteIdentifier(name)} FROM ${this.source(file)} WHERE file_row_number = ${Math.trunc(row)}) AS ${quoteIdentifier(name)}`;
    });
    return `SELECT ${values.join(', ')}`;
  }

  /** Whether a canary (as `canarySql`) equals a row of the version on the selected columns. */
  private async isVersionRow(connection: DuckDBConnection, file: string, selected: readonly string[], canary: string): Promise<boolean> {
    const same = selected.map((name) => `s.${quoteIdentifier(name)} IS NOT DISTINCT FROM c.${quoteIdentifier(name)}`).join(' AND ');
    return Number((await connection.runAndReadAll(`SELECT count(*) FROM ${this.source(file)} s, (${canary}) c WHERE ${same}`)).getRowsJS()[0]![0]) > 0;
  }

  /**
   * Whether the canary made of `drawnColumns` read from the `sources` rows and the other
   * `selected` columns from the anchor row is a row of the version (on the selected columns):
   * such a canary would mark nothing and is drawn again.
   */
  async repeatsVersionRow(file: string, selected: readonly string[], anchorRow: number, drawnColumns: readonly string[], sources: readonly number[]): Promise<boolean> {
    return this.withConnection((connection) => this.isVersionRow(connection, file, selected, this.canarySql(file, selected, anchorRow, drawnColumns, sources)));
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}
