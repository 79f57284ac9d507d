import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIsolatedDatabase, resolvePostgres, type PostgresHandle } from '@civic/local-services';
import { createDataSource, runMigrations } from '../data-source.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface TestDatabase {
  url: string;
  name: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database for one test run, on TEST_POSTGRES_URL (set by the test
 * orchestrator), else DATABASE_URL's server, else the embedded test cluster.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  let server: PostgresHandle | null = null;
  let serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) {
    server = await resolvePostgres({ dataDir: path.join(repoRoot, '.data/pg-test'), preferredPort: 0 });
    serverUrl = server.url;
  }
  const database = await createIsolatedDatabase(serverUrl, prefix);
  const dataSource = createDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return {
    url: database.url,
    name: database.name,
    async dispose() {
      await database.drop();
      await server?.stop();
    },
  };
}
