import { createHash } from 'node:crypto';
import { firstInvalidUtf8, incompleteUtf8Tail, lineAt, sha256File, Utf8Validator } from './text-scan.js';
import { Sandbox } from './test-support/files.js';

/** Feeds `bytes` to a validator in pieces of `size` bytes. */
function validate(bytes: Buffer, size: number): number | null {
  const validator = new Utf8Validator();
  for (let offset = 0; offset < bytes.length; offset += size) validator.push(bytes.subarray(offset, offset + size), offset);
  validator.finish(bytes.length);
  return validator.invalidAt;
}

describe('UTF-8 validation', () => {
  const text = Buffer.from('年份,道路名称\n2011,中山路 🚗\n');

  it('accepts valid text however it is split into chunks', () => {
    for (const size of [1, 2, 3, 5, 7, text.length]) expect(validate(text, size)).toBeNull();
  });

  it('finds the exact offset of an invalid byte, also across chunk boundaries', () => {
    const at = text.indexOf(Buffer.from('中'));
    const broken = Buffer.concat([text.subarray(0, at + 1), Buffer.from([0x41]), text.subarray(at + 3)]);
    for (const size of [1, 2, 3, 4, 64]) expect(validate(broken, size)).toBe(at);
    expect(firstInvalidUtf8(broken)).toBe(at);
    expect(validate(Buffer.from([0x61, 0x80, 0x62]), 2)).toBe(1);
  });

  it('treats a sequence cut off by the end of the file as invalid', () => {
    const cut = Buffer.from('ab中').subarray(0, 4);
    expect(validate(cut, 3)).toBe(2);
    expect(incompleteUtf8Tail(cut)).toBe(2);
    expect(incompleteUtf8Tail(Buffer.from('ab中'))).toBe(0);
  });
});

describe('file scans', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('hashes a file larger than one chunk by streaming', async () => {
    const content = Buffer.alloc(3 * (1 << 20) + 17, 'abc,年份\n');
    const filePath = await sandbox.file('big.csv', content);
    expect(await sha256File(filePath)).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('turns a byte offset into a line number', async () => {
    const filePath = await sandbox.file('lines.csv', 'a\nbb\nccc\n');
    expect(await lineAt(filePath, 0)).toBe(1);
    expect(await lineAt(filePath, 2)).toBe(2);
    expect(await lineAt(filePath, 6)).toBe(3);
  });
});
