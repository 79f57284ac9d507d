import { analyzeDerivation, type DerivationInput, type OutputColumn } from './analyze.js';
import { DeriveError } from './errors.js';
import { closeParser } from './parser.js';

const trips: DerivationInput = { name: 'trips', columns: ['trip_id', 'zone_id', 'fare', 'started_at', 'rider'] };
const zones: DerivationInput = { name: 'zones', columns: ['zone_id', 'zone_name', 'district'] };
const inputs = [trips, zones];

const typedInputs: DerivationInput[] = [
  { name: 'trips', columns: [{ name: 'trip_id', type: 'BIGINT' }, { name: 'zone_id', type: 'INTEGER' }, { name: 'fare', type: 'DOUBLE' }, { name: 'started_at', type: 'TIMESTAMP' }, { name: 'rider', type: 'VARCHAR' }] },
  { name: 'zones', columns: [{ name: 'zone_id', type: 'INTEGER' }, { name: 'zone_name', type: 'VARCHAR' }, { name: 'district', type: 'VARCHAR' }] },
];

afterAll(async () => {
  await closeParser();
});

async function analyze(sql: string, declared: DerivationInput[] = inputs) {
  return analyzeDerivation({ sql, inputs: declared });
}

/** Output columns as `name <- input.column, …` lines, for compact expectations. */
function lineage(outputs: OutputColumn[]): Record<string, string[]> {
  return Object.fromEntries(outputs.map((output) => [output.name, output.sources.map((source) => `${source.input}.${source.column}`)]));
}

async function refusal(sql: string, declared: DerivationInput[] = inputs): Promise<DeriveError> {
  try {
    await analyze(sql, declared);
  } catch (error) {
    if (error instanceof DeriveError) return error;
    throw error;
  }
  throw new Error(`expected a refusal of: ${sql}`);
}

describe('analyzeDerivation: lineage', () => {
  it('follows a join of two inputs, with qualified and unqualified names and aliases', async () => {
    const result = await analyze(`
      SELECT z.district, t.fare * 2 AS double_fare, zone_name, upper(rider) AS who
      FROM trips t JOIN zones z ON t.zone_id = z.zone_id`);
    expect(result.inputsUsed).toEqual(['trips', 'zones']);
    expect(lineage(result.outputs)).toEqual({
      district: ['zones.district'],
      double_fare: ['trips.fare'],
      zone_name: ['zones.zone_name'],
      who: ['trips.rider'],
    });
    expect(result.outputs.every((output) => output.aggregate === null)).toBe(true);
  });

  it('classifies count(*), count(DISTINCT …) and sum at the top; count()+1 is not a count', async () => {
    const result = await analyze(`
      SELECT district, count(*) AS trips, count(DISTINCT rider) AS riders, sum(fare) AS revenue, count(fare) + 1 AS plus_one,
             count(*) FILTER (WHERE fare > 10) AS dear, avg(fare)
      FROM trips JOIN zones USING (zone_id) GROUP BY district`);
    expect(result.outputs.map((output) => [output.name, output.aggregate])).toEqual([
      ['district', null],
      ['trips', 'count'],
      ['riders', 'count'],
      ['revenue', 'other'],
      ['plus_one', null],
      ['dear', 'count'],
      ['avg(fare)', 'other'],
    ]);
    expect(lineage(result.outputs)).toMatchObject({ trips: [], riders: ['trips.rider'], revenue: ['trips.fare'], dear: ['trips.fare'], 'avg(fare)': ['trips.fare'] });
  });

  it('resolves through a chain of CTEs, keeping the count through plain references', async () => {
    const result = await analyze(`
      WITH per_zone AS (SELECT zone_id, count(*) AS n, sum(fare) AS total FROM trips GROUP BY zone_id),
           named AS (SELECT z.zone_name AS name, p.n, p.total / p.n AS mean FROM per_zone p JOIN zones z ON z.zone_id = p.zone_id)
      SELECT name, n, mean FROM named WHERE n > 10`);
    expect(result.inputsUsed).toEqual(['trips', 'zones']);
    expect(lineage(result.outputs)).toEqual({ name: ['zones.zone_name'], n: [], mean: ['trips.fare'] });
    expect(result.outputs.map((output) => output.aggregate)).toEqual([null, 'count', null]);
  });

  it('treats aggregates that return one of their values, and every window function, as row-level values', async () => {
    const result = await analyze(`
      SELECT zone_id, min(fare) AS cheapest, max(rider) AS a_rider, mode(rider) AS usual, any_value(rider) AS some_rider,
             list(rider) AS riders, avg(fare) AS mean_fare, stddev(fare) AS spread
      FROM trips GROUP BY zone_id`);
    expect(result.outputs.map((output) => [output.name, output.aggregate])).toEqual([
      ['zone_id', null],
      ['cheapest', null],
      ['a_rider', null],
      ['usual', null],
      ['some_rider', null],
      ['riders', null],
      ['mean_fare', 'other'],
      ['spread', 'other'],
    ]);
  });

  it('includes partitions and orders of window functions', async () => {
    const result = await analyze(`
      SELECT trip_id, row_number() OVER (PARTITION BY zone_id ORDER BY started_at) AS seq,
             sum(fare) OVER (PARTITION BY zone_id) AS zone_total, count(*) OVER (PARTITION BY rider) AS per_rider
      FROM trips`);
    expect(lineage(result.outputs)).toEqual({
      trip_id: ['trips.trip_id'],
      seq: ['trips.started_at', 'trips.zone_id'],
      zone_total: ['trips.fare', 'trips.zone_id'],
      per_rider: ['trips.rider'],
    });
    // A count over a window is not a group size: every row is still a row (the gate must not treat it as a small cell).
    expect(result.outputs.map((output) => output.aggregate)).toEqual([null, null, null, null]);
  });

  it('collects every branch of CASE and every column a scalar subquery reads', async () => {
    const result = await analyze(`
      SELECT CASE WHEN fare > 20 THEN 'dear' WHEN zone_id = 3 THEN district ELSE 'cheap' END AS band,
             (SELECT max(z.zone_name) FROM zones z WHERE z.zone_id = t.zone_id) AS zone,
             fare IN (SELECT fare FROM trips WHERE rider IS NULL) AS repeated
      FROM trips t JOIN zones USING (zone_id)`);
    expect(lineage(result.outputs)).toEqual({
      band: ['trips.fare', 'trips.zone_id', 'zones.district', 'zones.zone_id'],
      zone: ['trips.zone_id', 'zones.zone_id', 'zones.zone_name'],
      repeated: ['trips.fare', 'trips.rider'],
    });
  });

  it('unions the branches of UNION ALL by position and takes names from the first', async () => {
    const result = await analyze(`
      SELECT zone_id AS id, count(*) AS n, sum(fare) AS amount FROM trips GROUP BY ALL
      UNION ALL SELECT zone_id, count(*), count(*) FROM zones GROUP BY ALL
      UNION ALL SELECT 0, 0, NULL`);
    expect(lineage(result.outputs)).toEqual({ id: ['trips.zone_id', 'zones.zone_id'], n: [], amount: ['trips.fare'] });
    // A column is a count only if every branch counts: a constant branch makes n a plain value.
    expect(result.outputs.map((output) => output.aggregate)).toEqual([null, null, null]);
    const counts = await analyze('SELECT count(*) AS n, sum(fare) AS s FROM trips UNION ALL SELECT count(*), count(*) FROM zones');
    expect(counts.outputs.map((output) => output.aggregate)).toEqual(['count', 'other']);
  });

  it('never calls a column a count when it may carry other values', async () => {
    // Calling it a count would make it public downstream: here it carries rider values.
    const mixed = await analyze('SELECT count(*) AS n FROM trips UNION ALL SELECT rider FROM trips');
    expect(mixed.outputs[0]).toMatchObject({ aggregate: null, sources: [{ input: 'trips', column: 'rider' }] });
    const pivoted = await analyze('SELECT * FROM (SELECT rider, zone_id FROM trips) PIVOT (count(*) FOR zone_id IN (1, 2))');
    expect(pivoted.outputs.every((output) => output.aggregate === null && output.sources.length === 2)).toBe(true);
  });

  it('expands * and t.* from the declared columns, honouring USING, EXCLUDE, REPLACE and RENAME', async () => {
    expect((await analyze('SELECT * FROM zones')).outputs.map((output) => output.name)).toEqual(['zone_id', 'zone_name', 'district']);
    const joined = await analyze('SELECT * FROM trips JOIN zones USING (zone_id)');
    expect(joined.outputs.map((output) => output.name)).toEqual(['trip_id', 'zone_id', 'fare', 'started_at', 'rider', 'zone_name', 'district']);
    expect(lineage(joined.outputs).zone_id).toEqual(['trips.zone_id', 'zones.zone_id']);
    const star = await analyze('SELECT z.*, t.fare FROM trips t, zones z');
    expect(star.outputs.map((output) => output.name)).toEqual(['zone_id', 'zone_name', 'district', 'fare']);
    const modified = await analyze('SELECT * EXCLUDE (rider) REPLACE (fare * 100 AS fare) RENAME (trip_id AS id) FROM trips');
    expect(lineage(modified.outputs)).toEqual({ id: ['trips.trip_id'], zone_id: ['trips.zone_id'], fare: ['trips.fare'], started_at: ['trips.started_at'] });
  });

  it('is conservative where a name could mean several columns', async () => {
    // COLUMNS(regex) is decided by DuckDB: every column of the relation may be meant.
    const result = await analyze("SELECT trip_id, COLUMNS('^(fare|rider)$') FROM trips");
    expect(result.outputs[0]).toMatchObject({ name: 'trip_id', sources: [{ input: 'trips', column: 'trip_id' }] });
    expect(result.outputs.slice(1).every((output) => output.sources.length === 5)).toBe(true);
    // A whole-row reference depends on every column.
    const row = await analyze('SELECT z FROM zones z');
    expect(lineage(row.outputs).z).toEqual(['zones.district', 'zones.zone_id', 'zones.zone_name']);
  });

  it('follows subqueries in FROM, VALUES, lateral references and select-list aliases', async () => {
    const result = await analyze(`
      SELECT s.total * rate AS scaled, total + 1 AS next, next * 2 AS twice
      FROM (SELECT zone_id, sum(fare) AS total FROM trips GROUP BY ALL) s,
           (VALUES (1.5)) r(rate)`);
    expect(lineage(result.outputs)).toEqual({ scaled: ['trips.fare'], next: ['trips.fare'], twice: ['trips.fare'] });
  });

  it('accepts the clock values DuckDB binds from bare names', async () => {
    const result = await analyze('SELECT current_date AS today, started_at < current_timestamp AS past FROM trips');
    expect(lineage(result.outputs)).toEqual({ today: [], past: ['trips.started_at'] });
  });

  it('handles lambdas without mistaking their parameters for columns', async () => {
    const result = await analyze('SELECT list_transform([fare, 1], x -> x * zone_id) AS xs FROM trips');
    expect(lineage(result.outputs)).toEqual({ xs: ['trips.fare', 'trips.zone_id'] });
  });

  it('names unaliased expressions as DuckDB does, and takes types from DuckDB when inputs are typed', async () => {
    const result = await analyze('SELECT count(*), fare + 1, t.fare, sum(fare) FROM trips t GROUP BY fare', typedInputs);
    expect(result.outputs.map((output) => [output.name, output.type])).toEqual([
      ['count_star()', 'BIGINT'],
      ['(fare + 1)', 'DOUBLE'],
      ['fare', 'DOUBLE'],
      ['sum(fare)', 'DOUBLE'],
    ]);
    const oddType = await analyze('SELECT fare FROM trips', [{ name: 'trips', columns: [{ name: 'fare', type: 'DOUBLE); DROP TABLE x; --' }] }]);
    expect(oddType.outputs).toEqual([{ name: 'fare', sources: [{ input: 'trips', column: 'fare' }], aggregate: null }]);
    const untyped = await analyze('SELECT count(*), fare + 1 FROM trips GROUP BY fare');
    expect(untyped.outputs.map((output) => output.name)).toEqual(['count_star()', '(fare + 1)']);
  });

  it('accepts a trailing semicolon and comments, and returns a query safe to embed', async () => {
    const result = await analyze('SELECT fare FROM trips; -- done ; really');
    expect(result.query).toBe('SELECT fare FROM trips -- done  really');
    expect((await analyze("SELECT ';' AS s, fare FROM trips ;;\n")).query).toBe("SELECT ';' AS s, fare FROM trips");
  });

  it('resolves recursive CTEs to a fixed point', async () => {
    const result = await analyze(`
      WITH RECURSIVE walk(n, f) AS (SELECT 1, min(fare) FROM trips UNION ALL SELECT n + 1, f + zone_id FROM walk, zones WHERE n < 3)
      SELECT n, f FROM walk`);
    expect(lineage(result.outputs)).toEqual({ n: [], f: ['trips.fare', 'zones.zone_id'] });
  });
});

describe('analyzeDerivation: refusals', () => {
  it.each([
    ["COPY (SELECT 1) TO '/tmp/x.csv'", 'derive.not_a_query'],
    ["ATTACH '/tmp/x.db'", 'derive.not_a_query'],
    ['INSTALL httpfs', 'derive.not_a_query'],
    ['SET memory_limit = \'10GB\'', 'derive.not_a_query'],
    ['PRAGMA version', 'derive.not_a_query'],
    ['CREATE TABLE x AS SELECT 1', 'derive.not_a_query'],
    ['SELECT 1; SELECT 2', 'derive.not_a_query'],
    ['DESCRIBE trips', 'derive.not_a_query'],
    ['', 'derive.not_a_query'],
    ['SELEC fare FROM trips', 'derive.syntax'],
    ['SELECT * FROM other_table', 'derive.unknown_input'],
    ['SELECT * FROM main.trips', 'derive.unknown_input'],
    ["SELECT * FROM '/etc/passwd'", 'derive.unknown_input'],
    ["SELECT * FROM read_csv('/etc/passwd')", 'derive.forbidden_function'],
    ['SELECT * FROM range(10)', 'derive.forbidden_function'],
    ["SELECT current_setting('threads')", 'derive.forbidden_function'],
    ['SELECT pg_catalog.upper(rider) FROM trips', 'derive.forbidden_function'],
    ['SELECT nosuchfunction(fare) FROM trips', 'derive.forbidden_function'],
    ['SELECT missing FROM trips', 'derive.unknown_column'],
    ['SELECT fare FROM trips WHERE missing > 1', 'derive.unknown_column'],
    ['SELECT fare, fare FROM trips', 'derive.duplicate_columns'],
    ['SELECT * FROM trips JOIN zones ON trips.zone_id = zones.zone_id', 'derive.duplicate_columns'],
    ['SELECT $1 FROM trips', 'derive.unsupported'],
    ['SELECT current_user', 'derive.forbidden_function'],
    ['SELECT current_schema, fare FROM trips', 'derive.forbidden_function'],
  ])('%s → %s', async (sql, code) => {
    const error = await refusal(sql);
    expect(error.code).toBe(code);
  });

  it('reports the position of a syntax error', async () => {
    const error = await refusal('SELECT fare\nFROM trips WHERE fare = = 1');
    expect(error).toMatchObject({ code: 'derive.syntax', details: { line: 2, column: 25 } });
    expect(error.message).toContain('syntax error');
  });

  it('quotes the token of a syntax error once, even when it is a quoted name', async () => {
    const near = await refusal('SELECT fare "a" "b" FROM trips');
    expect(near).toMatchObject({ code: 'derive.syntax', message: 'Syntax error: syntax error at or near "b"', details: { position: 16, line: 1, column: 17 } });
    expect((await refusal('SELECT fare AS "" FROM trips')).message).toBe('Syntax error: zero-length delimited identifier at or near ""');
    expect((await refusal('SELECT "fare FROM trips')).message).toBe('Syntax error: unterminated quoted identifier at or near "fare FROM trips');
    expect((await refusal("SELECT fare 'a' 'b' FROM trips")).message).toBe(`Syntax error: syntax error at or near "'b'"`);
  });

  it("gives the analysis' own refusals the position of what they are about", async () => {
    // After a string of multi-byte characters: DuckDB's tree counts bytes, the details characters.
    const sql = "SELECT '日本語😀' AS label,\n  fare\nFROM trips\nWHERE missing > 1";
    expect(await refusal(sql)).toMatchObject({ code: 'derive.unknown_column', details: { name: 'missing', position: sql.indexOf('missing') - 1, line: 4, column: 7 } });
    expect(await refusal('SELECT fare\nFROM trips, nowhere')).toMatchObject({ code: 'derive.unknown_input', details: { name: 'nowhere', line: 2, column: 13 } });
    expect(await refusal('SELECT fare FROM main.trips')).toMatchObject({ code: 'derive.unknown_input', details: { line: 1, column: 18 } });
    expect(await refusal('SELECT fare,\n  nosuchfunction(fare) AS x FROM trips')).toMatchObject({ code: 'derive.forbidden_function', details: { function: 'nosuchfunction', line: 2, column: 3 } });
    expect(await refusal("SELECT fare FROM trips, read_csv('/etc/passwd')")).toMatchObject({ code: 'derive.forbidden_function', details: { line: 1, column: 25 } });
    expect(await refusal('SELECT z.* FROM trips')).toMatchObject({ code: 'derive.unknown_input', details: { name: 'z', line: 1, column: 8 } });
    expect(await refusal('SELECT current_user, fare FROM trips')).toMatchObject({ code: 'derive.forbidden_function', details: { line: 1, column: 8 } });
    // DuckDB's tree has no location for a parameter: none is made up.
    expect(await refusal('SELECT fare FROM trips WHERE fare > $1')).toMatchObject({ code: 'derive.unsupported', details: {} });
    expect((await refusal('SELECT fare FROM trips WHERE fare > $1')).details.line).toBeUndefined();
  });

  it("gives DuckDB's binder errors (typed inputs) the position DuckDB reports", async () => {
    const typed = (sql: string) => refusal(sql, typedInputs);
    // Wrong arguments: the call, named.
    const sql = "SELECT '日本語' AS label,\n  abs(fare, 2) AS a\nFROM trips";
    expect(await typed(sql)).toMatchObject({ code: 'derive.invalid_query', details: { function: 'abs', position: sql.indexOf('abs'), line: 2, column: 3 } });
    expect(await typed('SELECT fare\n     + rider AS x FROM trips')).toMatchObject({ code: 'derive.invalid_query', details: { function: '+', line: 2, column: 6 } });
    // A column DuckDB's binder cannot find (ORDER BY is left to it), named.
    expect(await typed('SELECT fare FROM trips\nORDER BY nothing')).toMatchObject({ code: 'derive.unknown_column', details: { name: 'nothing', line: 2, column: 10 } });
    // Where DuckDB gives no position, none is made up.
    expect(await typed('SELECT zone_id, sum(fare) AS s FROM trips\nGROUP BY zone_id\nHAVING rider = 1')).toMatchObject({ code: 'derive.invalid_query', details: {} });
    expect(await typed('SELECT rider, sum(fare) AS s FROM trips')).toMatchObject({ code: 'derive.invalid_query', details: { line: 1, column: 8 } });
    expect(await typed('SELECT fare FROM trips WHERE sum(fare) > 1')).toMatchObject({ code: 'derive.invalid_query', details: { line: 1, column: 30 } });
    expect(await typed("SELECT fare FROM trips\nWHERE started_at > 3")).toMatchObject({ code: 'derive.invalid_query', details: { line: 2, column: 18 } });
    // Trailing semicolons and spaces do not move anything.
    expect(await typed('SELECT fare FROM trips ORDER BY nothing ;  ')).toMatchObject({ code: 'derive.unknown_column', details: { line: 1, column: 33 } });
  });

  it('lets a CTE shadow nothing outside its scope', async () => {
    // `sneaky` is defined inside the subquery only; the outer reference must not resolve to it.
    const error = await refusal('SELECT * FROM (WITH sneaky AS (SELECT 1 AS x) SELECT x FROM sneaky), sneaky');
    expect(error).toMatchObject({ code: 'derive.unknown_input', details: { name: 'sneaky' } });
  });

  it('refuses bad input declarations', async () => {
    await expect(analyzeDerivation({ sql: 'SELECT 1', inputs: [trips, { ...trips }] })).rejects.toMatchObject({ code: 'derive.invalid_input' });
  });
});

describe('analyzeDerivation: inputs read', () => {
  const strict = (sql: string) => analyzeDerivation({ sql, inputs, requireAllInputs: true });

  it('refuses a query that reads none of its inputs, naming them', async () => {
    await expect(strict('SELECT 1 AS one')).rejects.toMatchObject({ code: 'derive.no_input_read', details: { inputs: ['trips', 'zones'] } });
    // A CTE nobody references reads nothing.
    await expect(strict('WITH t AS (SELECT fare FROM trips) SELECT 42 AS answer')).rejects.toMatchObject({
      code: 'derive.no_input_read',
      details: { inputs: ['trips', 'zones'] },
    });
  });

  it('refuses a query that leaves a declared input out, naming it', async () => {
    const error = await strict('SELECT fare FROM trips').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeriveError);
    expect(error).toMatchObject({ code: 'derive.unused_input', details: { inputs: ['zones'] } });
    expect((error as DeriveError).message).toContain('"zones"');
    // Defined but unreferenced, shadowed by a CTE of the same name: not read either.
    await expect(strict('WITH z AS (SELECT * FROM zones) SELECT fare FROM trips')).rejects.toMatchObject({ code: 'derive.unused_input', details: { inputs: ['zones'] } });
    await expect(strict('WITH zones AS (SELECT 1 AS zone_id) SELECT fare FROM trips JOIN zones USING (zone_id)')).rejects.toMatchObject({
      code: 'derive.unused_input',
      details: { inputs: ['zones'] },
    });
  });

  it.each([
    ['a join', 'SELECT t.fare, z.district FROM trips t JOIN zones z USING (zone_id)'],
    ['a filter only', 'SELECT fare FROM trips WHERE zone_id IN (SELECT zone_id FROM zones WHERE district = \'north\')'],
    ['a count over a cross join', 'SELECT count(*) AS n FROM trips, zones'],
    ['CTEs referencing CTEs', 'WITH z AS (SELECT * FROM zones), named AS (SELECT zone_id, district FROM z) SELECT t.fare, n.district FROM trips t JOIN named n USING (zone_id)'],
    ['a CTE used only in a subquery', 'WITH z AS (SELECT zone_id FROM zones) SELECT fare FROM trips WHERE EXISTS (SELECT 1 FROM z WHERE z.zone_id = trips.zone_id)'],
    ['a recursive CTE', 'WITH RECURSIVE r(n, zone_id) AS (SELECT 1, zone_id FROM zones UNION ALL SELECT n + 1, zone_id FROM r WHERE n < 3) SELECT t.fare, r.n FROM trips t JOIN r USING (zone_id)'],
    ['names in another case', 'SELECT TRIPS.fare FROM TRIPS JOIN Zones USING (zone_id)'],
  ])('accepts every input read through %s', async (_label, sql) => {
    expect((await strict(sql)).inputsUsed).toEqual(['trips', 'zones']);
  });

  it('reports what is read without refusing when not asked to', async () => {
    expect((await analyze('WITH z AS (SELECT * FROM zones) SELECT fare FROM trips')).inputsUsed).toEqual(['trips']);
    expect((await analyze('SELECT 1 AS one')).inputsUsed).toEqual([]);
  });
});
