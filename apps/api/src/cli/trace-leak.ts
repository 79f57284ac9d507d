/**
 * `pnpm --filter @civic/api leak:trace <file> <product slug or id>`: names the licence a leaked
 * Parquet or CSV file of a product came from, from its canary rows (and Parquet metadata).
 * Reads DATABASE_URL and the object store settings (STORAGE_DIR or S3_*) like the API.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiConfig, ConfigError, loadConfig } from '@civic/config';
import { createDataSource, leakCandidates, Product } from '@civic/db';
import { traceProductLeak } from '@civic/delivery';
import { createObjectStore, storageConfigFrom } from '@civic/storage';

const [file, productRef] = process.argv.slice(2);
if (!file || !productRef) {
  console.error('usage: leak:trace <leaked file (Parquet or CSV)> <product slug or id>');
  process.exit(64);
}
let config: ApiConfig;
try {
  config = loadConfig(ApiConfig, { ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(78);
}
const head = Buffer.alloc(4);
const handle = await open(path.resolve(file), 'r');
await handle.read(head, 0, 4, 0);
await handle.close();
const format = head.toString() === 'PAR1' ? 'parquet' : 'csv';

const dataSource = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
await dataSource.initialize();
const store = createObjectStore(storageConfigFrom(config));
const work = await mkdtemp(path.join(tmpdir(), 'civic-trace-'));
try {
  const product = await dataSource.manager.findOne(Product, { where: /^[0-9a-f-]{36}$/.test(productRef) ? { id: productRef } : { slug: productRef } });
  if (!product) {
    console.error(`no product ${productRef}`);
    process.exitCode = 66;
  } else {
    const known = await leakCandidates(dataSource.manager, product);
    const matches = await traceProductLeak(path.resolve(file), format, known, (version) => store.localCopy(version.parquetKey, work));
    for (const match of matches) {
      const number = known.versions.find((version) => version.id === match.versionId)!.version;
      console.log(
        `${match.licenseId}  ${known.buyers.get(match.licenseId) || 'owner’s own copy'}  version ${number}: ${match.canariesFound}/${match.canaries} canary rows${match.namedInMetadata ? ', named in the file metadata' : ''}`,
      );
    }
    if (matches.length === 0) {
      console.log('no licence of this product left its marks in the file');
      process.exitCode = 1;
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await dataSource.destroy();
}
