#!/usr/bin/env node
/**
 * Database commands: migrate | revert | reset | seed | status.
 * Uses DATABASE_URL, or the embedded development cluster under <repo>/.data/pg.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePostgres, ensureDatabase } from '@civic/local-services';
import { createDataSource, pendingMigrations, runMigrations } from './data-source.js';
import { resetDatabase } from './reset.js';
import { seedDemoCatalog } from './seed/catalog-seed.js';
import { seedDemoProducts } from './seed/products-seed.js';
import { seedDemoCommerce } from './seed/commerce-seed.js';
import { seedDemoBilling } from './seed/billing-seed.js';
import { seedDemoDatasetUse } from './seed/dataset-use-seed.js';
import { seedDemo } from './seed/demo-seed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const command = process.argv[2];

async function main(): Promise<void> {
  if (!['migrate', 'revert', 'reset', 'seed', 'status'].includes(command ?? '')) {
    console.error('usage: civic-db migrate|revert|reset|seed|status');
    process.exit(2);
  }
  const postgres = await resolvePostgres({ dataDir: path.join(repoRoot, '.data/pg') });
  const url = process.env.DATABASE_URL ?? (await ensureDatabase(postgres.url, 'civic'));
  const dataSource = createDataSource({ url });
  await dataSource.initialize();
  try {
    switch (command) {
      case 'migrate':
        console.log('applied:', (await runMigrations(dataSource)).join(', ') || 'nothing (up to date)');
        break;
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        break;
      case 'reset':
        if (process.env.NODE_ENV === 'production') throw new Error('db:reset refuses to run with NODE_ENV=production');
        await resetDatabase(dataSource);
        console.log('applied:', (await runMigrations(dataSource)).join(', '));
        break;
      case 'seed':
        console.log('seeded:', await seedDemo(dataSource));
        console.log(
          'catalog:',
          await seedDemoCatalog(dataSource, {
            storage: { kind: 'local', root: path.resolve(process.env.STORAGE_DIR ?? path.join(repoRoot, '.data/storage')) },
            scale: process.env.DEMO_SCALE === 'small' ? 'small' : 'full',
            log: (message) => console.log(message),
          }),
        );
        console.log(
          'products:',
          await seedDemoProducts(dataSource, {
            storage: { kind: 'local', root: path.resolve(process.env.STORAGE_DIR ?? path.join(repoRoot, '.data/storage')) },
            log: (message) => console.log(message),
          }),
        );
        console.log('offers:', await seedDemoCommerce(dataSource));
        console.log('billing:', await seedDemoBilling(dataSource));
        console.log('dataset use:', await seedDemoDatasetUse(dataSource));
        break;
      case 'status':
        console.log('pending:', (await pendingMigrations(dataSource)).join(', ') || 'none');
        break;
    }
  } finally {
    await dataSource.destroy();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
