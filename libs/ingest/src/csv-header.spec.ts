import { guessDelimiter, recordEnd, splitRecord } from './csv-header.js';

describe('CSV header parsing', () => {
  it('guesses the delimiter from the header, ignoring quoted text', () => {
    expect(guessDelimiter('年份,道路名称,长度')).toBe(',');
    expect(guessDelimiter('年份;道路名称;"长度,米"')).toBe(';');
    expect(guessDelimiter('a\tb\tc')).toBe('\t');
    expect(guessDelimiter('a|b')).toBe('|');
    expect(guessDelimiter('单列')).toBe(',');
  });

  it('splits quoted fields and finds where the header record ends', () => {
    expect(splitRecord('"名称, 全称","说 ""引号""",c', ',')).toEqual(['名称, 全称', '说 "引号"', 'c']);
    expect(recordEnd('"a\nb",c\r\n1,2')).toBe(7);
    expect(recordEnd('a,b')).toBe(-1);
  });
});
