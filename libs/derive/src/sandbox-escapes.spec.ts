import { copyFile } from 'node:fs/promises';
import { analyzeDerivation } from './analyze.js';
import { DeriveError, type DeriveErrorCode } from './errors.js';
import { closeParser } from './parser.js';
import { DerivationSandbox, type SandboxOptions } from './sandbox.js';
import { TempDir, TRIP_COLUMNS, tripFixtures, ZONE_COLUMNS } from './test-support/fixtures.js';

/**
 * Every escape is tried twice: against validation (`analyzeDerivation`, the first wall) and with
 * validation bypassed, straight against the locked engine (the second wall) through the test-only
 * hook. Where DuckDB's configuration itself is the wall (files, network, extensions, settings),
 * the statement is also run with the engine guard off, to prove the configuration alone refuses it.
 */

let dir: TempDir;
let files: { trips: string; zones: string };
const KEY = 'the-pseudonym-key-3f9a';

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
      { name: 'trips', parquetPath: files.trips, columns: TRIP_COLUMNS, pseudonymKey: KEY },
      { name: 'zones', parquetPath: files.zones, columns: ZONE_COLUMNS },
    ],
    workDir: dir.workDir,
    memoryLimit: '256MB',
    threads: 1,
    timeoutMs: 20_000,
    ...extra,
  };
}

/** The columns the vendor's SQL may see (what the sandbox passes to validation). */
const VISIBLE = [
  { name: 'trips', columns: ['trip_id', 'zone_id', 'fare', 'started_at', 'rider_id'] },
  { name: 'zones', columns: ['zone_id', 'zone_name', 'district'] },
];

async function failure(promise: Promise<unknown>): Promise<DeriveError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeriveError) {
      // Refusals never reveal where things live on the server.
      expect(error.message).not.toContain(dir.root);
      expect(error.message).not.toContain(KEY);
      return error;
    }
    throw error;
  }
  throw new Error('expected the statement to be refused');
}

const validation = (sql: string) => failure(analyzeDerivation({ sql, inputs: VISIBLE }));
const engine = (sql: string, guard = true) => failure(new DerivationSandbox(options()).unsafeRunUnvalidatedForTests(sql, { guard }));

type Case = [label: string, sql: () => string, atValidation: DeriveErrorCode, atEngine: DeriveErrorCode, configAlone?: DeriveErrorCode];

const CASES: Case[] = [
  ["read_csv('/etc/passwd')", () => "SELECT * FROM read_csv('/etc/passwd')", 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  ['read_parquet of the input file itself', () => `SELECT * FROM read_parquet('${files.trips}')`, 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  ["FROM '/etc/passwd' (replacement scan)", () => "SELECT * FROM '/etc/passwd'", 'derive.unknown_input', 'derive.unknown_input', 'derive.unknown_input'],
  ["FROM 'x.csv'", () => "SELECT * FROM 'x.csv'", 'derive.unknown_input', 'derive.permission_denied', 'derive.permission_denied'],
  ['read_text', () => "SELECT * FROM read_text('/etc/passwd')", 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  ['read_blob', () => "SELECT * FROM read_blob('/etc/hostname')", 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  ["glob('/*')", () => "SELECT * FROM glob('/*')", 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  // Preparing the statement (to learn its type) already binds the target path, which the configuration refuses.
  ['COPY … TO a file', () => "COPY (SELECT 1) TO '/tmp/civic-derive-escape.csv'", 'derive.not_a_query', 'derive.permission_denied', 'derive.permission_denied'],
  ['ATTACH a database file', () => "ATTACH '/tmp/civic-derive-escape.db'", 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['INSTALL httpfs', () => 'INSTALL httpfs', 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['LOAD httpfs', () => 'LOAD httpfs', 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['reading http://', () => "SELECT * FROM 'http://example.com/data.csv'", 'derive.unknown_input', 'derive.permission_denied', 'derive.permission_denied'],
  ['reading s3://', () => "SELECT * FROM read_parquet('s3://bucket/data.parquet')", 'derive.forbidden_function', 'derive.permission_denied', 'derive.permission_denied'],
  ["getenv('HOME')", () => "SELECT getenv('HOME') AS home", 'derive.forbidden_function', 'derive.forbidden_function', 'derive.forbidden_function'],
  ['SET enable_external_access', () => 'SET enable_external_access = true', 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['SET memory_limit', () => "SET memory_limit = '64GB'", 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['RESET', () => 'RESET threads', 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['SET allowed_paths', () => "SET allowed_paths = ['/etc/passwd']", 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ['PRAGMA', () => 'PRAGMA version', 'derive.not_a_query', 'derive.not_a_query'],
  ['PRAGMA with a side effect', () => 'PRAGMA enable_profiling', 'derive.not_a_query', 'derive.not_a_query'],
  ['CALL', () => 'CALL pragma_version()', 'derive.not_a_query', 'derive.not_a_query'],
  ['CREATE TABLE', () => 'CREATE TABLE stash AS SELECT * FROM trips', 'derive.not_a_query', 'derive.not_a_query'],
  ['CREATE MACRO', () => 'CREATE MACRO twice(x) AS x * 2', 'derive.not_a_query', 'derive.not_a_query'],
  ['multiple statements', () => "SELECT 1; COPY (SELECT 1) TO '/tmp/civic-derive-escape.csv'", 'derive.not_a_query', 'derive.not_a_query', 'derive.permission_denied'],
  ["query('…')", () => "SELECT * FROM query('SELECT * FROM duckdb_settings()')", 'derive.forbidden_function', 'derive.forbidden_function'],
  ['query_table', () => "SELECT * FROM query_table('duckdb_views')", 'derive.forbidden_function', 'derive.forbidden_function'],
  ['duckdb_settings()', () => 'SELECT name, value FROM duckdb_settings()', 'derive.forbidden_function', 'derive.forbidden_function'],
  ['duckdb_views()', () => 'SELECT sql FROM duckdb_views()', 'derive.forbidden_function', 'derive.forbidden_function'],
  ['the duckdb_views system view', () => 'SELECT sql FROM duckdb_views', 'derive.unknown_input', 'derive.forbidden_function'],
  ['information_schema', () => 'SELECT view_definition FROM information_schema.views', 'derive.unknown_input', 'derive.forbidden_function'],
  ['EXPORT DATABASE', () => "EXPORT DATABASE '/tmp/civic-derive-escape'", 'derive.not_a_query', 'derive.permission_denied', 'derive.permission_denied'],
  ['a hidden (personal) column by name', () => 'SELECT phone FROM trips', 'derive.unknown_column', 'derive.unknown_column', 'derive.unknown_column'],
  ['a hidden column in a filter', () => "SELECT count(*) AS n FROM trips WHERE phone LIKE '+86%'", 'derive.unknown_column', 'derive.unknown_column', 'derive.unknown_column'],
];

describe.each(CASES)('escape: %s', (_label, sql, atValidation, atEngine, configAlone) => {
  it(`is refused at validation with ${atValidation}`, async () => {
    expect((await validation(sql())).code).toBe(atValidation);
  });

  it(`is refused by the engine with ${atEngine} when validation is bypassed`, async () => {
    expect((await engine(sql())).code).toBe(atEngine);
  });

  if (configAlone) {
    it(`is refused by DuckDB's configuration alone with ${configAlone}`, async () => {
      expect((await engine(sql(), false)).code).toBe(configAlone);
    });
  }
});

describe('escape: resource exhaustion', () => {
  it('stops a huge query at the time limit, with or without validation', async () => {
    const sandbox = new DerivationSandbox(options({ timeoutMs: 400 }));
    const started = Date.now();
    await expect(validation('SELECT count(*) FROM range(100000000) a, range(100000000) b')).resolves.toMatchObject({ code: 'derive.forbidden_function' });
    const ranges = 'SELECT count(*) AS n FROM range(100000000) a, range(100000000) b';
    expect((await failure(sandbox.unsafeRunUnvalidatedForTests(ranges))).code).toBe('derive.forbidden_function'); // the plan guard refuses range()
    expect((await failure(sandbox.unsafeRunUnvalidatedForTests(ranges, { guard: false }))).code).toBe('derive.timeout');
    // Validated SQL can be huge too: five-fold cross join of an input.
    const validated = await failure(sandbox.materialize('SELECT count(*) AS n FROM trips a, trips b, trips c, trips d, trips e', dir.path('out/huge.parquet')));
    expect(validated.code).toBe('derive.timeout');
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('fails a memory-hungry query cleanly under a small memory limit, and the process stays healthy', async () => {
    const sandbox = new DerivationSandbox(options({ memoryLimit: '32MB', timeoutMs: 10_000 }));
    const hungry = 'SELECT list(a.fare) AS xs FROM trips a, trips b, trips c';
    for (const attempt of [sandbox.materialize(hungry, dir.path('out/hungry.parquet')), sandbox.unsafeRunUnvalidatedForTests(hungry)]) {
      expect(['derive.out_of_memory', 'derive.timeout']).toContain((await failure(attempt)).code);
    }
    const after = await new DerivationSandbox(options()).dryRun('SELECT count(*) AS n FROM zones');
    expect(after.rows).toEqual([{ n: 5 }]);
  });
});

describe('what the engine wall alone can and cannot hide', () => {
  // Every input file the run may read, found through the settings (no path needs to be known).
  const readAllowedFile = "SELECT * FROM read_parquet(list_filter(current_setting('allowed_paths'), p -> p NOT LIKE '%raw-output%'), union_by_name = true) LIMIT 3";

  it('view isolation: validation is what keeps a vendor from reading the linked input file (documented)', async () => {
    expect((await validation(readAllowedFile)).code).toBe('derive.forbidden_function');
    const rows = await new DerivationSandbox(options()).unsafeRunUnvalidatedForTests(readAllowedFile, { guard: false });
    expect(Object.keys(rows[0])).toContain('phone');
  });

  it('staged isolation: even unvalidated SQL can read only sanitized data, never a hidden column, raw value or the key', async () => {
    const sandbox = new DerivationSandbox(options({ isolation: 'staged' }));
    const rows = await sandbox.unsafeRunUnvalidatedForTests(readAllowedFile, { guard: false });
    expect(Object.keys(rows[0]).sort()).toEqual(['district', 'fare', 'rider_id', 'started_at', 'trip_id', 'zone_id', 'zone_name']);
    expect(JSON.stringify(rows)).not.toContain('rider-');
    const views = await sandbox.unsafeRunUnvalidatedForTests('SELECT sql FROM duckdb_views() WHERE NOT internal', { guard: false });
    const text = JSON.stringify(views);
    expect(text).not.toContain('phone');
    expect(text).not.toContain('sha256');
    expect(text).not.toContain(files.trips);
  });

  it('an input overwritten through its link (possible only past both walls) is detected and reported', async () => {
    const victim = dir.path('victim.parquet');
    await copyFile(files.zones, victim);
    const sandbox = new DerivationSandbox({ ...options(), inputs: [{ name: 'zones', parquetPath: victim, columns: ZONE_COLUMNS }] });
    // DuckDB 1.5 accepts an expression as the COPY target, and allowed_paths grants writing as well as reading.
    const overwrite = "COPY (SELECT 42 AS x) TO (list_filter(current_setting('allowed_paths'), p -> p NOT LIKE '%raw-output%')[1]) (FORMAT parquet, USE_TMP_FILE false)";
    expect((await validation(overwrite)).code).toBe('derive.not_a_query');
    expect((await failure(sandbox.unsafeRunUnvalidatedForTests(overwrite))).code).toBe('derive.not_a_query');
    expect((await failure(sandbox.unsafeRunUnvalidatedForTests(overwrite, { guard: false }))).code).toBe('derive.input_modified');
  });
});
