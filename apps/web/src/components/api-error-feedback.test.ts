import { ApiError } from '../api/api-error';
import { i18n, initI18n } from '../i18n/i18n';
import { describeApiError } from './api-error-feedback';

describe('describeApiError for a refused data query', () => {
  beforeAll(() => initI18n('en'));
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  const refused = (problem: Record<string, unknown>, message = 'server words') => new ApiError(400, 'delivery.invalid_query', message, { problems: [problem] });
  const typeProblem = { field: 'filters[1]', code: 'invalid_value', message: 'congestion_index (DOUBLE) takes a number: "abc" is not', column: 'congestion_index', type: 'DOUBLE', expected: 'float', value: 'abc' };

  it('names the column, its type, what it takes and the value given, in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(describeApiError(refused(typeProblem), i18n.t)).toBe('列 congestion_index（DOUBLE）需要数字，“abc”不符合。');
    expect(describeApiError(refused({ ...typeProblem, expected: 'date', value: '2024-13-01' }), i18n.t)).toBe('列 congestion_index（DOUBLE）需要日期（YYYY-MM-DD），“2024-13-01”不符合。');
  });

  it('falls back to the field when the server names no column, and to its own words for a code the UI does not know', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(describeApiError(refused({ field: 'limit', code: 'invalid_value', message: 'limit is a whole number' }), i18n.t)).toBe('为“limit”填写的值与该列的类型不符。');
    expect(describeApiError(refused({ ...typeProblem, expected: 'spaceship' }), i18n.t)).toBe('为“filters[1]”填写的值与该列的类型不符。');
    expect(describeApiError(refused({ field: 'x', code: 'brand_new' }, 'The server says so.'), i18n.t)).toBe('The server says so.');
  });

  it('keeps the server’s English words, which name the value', () => {
    expect(describeApiError(refused(typeProblem, typeProblem.message), i18n.t)).toBe('congestion_index (DOUBLE) takes a number: "abc" is not');
  });
});
