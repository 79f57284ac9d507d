import { InvalidObjectKeyError } from './errors.js';
import { assertValidKey } from './keys.js';

describe('object keys', () => {
  it.each([
    'uploads/7d4c1f0e-2b1a-4a51-9d55-5b0f3f0e4c21',
    'datasets/ds_123/v3.parquet',
    'datasets/ds_123/数据-2024.csv',
    'a',
    'file..name.txt',
    '.hidden/x',
  ])('accepts %j', (key) => {
    expect(() => assertValidKey(key)).not.toThrow();
  });

  it.each([
    ['', /empty/],
    ['../etc/passwd', /"\.\."/],
    ['uploads/../../etc/passwd', /"\.\."/],
    ['uploads/..', /"\.\."/],
    ['./uploads/x', /"\."/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/win.ini', /drive-letter/],
    ['uploads\\x', /backslash/],
    ['uploads/x\u0000.csv', /NUL/],
    ['uploads/x\n', /control/],
    ['uploads//x', /empty path segment/],
    ['uploads/x/', /empty path segment/],
    ['x'.repeat(1025), /1024 bytes/],
    ['数'.repeat(342), /1024 bytes/], // 1026 bytes in UTF-8
  ])('rejects %j', (key, reason) => {
    expect(() => assertValidKey(key)).toThrow(InvalidObjectKeyError);
    expect(() => assertValidKey(key)).toThrow(reason);
  });
});
