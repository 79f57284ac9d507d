/**
 * The API as `main.ts` starts it, plus the bare routes of the data-query benchmark: the same
 * rows read by the same `RowReader` from the same version's file, with the same licensee's
 * canary (`fingerprintedPage`, the holder named by the `x-bench-holder` header), written as the
 * same JSON, without API key, entitlement, rate limit or metering. `/bench/bare-rows` writes the
 * JSON on every request (the baseline); `/bench/bare-bytes` keeps the bytes, as the metered route
 * keeps its answers (a stricter comparison, reported beside it). Run by data-query.bench.ts as a
 * child process with plain `node` (as the API runs), configured through the environment like
 * the API.
 */
import path from 'node:path';
import { ApiConfig, loadConfig } from '@civic/config';
import { createApp } from '@civic/api';
import { fingerprintedPage, RowReader } from '@civic/delivery';
import { cursorAfter, parseRowQueryParams } from '@civic/domain';
import pg from 'pg';

const config = loadConfig(ApiConfig);
const productSlug = process.env.BENCH_PRODUCT;
const client = new pg.Client({ connectionString: config.DATABASE_URL });
await client.connect();
const {
  rows: [version],
} = await client.query(
  `SELECT v.id, v.version, v.parquet_key, v.schema, p.id AS product_id, p.slug FROM products p JOIN product_versions v ON v.id = p.current_version_id WHERE p.slug = $1`,
  [productSlug],
);
const {
  rows: [{ key: fingerprintKey }],
} = await client.query(`SELECT key FROM platform_keys WHERE name = 'fingerprint'`);
await client.end();
const schema = version.schema.map((column) => ({ name: column.name, type: column.type }));
const file = path.resolve(config.STORAGE_DIR, version.parquet_key);
const reader = await RowReader.open({
  allowedDirectories: [path.resolve(config.STORAGE_DIR)],
  scratchDirectory: path.resolve(config.STORAGE_DIR),
  memoryLimit: config.DATA_QUERY_MEMORY_LIMIT,
  threads: config.DATA_QUERY_THREADS,
  timeoutMs: config.DATA_QUERY_TIMEOUT_MS,
});
const versionRows = await reader.rowCount(file);
const pages = new Map();
const bytes = new Map();

/** The holder's fingerprinted page and its cursor, kept as the reader keeps pages. */
async function keptPage(query, holder, key) {
  let kept = pages.get(key);
  if (!kept) {
    const page = await fingerprintedPage(reader, file, schema, query, { key: fingerprintKey, holder, versionId: version.id, versionRows });
    pages.set(key, (kept = { page, cursor: cursorAfter(query, version.id, page.read, page.more) }));
  }
  return kept;
}

function json({ page, cursor }, holder) {
  const rows = page.rows.map((row) => Object.fromEntries(page.columns.map((column, index) => [column.name, row[index]])));
  return JSON.stringify({
    product: { id: version.product_id, slug: version.slug },
    version: { id: version.id, number: version.version },
    licenseId: holder,
    columns: page.columns,
    rows,
    nextCursor: cursor,
  });
}

const app = await createApp(config);
const fastify = app.getHttpAdapter().getInstance();
fastify.get('/bench/bare-rows', async (request, reply) => {
  const query = parseRowQueryParams(new URL(request.url, 'http://local').searchParams.entries(), schema);
  const holder = String(request.headers['x-bench-holder']);
  // Each request maps and writes the page's rows, as before fingerprints.
  const body = json(await keptPage(query, holder, `${holder}\u0000${request.url}`), holder);
  return reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
fastify.get('/bench/bare-bytes', async (request, reply) => {
  const query = parseRowQueryParams(new URL(request.url, 'http://local').searchParams.entries(), schema);
  const holder = String(request.headers['x-bench-holder']);
  const key = `${holder}\u0000${request.url}`;
  let body = bytes.get(key);
  if (!body) bytes.set(key, (body = Buffer.from(json(await keptPage(query, holder, key), holder), 'utf8')));
  return reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
await app.listen({ port: config.PORT, host: config.HOST });
console.log('api listening');
