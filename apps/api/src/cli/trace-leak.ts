/**
 * `pnpm --filter @civic/api leak:trace <file> <product slug or id>`: names the licence a leaked
 * Parquet or CSV file of a product came from, from its canary rows (and Parquet metadata).
 * Reads DATABASE_URL and the object store settings (STORAGE_DIR or S3_*) like the API.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiConfig, ConfigError, loadConfig } from '@civic/config';
import { createDataSource, License, Organization, Product, ProductVersion } from '@civic/db';
import { traceLeak } from '@civic/delivery';
import { createObjectStore, storageConfigFrom } from '@civic/storage';
import { In } from 'typeorm';

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
    const [{ key }] = (await dataSource.query(`SELECT key FROM platform_keys WHERE name = 'fingerprint'`)) as Array<{ key: Buffer }>;
    const licenses = await dataSource.manager.find(License, { where: { productId: product.id } });
    const names = new Map((await dataSource.manager.find(Organization, { where: { id: In(licenses.map((license) => license.organizationId)) } })).map((org) => [org.id, org.name]));
    const candidates = [...licenses.map((license) => license.id), `owner-${product.organizationId}`];
    let found = false;
    for (const version of await dataSource.manager.find(ProductVersion, { where: { productId: product.id }, order: { version: 'DESC' } })) {
      const copy = await store.localCopy(version.parquetKey, work);
      try {
        for (const match of await traceLeak(path.resolve(file), format, { source: copy.path, schema: version.schema, versionId: version.id, key }, candidates)) {
          found = true;
          const license = licenses.find((candidate) => candidate.id === match.licenseId);
          console.log(
            `${match.licenseId}  ${license ? names.get(license.organizationId) : 'owner’s own copy'}  version ${version.version}: ${match.canariesFound}/${match.canaries} canary rows${match.namedInMetadata ? ', named in the file metadata' : ''}`,
          );
        }
      } finally {
        await copy.release();
      }
      if (found) break;
    }
    if (!found) {
      console.log('no licence of this product left its marks in the file');
      process.exitCode = 1;
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await dataSource.destroy();
}
