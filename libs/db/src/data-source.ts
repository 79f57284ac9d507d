import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  logging?: boolean;
}

/** The one way to describe our database to TypeORM; used by the API, the worker and the CLI. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
    // JIT compilation costs tens of milliseconds and only pays off for long analytical queries;
    // the platform's statements are short (analytics run in DuckDB). The working set lives in
    // memory, so random reads cost about as much as sequential ones (lets the planner use the
    // catalog's text index for broad words instead of scanning every row).
    extra: { max: options.poolSize ?? 10, application_name: 'civic', options: '-c jit=off -c random_page_cost=1.1' },
  };
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}

/** Names of migrations in code that the database has not applied yet. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const table = await dataSource.query(`SELECT to_regclass('schema_migrations') AS t`);
  const applied = new Set<string>();
  if (table[0]?.t) {
    const rows: Array<{ name: string }> = await dataSource.query('SELECT name FROM schema_migrations');
    for (const row of rows) applied.add(row.name);
  }
  return dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.has(name));
}

/**
 * Applies pending migrations. An advisory lock makes concurrent callers (several replicas
 * starting at once, a test run racing the dev server) wait instead of colliding.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7212001)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7212001)').catch(() => undefined);
    await runner.release();
  }
}
