import { loadConfig, WorkerConfig } from '@civic/config';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { VerifyChainHandler } from './audit/verify-chain.handler.js';
import { DeliverHandler } from './notifications/deliver.handler.js';
import { SweepOutboxHandler } from './notifications/sweep-outbox.handler.js';
import { createWorker } from './worker.factory.js';
import { HANDLERS } from './worker.module.js';

const prefix = `tw${Date.now().toString(36)}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const config = () => loadConfig(WorkerConfig, { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });

describe('worker start-up', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(async () => {
    // Leave Redis as found: drop this run's queues and schedules.
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`{${prefix}}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('refuses to start when a job has no processor', async () => {
    await expect(createWorker(config(), [VerifyChainHandler, DeliverHandler])).rejects.toThrow(/"notifications.sweep-outbox" has no processor/);
  });

  it('refuses to start when a job has two processors', async () => {
    class SecondSweeper extends SweepOutboxHandler {}
    await expect(createWorker(config(), [...HANDLERS, SecondSweeper])).rejects.toThrow(/"notifications.sweep-outbox" has 2 processors/);
  });

  it('starts with exactly one processor per job and stops cleanly', async () => {
    const worker = await createWorker(config());
    await worker.close();
  });
});
