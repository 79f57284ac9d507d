import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ApiConfig } from '@civic/config';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CREDENTIAL_ROUTE_METADATA } from './common/access.decorators.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { InteropModule } from './interop/interop.module.js';
import { ProductsModule } from './products/products.module.js';
import { LicensingModule } from './licensing/licensing.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { FinanceModule } from './finance/finance.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';

const reflector = new Reflector();

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Fastify already assigned the id (from X-Request-Id or a new UUID).
            genReqId: (request) => (request as unknown as { id: string }).id,
            customProps: () => ({ service: 'api' }),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            ...(config.LOG_PRETTY ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
          },
        }),
        ThrottlerModule.forRootAsync({
          inject: [ApiConfig],
          useFactory: (settings: ApiConfig) => ({
            throttlers: [
              { name: 'default', ttl: 60_000, limit: settings.RATE_LIMIT_PER_MINUTE },
              {
                name: 'credentials',
                ttl: 60_000,
                limit: settings.LOGIN_RATE_LIMIT_PER_MINUTE,
                skipIf: (context) => !reflector.get<boolean>(CREDENTIAL_ROUTE_METADATA, context.getHandler()),
              },
            ],
            // Counters live in Redis so every API replica enforces the same limit.
            storage: new ThrottlerStorageRedisService(new Redis(settings.REDIS_URL, { keyPrefix: `${settings.QUEUE_PREFIX}:throttle:`, maxRetriesPerRequest: 2 })),
          }),
        }),
        DatabaseModule,
        QueuesModule,
        AuditModule,
        IdentityModule,
        CatalogModule,
        AccessModule,
        InteropModule,
        ProductsModule,
        LicensingModule,
        DeliveryModule,
        PaymentsModule,
        FinanceModule,
        NotificationsModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
