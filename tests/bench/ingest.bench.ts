import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFile, type IngestStage } from '@civic/ingest';
import type { Bench } from './harness.js';
import { median, record } from './harness.js';

/** Rows of the generated CSV: about 1.1 GB. */
const ROWS = 11_500_000;
const ROUNDS = 5;
const THREADS = 2;
const MEMORY_LIMIT = '1GB';

/**
 * A deterministic CSV of mixed types with Chinese headers and text: integers, dates, timestamps,
 * a few-valued city name, a road name (5 000 values), amounts, booleans, and a free-text note that
 * is sometimes missing and sometimes needs quoting.
 */
async function generateCsv(csvPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS) });
  const connection = await instance.connect();
  await connection.run(`COPY (
    SELECT i AS 编号,
      DATE '2015-01-01' + (i % 3650)::INTEGER AS 日期,
      TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 7) AS 记录时间,
      ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '重庆'][(i % 10) + 1] AS 城市,
      '第' || (i % 5000)::VARCHAR || '号道路' AS 道路名称,
      round((i * 37 % 100000) / 100.0, 2)::DOUBLE AS 金额,
      (i * 13 % 1000)::INTEGER AS 数量,
      (i % 3 = 0) AS 已核验,
      CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN '复核, "待定" ' || (i % 97)::VARCHAR ELSE '备注 ' || md5(i::VARCHAR)[1:12] END AS 备注
    FROM range(${ROWS}) t(i)
  ) TO '${csvPath}' (FORMAT csv, HEADER true)`);
  connection.closeSync();
  instance.closeSync();
}

/** DuckDB on its own: the same file straight to Parquet with the same threads and memory. */
async function duckDbCopy(csvPath: string, parquetPath: string): Promise<Timed> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS), memory_limit: MEMORY_LIMIT });
  const connection = await instance.connect();
  const started = performance.now();
  const cpu = process.cpuUsage();
  await connection.run(`COPY (SELECT * FROM read_csv('${csvPath}')) TO '${parquetPath}' (FORMAT parquet)`);
  const timed = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSince(cpu) };
  connection.closeSync();
  instance.closeSync();
  return timed;
}

interface Timed {
  seconds: number;
  /** CPU time of the whole process (all threads): less sensitive than wall time to other load on the machine. */
  cpuSeconds: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

interface IngestRun extends Timed {
  stages: Record<IngestStage, number>;
  rows: number;
}

/** The whole job: inspect and hash, convert, profile. Stage times are from the first report of each stage. */
async function ingestRun(csvPath: string, directory: string, round: number): Promise<IngestRun> {
  const firstSeen: Partial<Record<IngestStage, number>> = {};
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await ingestFile({
    sourcePath: csvPath,
    filename: 'bench.csv',
    outputPath: path.join(directory, `ingest-${round}.parquet`),
    workDir: path.join(directory, 'work'),
    threads: THREADS,
    memoryLimit: MEMORY_LIMIT,
    onProgress: (stage) => {
      firstSeen[stage] ??= performance.now();
    },
  });
  const ended = performance.now();
  const cpuSeconds = cpuSince(cpu);
  const at = (stage: IngestStage) => firstSeen[stage] ?? ended;
  rmSync(result.parquetPath);
  return {
    seconds: (ended - started) / 1000,
    cpuSeconds,
    stages: {
      // Inspection runs alongside the conversion; "converting" is shown once inspection is done.
      inspecting: (at('converting') - started) / 1000,
      converting: (at('profiling') - at('converting')) / 1000,
      profiling: (ended - at('profiling')) / 1000,
    },
    rows: result.rowCount,
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const cpuList = (runs: Timed[]) => runs.map((run) => run.cpuSeconds.toFixed(1)).join('/');

/**
 * Throughput of `ingestFile` (hash + binary/encoding checks, conversion to Parquet, profiling)
 * against DuckDB converting the same CSV to Parquet by itself, in the same process.
 */
export const ingest: Bench = {
  name: 'ingest',
  description: 'MB/s of ingestFile on a ~1.1 GB CSV vs DuckDB COPY read_csv → Parquet alone',
  async run() {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'civic-bench-ingest-'));
    try {
      const csvPath = path.join(directory, 'bench.csv');
      await generateCsv(csvPath);
      const megabytes = statSync(csvPath).size / 1e6;
      const ours: IngestRun[] = [];
      const duck: Timed[] = [];
      let peakRss = 0;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          // Alternate the order so neither side always runs on a warmer cache.
          if (round % 2 === 0) duck.push(await duckDbCopy(csvPath, path.join(directory, 'duckdb.parquet')));
          ours.push(await ingestRun(csvPath, directory, round));
          if (round % 2 === 1) duck.push(await duckDbCopy(csvPath, path.join(directory, 'duckdb.parquet')));
          rmSync(path.join(directory, 'duckdb.parquet'), { force: true });
        }
      } finally {
        clearInterval(sampler);
      }
      const seconds = median(ours.map((run) => run.seconds));
      const stage = (name: IngestStage) => round1(median(ours.map((run) => run.stages[name])));
      const value = round1(megabytes / seconds);
      const baseline = round1(megabytes / median(duck.map((run) => run.seconds)));
      return {
        value,
        unit: 'MB/s',
        baseline,
        goal: 0.8,
        notes:
          `${Math.round(megabytes)} MB, ${ours[0].rows} rows, median of ${ROUNDS} rounds; ingest ${ours.map((run) => run.seconds.toFixed(1)).join('/')} s ` +
          `(inspect-only ${stage('inspecting')} s, converting ${stage('converting')} s, profiling ${stage('profiling')} s), ` +
          `DuckDB ${duck.map((run) => run.seconds.toFixed(1)).join('/')} s; CPU s ingest ${cpuList(ours)} vs DuckDB ${cpuList(duck)}; ` +
          `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
      };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};

// `tsx bench/ingest.bench.ts` runs this benchmark on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`▶ ${ingest.name}: ${ingest.description}`);
  const result = record(ingest, await ingest.run());
  console.log(`  ${result.value} ${result.unit}  (baseline ${result.baseline} ${result.unit}, ratio ${result.ratio}, goal ratio ≥ ${result.goal}: ${result.met ? 'met' : 'NOT met'})`);
  if (result.notes) console.log(`  ${result.notes}`);
  process.exit(result.met ? 0 : 1);
}
