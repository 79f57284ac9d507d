import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { DEMO_DATASETS, DEMO_SCALES, demoColumns } from './catalog.js';
import { sqlLiteral } from './sql.js';
import type { DemoDataset } from './types.js';
import { demoFileName, writeDemoFile } from './write.js';

const SLOW = 60_000;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

let dir: string;
let instance: DuckDBInstance;
let duckdb: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-data-'));
  instance = await DuckDBInstance.create(':memory:');
  duckdb = await instance.connect();
});

afterAll(async () => {
  duckdb.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

function dataset(slug: string): DemoDataset {
  const found = DEMO_DATASETS.find((d) => d.slug === slug);
  if (!found) throw new Error(`no dataset ${slug}`);
  return found;
}

const VERSIONS = DEMO_DATASETS.flatMap((d) => Array.from({ length: d.versions ?? 1 }, (_, i) => [`${d.slug} v${i + 1}`, d, i + 1] as const));

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** A path DuckDB can read: GB18030 files are decoded to UTF-8 first, as an ingest would. */
async function readablePath(d: DemoDataset, path: string): Promise<string> {
  if (d.file.encoding !== 'gb18030') return path;
  const utf8Path = `${path}.utf8.csv`;
  await writeFile(utf8Path, iconv.decode(await readFile(path), 'gb18030'));
  return utf8Path;
}

function scan(d: DemoDataset, path: string): string {
  const file = sqlLiteral(path);
  switch (d.file.format) {
    case 'csv':
      return `read_csv(${file}, header = true)`;
    case 'json':
      return `read_json(${file}, format = 'array')`;
    case 'ndjson':
      return `read_json(${file}, format = 'newline_delimited')`;
    case 'parquet':
      return `read_parquet(${file})`;
  }
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await duckdb.runAndReadAll(sql)).getRows();
}

async function columnNames(d: DemoDataset, path: string): Promise<string[]> {
  return (await rows(`DESCRIBE SELECT * FROM ${scan(d, await readablePath(d, path))}`)).map((row) => String(row[0]));
}

async function rowCount(d: DemoDataset, path: string): Promise<number> {
  const [[count]] = await rows(`SELECT count(*) FROM ${scan(d, await readablePath(d, path))}`);
  return Number(count);
}

/** The text of a CSV file's first line, decoded from its declared encoding. */
async function csvHeaderLine(d: DemoDataset, path: string): Promise<string> {
  const bytes = await readFile(path);
  const text = d.file.encoding === 'gb18030' ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8');
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
}

describe('writeDemoFile', () => {
  it.each(VERSIONS)(
    '%s: writes the same bytes twice, with the catalog columns in order and about the declared rows',
    async (_name, d, version) => {
      const first = await writeDemoFile(d, join(dir, 'first'), { version, scale: 'small' });
      const second = await writeDemoFile(d, join(dir, 'second'), { version, scale: 'small' });
      expect(first).toBe(join(dir, 'first', demoFileName(d, version)));
      expect(await sha256(first)).toBe(await sha256(second));

      const expected = demoColumns(d, version).map((c) => c.name);
      expect(await columnNames(d, first)).toEqual(expected);
      if (d.file.format === 'csv') expect(await csvHeaderLine(d, first)).toBe(expected.join(','));

      const declared = d.slug === 'road-traffic-flow-hourly' ? DEMO_SCALES.small.trafficRows : d.file.approxRows;
      const count = await rowCount(d, first);
      expect(count).toBeGreaterThanOrEqual(declared * 0.9);
      expect(count).toBeLessThanOrEqual(declared * 1.1);
    },
    SLOW,
  );

  it('writes the survey table with its exact published values, UTF-8 with a BOM', async () => {
    const path = await writeDemoFile(dataset('urban-channel-construction-survey-2011-2015'), dir);
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 3)).toEqual(UTF8_BOM);
    expect(bytes.subarray(3).toString('utf8').trimEnd().split('\n')).toEqual([
      '年份,城市建设中渠道建设占比(%),渠道综合应用率(%),渠道建设形式创新率(%),城市整体建设优化率(%)',
      '2011,39,33,20,36',
      '2012,40,37,23,45',
      '2013,44,45,23,55',
      '2014,46,47,26,65',
      '2015,48,50,29,70',
    ]);
  });

  it('writes GB18030 files that are not valid UTF-8 and decode to Chinese headers', async () => {
    const air = dataset('air-quality-hourly');
    const path = await writeDemoFile(air, dir, { scale: 'small' });
    const bytes = await readFile(path);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const text = iconv.decode(bytes, 'gb18030');
    expect(text.startsWith('监测时间,站点名称,所在区,PM2.5(微克/立方米)')).toBe(true);
    // Exported the way Excel on Windows does: CRLF line ends.
    expect(text.split('\r\n').length).toBe(text.split('\n').length);
    expect(bytes.includes(UTF8_BOM)).toBe(false);
  });

  it('writes plain UTF-8 CSV without a BOM when the catalog says utf-8', async () => {
    const weather = dataset('daily-weather-observations');
    expect(weather.file.encoding).toBe('utf-8');
    const bytes = await readFile(await writeDemoFile(weather, dir));
    expect(bytes.subarray(0, 3)).not.toEqual(UTF8_BOM);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
  });

  it('adds the SO2 column in version 2 of the air-quality file, keeping the rows', async () => {
    const air = dataset('air-quality-hourly');
    const v1 = await writeDemoFile(air, dir, 1);
    const v2 = await writeDemoFile(air, dir, { version: 2 });
    expect(v2).not.toBe(v1);
    expect(await columnNames(air, v1)).not.toContain('SO2(微克/立方米)');
    expect(await columnNames(air, v2)).toContain('SO2(微克/立方米)');
    expect(await rowCount(air, v2)).toBe(await rowCount(air, v1));
  });

  it('refuses versions the dataset does not have', async () => {
    await expect(writeDemoFile(dataset('air-quality-hourly'), dir, 3)).rejects.toThrow(RangeError);
    await expect(writeDemoFile(dataset('customs-trade-monthly'), dir, 2)).rejects.toThrow(RangeError);
    await expect(writeDemoFile({ ...dataset('customs-trade-monthly'), slug: 'unknown' }, dir)).rejects.toThrow('unknown');
  });

  it('gives traffic rush hours on working days and quiet nights', async () => {
    const path = await writeDemoFile(dataset('road-traffic-flow-hourly'), dir, { scale: 'small' });
    const [[rush, night, rushIndex, nightIndex]] = await rows(`
      SELECT avg(vehicle_count) FILTER (hour(hour_start) = 8), avg(vehicle_count) FILTER (hour(hour_start) = 3),
             avg(congestion_index) FILTER (hour(hour_start) = 8), avg(congestion_index) FILTER (hour(hour_start) = 3)
      FROM ${scan(dataset('road-traffic-flow-hourly'), path)} WHERE isodow(hour_start) <= 5`);
    expect(Number(rush)).toBeGreaterThan(4 * Number(night));
    expect(Number(rushIndex)).toBeGreaterThan(Number(nightIndex) + 2);
  });

  it('gives every synthetic patient one identity number in a region code that does not exist', async () => {
    const hospital = dataset('hospital-outpatient-visits');
    const path = await writeDemoFile(hospital, dir);
    const [[patients, ids, pairs, outside]] = await rows(`
      SELECT count(DISTINCT patient_id), count(DISTINCT national_id), count(DISTINCT (patient_id, national_id)),
             count(*) FILTER (NOT regexp_full_match(national_id, '99[0-9]{15}[0-9X]'))
      FROM ${scan(hospital, path)}`);
    expect(Number(ids)).toBe(Number(patients));
    expect(Number(pairs)).toBe(Number(patients));
    expect(Number(outside)).toBe(0);
  });

  it(
    'writes at least a million traffic rows at full scale',
    async () => {
      const traffic = dataset('road-traffic-flow-hourly');
      const started = performance.now();
      const path = await writeDemoFile(traffic, join(dir, 'full'));
      const seconds = (performance.now() - started) / 1000;
      const count = await rowCount(traffic, path);
      console.log(`full-scale traffic: ${count} rows written in ${seconds.toFixed(2)} s`);
      expect(count).toBe(DEMO_SCALES.full.trafficRows);
      expect(count).toBeGreaterThanOrEqual(1_000_000);
    },
    SLOW,
  );
});
