import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { cancelled } from './errors.js';

export interface SessionOptions {
  memoryLimit?: string;
  threads?: number;
  /** Where DuckDB may spill; required for larger-than-memory work. */
  tempDirectory?: string;
  signal?: AbortSignal;
}

/** How often a running query's progress is read. */
const PROGRESS_POLL_MS = 250;

export type Row = Record<string, unknown>;

/** One in-memory DuckDB instance and connection with bounded memory and threads, cancellable. */
export class DuckSession {
  private interruptedByUs = false;
  private readonly onAbort = () => this.interrupt();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async open(options: SessionOptions = {}): Promise<DuckSession> {
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? '1GB',
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
    };
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET TimeZone = 'UTC'");
    return new DuckSession(instance, connection, options.signal);
  }

  /** Stops the running query (it fails with an interrupt error). */
  interrupt(): void {
    this.interruptedByUs = true;
    this.connection.interrupt();
  }

  /** Runs one statement; `onProgress` receives DuckDB's own estimate (0..1) while it runs. */
  async run(sql: string, onProgress?: (fraction: number) => void): Promise<number> {
    this.throwIfAborted();
    this.interruptedByUs = false;
    const timer = onProgress
      ? setInterval(() => {
          const { percentage } = this.connection.progress;
          if (percentage >= 0) onProgress(Math.min(1, percentage / 100));
        }, PROGRESS_POLL_MS)
      : undefined;
    try {
      const result = await this.connection.run(sql);
      return result.rowsChanged;
    } catch (error) {
      this.throwIfAborted();
      throw error;
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  /** Runs a query and returns its rows as plain JS values (BIGINT as bigint). */
  async rows(sql: string): Promise<Row[]> {
    this.throwIfAborted();
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Row[];
    } catch (error) {
      this.throwIfAborted();
      throw error;
    }
  }

  /** Whether the last failure came from `interrupt()` rather than from the data. */
  get wasInterrupted(): boolean {
    return this.interruptedByUs;
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private throwIfAborted(): void {
    if (this.signal?.aborted) throw cancelled();
  }
}
