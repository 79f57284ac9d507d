import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckDbReason } from '@civic/ingest';
import { DeriveError, messageOf } from './errors.js';

export interface OutputEngineOptions {
  /** DuckDB memory limit of each instance, and so of each use: a use has an instance to itself. Default 1GB. */
  memoryLimit?: string;
  /** DuckDB threads of each instance. Default 2. */
  threads?: number;
  /** Instances, and so uses running at once (default 1); further uses wait for one to be free. */
  instances?: number;
  /** Time limit of one use, in milliseconds: DuckDB is interrupted and the use fails with `derive.timeout`. Default none. */
  timeoutMs?: number;
  /** Where each instance's spill folder is made (a folder of its own, removed with the instance). Default: the OS temp folder. */
  workDir?: string;
}

/** What the gate and profile code needs from a DuckDB connection. */
export interface Queries {
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs one statement; returns the rows it changed (written). */
  run(sql: string): Promise<number>;
}

/** The limits a use runs under, for any further DuckDB instance it opens (e.g. to profile a large output). */
export interface UseLimits {
  memoryLimit: string;
  threads: number;
  /** Aborted when the use's time limit is reached. */
  signal: AbortSignal;
}

interface Limits {
  memoryLimit: string;
  threads: number;
  timeoutMs?: number;
}

/**
 * Runs `work` under a time limit: when it is reached, `signal` is aborted (and with it whatever
 * DuckDB query listens) and the work fails with `derive.timeout`. DuckDB running out of its memory
 * limit fails it with `derive.out_of_memory`. Other errors are left as they are (an outage or a
 * platform bug, not the output's doing).
 */
export async function withinLimits<T>(limits: Limits, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = limits.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (error instanceof DeriveError) throw error;
    if (controller.signal.aborted) {
      throw new DeriveError('derive.timeout', `Checking the output took longer than its time limit (${limits.timeoutMs} ms) and was stopped.`);
    }
    const first = messageOf(error).split('\n').find((line) => line.trim() !== '') ?? '';
    if (/^Out of Memory Error/i.test(first)) {
      throw new DeriveError('derive.out_of_memory', `Checking the output needs more memory than its limit (${limits.memoryLimit}): ${duckDbReason(error)}`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

interface Slot {
  generation: number;
  spill: string;
  instance: Promise<DuckDBInstance>;
}

/**
 * Long-lived DuckDB instances for the platform's own queries over derivation outputs — the
 * privacy gate's measurement and suppression, and the profile — never for vendor SQL, which
 * always runs in a fresh, locked sandbox. Creating and closing an instance costs tens of
 * milliseconds, more than these queries take on a typical (aggregated) output; a worker keeps
 * them and opens a connection per use. Each use has an instance to itself, so its memory limit
 * is the use's own (a memory limit is DuckDB's per instance, not per connection): with
 * `instances` as large as the stages the worker runs at once, no use waits and none can take
 * another's memory. An instance that ran out of memory is closed and replaced.
 */
export class OutputEngine {
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  /** Instances of the current generation, idle or in use. */
  private open = 0;
  /** Incremented by close(): instances of an earlier generation are closed when their use ends. */
  private generation = 0;
  private readonly limits: Limits;
  private readonly instances: number;

  constructor(private readonly options: OutputEngineOptions = {}) {
    this.limits = { memoryLimit: options.memoryLimit ?? '1GB', threads: options.threads ?? 2, timeoutMs: options.timeoutMs };
    this.instances = Math.max(1, options.instances ?? 1);
  }

  /**
   * Runs `use` on a fresh connection of an instance of its own (temporary tables are private to
   * it), closed afterwards, within the engine's time limit.
   */
  async use<T>(use: (queries: Queries, connection: DuckDBConnection, limits: UseLimits) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    let discard = false;
    try {
      const instance = await slot.instance.catch((error: unknown) => {
        discard = true;
        throw error;
      });
      const connection = await instance.connect();
      try {
        return await withinLimits(this.limits, (signal) => {
          signal.addEventListener('abort', () => connection.interrupt(), { once: true });
          return use(connectionQueries(connection), connection, { memoryLimit: this.limits.memoryLimit, threads: this.limits.threads, signal });
        });
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      // Out of memory leaves an instance holding what it could allocate: start the next use afresh.
      if (error instanceof DeriveError && error.code === 'derive.out_of_memory') discard = true;
      throw error;
    } finally {
      this.release(slot, discard);
    }
  }

  /** Closes the idle instances (shutdown, tests) and those in use when their use ends; the next use creates another. */
  async close(): Promise<void> {
    this.generation += 1;
    this.open = 0;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((slot) => this.dispose(slot)));
    // Uses waiting for an instance of the old generation get new ones.
    while (this.waiting.length > 0 && this.open < this.instances) this.waiting.shift()!(this.newSlot());
  }

  private acquire(): Promise<Slot> {
    const slot = this.idle.pop();
    if (slot) return Promise.resolve(slot);
    if (this.open < this.instances) return Promise.resolve(this.newSlot());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot, discard: boolean): void {
    if (slot.generation !== this.generation) {
      void this.dispose(slot);
      return;
    }
    let next: Slot | null = slot;
    if (discard) {
      void this.dispose(slot);
      this.open -= 1;
      next = null;
    }
    const waiter = this.waiting.shift();
    if (!waiter) {
      if (next) this.idle.push(next);
      return;
    }
    waiter(next ?? this.newSlot());
  }

  private newSlot(): Slot {
    this.open += 1;
    const spill = path.join(this.options.workDir ?? tmpdir(), `civic-output-engine-${process.pid}-${randomUUID()}`);
    return { generation: this.generation, spill, instance: this.create(spill) };
  }

  private async dispose(slot: Slot): Promise<void> {
    (await slot.instance.catch(() => null))?.closeSync();
    rmSync(slot.spill, { recursive: true, force: true });
  }

  private async create(spill: string): Promise<DuckDBInstance> {
    mkdirSync(spill, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: this.limits.memoryLimit,
      threads: String(this.limits.threads),
      temp_directory: spill,
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
