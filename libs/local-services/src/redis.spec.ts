import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { findFreePort } from './ports.js';
import { checkRedisEvictionPolicy, pingRedis, resolveRedis, spawnRedisServer } from './redis.js';

const dataRoot = fileURLToPath(new URL('../../../.data/', import.meta.url));
const tmp = path.join(dataRoot, `tmp-local-services-test-${randomBytes(4).toString('hex')}`);
const saved = { REDIS_URL: process.env.REDIS_URL, PATH: process.env.PATH };

function restore(name: keyof typeof saved): void {
  if (saved[name] === undefined) delete process.env[name];
  else process.env[name] = saved[name];
}

afterEach(() => {
  restore('REDIS_URL');
  restore('PATH');
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function withClient<T>(url: string, fn: (c: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

describe('resolveRedis', () => {
  it('finds the Redis answering on 127.0.0.1:6379 when REDIS_URL is not set', async () => {
    delete process.env.REDIS_URL;
    const handle = await resolveRedis({ dataDir: path.join(tmp, 'unused') });
    expect(handle).toMatchObject({ url: 'redis://127.0.0.1:6379', spawned: false });
    await handle.stop();
    await expect(pingRedis(handle.url)).resolves.toBeUndefined();
  });

  it('uses REDIS_URL when it answers', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379/0';
    const handle = await resolveRedis({ dataDir: path.join(tmp, 'unused') });
    expect(handle).toMatchObject({ url: 'redis://127.0.0.1:6379/0', spawned: false });
  });

  it('throws an error naming REDIS_URL when it points at a dead port, within ~2 s', async () => {
    process.env.REDIS_URL = `redis://:hunter2@127.0.0.1:${await findFreePort()}`;
    const started = Date.now();
    const error = await resolveRedis({ dataDir: path.join(tmp, 'unused') }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/REDIS_URL/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('explains how to get a Redis when none can be found', async () => {
    delete process.env.REDIS_URL;
    process.env.PATH = path.join(tmp, 'empty-bin');
    const localUrl = `redis://127.0.0.1:${await findFreePort()}`;
    const error = await resolveRedis({ dataDir: path.join(tmp, 'unused'), localUrl }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toMatch(/No Redis found/);
    expect(text).toContain('REDIS_URL');
    expect(text).toContain('apt-get install redis-server');
    expect(text).toContain('brew install redis');
    expect(text).toContain('docker compose -f infra/docker-compose.yml up -d redis');
  });
});

describe('spawnRedisServer', () => {
  it('starts redis-server on a free port with AOF and noeviction, reuses it, and stops it', async () => {
    const dataDir = path.join(tmp, 'redis');
    // Concurrent callers on one data dir must end up sharing one server.
    const both = await Promise.all([spawnRedisServer(dataDir), spawnRedisServer(dataDir)]);
    const handle = both.find((h) => h.spawned) ?? both[0];
    try {
      expect(both.map((h) => h.spawned).sort()).toEqual([false, true]);
      expect(both[0].url).toBe(both[1].url);
      expect(handle.spawned).toBe(true);
      expect(handle.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(handle.url).not.toBe('redis://127.0.0.1:6379');
      await expect(pingRedis(handle.url)).resolves.toBeUndefined();
      expect(await checkRedisEvictionPolicy(handle.url)).toBe('noeviction');
      const config = await withClient(handle.url, async (c) => ({
        appendonly: await c.config('GET', 'appendonly'),
        appendfsync: await c.config('GET', 'appendfsync'),
        save: await c.config('GET', 'save'),
        dir: await c.config('GET', 'dir'),
      }));
      expect(config).toEqual({
        appendonly: ['appendonly', 'yes'],
        appendfsync: ['appendfsync', 'everysec'],
        save: ['save', ''],
        dir: ['dir', dataDir],
      });

      // A second start on the same data dir must not start a second server writing the same AOF.
      const again = await spawnRedisServer(dataDir);
      expect(again).toMatchObject({ url: handle.url, spawned: false, reused: true });
      await again.stop();
      await expect(pingRedis(handle.url)).resolves.toBeUndefined();
    } finally {
      await handle.stop();
    }
    await expect(pingRedis(handle.url, 500)).rejects.toThrow();
    expect(existsSync(path.join(dataDir, 'redis-server.json'))).toBe(false);
  });

  it("checkRedisEvictionPolicy answers 'unknown' where CONFIG is disabled", async () => {
    const handle = await spawnRedisServer(path.join(tmp, 'redis-noconfig'), {
      extraArgs: ['--rename-command', 'CONFIG', ''],
    });
    try {
      expect(await checkRedisEvictionPolicy(handle.url)).toBe('unknown');
    } finally {
      await handle.stop();
    }
  });
});
