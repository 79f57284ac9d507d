import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDataSource, Dataset, Organization, recordDatasetVersion, seedDemo, versionParquetKey } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import { createObjectStore } from '@civic/storage';
import { Http, login } from '../support/http.js';
import { startPlatform } from '../support/platform.js';
import { DERIVE_STAGE_JOBS, queuePrefix } from '@civic/jobs';
import { Queue, QueueEvents } from 'bullmq';
import type { Bench } from './harness.js';
import { median } from './harness.js';

/** Rows of the fact table (hourly observations); the dimension has one row per road segment. */
const ROWS = 20_000_000;
const SEGMENTS = 1_000_000;
const ROUNDS = 5;
const THREADS = 2;
const MEMORY_LIMIT = '2GB';
const PASSWORD = 'Demo-pass-2026';

/** A join and an aggregate, as a vendor's congestion product would do it. */
const SQL = `SELECT s.district, s.road_class, t.hour_of_day,
       count(*) AS observations,
       sum(t.vehicles) AS vehicles,
       round(avg(t.speed_kmh), 2) AS avg_speed_kmh
FROM traffic t
JOIN segments s ON s.segment_id = t.segment_id
GROUP BY ALL`;

async function generate(dir: string): Promise<{ traffic: string; segments: string }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS) });
  const connection = await instance.connect();
  const traffic = path.join(dir, 'traffic.parquet');
  const segments = path.join(dir, 'segments.parquet');
  await connection.run(`COPY (
    SELECT hash(i) % ${SEGMENTS} AS segment_id, (i % 24)::INTEGER AS hour_of_day, DATE '2024-01-01' + (i // ${SEGMENTS})::INTEGER AS day,
           (hash(i * 7) % 900)::INTEGER AS vehicles, round(20 + (hash(i * 13) % 600) / 10.0, 1)::DOUBLE AS speed_kmh
    FROM range(${ROWS}) r(i)
  ) TO '${traffic}' (FORMAT parquet, COMPRESSION zstd)`);
  await connection.run(`COPY (
    SELECT s::UBIGINT AS segment_id, ['福田区','罗湖区','南山区','盐田区','宝安区','龙岗区','龙华区','坪山区','光明区','大鹏新区'][(hash(s) % 10)::BIGINT + 1] AS district,
           ['expressway','arterial','secondary','branch'][(hash(s * 3) % 4)::BIGINT + 1] AS road_class
    FROM range(${SEGMENTS}) r(s)
  ) TO '${segments}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return { traffic, segments };
}

/** The same SQL straight in DuckDB: views over the same files, COPY to Parquet, same threads and memory. */
async function direct(files: { traffic: string; segments: string }, output: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS), memory_limit: MEMORY_LIMIT });
  const connection = await instance.connect();
  await connection.run(`CREATE VIEW traffic AS SELECT * FROM read_parquet('${files.traffic}')`);
  await connection.run(`CREATE VIEW segments AS SELECT * FROM read_parquet('${files.segments}')`);
  const started = performance.now();
  await connection.run(`COPY (${SQL}) TO '${output}' (FORMAT parquet, COMPRESSION zstd)`);
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

async function describe(file: string): Promise<Array<{ name: string; type: string }>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  const columns = reader.getRowObjects().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  connection.closeSync();
  instance.closeSync();
  return columns;
}

/** Registers a generated file as a published open dataset of the transport bureau, with one version. */
async function register(databaseUrl: string, storageDir: string, slug: string, file: string, rows: number): Promise<string> {
  const dataSource = createDataSource({ url: databaseUrl, poolSize: 2 });
  await dataSource.initialize();
  try {
    const agency = await dataSource.manager.findOneByOrFail(Organization, { slug: 'transport-bureau' });
    const dataset = await dataSource.manager.save(
      dataSource.manager.create(Dataset, {
        organizationId: agency.id,
        slug,
        titleZh: slug,
        titleEn: slug,
        theme: 'transport',
        updateFrequency: 'daily',
        licenseId: 'cc-by-4.0',
        classification: 'open',
        status: 'published',
        publishedAt: new Date(),
      }),
    );
    // Registered as ingestion would record it (no re-ingest: the benchmark is about derivation).
    const sha256 = createHash('sha256').update(slug).digest('hex');
    const key = versionParquetKey(dataset.id, sha256);
    await createObjectStore({ kind: 'local', root: storageDir }).putFile(key, file);
    const schema = await describe(file);
    const bytes = (await stat(file)).size;
    await dataSource.transaction((manager) =>
      recordDatasetVersion(manager, {
        datasetId: dataset.id,
        ingestionId: null,
        userId: null,
        file: { sha256, filename: path.basename(file), format: 'parquet', encoding: null, bytes, rowCount: rows, schema, profile: [], parquetKey: key, parquetBytes: bytes },
      }),
    );
    return dataset.id;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * From POST /runs to a published version, through the API, Redis, the worker's five stages and
 * PostgreSQL. The end is taken from BullMQ's completion event of the publish stage (not by
 * polling the API, which would take CPU from the run being measured), then checked over HTTP.
 */
async function endToEnd(http: Http, token: string, productId: string, round: number, prefix: string): Promise<number> {
  // A comment changes the fingerprint (a new version each round) but not what DuckDB runs.
  const patched = await http.patch(`/api/v1/products/${productId}`, { sql: `-- round ${round}\n${SQL}` }, { token });
  if (patched.status !== 200) throw new Error(`could not change the SQL: ${JSON.stringify(patched.body)}`);
  const events = new QueueEvents('derive', { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: queuePrefix(prefix) });
  await events.waitUntilReady();
  try {
    const finished = new Map<string, number>();
    let wanted: string | null = null;
    let resolveDone: (at: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (resolveDone = resolve));
    const onEnd = ({ jobId }: { jobId: string }) => {
      finished.set(jobId, performance.now());
      if (jobId === wanted) resolveDone(performance.now());
    };
    events.on('completed', onEnd);
    events.on('failed', onEnd);
    const started = performance.now();
    const run = await http.post(`/api/v1/products/${productId}/runs`, {}, { token });
    wanted = `derive.publish-${run.body.id}`;
    const ended = finished.get(wanted) ?? (await Promise.race([done, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('run timed out')), 300_000))]));
    const state = await http.get(`/api/v1/products/${productId}/runs/${run.body.id}`, { token });
    if (state.body.status !== 'succeeded') throw new Error(`run ended ${state.body.status}: ${state.body.errorMessage}`);
    await printStages(run.body.id, prefix, started);
    return (ended - started) / 1000;
  } finally {
    await events.close();
  }
}

/** Where the time of a run went: each stage job's wait and work, from BullMQ's own timestamps. */
async function printStages(runId: string, prefix: string, startedAt: number): Promise<void> {
  const queue = new Queue('derive', { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: queuePrefix(prefix) });
  try {
    const origin = performance.timeOrigin + startedAt;
    const parts: string[] = [];
    for (const name of DERIVE_STAGE_JOBS) {
      const job = await queue.getJob(`${name}-${runId}`);
      if (job?.processedOn && job.finishedOn) parts.push(`${name.slice(7)} ${Math.round(job.processedOn - origin)}→${Math.round(job.finishedOn - origin)} ms`);
    }
    console.log(`    ${parts.join(', ')}`);
  } finally {
    await queue.close();
  }
}

export const derive: Bench = {
  name: 'derive',
  description: `a join + aggregate derivation over ${ROWS / 1e6}M rows, end to end (enqueue → published version) vs the same SQL directly in DuckDB`,
  async run() {
    const work = await mkdtemp(path.join(os.tmpdir(), 'civic-bench-derive-'));
    const storageDir = path.join(work, 'storage');
    const database = await createTestDatabase('t_bench_derive');
    let platform: Awaited<ReturnType<typeof startPlatform>> | null = null;
    try {
      const files = await generate(work);
      const bytes = (await stat(files.traffic)).size;
      const seedSource = createDataSource({ url: database.url, poolSize: 2 });
      await seedSource.initialize();
      await seedDemo(seedSource, PASSWORD);
      await seedSource.destroy();
      const trafficId = await register(database.url, storageDir, 'bench-traffic', files.traffic, ROWS);
      const segmentsId = await register(database.url, storageDir, 'bench-segments', files.segments, SEGMENTS);

      platform = await startPlatform(
        { DATABASE_URL: database.url, STORAGE_DIR: storageDir, DERIVE_THREADS: String(THREADS), DERIVE_MEMORY_LIMIT: MEMORY_LIMIT, LOG_LEVEL: 'info' },
        { worker: true },
      );
      const http = new Http(platform.baseUrl);
      const vendor = await login(http, 'vendor@cityflow.demo', PASSWORD);
      const created = await http.post(
        '/api/v1/products',
        {
          kind: 'derived',
          slug: 'bench-congestion',
          titleZh: '基准',
          titleEn: 'Benchmark',
          theme: 'transport',
          sql: SQL,
          inputs: [
            { name: 'traffic', datasetId: trafficId },
            { name: 'segments', datasetId: segmentsId },
          ],
        },
        { token: vendor.token },
      );
      if (created.status !== 201) throw new Error(`could not create the product: ${JSON.stringify(created.body)}`);

      const platformTimes: number[] = [];
      const duckTimes: number[] = [];
      await endToEnd(http, vendor.token, created.body.id, 0, platform.queuePrefix); // warm-up: page cache, worker connections
      for (let round = 1; round <= ROUNDS; round += 1) {
        // Alternate which goes first, so that a drift in the machine's load does not favour either.
        const runDirect = async () => duckTimes.push(await direct(files, path.join(work, `direct-${round}.parquet`)));
        const runPlatform = async () => platformTimes.push(await endToEnd(http, vendor.token, created.body.id, round, platform!.queuePrefix));
        if (round % 2) {
          await runDirect();
          await runPlatform();
        } else {
          await runPlatform();
          await runDirect();
        }
        console.log(`  round ${round}: platform ${platformTimes.at(-1)!.toFixed(2)} s, DuckDB ${duckTimes.at(-1)!.toFixed(2)} s`);
      }
      const platformSeconds = median(platformTimes);
      const duckSeconds = median(duckTimes);
      const mrowsPerSecond = (seconds: number) => Number((ROWS / 1e6 / seconds).toFixed(2));
      return {
        value: mrowsPerSecond(platformSeconds),
        unit: 'M rows/s',
        baseline: mrowsPerSecond(duckSeconds),
        goal: Number((1 / 1.2).toFixed(3)),
        notes:
          `median of ${ROUNDS}: platform ${platformSeconds.toFixed(2)} s end to end (API → flow of 5 jobs → sandbox → gate → profile → version), ` +
          `DuckDB alone ${duckSeconds.toFixed(2)} s; input ${(bytes / 1e6).toFixed(0)} MB Parquet; time ratio ${(platformSeconds / duckSeconds).toFixed(2)}× (goal ≤ 1.2×)`,
      };
    } finally {
      await platform?.close();
      await database.dispose();
      await rm(work, { recursive: true, force: true });
    }
  },
};
