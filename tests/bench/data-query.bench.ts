import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, seedDemo, seedDemoCatalog, seedDemoCommerce, seedDemoProducts } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import { findFreePort } from '@civic/local-services';
import { Http, signUp } from '../support/http.js';
import { repoRoot } from '../support/platform.js';
import type { Bench } from './harness.js';
import { median } from './harness.js';

const PRODUCT = 'road-congestion-index-by-district-hour-weather';
const CONNECTIONS = 50;
const REQUESTS = 10_000;
const ROUNDS = 3;
const QUERY = 'limit=100&order=congestion_index.desc';

interface CannonResult {
  /** Seconds the round took. */
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
}

/**
 * autocannon in its own process (it must not share the server's cores' event loop). It ends a
 * run at its next sample tick, so the tick is 20 ms (`-L`), not the default second: a round's
 * duration, hence its rate, is not rounded up to whole seconds.
 */
function cannon(url: string, headers: Record<string, string>): Promise<CannonResult> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [bin, '-c', String(CONNECTIONS), '-a', String(REQUESTS), '-L', '20', '-j', ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]), url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as CannonResult) : reject(new Error(`autocannon exited ${code}`))));
  });
}

/**
 * P1, a metered query under load: 50 connections, 10,000 requests per round, against
 * `GET /api/v1/data/{product}/rows?limit=100` with an API key (key → entitlement → rate limit →
 * DuckDB → usage events durable in PostgreSQL before the answer), alternating with a bare route
 * of the same server process that reads the same rows through the same RowReader, adds the same
 * licence's canary and writes the same JSON with no key, licence check or metering (the
 * baseline), and with a second bare route that keeps the answer's bytes as the metered route
 * does (a stricter comparison, in the notes). Then checks that the licence's counted API calls
 * equal the metered route's successful answers exactly.
 */
export const dataQuery: Bench = {
  name: 'data-query',
  description: 'metered data API requests per second (50 connections) vs a bare route of the same server',
  async run() {
    const database = await createTestDatabase('t_bench_data');
    const storage = await mkdtemp(path.join(tmpdir(), 'civic-bench-data-'));
    const dataSource = createDataSource({ url: database.url, poolSize: 2 });
    await dataSource.initialize();
    await seedDemo(dataSource, 'Demo-pass-2026');
    await seedDemoCatalog(dataSource, { storage: { kind: 'local', root: storage }, scale: 'small' });
    await seedDemoProducts(dataSource, { storage: { kind: 'local', root: storage } });
    await seedDemoCommerce(dataSource);
    const port = await findFreePort(0);
    // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process there.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    const server = spawn(process.execPath, [...profile, path.join(repoRoot, 'tests/bench/data-query-server.mjs')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        STORAGE_DIR: storage,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: randomBytes(32).toString('hex'),
        QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '10000000',
        DATA_RATE_LIMIT_PER_MINUTE: '1000000',
        DATABASE_POOL_SIZE: '10',
        BENCH_PRODUCT: PRODUCT,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('api listening') && resolve());
        server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      const http = new Http(baseUrl);
      const buyer = await signUp(http);
      const offers = await http.get(`/api/v1/catalog/products/${PRODUCT}/offers`);
      const free = offers.body.items.find((offer: { pricePlan: { kind: string } }) => offer.pricePlan.kind === 'free');
      const terms = await http.get(`/api/v1/offers/${free.id}/terms`);
      const license = await http.post('/api/v1/licenses', { offerId: free.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'research', intendedUse: 'Benchmark of the data API under load.' }, { token: buyer.token });
      if (license.body.state !== 'active') throw new Error(`licence not active: ${JSON.stringify(license.body)}`);
      const key = await http.post('/api/v1/api-keys', { name: 'bench', scopes: ['data:read'] }, { token: buyer.token });
      const metered = `${baseUrl}/api/v1/data/${PRODUCT}/rows?${QUERY}`;
      const bare = `${baseUrl}/bench/bare-rows?${QUERY}`;
      const bareBytes = `${baseUrl}/bench/bare-bytes?${QUERY}`;
      // The same page on both routes: 99 of the version and the licence's canary (the bare route is told the licence).
      const bareHeaders = { 'x-bench-holder': license.body.id as string };
      const a = await (await fetch(metered, { headers: { 'x-api-key': key.body.key } })).text();
      const b = await (await fetch(bare, { headers: bareHeaders })).text();
      const c = await (await fetch(bareBytes, { headers: bareHeaders })).text();
      if (a !== b || a !== c || JSON.parse(a).rows.length !== 100) throw new Error('the bare routes do not return the same page');
      await cannon(bare, bareHeaders); // warm-up of every path
      await cannon(bareBytes, bareHeaders);
      await cannon(metered, { 'x-api-key': key.body.key });

      const before = await http.get(`/api/v1/licenses/${license.body.id}/usage`, { token: buyer.token });
      const countedBefore = before.body.days.reduce((sum: number, day: { api_call: number }) => sum + day.api_call, 0);
      const meteredRuns: CannonResult[] = [];
      const bareRuns: CannonResult[] = [];
      const bytesRuns: CannonResult[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        meteredRuns.push(await cannon(metered, { 'x-api-key': key.body.key }));
        bareRuns.push(await cannon(bare, bareHeaders));
        bytesRuns.push(await cannon(bareBytes, bareHeaders));
      }
      const successes = meteredRuns.reduce((sum, run) => sum + run['2xx'], 0);
      const failures = meteredRuns.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
      const after = await http.get(`/api/v1/licenses/${license.body.id}/usage`, { token: buyer.token });
      const counted = after.body.days.reduce((sum: number, day: { api_call: number }) => sum + day.api_call, 0) - countedBefore;
      // Requests per second over the whole round (autocannon's per-sample average is not a rate).
      const rate = (run: CannonResult) => run.requests.total / run.duration;
      const value = Math.round(median(meteredRuns.map(rate)));
      const p99 = median(meteredRuns.map((run) => run.latency.p99));
      const exact = counted === successes && failures === 0;
      const strict = Math.round(median(bytesRuns.map(rate)));
      return {
        value,
        unit: 'req/s',
        baseline: Math.round(median(bareRuns.map(rate))),
        goal: 0.5,
        notes:
          `metered p50 ${median(meteredRuns.map((run) => run.latency.p50))} ms, p99 ${p99} ms (goal ≤ 25 ms: ${p99 <= 25 ? 'met' : 'NOT met'}); bare p99 ${median(bareRuns.map((run) => run.latency.p99))} ms; ` +
          `usage counted ${counted} = successful requests ${successes}${failures ? `, ${failures} failed` : ''}: ${exact ? 'exact' : 'NOT exact'}; ` +
          `against a bare route that keeps its answer's bytes as the metered route does: ${strict} req/s, ratio ${(value / strict).toFixed(3)}, p99 ${median(bytesRuns.map((run) => run.latency.p99))} ms; ` +
          `median of ${ROUNDS} alternating rounds of ${REQUESTS.toLocaleString('en')} requests, ${CONNECTIONS} connections` +
          ' (server, DuckDB, PostgreSQL and the load generator share the machine)',
      };
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await dataSource.destroy();
      await database.dispose();
      await rm(storage, { recursive: true, force: true });
    }
  },
};
