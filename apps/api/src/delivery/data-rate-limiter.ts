import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  allowed: boolean;
}

/**
 * Requests per minute per licence (or per owner and product), counted in Redis so every API
 * replica shares the budget. When Redis cannot answer, requests are let through: metering,
 * not the rate limit, is what must never lose a count, and it does not depend on Redis.
 *
 * The requests of one key that arrive in the same turn of the event loop are counted by one
 * increment of their number (one Redis command instead of one each): the counter moves exactly
 * as it would one by one, and each request gets the place it would have had — the first ones
 * within the budget are let through, the rest refused.
 */
@Injectable()
export class DataRateLimiter implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;
  private readonly pending = new Map<string, Array<(state: RateLimitState) => void>>();
  private scheduled = false;

  constructor(private readonly config: ApiConfig) {
    // Auto-pipelining: the counters of different keys go to Redis in one write, not one each.
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, enableAutoPipelining: true });
    this.redis.on('error', () => undefined);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${config.QUEUE_PREFIX}:data-rate`,
      points: config.DATA_RATE_LIMIT_PER_MINUTE,
      duration: 60,
    });
  }

  consume(key: string): Promise<RateLimitState> {
    return new Promise((resolve) => {
      let waiting = this.pending.get(key);
      if (!waiting) {
        waiting = [];
        this.pending.set(key, waiting);
        if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(() => this.flush());
        }
      }
      waiting.push(resolve);
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [key, waiting] of batch) void this.take(key, waiting);
  }

  /** Takes one point per waiting request, in their order of arrival. */
  private async take(key: string, waiting: Array<(state: RateLimitState) => void>): Promise<void> {
    const limit = this.config.DATA_RATE_LIMIT_PER_MINUTE;
    let consumed: number;
    let msBeforeNext: number;
    try {
      const result = await this.limiter.consume(key, waiting.length);
      ({ consumedPoints: consumed, msBeforeNext } = result);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        for (const resolve of waiting) resolve({ limit, remaining: limit, resetSeconds: 60, allowed: true });
        return;
      }
      ({ consumedPoints: consumed, msBeforeNext } = error);
    }
    // This batch took the points after consumed - waiting.length, one each.
    waiting.forEach((resolve, index) => {
      const used = consumed - waiting.length + index + 1;
      resolve(
        used <= limit
          ? { limit, remaining: limit - used, resetSeconds: Math.ceil(msBeforeNext / 1000), allowed: true }
          : { limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)), allowed: false },
      );
    });
  }

  /** After the HTTP server has drained: requests in flight are still counted. */
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
