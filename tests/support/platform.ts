import { findFreePort } from '@civic/local-services';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { Http } from './http.js';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningPlatform {
  baseUrl: string;
  queuePrefix: string;
  env: Record<string, string>;
  /** Everything the processes printed, for assertions on logs. */
  output(): string;
  /** Stops the processes with SIGTERM; resolves with how each ended (exit code or signal). */
  close(): Promise<Array<number | string | null>>;
  /** Kills the processes at once (SIGKILL), as a crash would; resolves when they are gone. */
  crash(): Promise<void>;
}

function launch(script: string, env: Record<string, string>, sink: string[], args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => sink.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => sink.push(chunk.toString()));
  return child;
}

async function until(check: () => Promise<boolean> | boolean, child: ChildProcess, label: string, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}:\n${output()}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${label} not ready after ${timeoutMs} ms:\n${output()}`);
}

function stop(child: ChildProcess | null): Promise<number | string | null> {
  if (!child) return Promise.resolve(null);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Boots the real, built API (and optionally the worker) as separate processes against the
 * run's database and real Redis, on a free loopback port. Each call gets its own queue and
 * rate-limit prefix so test files never share Redis state.
 */
export async function startPlatform(overrides: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<RunningPlatform> {
  const queuePrefix = `t${randomBytes(4).toString('hex')}`;
  const port = await findFreePort(0);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: queuePrefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
    DATABASE_POOL_SIZE: '5',
    WORKER_CONCURRENCY: '4',
    ...overrides,
  };
  const sink: string[] = [];
  const output = () => sink.join('');
  const api = launch('apps/api/dist/main.js', env, sink);
  const baseUrl = `http://127.0.0.1:${port}`;
  let worker: ChildProcess | null = null;
  try {
    await until(async () => (await fetch(`${baseUrl}/health/ready`).catch(() => null))?.ok ?? false, api, 'API', output);
    if (options.worker) {
      worker = launch('apps/worker/dist/main.js', env, sink);
      await until(() => output().includes('worker ready'), worker, 'worker', output);
    }
  } catch (error) {
    await Promise.all([stop(api), stop(worker)]);
    throw error;
  }
  return {
    baseUrl,
    queuePrefix,
    env,
    output,
    async close() {
      const endings = await Promise.all([stop(api), ...(worker ? [stop(worker)] : [])]);
      await forgetRedisKeys(env.REDIS_URL, queuePrefix).catch(() => undefined);
      return endings;
    },
    async crash() {
      await Promise.all(
        [api, worker].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

/** Removes this run's queues, schedules and rate-limit counters, so test runs leave Redis as they found it. */
async function forgetRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`{${prefix}}:*`, `${prefix}:throttle:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Runs a built entry point to completion (start-up refusal tests, command-line tools). */
export function runToExit(script: string, env: Record<string, string>, timeoutMs = 30_000, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const sink: string[] = [];
  const child = launch(script, env, sink, args);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: sink.join('') });
    });
  });
}

/**
 * Registers beforeAll/afterAll that start the platform for a describe block and stop it.
 * Read `http` and `platform` inside tests (they are set once beforeAll has run). Overrides given
 * as a function are read when the platform starts (after earlier beforeAll hooks).
 */
export function usePlatform(
  overrides: Record<string, string> | (() => Record<string, string>) = {},
  options: { worker?: boolean } = {},
): { http: Http; platform: RunningPlatform } {
  const state = {} as { http: Http; platform: RunningPlatform };
  beforeAll(async () => {
    state.platform = await startPlatform(typeof overrides === 'function' ? overrides() : overrides, options);
    state.http = new Http(state.platform.baseUrl);
  });
  afterAll(async () => {
    await state.platform?.close();
  });
  return state;
}
