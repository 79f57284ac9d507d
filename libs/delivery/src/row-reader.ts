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
}

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
    const { sql, params } = rowQuerySql(query, schema, this.source(file));
    const projected = `SELECT ${columns.map((column) => `${jsonSafeProjection(column)} AS ${quoteIdentifier(column.name)}`).join(', ')} FROM (${sql})`;
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
      return { columns, rows: reader.getRowsJS().map((row) => row.map(toJsonSafe)) };
    });
    this.remember(key, page);
    return page;
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

  /** One page as a file (CSV with a header, or Parquet): its bytes and row count. */
  async pageFile(file: string, query: RowQuery, schema: readonly QueryColumn[], format: 'csv' | 'parquet', metadata: Record<string, string> = {}): Promise<{ bytes: Buffer; rows: number }> {
    const { sql, params } = rowQuerySql(query, schema, this.source(file));
    const table = `page_${randomUUID().replaceAll('-', '')}`;
    const out = path.join(this.options.scratchDirectory, `${table}.${format}`);
    return this.withConnection(async (connection) => {
      try {
        // COPY takes no parameters: the page is selected (with them) into a temporary table first.
        const prepared = await connection.prepare(`CREATE TEMPORARY TABLE ${table} AS ${sql}`);
        prepared.bind(params);
        await prepared.run();
        const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
        const rows = Number(counted.getRowsJS()[0]![0]);
        const options =
          format === 'csv'
            ? '(FORMAT csv, HEADER true)'
            : `(FORMAT parquet, COMPRESSION zstd${Object.keys(metadata).length > 0 ? `, KV_METADATA {${Object.entries(metadata).map(([key, value]) => `${quoteIdentifier(key)}: ${literal(value)}`).join(', ')}}` : ''})`;
        await connection.run(`COPY ${table} TO ${literal(out)} ${options}`);
        return { bytes: await readFile(out), rows };
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
        await rm(out, { force: true });
      }
    });
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}
