import { InvalidObjectKeyError } from './errors.js';

/** S3's limit on key length, applied to every store so keys stay portable. */
const MAX_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Checks that a key is a relative object path such as `uploads/<uuid>` or
 * `datasets/<id>/v3.parquet`: `/`-separated, non-empty segments, no `.` or `..` segment,
 * no leading `/`, no backslash, no NUL or other control character.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKeyError(String(key), 'the key is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new InvalidObjectKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'backslashes are not allowed');
  if (CONTROL_CHARACTERS.test(key)) throw new InvalidObjectKeyError(key, 'NUL and control characters are not allowed');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'absolute paths are not allowed');
  if (/^[A-Za-z]:/.test(key)) throw new InvalidObjectKeyError(key, 'drive-letter paths are not allowed');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidObjectKeyError(key, 'empty path segments are not allowed');
    if (segment === '..') throw new InvalidObjectKeyError(key, '".." segments are not allowed');
    if (segment === '.') throw new InvalidObjectKeyError(key, '"." segments are not allowed');
  }
}
