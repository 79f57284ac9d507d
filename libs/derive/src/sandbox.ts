import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { duckDbReason, identifier, literal, readParquetRows, type PreviewValue } from '@civic/ingest';
import { analyzeStatically, checkDuplicateNames, reconcile, type DerivationInput, type OutputColumn } from './analyze.js';
import { describeOnEmptyTables } from './describe.js';
import { DeriveError, messageOf, tidyParserMessage } from './errors.js';

export interface SandboxInputColumn {
  name: string;
  /** A personal column: never visible to the vendor's SQL. */
  hidden?: boolean;
  /** Replaced by a keyed one-way hash of its value (same value and key → same pseudonym; NULL stays NULL). */
  pseudonym?: boolean;
}

export interface SandboxInput {
  /** The table name the vendor's SQL uses. */
  name: string;
  parquetPath: string;
  /** The columns the derivation may know about; columns of the file not listed here are hidden too. */
  columns: SandboxInputColumn[];
  /** Secret for the pseudonym columns of this input (required when it has any). */
  pseudonymKey?: string;
}

/**
 * `view` (default): each input is a view over a hard link of its Parquet file — as fast as DuckDB
 * on the file. `staged`: inputs with hidden or pseudonym columns are first rewritten to a
 * sanitized Parquet copy, so that even SQL that got past validation could read nothing more than
 * the views show (at the cost of one extra pass over those inputs).
 */
export type InputIsolation = 'view' | 'staged';

export interface SandboxOptions {
  inputs: SandboxInput[];
  /** Scratch directory: each run makes (and removes) a private folder in it, also DuckDB's spill directory. */
  workDir: string;
  /** DuckDB memory limit (default '1GB'). */
  memoryLimit?: string;
  /** DuckDB worker threads (default 2). */
  threads?: number;
  /** Time limit of one dry run or materialization, setup included (default 15 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  isolation?: InputIsolation;
  /** Refuse SQL that does not read every input (see AnalyzeRequest.requireAllInputs); checked before anything runs. */
  requireAllInputs?: boolean;
  /**
   * Where the run's DuckDB instance comes from and goes: a fresh instance made ahead of time
   * when the process was idle, and closed after the run when it is idle again (see
   * SandboxEnginePool). Without a pool each run creates and closes its instance itself.
   */
  engines?: SandboxEnginePool;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface DryRunOptions {
  /** Rows read from the start of each input (default 1000). */
  sampleRows?: number;
  /** Rows returned (default 100, at most 1000). */
  maxRows?: number;
}

export interface DryRunResult {
  /** Names and types as the Parquet output will hold them. */
  columns: ResultColumn[];
  /** JSON-safe rows (see @civic/ingest readParquetRows). */
  rows: Record<string, PreviewValue>[];
  inputsUsed: string[];
  /** Lineage of each output column, with DuckDB's names and types. */
  outputs: OutputColumn[];
}

export interface MaterializeOptions {
  /** DuckDB's own progress estimate, 0..1, at most every 200 ms while the query runs, and 1 at the end. A callback that throws fails the run. */
  onProgress?: (fraction: number) => void;
}

export interface MaterializeResult {
  rowCount: number;
  /** Names and types in the written Parquet file. */
  columns: ResultColumn[];
  inputsUsed: string[];
  outputs: OutputColumn[];
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const PROGRESS_POLL_MS = 200;
const DEFAULT_SAMPLE_ROWS = 1000;
const DEFAULT_MAX_ROWS = 100;
const MAX_ROWS_LIMIT = 1000;
/** Table functions a sandboxed plan may contain: the Parquet scans behind the input views. */
const PLAN_FUNCTIONS = new Set(['READ_PARQUET', 'PARQUET_SCAN']);

interface ResolvedInput {
  name: string;
  originalPath: string;
  /** The path DuckDB reads: a hard link (or sanitized copy) in the run's private folder. */
  readPath: string;
  /** Visible columns, file order, with the types the views give them. */
  columns: Array<{ name: string; type: string }>;
}

/** The derived pseudonym key: a fixed-length secret, so key and value cannot run into each other. */
function pseudonymSecret(key: string): string {
  return createHash('sha256').update(`civic-derive-pseudonym:v1:${key}`).digest('hex');
}

/**
 * Runs vendor derivations inside a locked-down, in-memory DuckDB. Every `dryRun` and
 * `materialize` opens its own instance: views over the inputs are created, then
 * `allowed_paths`, `enable_external_access=false` and finally `lock_configuration=true` are set,
 * and only then is the (validated) vendor query run.
 */
export class DerivationSandbox {
  constructor(private readonly options: SandboxOptions) {}

  /** Runs the derivation on the first `sampleRows` rows of each input and returns up to `maxRows` rows. */
  async dryRun(sql: string, options: DryRunOptions = {}): Promise<DryRunResult> {
    const sampleRows = Math.max(0, Math.floor(options.sampleRows ?? DEFAULT_SAMPLE_ROWS));
    const maxRows = Math.min(MAX_ROWS_LIMIT, Math.max(0, Math.floor(options.maxRows ?? DEFAULT_MAX_ROWS)));
    const run = await SandboxRun.open(this.options, { sampleRows, output: (runDir) => path.join(runDir, 'dry-run.parquet') });
    try {
      const { analysis, outputs } = await run.prepareQuery(sql);
      await run.execute(`COPY (SELECT * FROM (\n${analysis.query}\n) LIMIT ${maxRows}) TO ${literal(run.outputPath)} (FORMAT parquet)`);
      run.closeEngine();
      const { columns, rows } = await readParquetRows(run.outputPath, { limit: maxRows });
      return { columns, rows, inputsUsed: analysis.inputsUsed, outputs };
    } finally {
      const modified = await run.dispose();
      // eslint-disable-next-line no-unsafe-finally
      if (modified) throw modified;
    }
  }

  /**
   * Writes the derivation's result to `outputPath` as Parquet (zstd) with DuckDB's own COPY, no
   * row passing through JavaScript. Nothing is left at `outputPath` when it fails.
   */
  async materialize(sql: string, outputPath: string, options: MaterializeOptions = {}): Promise<MaterializeResult> {
    const partial = `${outputPath}.${randomUUID()}.partial`;
    await mkdir(path.dirname(outputPath), { recursive: true });
    const run = await SandboxRun.open(this.options, { output: () => partial, outputName: outputPath });
    try {
      const { analysis, outputs } = await run.prepareQuery(sql);
      const rowCount = await run.execute(`COPY (\n${analysis.query}\n) TO ${literal(partial)} (FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)`, options.onProgress);
      const columns = await run.describe(`SELECT * FROM read_parquet(${literal(partial)})`);
      run.closeEngine();
      options.onProgress?.(1);
      await rename(partial, outputPath);
      return { rowCount, columns, inputsUsed: analysis.inputsUsed, outputs };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    } finally {
      const modified = await run.dispose();
      // eslint-disable-next-line no-unsafe-finally
      if (modified) throw modified;
    }
  }

  /**
   * TEST ONLY — never call this with vendor SQL in production. Runs `sql` in a fully set-up,
   * locked sandbox WITHOUT `analyzeDerivation`, to prove the engine-level wall on its own.
   * With `guard` (default) the statement still goes through the engine guard (one statement,
   * DuckDB reports it as SELECT, its plan scans only the input files); `guard: false` runs it
   * directly on the locked connection, proving DuckDB's configuration alone.
   */
  async unsafeRunUnvalidatedForTests(sql: string, options: { guard?: boolean; sampleRows?: number } = {}): Promise<Array<Record<string, unknown>>> {
    const run = await SandboxRun.open(this.options, { sampleRows: options.sampleRows, output: (runDir) => path.join(runDir, 'raw-output.parquet') });
    try {
      if (options.guard !== false) await run.guard(sql);
      return await run.rows(sql);
    } finally {
      const modified = await run.dispose();
      // eslint-disable-next-line no-unsafe-finally
      if (modified) throw modified;
    }
  }
}

interface RunShape {
  /** Limit each input view to its first rows (dry runs). */
  sampleRows?: number;
  /** The one file the run may write, given its private folder. */
  output: (runDir: string) => string;
  /** The name the output goes by in messages. */
  outputName?: string;
}

/** One locked DuckDB instance with the inputs as views, for one operation. */
class SandboxRun {
  private instance: DuckDBInstance | null = null;
  private connection: DuckDBConnection | null = null;
  private stopReason: 'timeout' | 'cancelled' | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inputs: ResolvedInput[] = [];
  /** Identity of each input file before the run, to notice a file changed through its link. */
  private readonly fingerprints = new Map<string, { input: string; fingerprint: string }>();
  private readonly paths = new Map<string, string>();
  private readonly onAbort = () => this.stop('cancelled');
  readonly outputPath: string;

  private constructor(
    private readonly options: SandboxOptions,
    private readonly runDir: string,
    shape: RunShape,
  ) {
    this.outputPath = shape.output(runDir);
  }

  static async open(options: SandboxOptions, shape: RunShape): Promise<SandboxRun> {
    if (options.signal?.aborted) throw new DeriveError('derive.cancelled', 'The derivation was cancelled.');
    await mkdir(options.workDir, { recursive: true });
    const runDir = await mkdtemp(path.join(options.workDir, 'derive-'));
    const run = new SandboxRun(options, runDir, shape);
    try {
      await run.setUp(shape);
      return run;
    } catch (error) {
      throw (await run.dispose()) ?? run.mapError(error);
    }
  }

  private async setUp(shape: RunShape): Promise<void> {
    const { options } = this;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.paths.set(this.outputPath, 'the output');
    if (shape.outputName) this.paths.set(shape.outputName, 'the output');

    checkSandboxInputs(options.inputs);
    const tempDirectory = path.join(this.runDir, 'spill');
    await mkdir(tempDirectory);
    const config: EngineConfig = {
      memory_limit: options.memoryLimit ?? '1GB',
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      allow_unsigned_extensions: 'false',
      allow_persistent_secrets: 'false',
    };
    this.instance = options.engines ? await options.engines.take(config) : await DuckDBInstance.create(':memory:', config);
    this.connection = await this.instance.connect();
    await this.connection.run(
      `SET temp_directory = ${literal(tempDirectory)}; SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET TimeZone = 'UTC'; ` +
        // A division by zero is NULL (no value), not IEEE's Infinity or NaN, which no product should sell.
        `SET ieee_floating_point_ops = false`,
    );
    for (const input of options.inputs) this.inputs.push(await this.resolveInput(input, shape.sampleRows));

    // The walls, in this order; lock_configuration last, after which no setting can change.
    const allowed = [...this.inputs.map((input) => input.readPath), this.outputPath];
    await this.connection.run(
      `SET allowed_paths = [${allowed.map(literal).join(', ')}]; SET enable_external_access = false; SET lock_configuration = true`,
    );
  }

  /** Links (or stages) one input into the run folder and creates its view. */
  private async resolveInput(input: SandboxInput, sampleRows: number | undefined): Promise<ResolvedInput> {
    const connection = this.connection!;
    const originalPath = path.resolve(input.parquetPath);
    const exists = await stat(originalPath).then((info) => info.isFile(), () => false);
    if (!exists) throw new DeriveError('derive.invalid_input', `The file of input "${input.name}" does not exist.`, { input: input.name });
    this.paths.set(originalPath, `input "${input.name}"`);
    if (input.parquetPath !== originalPath) this.paths.set(input.parquetPath, `input "${input.name}"`);

    const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(originalPath)})`)).getRowObjectsJS();
    const fileColumns = described.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    const declared = new Map(input.columns.map((column) => [column.name.toLowerCase(), column]));
    for (const column of input.columns) {
      if (!fileColumns.some((fileColumn) => fileColumn.name.toLowerCase() === column.name.toLowerCase())) {
        throw new DeriveError('derive.invalid_input', `Input "${input.name}" has no column "${column.name}".`, { input: input.name, name: column.name });
      }
    }
    const visible = fileColumns.filter((column) => {
      const spec = declared.get(column.name.toLowerCase());
      return spec !== undefined && !spec.hidden;
    });
    if (visible.length === 0) throw new DeriveError('derive.invalid_input', `Input "${input.name}" has no visible column.`, { input: input.name });
    const pseudonyms = new Set(visible.filter((column) => declared.get(column.name.toLowerCase())?.pseudonym).map((column) => column.name));
    if (pseudonyms.size > 0 && !input.pseudonymKey) {
      throw new DeriveError('derive.invalid_input', `Input "${input.name}" has pseudonym columns but no pseudonym key.`, { input: input.name });
    }
    const secret = input.pseudonymKey ? pseudonymSecret(input.pseudonymKey) : '';
    const projection = visible
      .map((column) =>
        pseudonyms.has(column.name)
          ? `sha256(${literal(secret)} || CAST(${identifier(column.name)} AS VARCHAR)) AS ${identifier(column.name)}`
          : identifier(column.name),
      )
      .join(', ');
    const columns = visible.map((column) => ({ name: column.name, type: pseudonyms.has(column.name) ? 'VARCHAR' : column.type }));
    const limit = sampleRows === undefined ? '' : ` LIMIT ${sampleRows}`;
    const sanitizing = visible.length < fileColumns.length || pseudonyms.size > 0;
    this.fingerprints.set(originalPath, { input: input.name, fingerprint: await fingerprint(originalPath) });
    const readPath = path.join(this.runDir, `${randomUUID()}.parquet`);
    this.paths.set(readPath, `input "${input.name}"`);

    if (this.options.isolation === 'staged' && sanitizing) {
      // The only copy DuckDB may read holds exactly what the view shows: no hidden column, no raw value, no key.
      await connection.run(`COPY (SELECT ${projection} FROM read_parquet(${literal(originalPath)})${limit}) TO ${literal(readPath)} (FORMAT parquet, COMPRESSION zstd)`);
      await connection.run(`CREATE VIEW ${identifier(input.name)} AS SELECT * FROM read_parquet(${literal(readPath)})`);
    } else {
      await linkOrCopy(originalPath, readPath);
      await connection.run(`CREATE VIEW ${identifier(input.name)} AS SELECT ${projection} FROM read_parquet(${literal(readPath)})${limit}`);
    }
    return { name: input.name, originalPath, readPath, columns };
  }

  /** The inputs as the analyzer sees them: visible columns with their types. */
  private analyzerInputs(): DerivationInput[] {
    return this.inputs.map((input) => ({ name: input.name, columns: input.columns.map((column) => ({ name: column.name, type: column.type })) }));
  }

  /** Validates the vendor's SQL, passes it through the engine guard and names its output with DuckDB. */
  async prepareQuery(sql: string) {
    const analysis = await analyzeStatically({ sql, inputs: this.analyzerInputs(), requireAllInputs: this.options.requireAllInputs });
    let described: ResultColumn[];
    try {
      await this.guard(analysis.query);
      described = await this.describe(analysis.query);
    } catch (error) {
      throw await this.locateBindError(error, analysis.query);
    }
    // Parquet has no 128-bit integers (DuckDB would write a sum of integers, HUGEINT, as DOUBLE:
    // 900.0): such columns are written as 64-bit integers; a value beyond them fails the run.
    const narrowed = described.map((column) => ({ ...column, type: /^UHUGEINT$/i.test(column.type) ? 'UBIGINT' : /^HUGEINT$/i.test(column.type) ? 'BIGINT' : column.type }));
    const wide = narrowed.filter((column, index) => column.type !== described[index]!.type);
    const query =
      wide.length === 0
        ? analysis.query
        : `SELECT * REPLACE (${wide.map((column) => `CAST(${identifier(column.name)} AS ${column.type}) AS ${identifier(column.name)}`).join(', ')}) FROM (\n${analysis.query}\n)`;
    const outputs = reconcile(analysis.columns, narrowed);
    checkDuplicateNames(outputs);
    return { analysis: { ...analysis, query }, outputs };
  }

  /**
   * DuckDB's binder refused the query here, where its message has no usable position: the same
   * query is bound again against empty tables of the same columns and types in the parser's
   * instance, whose error says where (`details.position`, `line`, `column`, as for syntax errors).
   * Only on this failure path; anything else, or a different answer, leaves the error as it was.
   */
  private async locateBindError(error: unknown, query: string): Promise<unknown> {
    if (!(error instanceof DeriveError) || error.details.position !== undefined) return error;
    if (!['derive.unknown_column', 'derive.unknown_input', 'derive.invalid_query'].includes(error.code)) return error;
    try {
      await describeOnEmptyTables(query, this.analyzerInputs());
    } catch (located) {
      if (located instanceof DeriveError && located.code === error.code && located.details.position !== undefined) return located;
    }
    return error;
  }

  /**
   * The engine's own checks, independent of the analyzer: DuckDB must see exactly one statement,
   * of type SELECT, whose plan scans nothing but Parquet files (no catalog, settings or other table functions).
   */
  async guard(sql: string): Promise<void> {
    const connection = this.live();
    try {
      const extracted = await connection.extractStatements(sql);
      if (extracted.count !== 1) throw new DeriveError('derive.not_a_query', `A derivation must be exactly one SELECT query, not ${extracted.count} statements.`);
      const prepared = await extracted.prepare(0);
      if (prepared.statementType !== StatementType.SELECT) {
        throw new DeriveError('derive.not_a_query', 'A derivation must be a SELECT query; the engine refused this statement.');
      }
      const explained = await connection.runAndReadAll(`EXPLAIN (FORMAT json) ${sql}`).then(
        (reader) => reader.getRowObjectsJS(),
        (error: unknown) => {
          // DuckDB calls it a SELECT but cannot plan it as one (e.g. PRAGMA rewritten to a call).
          throw new DeriveError('derive.not_a_query', `The engine cannot plan this statement as a query: ${this.mapError(error).message}`);
        },
      );
      for (const row of explained) {
        const functionName = forbiddenPlanFunction(JSON.parse(String(row.explain_value)));
        if (functionName) {
          throw new DeriveError('derive.forbidden_function', `The query plan reads ${functionName.toLowerCase()}(), which a derivation may not use.`, { function: functionName.toLowerCase() });
        }
      }
    } catch (error) {
      throw this.mapError(error);
    }
  }

  async describe(query: string): Promise<ResultColumn[]> {
    const rows = await this.rows(`DESCRIBE ${query}`);
    return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  }

  /** Runs one statement, reporting progress; returns the rows it changed (written). */
  async execute(sql: string, onProgress?: (fraction: number) => void): Promise<number> {
    const connection = this.live();
    let callbackError: unknown = null;
    const timer = onProgress
      ? setInterval(() => {
          const { percentage } = connection.progress;
          if (percentage < 0) return;
          try {
            onProgress(Math.min(1, percentage / 100));
          } catch (error) {
            callbackError = error;
            connection.interrupt();
          }
        }, PROGRESS_POLL_MS)
      : undefined;
    try {
      const result = await connection.run(sql);
      return result.rowsChanged;
    } catch (error) {
      if (callbackError) throw callbackError;
      throw this.mapError(error);
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    try {
      return (await this.live().runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
    } catch (error) {
      throw this.mapError(error);
    }
  }

  private live(): DuckDBConnection {
    if (this.stopReason) throw this.stopError();
    if (!this.connection) throw new DeriveError('derive.runtime', 'The sandbox is closed.');
    return this.connection;
  }

  private stop(reason: 'timeout' | 'cancelled'): void {
    this.stopReason ??= reason;
    this.connection?.interrupt();
  }

  private stopError(): DeriveError {
    return this.stopReason === 'timeout'
      ? new DeriveError('derive.timeout', `The derivation took longer than its time limit (${this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms) and was stopped.`)
      : new DeriveError('derive.cancelled', 'The derivation was cancelled.');
  }

  /** A DuckDB error as a DeriveError, with server paths replaced by what they stand for. */
  mapError(error: unknown): DeriveError {
    if (this.stopReason) return this.stopError();
    if (error instanceof DeriveError) return error;
    const paths: Record<string, string> = {};
    // Longest first, so that a link inside the run folder is named before the folder itself.
    const entries = [...this.paths.entries(), [this.runDir, 'the sandbox'], [path.resolve(this.options.workDir), 'the work directory']] as Array<[string, string]>;
    for (const [from, to] of entries.sort((a, b) => b[0].length - a[0].length)) paths[from] = to;
    const raw = messageOf(error);
    const first = raw.split('\n').find((line) => line.trim() !== '') ?? raw;
    const reason = duckDbReason(raw, paths);
    if (/^Out of Memory Error/i.test(first)) {
      return new DeriveError('derive.out_of_memory', `The derivation needs more memory than its limit (${this.options.memoryLimit ?? '1GB'}): ${reason}`);
    }
    if (/^INTERRUPT Error/i.test(first)) return new DeriveError('derive.cancelled', 'The derivation was interrupted.');
    if (/^Permission Error/i.test(first) || /configuration has been locked/i.test(first)) {
      return new DeriveError('derive.permission_denied', `The sandbox refused this: ${reason}`);
    }
    if (/^Parser Error/i.test(first)) return new DeriveError('derive.syntax', tidyParserMessage(reason));
    if (/^Catalog Error: Table with name/i.test(first)) return new DeriveError('derive.unknown_input', reason);
    if (/^Catalog Error: .*Function with name/i.test(first)) return new DeriveError('derive.forbidden_function', reason);
    if (/Referenced column .* not found|does not have a column named|Referenced table .* not found/i.test(first)) {
      return new DeriveError('derive.unknown_column', reason);
    }
    if (/^Binder Error/i.test(first)) return new DeriveError('derive.invalid_query', reason);
    return new DeriveError('derive.runtime', reason);
  }

  /** Closes DuckDB (frees its memory; with a pool, when the process is idle) but keeps the run folder. */
  closeEngine(): void {
    this.connection?.closeSync();
    if (this.instance) {
      if (this.options.engines) this.options.engines.retire(this.instance);
      else this.instance.closeSync();
    }
    this.connection = null;
    this.instance = null;
  }

  /**
   * Ends the run and removes its folder. Returns an error when an input file changed during the
   * run (a write through its link, which only SQL past both validation and the engine guard could do).
   */
  async dispose(): Promise<DeriveError | null> {
    if (this.timer) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.closeEngine();
    await rm(this.runDir, { recursive: true, force: true });
    for (const [file, { input, fingerprint: before }] of this.fingerprints) {
      if ((await fingerprint(file)) !== before) {
        return new DeriveError('derive.input_modified', `The file of input "${input}" changed during the run; restore it from storage before using it again.`, { input });
      }
    }
    return null;
  }
}

function checkSandboxInputs(inputs: SandboxInput[]): void {
  const names = new Set<string>();
  for (const input of inputs) {
    if (!input.name) throw new DeriveError('derive.invalid_input', 'Every input needs a name.');
    const key = input.name.toLowerCase();
    if (names.has(key)) throw new DeriveError('derive.invalid_input', `Two inputs are named "${input.name}".`, { input: input.name });
    names.add(key);
  }
}

async function fingerprint(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
}

/** DuckDB's configuration at creation, as strings. */
type EngineConfig = Record<string, string>;

export interface SandboxEnginePoolOptions {
  /** Used instances are closed by flush(), or at the latest this long after their run (default 2 s). */
  closeDelayMs?: number;
}

/**
 * Fresh DuckDB instances for sandbox runs, made and closed off the runs' critical path. Creating
 * an instance takes 20–90 ms and closing one after a large query 40–90 ms (it returns the
 * query's memory), all on the caller's thread for the close; a worker creates the next instance
 * while it is idle and closes used ones when it is idle again (`flush`, or a timer).
 *
 * Every instance is used by exactly one run: `take` hands out an instance no query has touched
 * (created with the run's configuration; the run then sets its spill folder, its allowed paths
 * and locks it), and an instance given back with `retire` is only ever closed.
 */
export class SandboxEnginePool {
  private readonly spares = new Map<string, Promise<DuckDBInstance | null>>();
  private readonly configs = new WeakMap<DuckDBInstance, EngineConfig>();
  private retired: DuckDBInstance[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: SandboxEnginePoolOptions = {}) {}

  /** A fresh instance with this configuration: the spare made ahead of time, or a new one. */
  async take(config: EngineConfig): Promise<DuckDBInstance> {
    const key = configKey(config);
    const spare = this.spares.get(key);
    this.spares.delete(key);
    const instance = (spare ? await spare : null) ?? (await DuckDBInstance.create(':memory:', config));
    this.configs.set(instance, config);
    return instance;
  }

  /** Gives back a used instance: it is closed by the next flush (or the timer), never used again. */
  retire(instance: DuckDBInstance): void {
    if (this.closed) {
      instance.closeSync();
      return;
    }
    this.retired.push(instance);
    this.timer ??= setTimeout(() => this.flush(), this.options.closeDelayMs ?? 2_000);
    this.timer.unref();
  }

  /**
   * Closes the used instances now and makes a spare for the next run of each configuration
   * seen: call it when the process is idle (e.g. after a run has finished).
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const retired = this.retired;
    this.retired = [];
    const configs = new Map<string, EngineConfig>();
    for (const instance of retired) {
      const config = this.configs.get(instance);
      if (config) configs.set(configKey(config), config);
      instance.closeSync();
    }
    if (this.closed) return;
    for (const [key, config] of configs) {
      if (this.spares.has(key)) continue;
      // A spare that cannot be made is simply not there: the next run creates its instance itself.
      const spare: Promise<DuckDBInstance | null> = DuckDBInstance.create(':memory:', config).catch(() => {
        if (this.spares.get(key) === spare) this.spares.delete(key);
        return null;
      });
      this.spares.set(key, spare);
    }
  }

  /** Closes every instance it holds (shutdown, tests); instances retired later are closed at once. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    const spares = [...this.spares.values()];
    this.spares.clear();
    for (const spare of spares) (await spare)?.closeSync();
  }
}

function configKey(config: EngineConfig): string {
  return JSON.stringify(Object.keys(config).sort().map((key) => [key, config[key]]));
}

/** A hard link costs nothing and gives the input a private name; across file systems, a (reflink) copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to, fsConstants.COPYFILE_FICLONE);
  }
}

/** The first table function in a physical plan (EXPLAIN FORMAT json) that is not a Parquet scan. */
function forbiddenPlanFunction(plan: unknown): string | null {
  const nodes: unknown[] = Array.isArray(plan) ? [...plan] : [plan];
  while (nodes.length) {
    const node = nodes.pop() as { extra_info?: Record<string, unknown>; children?: unknown[] } | null;
    if (!node || typeof node !== 'object') continue;
    const functionName = node.extra_info?.Function;
    if (typeof functionName === 'string' && !PLAN_FUNCTIONS.has(functionName.toUpperCase())) return functionName;
    nodes.push(...(node.children ?? []));
  }
  return null;
}
