import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { findFreePort } from './ports.js';
import { createIsolatedDatabase, ensureDatabase, resolvePostgres, type PostgresHandle } from './postgres.js';

const dataRoot = fileURLToPath(new URL('../../../.data/', import.meta.url));
const tmp = path.join(dataRoot, `tmp-local-services-test-${randomBytes(4).toString('hex')}`);
const dataDir = path.join(tmp, 'cluster', 'pg');
const savedDatabaseUrl = process.env.DATABASE_URL;
const logs: string[] = [];
const log = (m: string): void => {
  logs.push(m);
};
let server: PostgresHandle;
let concurrentPeer: PostgresHandle | undefined;

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await query(server.url, 'select 1 from pg_database where datname = $1', [name])).length === 1;
}

beforeAll(async () => {
  // The system PostgreSQL of a developer machine must never be touched by these tests.
  delete process.env.DATABASE_URL;
  // Two callers at once on a fresh dataDir (api and worker starting together): one runs initdb and
  // starts the server, the other waits for it and reuses it.
  const both = await Promise.all([
    resolvePostgres({ dataDir, preferredPort: 0, log }),
    resolvePostgres({ dataDir, preferredPort: 0, log }),
  ]);
  server = both.find((h) => !h.reused) ?? both[0];
  concurrentPeer = both.find((h) => h !== server);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
  await rm(tmp, { recursive: true, force: true });
}, 30_000);

describe('resolvePostgres (embedded)', () => {
  it('starts PostgreSQL 18 on 127.0.0.1 on a port of its own', async () => {
    expect(server.embedded).toBe(true);
    expect(server.reused).toBe(false);
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe('5432');
    expect(server.url).toBe(`postgres://postgres:postgres@127.0.0.1:${url.port}/postgres`);
    const [row] = await query<{ server_version_num: string }>(server.url, 'show server_version_num');
    expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(180000);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    // Created parents are opened up for the `postgres` OS user.
    expect((await stat(path.dirname(dataDir))).mode & 0o777).toBe(0o777);
    expect(logs.some((l) => /ready on 127\.0\.0\.1:\d+ in \d+\.\d s \(new cluster/.test(l))).toBe(true);
  });

  it('lets a concurrent second caller reuse the server instead of racing initdb', () => {
    expect(concurrentPeer).toMatchObject({ url: server.url, reused: true, embedded: true });
    expect(logs.filter((l) => l.includes('creating a new cluster'))).toHaveLength(1);
  });

  it('creates an isolated database and drops it, even with a connection still open', async () => {
    const db = await createIsolatedDatabase(server.url, 'lstest');
    expect(db.name).toMatch(/^lstest_\d{14}_[0-9a-f]{6}$/);
    expect(db.url).toBe(server.url.replace(/\/postgres$/, `/${db.name}`));
    expect(await databaseExists(db.name)).toBe(true);

    const open = new Client({ connectionString: db.url });
    open.on('error', () => undefined); // DROP ... WITH (FORCE) terminates it
    await open.connect();
    await open.query('create table t (id int); insert into t values (1)');
    const [{ current_database }] = (await open.query('select current_database()')).rows;
    expect(current_database).toBe(db.name);

    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
    await expect(db.drop()).resolves.toBeUndefined();
    await open.end().catch(() => undefined);
  });

  it('ensureDatabase is idempotent and refuses unsafe names', async () => {
    const first = await ensureDatabase(server.url, 'ls_ensure');
    const second = await ensureDatabase(server.url, 'ls_ensure');
    expect(second).toBe(first);
    expect(first).toMatch(/\/ls_ensure$/);
    expect((await query<{ db: string }>(first, 'select current_database() as db'))[0]?.db).toBe('ls_ensure');

    for (const bad of ['Bad-Name', 'x"; drop database postgres; --', '', '1abc', 'a'.repeat(64)]) {
      await expect(ensureDatabase(server.url, bad)).rejects.toThrow(/Invalid database name/);
    }
    await expect(createIsolatedDatabase(server.url, 'No-Caps')).rejects.toThrow(/Invalid database prefix/);
    await expect(createIsolatedDatabase(server.url, 'p'.repeat(50))).rejects.toThrow(/Invalid database prefix/);
  });

  it('reuses the server already running on the same dataDir; its stop() leaves it running', async () => {
    logs.length = 0;
    const again = await resolvePostgres({ dataDir, log });
    expect(again.url).toBe(server.url);
    expect(again.reused).toBe(true);
    expect(again.embedded).toBe(true);
    await again.stop();
    expect(await query(server.url, 'select 1 as ok')).toEqual([{ ok: 1 }]);
    expect(logs.some((l) => l.includes('reusing embedded PostgreSQL'))).toBe(true);
  });

  it('removes a stale postmaster.pid and restarts the existing cluster without initdb', async () => {
    await ensureDatabase(server.url, 'ls_marker');
    const oldPort = new URL(server.url).port;
    await server.stop();
    const pidFile = path.join(dataDir, 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(false);

    // What a crashed run leaves: a lock file naming a process that no longer exists.
    const deadPid = spawnSync('true').pid;
    await writeFile(pidFile, `${deadPid}\n${dataDir}\n1700000000\n${oldPort}\n\n127.0.0.1\n  1234567     8\nready   \n`);

    logs.length = 0;
    server = await resolvePostgres({ dataDir, preferredPort: 0, log });
    expect(server.reused).toBe(false);
    expect(logs.some((l) => l.includes(`removing stale postmaster.pid (pid ${deadPid}`))).toBe(true);
    expect(logs.some((l) => l.includes('(existing cluster'))).toBe(true);
    expect(logs.some((l) => l.includes('creating a new cluster'))).toBe(false);
    expect(await databaseExists('ls_marker')).toBe(true);
  }, 30_000);

  it('refuses a non-empty dataDir that holds no cluster', async () => {
    const junk = path.join(tmp, 'junk');
    await mkdir(junk, { recursive: true });
    await writeFile(path.join(junk, 'notes.txt'), 'not a cluster');
    await expect(resolvePostgres({ dataDir: junk, preferredPort: 0 })).rejects.toThrow(/no PG_VERSION/);
  });
});

describe('resolvePostgres with DATABASE_URL', () => {
  afterEach(() => {
    delete process.env.DATABASE_URL;
  });

  it('uses DATABASE_URL when it answers, and stop() leaves that server alone', async () => {
    process.env.DATABASE_URL = server.url;
    const handle = await resolvePostgres({ dataDir: path.join(tmp, 'unused') });
    expect(handle).toMatchObject({ url: server.url, embedded: false });
    await handle.stop();
    expect(await query(server.url, 'select 1 as ok')).toEqual([{ ok: 1 }]);
    expect(existsSync(path.join(tmp, 'unused'))).toBe(false);
  });

  it('creates the database DATABASE_URL names when the server answers but it does not exist yet', async () => {
    const name = `ls_missing_${randomBytes(3).toString('hex')}`;
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    logs.length = 0;
    try {
      const handle = await resolvePostgres({ dataDir: path.join(tmp, 'unused'), log });
      expect(handle).toMatchObject({ url: url.toString(), embedded: false });
      expect(await databaseExists(name)).toBe(true);
      expect((await query<{ db: string }>(handle.url, 'select current_database() as db'))[0]?.db).toBe(name);
      expect(logs.some((l) => l.includes(`created database "${name}"`))).toBe(true);
      // Once there, it is used as it is.
      logs.length = 0;
      await resolvePostgres({ dataDir: path.join(tmp, 'unused'), log });
      expect(logs.some((l) => l.includes('created database'))).toBe(false);
    } finally {
      await query(server.url, `drop database if exists ${name} with (force)`);
    }
  });

  it('says in one line that the server answered but the database is missing, and how to create it, when it may not create it', async () => {
    const suffix = randomBytes(3).toString('hex');
    const role = `ls_nocreate_${suffix}`;
    const name = `ls_missing_${suffix}`;
    await query(server.url, `create role ${role} login nocreatedb password 'role-secret-${suffix}'`);
    try {
      const url = new URL(server.url);
      url.username = role;
      url.password = `role-secret-${suffix}`;
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      const error = (await resolvePostgres({ dataDir: path.join(tmp, 'unused') }).catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain(`answered, but database "${name}"`);
      expect(error.message).toContain('does not exist and could not be created');
      expect(error.message).toMatch(/permission denied to create database/);
      expect(error.message).toContain(`createdb -h 127.0.0.1 -p ${url.port}`);
      expect(error.message).not.toContain(`role-secret-${suffix}`);
      expect(error.message).not.toContain('\n');
      expect(await databaseExists(name)).toBe(false);
    } finally {
      await query(server.url, `drop role if exists ${role}`);
    }
  });

  it('leaves a missing database alone when asked not to create it, and says so', async () => {
    const name = `ls_missing_${randomBytes(3).toString('hex')}`;
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    const error = (await resolvePostgres({ dataDir: path.join(tmp, 'unused'), createMissingDatabase: false }).catch((e: Error) => e)) as Error;
    expect(error.message).toContain(`answered, but database "${name}"`);
    expect(error.message).toContain('createdb');
    expect(error.message).not.toContain('postgres:postgres@');
    expect(await databaseExists(name)).toBe(false);
  });

  it('names DATABASE_URL (without its password) when it does not answer', async () => {
    const deadPort = await findFreePort();
    process.env.DATABASE_URL = `postgres://postgres:secret@127.0.0.1:${deadPort}/postgres`;
    const error = await resolvePostgres({ dataDir: path.join(tmp, 'unused') }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/DATABASE_URL/);
    expect((error as Error).message).not.toContain('secret');
  });
});
