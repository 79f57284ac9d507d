// Sandbox overhead: a join + aggregate over a 10 M-row Parquet input, materialized through
// DerivationSandbox versus the same COPY run directly in DuckDB (same memory limit and threads).
// Usage (after `pnpm build`): node bench/overhead.mjs [rows] [runs]
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { closeParser, DerivationSandbox } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 5);
const dir = path.join(os.tmpdir(), 'civic-derive-bench');
const trips = path.join(dir, `trips-${rows}.parquet`);
const zones = path.join(dir, 'zones.parquet');
const SQL = `SELECT z.district, date_trunc('day', t.started_at) AS day, count(*) AS trips, sum(t.fare) AS revenue, avg(t.fare) AS mean_fare, max(t.trip_id) AS last_trip
FROM trips t JOIN zones z USING (zone_id) GROUP BY ALL`;

async function duck(sql) {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', threads: '2' });
  const connection = await instance.connect();
  try {
    const started = performance.now();
    await connection.run(sql);
    return performance.now() - started;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

await mkdir(dir, { recursive: true });
if (!(await stat(trips).catch(() => null))) {
  await duck(`COPY (SELECT range AS trip_id, (range * 7919) % 300 AS zone_id, (range % 1000) / 10.0 AS fare,
      TIMESTAMP '2024-01-01' + INTERVAL (range % 10000000) SECOND AS started_at, 'rider-' || (range * 31 % 2000000) AS rider_id,
      '+86 138 ' || range AS phone FROM range(${rows})) TO '${trips}' (FORMAT parquet, COMPRESSION zstd)`);
  await duck(`COPY (SELECT range AS zone_id, 'zone ' || range AS zone_name, 'district ' || (range % 16) AS district FROM range(300)) TO '${zones}' (FORMAT parquet)`);
}

const sandbox = new DerivationSandbox({
  inputs: [
    { name: 'trips', parquetPath: trips, pseudonymKey: 'bench', columns: [{ name: 'trip_id' }, { name: 'zone_id' }, { name: 'fare' }, { name: 'started_at' }, { name: 'rider_id', pseudonym: true }, { name: 'phone', hidden: true }] },
    { name: 'zones', parquetPath: zones, columns: [{ name: 'zone_id' }, { name: 'zone_name' }, { name: 'district' }] },
  ],
  workDir: path.join(dir, 'work'),
  memoryLimit: '1GB',
  threads: 2,
});
const direct = () => duck(`COPY (${SQL.replace('FROM trips t JOIN zones z', `FROM read_parquet('${trips}') t JOIN read_parquet('${zones}') z`)}) TO '${path.join(dir, 'direct.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
const sandboxed = async () => {
  const started = performance.now();
  await sandbox.materialize(SQL, path.join(dir, 'sandboxed.parquet'));
  return performance.now() - started;
};

await direct();
await sandboxed();
const times = { direct: [], sandboxed: [] };
for (let run = 0; run < runs; run += 1) {
  times.direct.push(await direct());
  times.sandboxed.push(await sandboxed());
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`rows: ${rows}, runs: ${runs}`);
console.log(`direct DuckDB (ms): ${times.direct.map(Math.round).join(' ')}, median ${Math.round(median(times.direct))}`);
console.log(`sandbox (ms):       ${times.sandboxed.map(Math.round).join(' ')}, median ${Math.round(median(times.sandboxed))}`);
console.log(`ratio (medians): ${(median(times.sandboxed) / median(times.direct)).toFixed(3)}`);
await closeParser();
await rm(path.join(dir, 'work'), { recursive: true, force: true });
