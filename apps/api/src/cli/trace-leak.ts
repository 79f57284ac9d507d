/**
 * `pnpm --filter @civic/api leak:trace <file> <product slug or id>`: names the licence a leaked
 * file of a product came from — a whole file (Parquet or CSV) or pages of the data API (JSON,
 * NDJSON, CSV or Parquet) — from its canary rows (and the licence a Parquet file or JSON page names).
 * Reads DATABASE_URL and the object store settings (STORAGE_DIR or S3_*) like the API.
 * A database it cannot use (unreachable, or without the platform's tables) is one line on stderr
 * and exit code 69, not a stack trace.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiConfig, ConfigError, loadConfig } from '@civic/config';
import { createDataSource, leakCandidates, pendingMigrations, Product } from '@civic/db';
import { redactUrl } from '@civic/local-services';
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
/** EX_UNAVAILABLE (sysexits.h): the database is not one this command can work with. */
const UNAVAILABLE = 69;

const head = Buffer.alloc(64);
let bytesRead: number;
try {
  const handle = await open(path.resolve(file), 'r');
  ({ bytesRead } = await handle.read(head, 0, head.length, 0));
  await handle.close();
} catch (error) {
  console.error(`cannot read ${file}: ${(error as Error).message}`);
  process.exit(66);
}
const format = leakFormatOf(head.subarray(0, bytesRead));

// The database as the messages name it: its URL without the password.
const database = redactUrl(config.DATABASE_URL);
const dataSource = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
try {
  await dataSource.initialize();
} catch (error) {
  console.error(`cannot use the database ${database}: ${(error as Error).message}; start the platform with npm start first, or set DATABASE_URL`);
  process.exit(UNAVAILABLE);
}
// A database without the platform's tables (a new one, or not the platform's) is named as such, not met with a failing query.
const [tables] = (await dataSource.query(`SELECT to_regclass('products') IS NOT NULL AS products`)) as Array<{ products: boolean }>;
if (!tables?.products) {
  await dataSource.destroy();
  console.error(`no platform data in ${database}: start the platform with npm start first, or set DATABASE_URL`);
  process.exit(UNAVAILABLE);
}
const pending = await pendingMigrations(dataSource);
if (pending.length > 0) {
  await dataSource.destroy();
  console.error(`the platform's database ${database} is not migrated to this version (${pending.length} migrations pending): start the platform with npm start (or run npm run db:migrate) first`);
  process.exit(UNAVAILABLE);
}
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
      const lead = match.possible
        ? `; a lead, not proof: ${match.possible.canaries} canary row${match.possible.canaries === 1 ? '' : 's'} that the product's few or alike rows would produce by chance about 1 in ${Math.max(1, Math.round(1 / match.possible.chance)).toLocaleString('en')} times`
        : '';
      console.log(
        `${match.licenseId}  ${known.buyers.get(match.licenseId) || 'owner’s own copy'}  version ${number}: ${match.canariesFound}/${match.canaries} canary rows${match.pageCanaries ? ` (${match.pageCanaries} of data API pages)` : ''}${match.namedIn === 'parquet_metadata' ? ', named in the Parquet metadata' : match.namedIn === 'page_license_id' ? ', named in the page’s licenseId field' : ''}${lead}`,
      );
    }
    if (matches.length === 0) {
      console.log('no licence of this product left its marks in the file');
      process.exitCode = 1;
    } else if (matches.every((match) => match.canariesFound === 0 && match.namedIn === null)) {
      // Leads only: worth a look, but nothing names a licence.
      process.exitCode = 1;
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await dataSource.destroy();
}
