/**
 * The API as `main.ts` starts it, plus one bare route for the data-query benchmark: the same
 * rows read by the same `RowReader` from the same version's file and written as the same JSON,
 * without API key, entitlement, rate limit or metering. Run by data-query.bench.ts as a child
 * process with plain `node` (as the API runs), configured through the environment like the API.
 */
import path from 'node:path';
import { ApiConfig, loadConfig } from '@civic/config';
import { createApp } from '@civic/api';
import { RowReader } from '@civic/delivery';
import { parseRowQueryParams } from '@civic/domain';
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

const app = await createApp(config);
app.getHttpAdapter()
  .getInstance()
  .get('/bench/bare-rows', async (request, reply) => {
    const query = parseRowQueryParams(new URL(request.url, 'http://local').searchParams.entries(), schema);
    const page = await reader.page(file, query, schema);
    const rows = page.rows.map((row) => Object.fromEntries(page.columns.map((column, index) => [column.name, row[index]])));
    const body = JSON.stringify({ product: { id: version.product_id, slug: version.slug }, version: { id: version.id, number: version.version }, columns: page.columns, rows, nextCursor: null });
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
await app.listen({ port: config.PORT, host: config.HOST });
console.log('api listening');
