import { createDataSource } from '@civic/db';
import { spawnRedisServer } from '@civic/local-services';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
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
    // In the console's language (its link sends it), else the browser's, else Chinese; with the way back to the console.
    const config = (body: unknown) => JSON.parse(/<script id="__UI_CONFIG__" type="application\/json">([\s\S]*?)<\/script>/.exec(String(body))![1]!);
    expect(config(page.body)).toMatchObject({ boardTitle: '任务队列', locale: { lng: 'zh-CN' }, miscLinks: [{ text: '返回控制台' }] });
    const english = await http.get('/admin/queues?lng=en', { cookie: `civic_access=${admin.cookies.civic_access}` });
    expect(config(english.body)).toMatchObject({ boardTitle: 'Job queues', locale: { lng: 'en-US' }, miscLinks: [{ text: 'Back to the console' }] });
    expect(String(english.body)).toContain('<title>Job queues</title>');
    expect(String(english.body)).toContain('<html lang="en"');
    expect(String(page.body)).toContain('<html lang="zh-CN"');
    const browserEnglish = await http.get('/admin/queues', { cookie: `civic_access=${admin.cookies.civic_access}`, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(config(browserEnglish.body).locale).toEqual({ lng: 'en-US' });
    const chineseLink = await http.get('/admin/queues?lng=zh-CN', { cookie: `civic_access=${admin.cookies.civic_access}`, headers: { 'accept-language': 'en' } });
    expect(config(chineseLink.body).boardTitle).toBe('任务队列');
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
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  it('drains and ends within the grace period on SIGTERM, API and worker alike', async () => {
    const running = await startPlatform({}, { worker: true });
    const http = new Http(running.baseUrl);
    // The vendor reads its own product (counted like any delivery).
    const vendor = await login(http, 'vendor@cityflow.demo');
    const key = await http.post('/api/v1/api-keys', { name: 'drain', scopes: ['data:read'] }, { token: vendor.token });
    expect(key.status).toBe(201);
    const counted = async () => {
      const [row] = await dataSource.query(`SELECT count(*)::int AS calls FROM usage_events e JOIN products p ON p.id = e.product_id WHERE p.slug = $1 AND e.unit = 'api_call'`, [CONGESTION]);
      return row.calls as number;
    };
    const before = await counted();
    // Requests in flight when the signal arrives still get their answers: each has sent its
    // headers and half its body, so the server holds it as a request in progress (not an idle
    // connection) whatever the machine's load; the bodies are finished after the signal.
    const signIn = startSlowRequest(running.baseUrl, '/api/v1/auth/login', {}, { email: 'admin@platform.demo', password: 'Demo-pass-2026' });
    const query = startSlowRequest(running.baseUrl, `/api/v1/data/${CONGESTION}/rows`, { 'x-api-key': key.body.key }, { limit: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const closing = running.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    signIn.finish();
    query.finish();
    const [endings, signedIn, queried] = await Promise.all([closing, signIn.response, query.response]);
    expect(signedIn.status).toBe(200);
    expect(queried.status).toBe(200);
    expect(JSON.parse(queried.body).rows).toHaveLength(5);
    // Nest runs its shutdown hooks, then re-raises SIGTERM: a clean end, not a SIGKILL after the timeout.
    expect(endings).toEqual(['SIGTERM', 'SIGTERM']);
    expect(Date.now() - started).toBeLessThan(8_000);
    // The query answered during the drain was counted, once, before its answer went out.
    expect(await counted()).toBe(before + 1);
  });
});

const CONGESTION = 'road-congestion-index-by-district-hour-weather';

/** A JSON POST sent as its headers and the first half of its body; `finish` sends the rest. */
function startSlowRequest(baseUrl: string, path: string, headers: Record<string, string>, body: unknown): { finish(): void; response: Promise<{ status: number; body: string }> } {
  const bytes = Buffer.from(JSON.stringify(body));
  const half = Math.floor(bytes.length / 2);
  let request!: ClientRequest;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request = httpRequest(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(bytes.length) } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      answer.on('error', reject);
    });
    request.on('error', reject);
    request.write(bytes.subarray(0, half));
  });
  return { finish: () => request.end(bytes.subarray(half)), response };
}

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
