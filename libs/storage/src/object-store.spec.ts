import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import S3rver from 's3rver';
import { createObjectStore } from './create-object-store.js';
import { InvalidObjectKeyError, InvalidRangeError, ObjectNotFoundError, ObjectTooLargeError } from './errors.js';
import { LocalObjectStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-store.js';

const MiB = 1024 * 1024;
const BUCKET = 'civic-test';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

/** Endless 64 KiB chunks, counting how many were pulled. */
function endless(): { stream: Readable; pulled: () => number } {
  let count = 0;
  const chunk = Buffer.alloc(64 * 1024, 1);
  const stream = Readable.from(
    (function* () {
      for (;;) {
        count += 1;
        yield chunk;
      }
    })(),
  );
  return { stream, pulled: () => count };
}

/** Yields `before` bytes, then fails. */
function failingAfter(before: number, error: Error): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.alloc(before, 2);
      throw error;
    })(),
  );
}

interface Harness {
  store: ObjectStore;
  scratch: string;
  endpoint?: string;
  close(): Promise<void>;
}

async function localHarness(): Promise<Harness> {
  const scratch = await mkdtemp(join(tmpdir(), 'civic-storage-'));
  const store = createObjectStore({ kind: 'local', root: join(scratch, 'root') });
  return { store, scratch, close: () => rm(scratch, { recursive: true, force: true }) };
}

async function s3Harness(): Promise<Harness> {
  const scratch = await mkdtemp(join(tmpdir(), 'civic-storage-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0, // any free port
    silent: true,
    directory: join(scratch, 's3rver'),
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const store = createObjectStore({
    kind: 's3',
    bucket: BUCKET,
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  });
  return {
    store,
    scratch,
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['local', localHarness],
  ['s3', s3Harness],
])('%s object store', (_kind, makeHarness) => {
  let harness: Harness;
  let store: ObjectStore;

  beforeAll(async () => {
    harness = await makeHarness();
    store = harness.store;
  });
  afterAll(() => harness.close());

  it('streams a body in and reads it back, reporting its size', async () => {
    const info = await store.put('uploads/hello.txt', Readable.from([Buffer.from('你好，'), Buffer.from('world')]), {
      contentType: 'text/plain; charset=utf-8',
    });
    expect(info).toEqual({ key: 'uploads/hello.txt', bytes: 14 });
    expect(await store.head('uploads/hello.txt')).toEqual({ key: 'uploads/hello.txt', bytes: 14 });
    expect(await text(await store.get('uploads/hello.txt'))).toBe('你好，world');
  });

  it('stores keys with Chinese file names', async () => {
    await store.put('datasets/ds_1/交通流量.csv', Readable.from(['路段,流量\n']));
    expect(await text(await store.get('datasets/ds_1/交通流量.csv'))).toBe('路段,流量\n');
  });

  it('replaces an existing object', async () => {
    await store.put('uploads/replace', Readable.from(['first version']));
    await store.put('uploads/replace', Readable.from(['second']));
    expect(await text(await store.get('uploads/replace'))).toBe('second');
    expect(await store.head('uploads/replace')).toEqual({ key: 'uploads/replace', bytes: 6 });
  });

  it('stores an empty body', async () => {
    expect(await store.put('uploads/empty', Readable.from([]))).toEqual({ key: 'uploads/empty', bytes: 0 });
    expect(await store.head('uploads/empty')).toEqual({ key: 'uploads/empty', bytes: 0 });
    expect((await bytesOf(await store.get('uploads/empty'))).length).toBe(0);
  });

  it('round-trips a multi-part body (12 MiB) byte for byte', async () => {
    const body = randomBytes(12 * MiB);
    const info = await store.put('datasets/ds_big/v1.parquet', Readable.from([body.subarray(0, 7 * MiB), body.subarray(7 * MiB)]));
    expect(info.bytes).toBe(body.length);
    expect(sha256(await bytesOf(await store.get('datasets/ds_big/v1.parquet')))).toBe(sha256(body));
  });

  it('accepts a body of exactly maxBytes', async () => {
    const info = await store.put('uploads/exact', Readable.from([Buffer.alloc(1000, 3)]), { maxBytes: 1000 });
    expect(info.bytes).toBe(1000);
  });

  it('aborts an endless body at maxBytes and stores nothing', async () => {
    const { stream, pulled } = endless();
    const error = await store.put('uploads/endless', stream, { maxBytes: MiB }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectTooLargeError);
    expect((error as ObjectTooLargeError).maxBytes).toBe(MiB);
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(64); // 17 chunks cross the limit; a few more may be buffered
    expect(await store.head('uploads/endless')).toBeNull();
  });

  it('aborts past maxBytes after whole parts were uploaded, leaving nothing', async () => {
    const body = Readable.from([Buffer.alloc(6 * MiB, 4), Buffer.alloc(6 * MiB, 5)]);
    await expect(store.put('uploads/too-large', body, { maxBytes: 11 * MiB })).rejects.toThrow(ObjectTooLargeError);
    expect(await store.head('uploads/too-large')).toBeNull();
  });

  it('keeps the previous object when a replacement is too large', async () => {
    await store.put('uploads/kept', Readable.from(['original']));
    await expect(store.put('uploads/kept', Readable.from(['much longer replacement']), { maxBytes: 10 })).rejects.toThrow(
      ObjectTooLargeError,
    );
    expect(await text(await store.get('uploads/kept'))).toBe('original');
  });

  it('stores nothing when the body fails mid-stream, and reports the failure', async () => {
    const failure = new Error('client went away');
    await expect(store.put('uploads/broken', failingAfter(100_000, failure))).rejects.toBe(failure);
    expect(await store.head('uploads/broken')).toBeNull();
    await expect(store.put('uploads/broken-large', failingAfter(6 * MiB, failure))).rejects.toBe(failure);
    expect(await store.head('uploads/broken-large')).toBeNull();
  });

  it('shows no object while a put is still streaming', async () => {
    const body = new PassThrough();
    const putting = store.put('uploads/in-flight', body);
    body.write(Buffer.alloc(1000, 6));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.head('uploads/in-flight')).toBeNull();
    body.end(Buffer.alloc(24, 7));
    expect((await putting).bytes).toBe(1024);
    expect(await store.head('uploads/in-flight')).toEqual({ key: 'uploads/in-flight', bytes: 1024 });
  });

  it('reads inclusive byte ranges', async () => {
    await store.put('uploads/range', Readable.from(['0123456789']));
    expect(await text(await store.get('uploads/range', { start: 2, end: 4 }))).toBe('234');
    expect(await text(await store.get('uploads/range', { start: 7 }))).toBe('789');
    expect(await text(await store.get('uploads/range', { start: 3, end: 3 }))).toBe('3');
    expect(await text(await store.get('uploads/range', { start: 8, end: 100 }))).toBe('89'); // end clamps to the size
  });

  it('rejects ranges that are malformed or start past the end', async () => {
    await store.put('uploads/range-bad', Readable.from(['0123456789']));
    for (const range of [{ start: 10 }, { start: 50, end: 60 }, { start: -1 }, { start: 5, end: 4 }, { start: 1.5 }]) {
      await expect(store.get('uploads/range-bad', range)).rejects.toThrow(InvalidRangeError);
    }
  });

  it('reports missing objects', async () => {
    await expect(store.get('uploads/missing')).rejects.toThrow(ObjectNotFoundError);
    await expect(store.get('uploads/missing', { start: 0 })).rejects.toThrow(ObjectNotFoundError);
    expect(await store.head('uploads/missing')).toBeNull();
    await expect(store.localCopy('uploads/missing', join(harness.scratch, 'copies'))).rejects.toThrow(ObjectNotFoundError);
  });

  it('treats a key prefix as no object', async () => {
    await store.put('datasets/ds_prefix/v1.parquet', Readable.from(['x']));
    expect(await store.head('datasets/ds_prefix')).toBeNull();
    await expect(store.get('datasets/ds_prefix')).rejects.toThrow(ObjectNotFoundError);
    await store.delete('datasets/ds_prefix');
    expect(await store.head('datasets/ds_prefix/v1.parquet')).not.toBeNull();
  });

  it('deletes idempotently', async () => {
    await store.put('uploads/delete-me', Readable.from(['bye']));
    await store.delete('uploads/delete-me');
    expect(await store.head('uploads/delete-me')).toBeNull();
    await expect(store.delete('uploads/delete-me')).resolves.toBeUndefined();
    await expect(store.delete('never/existed')).resolves.toBeUndefined();
  });

  it('uploads a local file and gives a local copy with the same bytes', async () => {
    const source = join(harness.scratch, 'source.parquet');
    const body = randomBytes(300_000);
    await writeFile(source, body);
    expect(await store.putFile('datasets/ds_2/v3.parquet', source, { contentType: 'application/vnd.apache.parquet' })).toEqual({
      key: 'datasets/ds_2/v3.parquet',
      bytes: body.length,
    });
    const copy = await store.localCopy('datasets/ds_2/v3.parquet', join(harness.scratch, 'copies'));
    expect(copy.path).toMatch(/v3\.parquet$/);
    expect(sha256(await readFile(copy.path))).toBe(sha256(body));
    await copy.release();
    await copy.release();
    expect(await store.head('datasets/ds_2/v3.parquet')).toEqual({ key: 'datasets/ds_2/v3.parquet', bytes: body.length });
  });

  it('fails putFile for a missing source and stores nothing', async () => {
    await expect(store.putFile('uploads/no-source', join(harness.scratch, 'nope.csv'))).rejects.toThrow(/ENOENT/);
    expect(await store.head('uploads/no-source')).toBeNull();
  });

  it('rejects invalid keys in every operation', async () => {
    const dir = join(harness.scratch, 'copies');
    for (const key of ['../escape', '/abs/path', 'a\\b', 'a\u0000b', 'a/../../b', '']) {
      await expect(store.put(key, Readable.from(['x']))).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.putFile(key, join(harness.scratch, 'any'))).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.head(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.delete(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.localCopy(key, dir)).rejects.toThrow(InvalidObjectKeyError);
    }
  });
});

describe('local object store', () => {
  let scratch: string;
  let root: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'civic-storage-local-'));
    root = join(scratch, 'root');
    store = new LocalObjectStore(root);
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it('is what createObjectStore returns for kind local', () => {
    expect(createObjectStore({ kind: 'local', root })).toBeInstanceOf(LocalObjectStore);
  });

  it('keeps objects as plain files under the root', async () => {
    await store.put('datasets/ds_9/v1.parquet', Readable.from(['PAR1']));
    expect(await readFile(join(root, 'datasets', 'ds_9', 'v1.parquet'), 'utf8')).toBe('PAR1');
  });

  it('leaves no file, partial or final, when the limit aborts a put', async () => {
    const { stream } = endless();
    await expect(store.put('uploads/u1', stream, { maxBytes: 200_000 })).rejects.toThrow(ObjectTooLargeError);
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('leaves no file when the body fails', async () => {
    await expect(store.put('uploads/u2', failingAfter(10, new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('writes to a hidden temporary file and renames it into place', async () => {
    const body = new PassThrough();
    const putting = store.put('uploads/u3', body);
    body.write('partial');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await readdir(join(root, 'uploads'));
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.u3\.[0-9a-f-]{36}\.partial$/);
    body.end(' done');
    await putting;
    expect(await readdir(join(root, 'uploads'))).toEqual(['u3']);
  });

  it('reads a one-byte range at the start', async () => {
    // (s3rver reads `bytes=0-0` as the whole object, so this case is checked locally only)
    await store.put('uploads/first-byte', Readable.from(['0123456789']));
    expect(await text(await store.get('uploads/first-byte', { start: 0, end: 0 }))).toBe('0');
  });

  it('hands DuckDB the stored file itself, and release keeps it', async () => {
    await store.put('datasets/ds_9/v2.parquet', Readable.from(['PAR1']));
    const copy = await store.localCopy('datasets/ds_9/v2.parquet', join(scratch, 'tmp'));
    expect(copy.path).toBe(join(root, 'datasets', 'ds_9', 'v2.parquet'));
    await copy.release();
    expect((await stat(copy.path)).size).toBe(4);
  });

  it('does not delete a directory named by a key prefix', async () => {
    await store.put('datasets/ds_9/v1.parquet', Readable.from(['PAR1']));
    await store.delete('datasets/ds_9');
    expect((await stat(join(root, 'datasets', 'ds_9', 'v1.parquet'))).size).toBe(4);
  });
});

describe('s3 object store', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await s3Harness();
  });
  afterAll(() => harness.close());

  it('is what createObjectStore returns for kind s3', () => {
    expect(harness.store).toBeInstanceOf(S3ObjectStore);
  });

  it('downloads a temporary copy and removes it on release', async () => {
    await harness.store.put('datasets/ds_3/v1.csv', Readable.from(['a,b\n1,2\n']));
    const dir = join(harness.scratch, 'duck');
    const copy = await harness.store.localCopy('datasets/ds_3/v1.csv', dir);
    expect(copy.path.startsWith(dir)).toBe(true);
    expect(copy.path).toMatch(/-v1\.csv$/);
    expect(await readFile(copy.path, 'utf8')).toBe('a,b\n1,2\n');
    await copy.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails a put to a missing bucket without hanging or consuming the body', async () => {
    const store = createObjectStore({
      kind: 's3',
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint: harness.endpoint,
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    const { stream, pulled } = endless();
    await expect(store.put('uploads/x', stream)).rejects.toThrow(/bucket/i);
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(400); // never the endless body: at most the first parts
  });
});
