import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { WorkerConfig } from '@civic/config';
import { checkRedisEvictionPolicy } from '@civic/local-services';
import { Logger } from 'nestjs-pino';
import { HANDLERS, WorkerModule } from './worker.module.js';

export class RedisPolicyError extends Error {}

/** Builds and starts the worker: checks Redis, validates handlers, starts consuming. */
export async function createWorker(config: WorkerConfig, handlers = HANDLERS): Promise<INestApplicationContext> {
  if (config.REQUIRE_NOEVICTION) {
    const policy = await checkRedisEvictionPolicy(config.REDIS_URL);
    // With eviction Redis may silently drop queued jobs; 'unknown' means CONFIG is disabled (managed Redis).
    if (policy !== 'noeviction' && policy !== 'unknown') {
      throw new RedisPolicyError(
        `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or jobs can be lost. ` +
          'Set it (CONFIG SET maxmemory-policy noeviction, or in redis.conf), or REQUIRE_NOEVICTION=false to override.',
      );
    }
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, handlers), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  try {
    await app.init();
  } catch (error) {
    // Release the database pool and Redis connections opened so far, then report.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
