import { INPUT_WEIGHT, inputNameProblem, isSqlReservedWord, isValidInputWeight, productSlugFromTitle, SQL_RESERVED_WORDS } from './product-fields.js';

describe('input names', () => {
  it('refuse the words DuckDB cannot read as a table name unquoted, in any case', () => {
    for (const word of ['select', 'from', 'order', 'group', 'join', 'left', 'table', 'window', 'pivot']) expect(inputNameProblem(word)).toBe('reserved');
    expect(isSqlReservedWord('SELECT')).toBe(true);
    expect(SQL_RESERVED_WORDS).toHaveLength(75 + 30);
    expect(new Set(SQL_RESERVED_WORDS).size).toBe(SQL_RESERVED_WORDS.length);
  });

  it('accept plain identifiers, keywords DuckDB reads as names among them', () => {
    for (const name of ['traffic', 'select_2', 'orders', 'year', 'values', 'data', 'hospital_outpatient_visits', '_x', 'columns', 'map', 'struct']) expect(inputNameProblem(name)).toBeNull();
  });

  it('say what is wrong with other names', () => {
    expect(inputNameProblem('')).toBe('required');
    expect(inputNameProblem('Traffic')).toBe('invalid');
    expect(inputNameProblem('2020_data')).toBe('invalid');
    expect(inputNameProblem('air-quality')).toBe('invalid');
    expect(inputNameProblem('x'.repeat(64))).toBe('invalid');
  });
});

describe('input weights', () => {
  it('are whole numbers from 1: a weight of 0 is refused, not read as 1', () => {
    expect(isValidInputWeight(0)).toBe(false);
    expect(isValidInputWeight(-1)).toBe(false);
    expect(isValidInputWeight(1.5)).toBe(false);
    expect(isValidInputWeight(INPUT_WEIGHT.max + 1)).toBe(false);
    expect(isValidInputWeight(1)).toBe(true);
    expect(isValidInputWeight(INPUT_WEIGHT.max)).toBe(true);
  });
});

describe('URL names from titles', () => {
  it('keep a title that fits whole', () => {
    expect(productSlugFromTitle('Housing prices and outpatient visits by district', 'x')).toBe('housing-prices-and-outpatient-visits-by-district');
  });

  it('stop at a word boundary, never inside a word, and without a dangling "by" or "and"', () => {
    const slug = productSlugFromTitle('Housing prices and outpatient visits by district, department, month and weather of the city', 'x');
    expect(slug).toBe('housing-prices-and-outpatient-visits-by-district-department');
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(productSlugFromTitle('Road congestion index by district hour and weather conditions in', 'x')).toBe('road-congestion-index-by-district-hour-and-weather');
    expect(productSlugFromTitle('Supercalifragilisticexpialidocious and more words that come after it', 'x')).toBe('supercalifragilisticexpialidocious-and-more-words-that-come');
  });

  it('drop accents and punctuation, and fall back for titles without Latin letters', () => {
    expect(productSlugFromTitle('Café “Crème” — 2024 edition!', 'x')).toBe('cafe-creme-2024-edition');
    expect(productSlugFromTitle('城市交通指数', 'product-abc')).toBe('product-abc');
    expect(productSlugFromTitle('x'.repeat(70), 'f')).toBe('x'.repeat(60));
  });

  it('always match the URL name pattern the API accepts', () => {
    const pattern = /^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/;
    for (const title of ['A b', 'The and of', '-- Hello --', 'Ünïcödé wörds ñ', 'by']) expect(productSlugFromTitle(title, 'fallback')).toMatch(pattern);
  });
});
