import { Injectable, type OnModuleDestroy } from '@nestjs/common';
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
 */
@Injectable()
export class DataRateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;

  constructor(private readonly config: ApiConfig) {
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', () => undefined);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${config.QUEUE_PREFIX}:data-rate`,
      points: config.DATA_RATE_LIMIT_PER_MINUTE,
      duration: 60,
    });
  }

  async consume(key: string): Promise<RateLimitState> {
    const limit = this.config.DATA_RATE_LIMIT_PER_MINUTE;
    try {
      const result = await this.limiter.consume(key, 1);
      return { limit, remaining: result.remainingPoints, resetSeconds: Math.ceil(result.msBeforeNext / 1000), allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)), allowed: false };
      return { limit, remaining: limit, resetSeconds: 60, allowed: true };
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
