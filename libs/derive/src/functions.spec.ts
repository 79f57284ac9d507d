import { allowedFunctionNames, EXCLUDED_FUNCTION_PREFIXES, EXCLUDED_FUNCTIONS, isAggregateFunction, isAllowedFunction, isCountFunction } from './functions.js';
import { duck } from './test-support/fixtures.js';

/** Functions DuckDB does not list in duckdb_functions() but the parser produces. */
const SPECIAL = new Set(['unnest']);

describe('the function allow-list', () => {
  let engine: Array<{ name: string; type: string; schema: string }>;

  beforeAll(async () => {
    engine = await duck(`SELECT DISTINCT function_name AS name, function_type AS type, schema_name AS schema FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro')`);
  });

  it('classifies every scalar, aggregate and macro function DuckDB has (a new one needs a review)', () => {
    const excluded = new Set(Object.values(EXCLUDED_FUNCTIONS).flat());
    const unreviewed = engine
      .filter((fn) => fn.schema === 'main')
      .map((fn) => fn.name)
      .filter((name) => !isAllowedFunction(name) && !excluded.has(name) && !EXCLUDED_FUNCTION_PREFIXES.some((prefix) => name.startsWith(prefix)));
    expect(unreviewed).toEqual([]);
  });

  it('allows only functions that exist', () => {
    const existing = new Set(engine.map((fn) => fn.name.toLowerCase()));
    expect(allowedFunctionNames().length).toBeGreaterThan(500);
    expect(allowedFunctionNames().filter((name) => !existing.has(name) && !SPECIAL.has(name))).toEqual([]);
  });

  it('allows nothing that is also excluded, and nothing from pg_catalog', () => {
    const excluded = Object.values(EXCLUDED_FUNCTIONS).flat();
    expect(excluded.filter((name) => isAllowedFunction(name))).toEqual([]);
    const pgOnly = engine.filter((fn) => fn.schema === 'pg_catalog' && !engine.some((other) => other.schema === 'main' && other.name === fn.name));
    expect(pgOnly.filter((fn) => isAllowedFunction(fn.name))).toEqual([]);
  });

  it('refuses table functions, file readers and introspection', () => {
    for (const name of ['read_csv', 'read_parquet', 'read_text', 'read_blob', 'glob', 'query', 'query_table', 'duckdb_settings', 'duckdb_views', 'getenv', 'current_setting', 'current_query', 'getvariable', 'json_serialize_plan', 'error', 'sleep_ms']) {
      expect([name, isAllowedFunction(name)]).toEqual([name, false]);
    }
  });

  it('knows the aggregates and which of them count', () => {
    expect(engine.filter((fn) => fn.type === 'aggregate' && !isAggregateFunction(fn.name))).toEqual([]);
    expect(['count', 'count_star', 'COUNT', 'count_if'].every(isCountFunction)).toBe(true);
    expect(['sum', 'avg', 'max'].some(isCountFunction)).toBe(false);
  });
});
