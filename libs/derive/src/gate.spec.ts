import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { profileParquet } from '@civic/ingest';
import fc from 'fast-check';
import { OutputEngine } from './engine.js';
import { gateOutput, measureGate, profileOutput, suppress, type GateDecision, type GatePlan } from './gate.js';
import { TempDir } from './test-support/fixtures.js';

let dir: TempDir;
let counter = 0;
/** One plain DuckDB for writing fixtures and reading results (the code under test opens its own). */
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  dir = await TempDir.create();
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
});

/** One long-lived engine, as a worker keeps it. */
let engine: OutputEngine;

beforeAll(() => {
  engine = new OutputEngine({ memoryLimit: '256MB', threads: 1 });
});

afterAll(async () => {
  await engine.close();
  connection.closeSync();
  instance.closeSync();
  await dir.dispose();
});

async function duck<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

interface Row {
  zone: number | null;
  band: string | null;
  n: number | null;
  m: number | null;
}

const sqlValue = (value: number | string | null, type: string) =>
  value === null ? `CAST(NULL AS ${type})` : typeof value === 'string' ? `'${value}'` : `CAST(${value} AS ${type})`;

/** Writes rows (columns zone INTEGER, band VARCHAR, n BIGINT, m BIGINT) to a fresh Parquet file, in order. */
async function table(rows: Row[]): Promise<string> {
  const file = dir.path(`t${(counter += 1)}.parquet`);
  const values = rows.map((row, index) => `(${index}, ${sqlValue(row.zone, 'INTEGER')}, ${sqlValue(row.band, 'VARCHAR')}, ${sqlValue(row.n, 'BIGINT')}, ${sqlValue(row.m, 'BIGINT')})`);
  const select = rows.length
    ? `SELECT zone, band, n, m FROM (VALUES ${values.join(', ')}) v(i, zone, band, n, m) ORDER BY i`
    : 'SELECT CAST(NULL AS INTEGER) AS zone, CAST(NULL AS VARCHAR) AS band, CAST(NULL AS BIGINT) AS n, CAST(NULL AS BIGINT) AS m WHERE false';
  await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  return file;
}

async function rowsOf(file: string): Promise<Row[]> {
  const rows = await duck<{ zone: number | null; band: string | null; n: bigint | null; m: bigint | null }>(`SELECT * FROM read_parquet('${file}')`);
  return rows.map((row) => ({ zone: row.zone, band: row.band, n: row.n === null ? null : Number(row.n), m: row.m === null ? null : Number(row.m) }));
}

/** The reference: the rule applied in plain JavaScript. */
function reference(rows: Row[], plan: GatePlan): { kept: Row[]; violatingRows: number; violatingGroups: number } {
  if (plan.rule === 'none') return { kept: rows, violatingRows: 0, violatingGroups: 0 };
  if (plan.rule === 'small_cells') {
    const violates = (row: Row) =>
      plan.countColumns.some((name) => {
        const value = row[name as keyof Row] as number | null;
        return value !== null && value >= 1 && value <= plan.k - 1;
      });
    const bad = rows.filter(violates).length;
    return { kept: rows.filter((row) => !violates(row)), violatingRows: bad, violatingGroups: bad };
  }
  const key = (row: Row) => JSON.stringify(plan.quasiIdentifiers.map((name) => row[name as keyof Row]));
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(key(row), (sizes.get(key(row)) ?? 0) + 1);
  const small = [...sizes.values()].filter((size) => size < plan.k);
  return {
    kept: rows.filter((row) => (sizes.get(key(row)) ?? 0) >= plan.k),
    violatingRows: small.reduce((total, size) => total + size, 0),
    violatingGroups: small.length,
  };
}

describe('measureGate and suppress', () => {
  const rows: Row[] = [
    { zone: 1, band: 'a', n: 1, m: 9 },
    { zone: 1, band: 'a', n: 5, m: 0 },
    { zone: 1, band: null, n: 2, m: 7 },
    { zone: null, band: null, n: 0, m: null },
    { zone: null, band: null, n: 6, m: 3 },
    { zone: 2, band: 'b', n: null, m: 8 },
  ];

  it('small_cells: a row violates when any count column is between 1 and k-1', async () => {
    const file = await table(rows);
    const plan: GatePlan = { rule: 'small_cells', countColumns: ['n', 'm'], quasiIdentifiers: [], k: 5 };
    expect(await measureGate(file, plan)).toEqual({ rowCount: 6, violatingRows: 3, violatingGroups: 3 });
    const out = dir.path('small-cells.parquet');
    expect(await suppress(file, out, plan)).toBe(3);
    expect(await rowsOf(out)).toEqual([rows[1], rows[3], rows[5]]);
  });

  it('k_anonymity: NULLs form one group; violating groups are counted', async () => {
    const file = await table(rows);
    const plan: GatePlan = { rule: 'k_anonymity', quasiIdentifiers: ['zone', 'band'], countColumns: [], k: 2 };
    expect(await measureGate(file, plan)).toEqual({ rowCount: 6, violatingRows: 2, violatingGroups: 2 });
    const out = dir.path('k-anonymity.parquet');
    expect(await suppress(file, out, plan)).toBe(4);
    expect(await rowsOf(out)).toEqual([rows[0], rows[1], rows[3], rows[4]]);
    const columns = await duck(`DESCRIBE SELECT * FROM read_parquet('${out}')`);
    expect(columns.map((column) => `${column.column_name} ${column.column_type}`)).toEqual(['zone INTEGER', 'band VARCHAR', 'n BIGINT', 'm BIGINT']);
  });

  it('none measures nothing and suppresses nothing', async () => {
    const file = await table(rows);
    const plan: GatePlan = { rule: 'none', quasiIdentifiers: ['zone'], countColumns: ['n'], k: 100 };
    expect(await measureGate(file, plan)).toEqual({ rowCount: 6, violatingRows: 0, violatingGroups: 0 });
    expect(await suppress(file, dir.path('none.parquet'), plan)).toBe(6);
  });

  it('k_anonymity without quasi-identifiers: all rows are one group, and an empty table has none', async () => {
    const plan: GatePlan = { rule: 'k_anonymity', quasiIdentifiers: [], countColumns: [], k: 10 };
    expect(await measureGate(await table(rows), plan)).toEqual({ rowCount: 6, violatingRows: 6, violatingGroups: 1 });
    expect(await measureGate(await table([]), plan)).toEqual({ rowCount: 0, violatingRows: 0, violatingGroups: 0 });
  });

  it('refuses unknown columns and bad k with derive.invalid_input', async () => {
    const file = await table(rows);
    await expect(measureGate(file, { rule: 'k_anonymity', quasiIdentifiers: ['nope'], countColumns: [], k: 2 })).rejects.toMatchObject({ code: 'derive.invalid_input' });
    await expect(measureGate(file, { rule: 'small_cells', quasiIdentifiers: [], countColumns: ['n'], k: 0 })).rejects.toMatchObject({ code: 'derive.invalid_input' });
  });

  it('agrees with the reference on generated tables, and suppressing twice removes nothing more', async () => {
    const row = fc.record({
      zone: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      band: fc.option(fc.constantFrom('a', 'b', '东'), { nil: null }),
      n: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
      m: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    });
    const plan = fc.record({
      rule: fc.constantFrom<GatePlan['rule']>('small_cells', 'k_anonymity', 'none'),
      quasiIdentifiers: fc.subarray(['zone', 'band']),
      countColumns: fc.subarray(['n', 'm']),
      k: fc.integer({ min: 1, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), plan, async (rows, gatePlan) => {
        const file = await table(rows);
        const expected = reference(rows, gatePlan);
        expect(await measureGate(file, gatePlan, { threads: 1 })).toEqual({ rowCount: rows.length, violatingRows: expected.violatingRows, violatingGroups: expected.violatingGroups });
        const once = dir.path(`once${counter}.parquet`);
        expect(await suppress(file, once, gatePlan, { threads: 1 })).toBe(expected.kept.length);
        expect(await rowsOf(once)).toEqual(expected.kept);
        const twice = dir.path(`twice${counter}.parquet`);
        expect(await suppress(once, twice, gatePlan, { threads: 1 })).toBe(expected.kept.length);
        expect((await measureGate(twice, gatePlan, { threads: 1 })).violatingRows).toBe(0);
      }),
      { numRuns: 25 },
    );
  }, 30_000);
});

describe('profileOutput', () => {
  it('profiles a derived Parquet file with @civic/ingest\'s profiler', async () => {
    const file = await table([
      { zone: 1, band: 'a', n: 1, m: null },
      { zone: 1, band: 'b', n: 2, m: null },
      { zone: 2, band: 'a', n: 3, m: 4 },
    ]);
    const result = await profileOutput(file);
    expect(result.rowCount).toBe(3);
    expect(result.schema.map((column) => column.name)).toEqual(['zone', 'band', 'n', 'm']);
    expect(result.profile.find((column) => column.name === 'm')).toMatchObject({ nullShare: 2 / 3, approxDistinct: 1, min: '4', max: '4' });
    expect(result.profile.find((column) => column.name === 'zone')?.topValues[0]).toEqual({ value: '1', count: 2 });
    expect((await profileOutput(await table([]))).profile.map((column) => column.nullShare)).toEqual([0, 0, 0, 0]);
  });
});

/**
 * @civic/ingest's own profiler on a file (what datasets record), for comparison; on the test's
 * connection in UTC, as ingestion's sessions are (a DuckSession opened from a spec file crashes
 * under Jest's VM modules).
 */
async function ingestProfile(file: string) {
  await connection.run("SET TimeZone = 'UTC'");
  const session = { rows: (sql: string) => duck(sql), run: async (sql: string) => (await connection.run(sql)).rowsChanged };
  const columns = await duck(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  const schema = columns.map((column) => ({ name: String(column.column_name), type: String(column.column_type) }));
  const [meta] = await duck(`SELECT num_rows FROM parquet_file_metadata('${file}')`);
  return profileParquet({ session: session as unknown as Parameters<typeof profileParquet>[0]['session'], parquetPath: file, schema, rowCount: Number(meta!.num_rows) });
}

describe('profileOutput of small outputs', () => {
  it('gives exactly the profile @civic/ingest gives, for every type, NULLs and ties', async () => {
    const file = dir.path('types.parquet');
    await connection.run(`COPY (
      SELECT i % 7 AS small_int, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || (i % 11)::VARCHAR END AS text,
             (i % 13) / 4.0 AS ratio, (i % 9)::DOUBLE * 1.5 AS dbl, DATE '2024-01-01' + (i % 40)::INTEGER AS day,
             TIMESTAMP '2024-01-01 00:00:00' + to_hours(i % 30) AS at, TIMESTAMPTZ '2024-01-01 00:00:00+08' + to_hours(i % 3) AS at_tz,
             i % 3 = 0 AS flag, CAST(NULL AS INTEGER) AS nothing, (i * 7919) % 1000 AS spread, CAST(i % 4 AS HUGEINT) * 100 AS big
      FROM range(1500) t(i)) TO '${file}' (FORMAT parquet)`);
    const expected = await ingestProfile(file);
    expect((await profileOutput(file)).profile).toEqual(expected);
    expect((await profileOutput(file, { engine })).profile).toEqual(expected);
    // A nested column: @civic/ingest's profiler itself.
    const nested = dir.path('nested.parquet');
    await connection.run(`COPY (SELECT i % 3 AS n, [i % 2, i % 3] AS list FROM range(50) t(i)) TO '${nested}' (FORMAT parquet)`);
    expect((await profileOutput(nested, { engine })).profile).toEqual(await ingestProfile(nested));
  });

  it('agrees with @civic/ingest on generated tables', async () => {
    const row = fc.record({
      zone: fc.option(fc.integer({ min: -3, max: 12 }), { nil: null }),
      band: fc.option(fc.constantFrom('a', 'b', 'B', '东', ''), { nil: null }),
      n: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
      m: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const file = await table(rows);
        expect((await profileOutput(file, { engine })).profile).toEqual(await ingestProfile(file));
      }),
      { numRuns: 20 },
    );
  }, 30_000);
});

describe('gateOutput', () => {
  const rows: Row[] = [
    { zone: 1, band: 'a', n: 1, m: 9 },
    { zone: 1, band: 'a', n: 5, m: 0 },
    { zone: 1, band: null, n: 2, m: 7 },
    { zone: null, band: null, n: 0, m: null },
    { zone: null, band: null, n: 6, m: 3 },
    { zone: 2, band: 'b', n: null, m: 8 },
  ];
  const plan: GatePlan = { rule: 'small_cells', countColumns: ['n', 'm'], quasiIdentifiers: [], k: 5 };

  it.each<GateDecision>(['pass', 'suppress', 'fail'])('measures, then publishes as decided (%s) and profiles what is published, in one pass', async (decision) => {
    const file = await table(rows);
    const suppressedPath = dir.path(`gated-${decision}.parquet`);
    const seen: unknown[] = [];
    const result = await gateOutput(file, plan, { engine, suppressedPath, decide: (measurement) => (seen.push(measurement), decision) });
    expect(seen).toEqual([await measureGate(file, plan)]);
    expect(result.measurement).toEqual({ rowCount: 6, violatingRows: 3, violatingGroups: 3 });
    expect(result.decision).toBe(decision);
    if (decision === 'fail') {
      expect(result).toMatchObject({ publishedPath: null, published: null });
      return;
    }
    const published = decision === 'suppress' ? suppressedPath : file;
    expect(result.publishedPath).toBe(published);
    if (decision === 'suppress') expect(await rowsOf(suppressedPath)).toEqual([rows[1], rows[3], rows[5]]);
    expect(result.published).toEqual(await profileOutput(published));
  });

  it('uses what is known of the output instead of reading its metadata, and checks the plan against it', async () => {
    const file = await table(rows);
    const known = { schema: [{ name: 'zone', type: 'INTEGER' }, { name: 'band', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'm', type: 'BIGINT' }], rowCount: 6 };
    const result = await gateOutput(file, plan, { engine, known, suppressedPath: dir.path('known.parquet'), decide: () => 'pass' });
    expect(result.published).toEqual(await profileOutput(file));
    await expect(
      gateOutput(file, { ...plan, countColumns: ['missing'] }, { engine, known, suppressedPath: dir.path('x.parquet'), decide: () => 'pass' }),
    ).rejects.toMatchObject({ code: 'derive.invalid_input', details: { name: 'missing' } });
  });

  it('serves concurrent uses of one engine, each on its own connection', async () => {
    const files = await Promise.all([table(rows), table(rows.slice(0, 3)), table([])]);
    const results = await Promise.all(files.map((file, index) => gateOutput(file, plan, { engine, suppressedPath: dir.path(`c${index}.parquet`), decide: () => 'suppress' })));
    expect(results.map((result) => result.published?.rowCount)).toEqual([3, 1, 0]);
  });
});
