import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath, spawnRedisServer, type RedisHandle } from '@civic/local-services';
import { Http, signUp } from '../support/http.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { seededRandom, shuffled } from '../support/random.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const DELIVERIES = 240;
const CONCURRENCY = 8;
const ROWS = 3;

/**
 * A replay storm through crashes: 240 deliveries, each sent 1–5 times with its Idempotency-Key,
 * shuffled, 8 at a time; the API and worker are killed (SIGKILL) a third of the way in and
 * started again, Redis is stopped and restarted two thirds in, and the client retries whatever
 * got no answer. The licence's counted calls and rows must equal the unique deliveries exactly.
 */
describe('metering through crashes and a Redis restart', () => {
  let redisDir: string;
  let redis: RedisHandle;
  // Restarting Redis needs a redis-server of our own; with only a shared Redis reachable, the
  // crash half of the test runs and the restart half cannot.
  let canRestartRedis = false;
  let platform: RunningPlatform;
  const seed = Number(process.env.METERING_SEED ?? Date.now() % 100_000);
  // One signing secret for both API processes, so sessions survive the restart.
  const settings = () => ({ REDIS_URL: redis.url, DATA_RATE_LIMIT_PER_MINUTE: '1000000', JWT_SECRET: secret });
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    redisDir = await mkdtemp(path.join(tmpdir(), 'civic-redis-'));
    canRestartRedis = (await findOnPath('redis-server')) !== null;
    redis = canRestartRedis ? await spawnRedisServer(redisDir) : { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', spawned: false, reused: false, stop: async () => undefined };
    platform = await startPlatform(settings(), { worker: true });
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    await redis?.stop();
    await rm(redisDir, { recursive: true, force: true });
  });

  it('counts every delivery exactly once: nothing lost, nothing doubled', async () => {
    let http = new Http(platform.baseUrl);
    const buyer = await signUp(http);
    const offers = await http.get(`/api/v1/catalog/products/${CONGESTION}/offers`);
    const free = offers.body.items.find((offer: { pricePlan: { kind: string } }) => offer.pricePlan.kind === 'free');
    const terms = await http.get(`/api/v1/offers/${free.id}/terms`);
    const license = await http.post('/api/v1/licenses', { offerId: free.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'research', intendedUse: 'Reliability test of metering under crashes.' }, { token: buyer.token });
    expect(license.body.state).toBe('active');
    const key = (await http.post('/api/v1/api-keys', { name: 'storm', scopes: ['data:read'] }, { token: buyer.token })).body.key as string;

    const sends = shuffled(
      Array.from({ length: DELIVERIES }, (_, index) => Array.from({ length: 1 + (index % 5) }, () => `storm-${seed}-${index}`)).flat(),
      seededRandom(seed),
    );
    let done = 0;
    let retries = 0;
    let crashed = false;
    let redisRestarted = false;
    let restarting: Promise<void> | null = null;

    async function deliver(idempotencyKey: string): Promise<void> {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if (restarting) await restarting;
        const answer = await fetch(`${platform.baseUrl}/api/v1/data/${CONGESTION}/rows?limit=${ROWS}`, { headers: { 'x-api-key': key, 'idempotency-key': idempotencyKey } }).catch(() => null);
        if (answer?.status === 200) {
          await answer.arrayBuffer();
          return;
        }
        await answer?.arrayBuffer().catch(() => undefined);
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no answer for ${idempotencyKey} (seed ${seed})`);
    }

    async function disturb(): Promise<void> {
      if (!crashed && done >= sends.length / 3) {
        crashed = true;
        restarting = (async () => {
          await platform.crash();
          platform = await startPlatform(settings(), { worker: true });
          http = new Http(platform.baseUrl);
        })();
        await restarting;
        restarting = null;
      } else if (canRestartRedis && !redisRestarted && done >= (2 * sends.length) / 3) {
        redisRestarted = true;
        const port = new URL(redis.url).port;
        await redis.stop();
        // The other senders go on while Redis is down: metering does not depend on it.
        await new Promise((resolve) => setTimeout(resolve, 500));
        redis = await spawnRedisServer(redisDir, { port: Number(port) });
      }
    }

    const queue = [...sends];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await deliver(next);
          done += 1;
          await disturb();
        }
      }),
    );
    expect([crashed, redisRestarted]).toEqual([true, canRestartRedis]);

    const usage = await http.get(`/api/v1/licenses/${license.body.id}/usage`, { token: buyer.token });
    expect(usage.status).toBe(200);
    const totals = usage.body.days.reduce((sum: { calls: number; rows: number }, day: { api_call: number; row: number }) => ({ calls: sum.calls + day.api_call, rows: sum.rows + day.row }), { calls: 0, rows: 0 });
    // The seed and the retries (answers lost to the crash, sent again with their keys) say how to replay a failure.
    expect({ seed, retries, ...totals }).toEqual({ seed, retries, calls: DELIVERIES, rows: DELIVERIES * ROWS });
    expect(sends.length).toBeGreaterThan(DELIVERIES);
  }, 240_000);
});
