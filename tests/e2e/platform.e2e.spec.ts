import { createDataSource } from '@civic/db';
import { spawnRedisServer } from '@civic/local-services';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { canonicalOpenApi } from '../support/openapi.js';
import { repoRoot, runToExit, startPlatform, type RunningPlatform } from '../support/platform.js';
import { Http, login } from '../support/http.js';

describe('platform runtime', () => {
  let platform: RunningPlatform;
  let http: Http;
  let dataSource: DataSource;

  beforeAll(async () => {
    platform = await startPlatform({ CORS_ORIGINS: 'http://console.example.test' }, { worker: true });
    http = new Http(platform.baseUrl);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await platform?.close();
  });

  it('reports liveness and readiness of database, Redis and migrations', async () => {
    expect((await http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({ database: expect.objectContaining({ status: 'up' }), redis: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('echoes a sane request id, replaces an unsafe one, and sends security headers', async () => {
    const echoed = await http.get('/health/live', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc.123');
    const replaced = await http.get('/health/live', { headers: { 'x-request-id': 'bad id with spaces<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(echoed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(echoed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(echoed.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('allows CORS only for configured origins, with credentials', async () => {
    const allowed = await http.request('OPTIONS', '/api/v1/me', undefined, {
      headers: { origin: 'http://console.example.test', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://console.example.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const denied = await http.request('OPTIONS', '/api/v1/me', undefined, { headers: { origin: 'http://evil.example.test', 'access-control-request-method': 'GET' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves OpenAPI and Swagger UI, and the committed openapi.json is not stale', async () => {
    const served = await http.get('/api/openapi.json');
    expect(served.status).toBe(200);
    const committed = readFileSync(path.join(repoRoot, 'apps/api/openapi.json'), 'utf8');
    // If this fails: run `pnpm gen:api` and commit apps/api/openapi.json and apps/web/src/api/schema.d.ts.
    expect(canonicalOpenApi(served.body)).toBe(committed);
    const docs = await http.get('/api/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });

  it('opens Bull Board to platform admins only', async () => {
    expect((await http.get('/admin/queues')).status).toBe(401);
    const steward = await login(http, 'steward@transport.demo');
    expect((await http.get('/admin/queues', { token: steward.token })).status).toBe(403);
    const admin = await http.post('/api/v1/auth/login', { email: 'admin@platform.demo', password: 'Demo-pass-2026' });
    const page = await http.get('/admin/queues', { cookie: `civic_access=${admin.cookies.civic_access}` });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    const queues = await http.get('/admin/queues/api/queues', { cookie: `civic_access=${admin.cookies.civic_access}` });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['audit', 'billing', 'catalog', 'derive', 'metering', 'notifications', 'payments', 'products']);
  });

  it('runs the scheduled audit verification in the worker and records it', async () => {
    const deadline = Date.now() + 20_000;
    let rows: Array<{ ok: boolean; trigger: string; checked: number }> = [];
    while (Date.now() < deadline) {
      rows = await dataSource.query(`SELECT ok, trigger, checked FROM audit_verifications WHERE trigger = 'schedule' ORDER BY verified_at DESC`);
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(rows[0]).toMatchObject({ ok: true, trigger: 'schedule' });
  });
});

describe('graceful shutdown', () => {
  it('drains and ends within the grace period on SIGTERM, API and worker alike', async () => {
    const running = await startPlatform({}, { worker: true });
    const http = new Http(running.baseUrl);
    // A request in flight when the signal arrives still gets its answer.
    const inFlight = http.post('/api/v1/auth/login', { email: 'admin@platform.demo', password: 'Demo-pass-2026' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const [endings, answer] = await Promise.all([running.close(), inFlight]);
    expect(answer.status).toBe(200);
    // Nest runs its shutdown hooks, then re-raises SIGTERM: a clean end, not a SIGKILL after the timeout.
    expect(endings).toEqual(['SIGTERM', 'SIGTERM']);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('start-up refusals and limits', () => {
  it('stops the API with a message naming each bad variable', async () => {
    const result = await runToExit('apps/api/dist/main.js', { DATABASE_URL: 'mysql://nope', REDIS_URL: '', JWT_SECRET: 'short', PORT: 'http' });
    expect(result.code).toBe(78);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'PORT']) expect(result.output).toContain(name);
  });

  it('refuses to start the worker on a Redis that may evict jobs', async () => {
    const dir = await mkdtemp(path.join(repoRoot, '.data/tmp-evicting-redis-'));
    const redis = await spawnRedisServer(dir, { extraArgs: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      const result = await runToExit('apps/worker/dist/main.js', { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/maxmemory-policy is "allkeys-lru"/);
    } finally {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rate-limits credential routes per client, with the standard body and retry-after', async () => {
    const limited = await startPlatform({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const http = new Http(limited.baseUrl);
      const statuses: number[] = [];
      let last;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        last = await http.post('/api/v1/auth/login', { email: 'nobody@example.test', password: 'wrong-password' });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(last!.body.error.code).toBe('rate_limited');
      expect(last!.headers.get('retry-after')).toBeTruthy();
      // Other routes keep their own, larger budget; refreshing a session is not a credential guess.
      expect((await http.get('/health/live')).status).toBe(200);
      for (let attempt = 0; attempt < 5; attempt += 1) expect((await http.post('/api/v1/auth/refresh')).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
