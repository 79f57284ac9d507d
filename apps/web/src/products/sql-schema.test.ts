import { productInput } from '../test/product-fixtures';
import { quoteIdentifier, schemaCompletions, sqlColumnCompletions, sqlCompletionSchema, sqlNameContext, sqlReferences, scanSql, starterSql, suggestInputName } from './sql-schema';

describe('quoteIdentifier', () => {
  it('quotes names DuckDB would not read bare', () => {
    expect(quoteIdentifier('district')).toBe('district');
    expect(quoteIdentifier('年份')).toBe('"年份"');
    expect(quoteIdentifier('渠道综合应用率(%)')).toBe('"渠道综合应用率(%)"');
    expect(quoteIdentifier('Hour')).toBe('"Hour"');
    // Reserved words too: a column named order reads as the keyword unquoted.
    expect(quoteIdentifier('order')).toBe('"order"');
    expect(quoteIdentifier('year')).toBe('year');
    expect(quoteIdentifier('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('sqlCompletionSchema', () => {
  it('offers each input as a table and its visible columns, quoted where needed', () => {
    const schema = sqlCompletionSchema([productInput()], (column) => `${column.type} · ${column.sensitivity}`, (input) => `input ${input.name}`);
    expect(schema).toEqual({
      survey: {
        self: { label: 'survey', type: 'type', detail: 'input survey', boost: 10 },
        children: [
          { label: '年份', apply: '"年份"', detail: 'BIGINT · public', type: 'property', boost: 10 },
          { label: '渠道综合应用率(%)', apply: '"渠道综合应用率(%)"', detail: 'BIGINT · public', type: 'property', boost: 10 },
        ],
      },
    });
  });
});

describe('sqlNameContext', () => {
  it('finds the name being typed: CJK letters, with or without an opening quote', () => {
    expect(sqlNameContext('SELECT 渠')).toMatchObject({ from: 7, quoted: false, parent: null, table: false });
    expect(sqlNameContext('SELECT "渠道')).toMatchObject({ from: 7, quoted: true });
    expect(sqlNameContext('SELECT "年份", 渠')).toMatchObject({ from: 13, quoted: false });
    expect(sqlNameContext('SELECT survey."渠')).toMatchObject({ from: 14, quoted: true, parent: { name: 'survey' } });
    expect(sqlNameContext('SELECT * FROM sur')).toMatchObject({ from: 14, table: true });
    expect(sqlNameContext('SELECT * FROM a, ')).toMatchObject({ table: true });
    expect(sqlNameContext('SELECT * FROM a WHERE ')).toMatchObject({ table: false });
    // Not in strings, comments or numbers.
    expect(sqlNameContext("SELECT '渠")).toBeNull();
    expect(sqlNameContext('SELECT 1 -- 渠')).toBeNull();
    expect(sqlNameContext('SELECT 12')).toBeNull();
  });

  it('reads the inputs a query names after FROM and JOIN, with their aliases', () => {
    const references = sqlReferences(scanSql('SELECT * FROM weather w, "Air" AS a LEFT JOIN traffic USING (district) WHERE x IN (SELECT 1 FROM rain)').tokens);
    expect(Object.fromEntries(references)).toEqual({ weather: 'weather', w: 'weather', Air: 'Air', a: 'Air', traffic: 'traffic', rain: 'rain' });
  });
});

describe('schemaCompletions', () => {
  const inputs = [productInput(), productInput({ name: 'traffic', columns: [{ name: 'vehicles', type: 'BIGINT', sensitivity: 'public', pseudonym: false }] })];
  const schema = sqlCompletionSchema(inputs);
  const columns = sqlColumnCompletions(inputs);
  const boosts = (before: string, after = '') =>
    Object.fromEntries(schemaCompletions(schema, columns, before, after, true)!.options.map((option) => [option.label, option.boost]));

  it('matches after the opening quote and applies the quoted name', () => {
    const result = schemaCompletions(schema, columns, 'SELECT "渠', '"', false)!;
    expect(result).toMatchObject({ from: 8, quoted: true });
    expect(result.options.find((option) => option.label === '渠道综合应用率(%)')).toMatchObject({ apply: '"渠道综合应用率(%)"' });
    expect(schemaCompletions(schema, columns, 'SELECT 渠', '', false)).toMatchObject({ from: 7, quoted: false });
    // Nothing typed: only on request.
    expect(schemaCompletions(schema, columns, 'SELECT ', '', false)).toBeNull();
  });

  it('ranks inputs first after FROM, and the columns of the inputs read above others elsewhere', () => {
    expect(boosts('SELECT * FROM ')).toMatchObject({ survey: 30, traffic: 30, 年份: 10, vehicles: 10 });
    expect(boosts('SELECT * FROM traffic WHERE ')).toMatchObject({ survey: 10, traffic: 10, 年份: 10, vehicles: 20 });
    expect(boosts('SELECT ', ' FROM survey s')).toMatchObject({ 年份: 20, vehicles: 10, s: 20 });
  });

  it('offers the columns of the input (or alias) before a dot', () => {
    expect(schemaCompletions(schema, columns, 'SELECT s.', ' FROM survey s', false)!.options.map((option) => option.label)).toEqual(['年份', '渠道综合应用率(%)']);
    expect(schemaCompletions(schema, columns, 'SELECT nope.', '', false)).toBeNull();
  });
});

describe('starterSql and suggestInputName', () => {
  it('starts a new product from its first input', () => {
    expect(starterSql(['survey', 'weather'])).toBe('SELECT *\nFROM survey');
    expect(starterSql([])).toBe('');
  });

  it('makes a short lower-case identifier from a slug, unique among the taken names', () => {
    expect(suggestInputName('urban-channel-construction-survey-2011-2015', [])).toBe('urban_channel');
    expect(suggestInputName('road-traffic-flow-hourly', ['road_traffic'])).toBe('road_traffic_2');
    expect(suggestInputName('2024-budget', [])).toBe('t_2024_budget');
    expect(suggestInputName('---', [])).toBe('input');
  });
});
