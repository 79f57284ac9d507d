import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { dataSourceOptions } from '@civic/db';
import { ChangeFeed } from './change-feed.service.js';

/**
 * PostgreSQL through TypeORM; schema changes only by migrations (synchronize is off). The change
 * feed tells the caches of hot paths when the rows they hold change.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    }),
  ],
  providers: [ChangeFeed],
  exports: [ChangeFeed],
})
export class DatabaseModule {}
