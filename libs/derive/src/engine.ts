import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface OutputEngineOptions {
  memoryLimit?: string;
  threads?: number;
  /** Where the engine's spill folder is made (a folder of its own, removed by close). Default: the OS temp folder. */
  workDir?: string;
}

/** What the gate and profile code needs from a DuckDB connection. */
export interface Queries {
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs one statement; returns the rows it changed (written). */
  run(sql: string): Promise<number>;
}

/**
 * A long-lived DuckDB instance for the platform's own queries over derivation outputs — the
 * privacy gate's measurement and suppression, and the profile — never for vendor SQL, which
 * always runs in a fresh, locked sandbox. Creating and closing an instance costs tens of
 * milliseconds, more than these queries take on a typical (aggregated) output; a worker keeps
 * one and opens a connection per use. Concurrent uses share its memory limit and threads.
 */
export class OutputEngine {
  private instance: Promise<DuckDBInstance> | null = null;
  private spill: string | null = null;

  constructor(private readonly options: OutputEngineOptions = {}) {}

  /** A connection of its own (temporary tables are private to it); close it after use. */
  async connect(): Promise<DuckDBConnection> {
    this.instance ??= this.create();
    try {
      return await (await this.instance).connect();
    } catch (error) {
      this.instance = null;
      throw error;
    }
  }

  /** Runs `use` on a fresh connection of the engine, closed afterwards. */
  async use<T>(use: (queries: Queries, connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    try {
      return await use(connectionQueries(connection), connection);
    } finally {
      connection.closeSync();
    }
  }

  /** Closes the instance (shutdown, tests); the next use creates another. */
  async close(): Promise<void> {
    const current = this.instance;
    this.instance = null;
    if (current) (await current.catch(() => null))?.closeSync();
    if (this.spill) rmSync(this.spill, { recursive: true, force: true });
    this.spill = null;
  }

  private async create(): Promise<DuckDBInstance> {
    this.spill = path.join(this.options.workDir ?? tmpdir(), `civic-output-engine-${process.pid}-${randomUUID()}`);
    mkdirSync(this.spill, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: this.options.memoryLimit ?? '1GB',
      threads: String(this.options.threads ?? 2),
      temp_directory: this.spill,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    try {
      // Every connection renders times in UTC, as @civic/ingest's sessions do (profiles must match).
      await connection.run("SET GLOBAL TimeZone = 'UTC'");
    } finally {
      connection.closeSync();
    }
    return instance;
  }
}

export function connectionQueries(connection: DuckDBConnection): Queries {
  return {
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>,
    run: async (sql) => (await connection.run(sql)).rowsChanged,
  };
}
