import { charOffsetOfByte, lineAndColumn, positionDetails, tidyParserMessage } from './errors.js';

describe('error positions', () => {
  it('turns a UTF-8 byte offset into a character offset', () => {
    const sql = "SELECT '日本語' AS a, '😀' AS b, nope";
    const nope = sql.indexOf('nope');
    expect(charOffsetOfByte(sql, Buffer.byteLength(sql.slice(0, nope), 'utf8'))).toBe(Array.from(sql.slice(0, nope)).length);
    expect(charOffsetOfByte(sql, 0)).toBe(0);
    expect(charOffsetOfByte('abc', 3)).toBe(3);
    // Not in the text, or inside a character: no position.
    expect(charOffsetOfByte('abc', 4)).toBeUndefined();
    expect(charOffsetOfByte('日本', 1)).toBeUndefined();
    expect(charOffsetOfByte('abc', -1)).toBeUndefined();
    expect(charOffsetOfByte('abc', Number.NaN)).toBeUndefined();
  });

  it('gives position, line and column only for a position in the text', () => {
    expect(positionDetails('SELECT\n  nope', 9)).toEqual({ position: 9, line: 2, column: 3 });
    expect(positionDetails('SELECT', 6)).toEqual({ position: 6, line: 1, column: 7 });
    expect(positionDetails('SELECT', 7)).toEqual({});
    expect(positionDetails('SELECT', undefined)).toEqual({});
    expect(lineAndColumn('a\n😀x', 3)).toEqual({ line: 2, column: 2 });
  });

  it("shows a quoted token once in DuckDB's parser messages", () => {
    expect(tidyParserMessage('syntax error at or near ""total""')).toBe('syntax error at or near "total"');
    expect(tidyParserMessage('zero-length delimited identifier at or near """"')).toBe('zero-length delimited identifier at or near ""');
    expect(tidyParserMessage('unterminated quoted identifier at or near ""fare FROM trips"')).toBe('unterminated quoted identifier at or near "fare FROM trips');
    // Other tokens are already quoted once.
    expect(tidyParserMessage('syntax error at or near "SELEC"')).toBe('syntax error at or near "SELEC"');
    expect(tidyParserMessage(`syntax error at or near "'b'"`)).toBe(`syntax error at or near "'b'"`);
    expect(tidyParserMessage('syntax error at end of input')).toBe('syntax error at end of input');
  });
});
