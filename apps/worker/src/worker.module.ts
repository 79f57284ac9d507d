import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { dataSourceOptions } from '@civic/db';
import { LoggerModule } from 'nestjs-pino';
import { VerifyChainHandler } from './audit/verify-chain.handler.js';
import { IngestHandler } from './catalog/ingest.handler.js';
import { objectStoreProvider } from './catalog/object-store.provider.js';
import { SweepIngestionsHandler } from './catalog/sweep-ingestions.handler.js';
import { WorkerProducer } from './jobs/worker-producer.service.js';
import { WorkerRunner } from './jobs/worker-runner.service.js';
import { DeriveStages } from './products/derive-stages.js';
import { DERIVE_STAGE_HANDLERS, DeriveDependencyProvider } from './products/derive.handlers.js';
import { RefreshDependentsHandler, SweepRunsHandler } from './products/refresh-dependents.handler.js';
import { DeliverHandler } from './notifications/deliver.handler.js';
import { Mailer } from './notifications/mailer.js';
import { SweepOutboxHandler } from './notifications/sweep-outbox.handler.js';
import { PAYMENT_HANDLERS, StripeClientProvider } from './payments/payments.handlers.js';
import { METERING_HANDLERS } from './metering/metering.handlers.js';
import { BILLING_HANDLERS } from './billing/billing.handlers.js';

/** Every job handler of the platform; the runner checks there is exactly one per job. */
export const HANDLERS = [
  VerifyChainHandler,
  DeliverHandler,
  SweepOutboxHandler,
  IngestHandler,
  SweepIngestionsHandler,
  ...DERIVE_STAGE_HANDLERS,
  RefreshDependentsHandler,
  SweepRunsHandler,
  ...PAYMENT_HANDLERS,
  ...METERING_HANDLERS,
  ...BILLING_HANDLERS,
];

@Global()
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, handlers: Array<new (...args: never[]) => unknown> = HANDLERS): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        DiscoveryModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            customProps: () => ({ service: 'worker' }),
            ...(config.LOG_PRETTY ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE })),
      ],
      providers: [{ provide: WorkerConfig, useValue: config }, objectStoreProvider, WorkerProducer, DeriveStages, DeriveDependencyProvider, StripeClientProvider, Mailer, WorkerRunner, ...handlers],
      exports: [WorkerConfig],
    };
  }
}
