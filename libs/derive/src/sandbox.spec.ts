import { readdir } from 'node:fs/promises';
import { closeParser } from './parser.js';
import { DerivationSandbox, SandboxEnginePool, type SandboxOptions } from './sandbox.js';
import { duck, TempDir, TRIP_COLUMNS, tripFixtures, ZONE_COLUMNS } from './test-support/fixtures.js';

let dir: TempDir;
let files: { trips: string; zones: string };

beforeAll(async () => {
  dir = await TempDir.create();
  files = await tripFixtures(dir);
});

afterAll(async () => {
  await closeParser();
  await dir.dispose();
});

function options(extra: Partial<SandboxOptions> = {}): SandboxOptions {
  return {
    inputs: [
      { name: 'trips', parquetPath: files.trips, columns: TRIP_COLUMNS, pseudonymKey: 'key-one' },
      { name: 'zones', parquetPath: files.zones, columns: ZONE_COLUMNS },
    ],
    workDir: dir.workDir,
    memoryLimit: '256MB',
    threads: 1,
    timeoutMs: 20_000,
    ...extra,
  };
}

const JOIN_SQL = `
  SELECT z.district, count(*) AS trips, count(DISTINCT t.rider_id) AS riders, sum(t.fare) AS revenue
  FROM trips t JOIN zones z USING (zone_id)
  GROUP BY z.district ORDER BY z.district`;

describe('DerivationSandbox.dryRun', () => {
  it('runs on the first rows of each input and returns JSON-safe rows with lineage', async () => {
    const result = await new DerivationSandbox(options()).dryRun(JOIN_SQL, { sampleRows: 50 });
    expect(result.columns).toEqual([
      { name: 'district', type: 'VARCHAR' },
      { name: 'trips', type: 'BIGINT' },
      { name: 'riders', type: 'BIGINT' },
      { name: 'revenue', type: 'DOUBLE' },
    ]);
    expect(result.rows.reduce((total, row) => total + Number(row.trips), 0)).toBe(50);
    expect(result.rows.map((row) => row.district)).toEqual(['east', 'north', 'south', 'west']); // the query's ORDER BY holds
    expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
    expect(result.inputsUsed).toEqual(['trips', 'zones']);
    expect(result.outputs.map((output) => [output.name, output.aggregate, output.sources.map((source) => `${source.input}.${source.column}`)])).toEqual([
      ['district', null, ['zones.district']],
      ['trips', 'count', []],
      ['riders', 'count', ['trips.rider_id']],
      ['revenue', 'other', ['trips.fare']],
    ]);
  });

  it('writes sums of integers as 64-bit integers, not the DOUBLE Parquet would make of a HUGEINT', async () => {
    const result = await new DerivationSandbox(options()).dryRun('SELECT zone_id, sum(trip_id) AS trips_total, sum(zone_id)::UHUGEINT AS unsigned_total, sum(fare) AS fares FROM trips GROUP BY ALL ORDER BY zone_id', { sampleRows: 20 });
    expect(result.columns).toEqual([
      { name: 'zone_id', type: 'BIGINT' },
      { name: 'trips_total', type: 'BIGINT' },
      { name: 'unsigned_total', type: 'UBIGINT' },
      { name: 'fares', type: 'DOUBLE' },
    ]);
    expect(result.rows.every((row) => Number.isInteger(row.trips_total))).toBe(true);
    expect(result.rows.reduce((total, row) => total + Number(row.trips_total), 0)).toBe((19 * 20) / 2);
  });

  it('answers NULL for a division by zero, never Infinity or NaN', async () => {
    const result = await new DerivationSandbox(options()).dryRun('SELECT zone_id, fare / 0 AS per_nothing, 0 / 0 AS nothing, count(*) / 0 AS whole, 7 % 0 AS rest FROM trips GROUP BY ALL ORDER BY zone_id', { sampleRows: 5 });
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.map(({ per_nothing, nothing, whole, rest }) => [per_nothing, nothing, whole, rest])).toEqual(result.rows.map(() => [null, null, null, null]));
  });

  it('refuses SQL that leaves an input unread before running anything, when asked to', async () => {
    const sandbox = new DerivationSandbox(options({ requireAllInputs: true }));
    await expect(sandbox.dryRun('SELECT fare FROM trips')).rejects.toMatchObject({ code: 'derive.unused_input', details: { inputs: ['zones'] } });
    await expect(sandbox.dryRun('SELECT 1 AS one')).rejects.toMatchObject({ code: 'derive.no_input_read', details: { inputs: ['trips', 'zones'] } });
    await expect(sandbox.materialize('SELECT fare FROM trips', dir.path('unread.parquet'))).rejects.toMatchObject({ code: 'derive.unused_input' });
    expect((await readdir(dir.root)).filter((name) => name.startsWith('unread'))).toEqual([]);
    expect((await sandbox.dryRun(JOIN_SQL, { sampleRows: 10 })).inputsUsed).toEqual(['trips', 'zones']);
  });

  it("points at the SQL's mistake as validation found it: syntax and binder errors alike", async () => {
    const sandbox = new DerivationSandbox(options());
    await expect(sandbox.dryRun('SELECT fare "a" "b" FROM trips')).rejects.toMatchObject({
      code: 'derive.syntax',
      message: 'Syntax error: syntax error at or near "b"',
      details: { line: 1, column: 17 },
    });
    await expect(sandbox.dryRun('SELECT zone_id,\n  abs(fare, 2) AS a\nFROM trips')).rejects.toMatchObject({ code: 'derive.invalid_query', details: { function: 'abs', line: 2, column: 3 } });
    await expect(sandbox.materialize('SELECT fare FROM trips\nORDER BY nothing', dir.path('nothing.parquet'))).rejects.toMatchObject({
      code: 'derive.unknown_column',
      details: { name: 'nothing', line: 2, column: 10 },
    });
  });

  it('never shows hidden columns, and shows pseudonyms instead of raw values', async () => {
    const result = await new DerivationSandbox(options()).dryRun('SELECT * FROM trips', { sampleRows: 20, maxRows: 5 });
    expect(result.columns.map((column) => column.name)).toEqual(['trip_id', 'zone_id', 'fare', 'started_at', 'rider_id']);
    expect(result.rows).toHaveLength(5);
    expect(result.rows[0].rider_id).toBeNull(); // NULL stays NULL
    for (const row of result.rows.slice(1)) expect(String(row.rider_id)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(result.rows)).not.toContain('rider-');
    expect(JSON.stringify(result.rows)).not.toContain('+86');
    expect(result.rows[0].started_at).toBe('2024-03-01T00:00:00');
  });

  it('keeps pseudonyms stable within a key (so joins and distinct counts work) and different across keys', async () => {
    const sql = 'SELECT count(DISTINCT rider_id) AS riders, min(rider_id) AS first, count(*) - count(rider_id) AS nulls FROM trips';
    const one = await new DerivationSandbox(options()).dryRun(sql);
    const again = await new DerivationSandbox(options()).dryRun(sql);
    const other = await new DerivationSandbox({ ...options(), inputs: [{ name: 'trips', parquetPath: files.trips, columns: TRIP_COLUMNS, pseudonymKey: 'key-two' }] }).dryRun(sql);
    expect(one.rows[0]).toMatchObject({ riders: 17, nulls: 9 });
    expect(again.rows[0].first).toBe(one.rows[0].first);
    expect(other.rows[0].first).not.toBe(one.rows[0].first);
  });

  it('treats columns that are not declared as hidden', async () => {
    const sandbox = new DerivationSandbox({ ...options(), inputs: [{ name: 'zones', parquetPath: files.zones, columns: [{ name: 'zone_id' }] }] });
    expect((await sandbox.dryRun('SELECT * FROM zones')).columns.map((column) => column.name)).toEqual(['zone_id']);
    await expect(sandbox.dryRun('SELECT zone_name FROM zones')).rejects.toMatchObject({ code: 'derive.unknown_column' });
  });

  it('refuses bad input declarations with derive.invalid_input', async () => {
    const missingColumn = new DerivationSandbox({ ...options(), inputs: [{ name: 'zones', parquetPath: files.zones, columns: [{ name: 'nope' }] }] });
    await expect(missingColumn.dryRun('SELECT 1')).rejects.toMatchObject({ code: 'derive.invalid_input' });
    const noKey = new DerivationSandbox({ ...options(), inputs: [{ name: 'trips', parquetPath: files.trips, columns: TRIP_COLUMNS }] });
    await expect(noKey.dryRun('SELECT 1')).rejects.toMatchObject({ code: 'derive.invalid_input' });
    const missingFile = new DerivationSandbox({ ...options(), inputs: [{ name: 'zones', parquetPath: dir.path('none.parquet'), columns: ZONE_COLUMNS }] });
    const error = (await missingFile.dryRun('SELECT 1').catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ code: 'derive.invalid_input' });
    expect(error.message).not.toContain(dir.root);
  });
});

describe('DerivationSandbox.materialize', () => {
  it('writes the same rows DuckDB writes for the same SQL on the raw files, with progress', async () => {
    const output = dir.path('out/product.parquet');
    const progress: number[] = [];
    const result = await new DerivationSandbox(options()).materialize(JOIN_SQL, output, { onProgress: (fraction) => progress.push(fraction) });
    expect(result.rowCount).toBe(4);
    expect(result.columns).toEqual([
      { name: 'district', type: 'VARCHAR' },
      { name: 'trips', type: 'BIGINT' },
      { name: 'riders', type: 'BIGINT' },
      { name: 'revenue', type: 'DOUBLE' },
    ]);
    expect(progress[progress.length - 1]).toBe(1);
    const written = await duck(`SELECT district, trips, revenue FROM read_parquet('${output}') ORDER BY district`);
    const direct = await duck(`
      SELECT z.district, count(*) AS trips, sum(t.fare) AS revenue
      FROM read_parquet('${files.trips}') t JOIN read_parquet('${files.zones}') z USING (zone_id)
      GROUP BY z.district ORDER BY z.district`);
    expect(written).toEqual(direct);
    expect(await readdir(dir.workDir)).toEqual([]);
  });

  it('leaves nothing behind when the query fails, with DuckDB\'s message and no server path', async () => {
    const output = dir.path('out/failed.parquet');
    const error = (await new DerivationSandbox(options()).materialize('SELECT CAST(zone_name AS INTEGER) AS n FROM zones', output).catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ code: 'derive.runtime' });
    expect(error.message).toMatch(/Could not convert string/);
    expect(error.message).not.toContain(dir.root);
    expect(await readdir(dir.path('out'))).not.toContain('failed.parquet');
    expect((await readdir(dir.path('out'))).filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(await readdir(dir.workDir)).toEqual([]);
  });

  it('is cancelled by its AbortSignal', async () => {
    const controller = new AbortController();
    const sandbox = new DerivationSandbox(options({ signal: controller.signal }));
    const running = sandbox.materialize('SELECT count(*) AS n FROM trips a, trips b, trips c, trips d, trips e', dir.path('out/cancelled.parquet'));
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toMatchObject({ code: 'derive.cancelled' });
    await expect(sandbox.dryRun('SELECT 1 AS one')).rejects.toMatchObject({ code: 'derive.cancelled' });
  });

  it('takes fresh instances from a pool and never hands a used one out again', async () => {
    const pool = new SandboxEnginePool({ closeDelayMs: 60_000 });
    const taken: unknown[] = [];
    const take = pool.take.bind(pool);
    pool.take = async (config) => {
      const instance = await take(config);
      taken.push(instance);
      return instance;
    };
    try {
      const expected = await new DerivationSandbox(options()).materialize(JOIN_SQL, dir.path('pool-reference.parquet'));
      for (const round of [1, 2, 3]) {
        const result = await new DerivationSandbox(options({ engines: pool })).materialize(JOIN_SQL, dir.path(`pool-${round}.parquet`));
        expect(result.rowCount).toBe(expected.rowCount);
        expect(await duck(`SELECT * FROM read_parquet('${dir.path(`pool-${round}.parquet`)}') ORDER BY ALL`)).toEqual(
          await duck(`SELECT * FROM read_parquet('${dir.path('pool-reference.parquet')}') ORDER BY ALL`),
        );
        // Closing the used instance and making the next one happen here, between runs.
        if (round === 2) pool.flush();
      }
      expect(new Set(taken).size).toBe(3);
      // A refused run gives its instance back too.
      await expect(new DerivationSandbox(options({ engines: pool })).dryRun('SELECT * FROM nowhere')).rejects.toMatchObject({ code: 'derive.unknown_input' });
    } finally {
      await pool.close();
    }
  });

  it('stages sanitized copies when asked, with the same results', async () => {
    const output = dir.path('out/staged.parquet');
    const result = await new DerivationSandbox(options({ isolation: 'staged' })).materialize(JOIN_SQL, output);
    const viewed = await new DerivationSandbox(options()).dryRun(JOIN_SQL, { sampleRows: 1000 });
    expect(await duck(`SELECT * FROM read_parquet('${output}') ORDER BY district`)).toEqual(
      viewed.rows.map((row) => ({ ...row, trips: BigInt(row.trips as number), riders: BigInt(row.riders as number) })),
    );
    expect(result.rowCount).toBe(4);
  });
});
