import { productInput } from '../test/product-fixtures';
import { quoteIdentifier, sqlCompletionSchema, starterSql, suggestInputName } from './sql-schema';

describe('quoteIdentifier', () => {
  it('quotes names DuckDB would not read bare', () => {
    expect(quoteIdentifier('district')).toBe('district');
    expect(quoteIdentifier('年份')).toBe('"年份"');
    expect(quoteIdentifier('渠道综合应用率(%)')).toBe('"渠道综合应用率(%)"');
    expect(quoteIdentifier('Hour')).toBe('"Hour"');
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
