import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { measureGate, profileOutput, suppress, type GatePlan } from './gate.js';
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

afterAll(async () => {
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
