import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { dataSourceOptions } from '@civic/db';

/** PostgreSQL through TypeORM; schema changes only by migrations (synchronize is off). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    }),
  ],
})
export class DatabaseModule {}
