import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './ports.js';
import { isPidAlive, isVerbose, killOnParentExit, noop, OutputTail, processArgv, redactUrl, seconds, sleep, withFileLock, type Log } from './util.js';

export interface RedisHandle {
  url: string;
  /** true when this call started a redis-server child process, which stop() then terminates. */
  spawned: boolean;
  /** true when a redis-server spawned by an earlier run on the same dataDir was reused; stop() leaves it running. */
  reused: boolean;
  stop(): Promise<void>;
}

export interface ResolveRedisOptions {
  /** Where a spawned redis-server keeps its append-only file, e.g. `<repo>/.data/redis` (git-ignored). */
  dataDir: string;
  log?: Log;
  /** Relay redis-server output to `log`. Default: env LOCAL_SERVICES_VERBOSE=1. */
  verbose?: boolean;
  /** The conventional local Redis tried after REDIS_URL; default redis://127.0.0.1:6379. */
  localUrl?: string;
}

export interface SpawnRedisOptions {
  /** Default: any free port. */
  port?: number;
  log?: Log;
  verbose?: boolean;
  /** Path of redis-server; default: looked up on PATH. */
  command?: string;
  /** Appended to the command line (later options win in redis-server). */
  extraArgs?: string[];
}

export const DEFAULT_LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
const HOST = '127.0.0.1';
const STATE_FILE = 'redis-server.json';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A client for a one-off check: no reconnects and no offline queue, so a dead server fails fast. */
async function withRedis<T>(url: string, timeoutMs: number, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Without a listener ioredis prints "[ioredis] Unhandled error event" for every failed attempt.
  // The event also carries the real cause (ECONNREFUSED, NOAUTH...), where connect() only says
  // "Connection is closed.".
  let cause: Error | undefined;
  client.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    return await withTimeout(
      client.connect().then(() => fn(client)),
      timeoutMs,
    );
  } catch (err) {
    throw cause && err instanceof Error && err.message === 'Connection is closed.' ? cause : err;
  } finally {
    // On a client whose connection already failed, disconnect() arms ioredis' 2 s disconnectTimeout
    // timer on a socket that already closed; nothing clears it, so it keeps the process alive.
    if (client.status !== 'end') client.disconnect();
  }
}

/** Resolves when `url` answers PING within `timeoutMs`, rejects otherwise. */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const reply = await withRedis(url, timeoutMs, (c) => c.ping());
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
}

/**
 * The server's `maxmemory-policy` (BullMQ needs `noeviction`), or 'unknown' where CONFIG is
 * disabled or renamed, as on most managed Redis offerings.
 */
export async function checkRedisEvictionPolicy(url: string): Promise<string> {
  return withRedis(url, 2000, async (c) => {
    let reply: unknown;
    try {
      reply = await c.config('GET', 'maxmemory-policy');
    } catch (err) {
      if ((err as Error).name === 'ReplyError') return 'unknown';
      throw err;
    }
    // RESP2 answers a flat [name, value] list, RESP3 a map.
    if (Array.isArray(reply)) return typeof reply[1] === 'string' ? reply[1] : 'unknown';
    if (reply && typeof reply === 'object') {
      const value = (reply as Record<string, unknown>)['maxmemory-policy'];
      return typeof value === 'string' ? value : 'unknown';
    }
    return 'unknown';
  });
}

async function warnAboutEviction(url: string, log: Log): Promise<void> {
  try {
    const policy = await checkRedisEvictionPolicy(url);
    if (policy !== 'noeviction' && policy !== 'unknown') {
      log(`redis: WARNING maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or jobs can silently disappear`);
    }
  } catch {
    // Only advice; the PING that just succeeded is what decides.
  }
}

export async function findOnPath(command: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function noRedisError(dataDir: string, localUrl: string): Error {
  return new Error(
    [
      `No Redis found: REDIS_URL is not set, nothing answers PING on ${localUrl}, and there is no redis-server on PATH.`,
      'Get one of these:',
      '  - set REDIS_URL=redis://HOST:PORT to a Redis you run;',
      `  - install redis-server (Debian/Ubuntu: "sudo apt-get install redis-server", macOS: "brew install redis"); it is then started automatically with data in ${dataDir};`,
      '  - or start the one from the repository: "docker compose -f infra/docker-compose.yml up -d redis".',
    ].join('\n'),
  );
}

/**
 * REDIS_URL if set (it must answer), else the conventional local Redis, else a redis-server
 * child process with data in `dataDir`, else an error explaining how to get a Redis.
 */
export async function resolveRedis(opts: ResolveRedisOptions): Promise<RedisHandle> {
  const log = opts.log ?? noop;
  const startedAt = performance.now();
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    try {
      await pingRedis(fromEnv, 2000);
    } catch (err) {
      throw new Error(
        `REDIS_URL is set (${redactUrl(fromEnv)}) but Redis does not answer PING there within 2 s: ${message(err)}. ` +
          'Fix REDIS_URL, or unset it to use a local Redis.',
        { cause: err },
      );
    }
    log(`redis: using REDIS_URL ${redactUrl(fromEnv)} (answered in ${seconds(startedAt)})`);
    await warnAboutEviction(fromEnv, log);
    return { url: fromEnv, spawned: false, reused: false, stop: async () => undefined };
  }

  const localUrl = opts.localUrl ?? DEFAULT_LOCAL_REDIS_URL;
  try {
    await pingRedis(localUrl, 1000);
    log(`redis: using ${redactUrl(localUrl)} (answered in ${seconds(startedAt)})`);
    await warnAboutEviction(localUrl, log);
    return { url: localUrl, spawned: false, reused: false, stop: async () => undefined };
  } catch {
    // fall through to a redis-server of our own
  }

  const command = await findOnPath('redis-server');
  if (!command) throw noRedisError(path.resolve(opts.dataDir), localUrl);
  return spawnRedisServer(opts.dataDir, { log, verbose: opts.verbose, command });
}

interface SpawnState {
  pid: number;
  port: number;
}

async function readState(dataDir: string): Promise<SpawnState | null> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, STATE_FILE), 'utf8')) as Partial<SpawnState>;
    return Number.isInteger(parsed.pid) && Number.isInteger(parsed.port) ? (parsed as SpawnState) : null;
  } catch {
    return null;
  }
}

/**
 * Two redis-servers appending to the same appendonlydir corrupt it, so a server a previous run
 * left on this dataDir (the user re-ran the start command) is reused instead of started again.
 */
async function reuseSpawned(dataDir: string, log: Log, startedAt: number): Promise<RedisHandle | null> {
  const state = await readState(dataDir);
  if (!state || !isPidAlive(state.pid)) return null;
  const argv = processArgv(state.pid);
  if (argv !== null && !argv.some((a) => a.includes('redis-server'))) return null;
  const url = `redis://${HOST}:${state.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await pingRedis(url, 1000);
      log(`redis: reusing redis-server already running on ${HOST}:${state.port} (pid ${state.pid}) in ${seconds(startedAt)}`);
      return { url, spawned: false, reused: true, stop: async () => undefined };
    } catch (err) {
      // LOADING while it replays a large append-only file: wait.
      if (Date.now() > deadline) {
        throw new Error(
          `redis-server pid ${state.pid} uses ${dataDir} but does not answer on ${HOST}:${state.port} (${message(err)}). ` +
            `Stop it (kill ${state.pid}) and retry.`,
          { cause: err },
        );
      }
      await sleep(200);
    }
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGTERM lets redis fsync the append-only file before exiting.
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 2000);
  }
}

/**
 * Starts a redis-server child process on 127.0.0.1 with the settings BullMQ and durability need
 * (AOF every second, no RDB snapshots, noeviction) and data in `dataDir`; resolves once it answers PING.
 */
export async function spawnRedisServer(dataDir: string, opts: SpawnRedisOptions = {}): Promise<RedisHandle> {
  const log = opts.log ?? noop;
  const verbose = isVerbose(opts.verbose);
  const startedAt = performance.now();
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  return withFileLock(path.join(dir, 'redis-server.lock'), 30_000, async () => {
    const reused = await reuseSpawned(dir, log, startedAt);
    return reused ?? startRedisServer(dir, opts, log, verbose, startedAt);
  });
}

async function startRedisServer(dir: string, opts: SpawnRedisOptions, log: Log, verbose: boolean, startedAt: number): Promise<RedisHandle> {

  const command = opts.command ?? (await findOnPath('redis-server'));
  if (!command) throw noRedisError(dir, DEFAULT_LOCAL_REDIS_URL);

  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort(attempt === 1 ? opts.port : 0);
    const tail = new OutputTail();
    const child = spawn(
      command,
      [
        '--port', String(port),
        '--bind', HOST,
        '--daemonize', 'no',
        '--appendonly', 'yes',
        '--appendfsync', 'everysec',
        '--maxmemory-policy', 'noeviction',
        '--save', '',
        '--dir', dir,
        ...(opts.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const relay = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      tail.push(text);
      if (verbose) log(`[redis] ${text.trimEnd()}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    const unregister = killOnParentExit(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });

    const url = `redis://${HOST}:${port}`;
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (!ready) {
      if (spawnError || child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) break;
      try {
        await pingRedis(url, 500);
        ready = true;
      } catch {
        await sleep(50);
      }
    }

    if (!ready) {
      unregister();
      await terminate(child);
      if (tail.includes('Address already in use') && attempt < 3) {
        log(`redis: port ${port} was taken, retrying`);
        continue;
      }
      if (!verbose && tail.text()) log(`[redis] ${tail.text(200)}`);
      const output = tail.text(20);
      throw new Error(
        `redis-server (${command}) failed to start on ${HOST}:${port} with data in ${dir}: ` +
          `${spawnError ? spawnError.message : child.exitCode !== null || child.signalCode !== null ? 'it exited' : 'no PING answer within 10 s'}\n${output}`,
      );
    }

    const statePath = path.join(dir, STATE_FILE);
    await writeFile(statePath, JSON.stringify({ pid: child.pid, port } satisfies Partial<SpawnState>));
    let stopping: Promise<void> | undefined;
    child.once('exit', (code, signal) => {
      if (!stopping) log(`redis: redis-server on port ${port} exited unexpectedly (code ${code}, signal ${signal})\n${tail.text()}`);
    });
    log(`redis: started ${command} on ${HOST}:${port} in ${seconds(startedAt)} (data in ${dir})`);
    return {
      url,
      spawned: true,
      reused: false,
      stop: () =>
        (stopping ??= (async () => {
          await terminate(child);
          unregister();
          await rm(statePath, { force: true });
        })()),
    };
  }
}
