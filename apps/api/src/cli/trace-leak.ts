/**
 * `pnpm --filter @civic/api leak:trace <file> <product slug or id>`: names the licence a leaked
 * file of a product came from — a whole file (Parquet or CSV) or pages of the data API (JSON,
 * NDJSON, CSV or Parquet) — from its canary rows (and the licence a Parquet file or JSON page names).
 * Reads DATABASE_URL and the object store settings (STORAGE_DIR or S3_*) like the API.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiConfig, ConfigError, loadConfig } from '@civic/config';
import { createDataSource, leakCandidates, Product } from '@civic/db';
import { leakFormatOf, traceProductLeak } from '@civic/delivery';
import { createObjectStore, storageConfigFrom } from '@civic/storage';

const [file, productRef] = process.argv.slice(2);
if (!file || !productRef) {
  console.error('usage: leak:trace <leaked file (Parquet, CSV, JSON or NDJSON)> <product slug or id>');
  process.exit(64);
}
let config: ApiConfig;
try {
  config = loadConfig(ApiConfig, { ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(78);
}
const head = Buffer.alloc(64);
const handle = await open(path.resolve(file), 'r');
const { bytesRead } = await handle.read(head, 0, head.length, 0);
await handle.close();
const format = leakFormatOf(head.subarray(0, bytesRead));

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
        `${match.licenseId}  ${known.buyers.get(match.licenseId) || 'owner’s own copy'}  version ${number}: ${match.canariesFound}/${match.canaries} canary rows${match.pageCanaries ? ` (${match.pageCanaries} of data API pages)` : ''}${match.namedIn === 'parquet_metadata' ? ', named in the Parquet metadata' : match.namedIn === 'page_license_id' ? ', named in the page’s licenseId field' : ''}`,
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
