import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { isUtf8 } from 'node:buffer';
import { cancelled, IngestError } from './errors.js';

const CHUNK_BYTES = 4 << 20;

/** Bytes at the end of `bytes` that start a UTF-8 sequence the buffer does not complete. */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  let index = bytes.length - 1;
  let continuation = 0;
  while (index >= 0 && continuation < 3 && (bytes[index] & 0xc0) === 0x80) {
    index -= 1;
    continuation += 1;
  }
  if (index < 0) return 0;
  const lead = bytes[index];
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length > continuation + 1 ? continuation + 1 : 0;
}

/** Offset of the first invalid UTF-8 sequence in `bytes` (which must contain one). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const validPrefix = (end: number) => isUtf8(bytes.subarray(0, end - incompleteUtf8Tail(bytes.subarray(0, end))));
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (validPrefix(middle)) good = middle;
    else bad = middle;
  }
  return good - incompleteUtf8Tail(bytes.subarray(0, good));
}

/** Streaming UTF-8 validation that copes with sequences split across chunks. */
export class Utf8Validator {
  private carry: Buffer = Buffer.alloc(0);
  /** Absolute offset of the first invalid byte, once one was seen. */
  invalidAt: number | null = null;

  push(chunk: Buffer, offset: number): void {
    if (this.invalidAt !== null) return;
    let start = 0;
    if (this.carry.length > 0) {
      const lead = this.carry[0];
      const needed = (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2) - this.carry.length;
      const joined = Buffer.concat([this.carry, chunk.subarray(0, needed)]);
      const carryOffset = offset - this.carry.length;
      const complete = joined.length === this.carry.length + needed;
      this.carry = Buffer.alloc(0);
      if (!complete) {
        // The chunk is too small to complete the sequence: keep carrying.
        this.carry = joined;
        return;
      }
      if (!isUtf8(joined)) {
        this.invalidAt = carryOffset + firstInvalidUtf8(joined);
        return;
      }
      start = needed;
    }
    const body = chunk.subarray(start);
    const tail = incompleteUtf8Tail(body);
    const complete = body.subarray(0, body.length - tail);
    if (!isUtf8(complete)) {
      this.invalidAt = offset + start + firstInvalidUtf8(complete);
      return;
    }
    this.carry = Buffer.from(body.subarray(body.length - tail));
  }

  /** Call at the end of the file: a sequence cut off by the end is invalid too. */
  finish(endOffset: number): void {
    if (this.invalidAt === null && this.carry.length > 0) this.invalidAt = endOffset - this.carry.length;
  }
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Stop before this offset. */
  end?: number;
  /** Called with the number of bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

/**
 * Reads a file front to back in 4 MiB chunks through two reused buffers (the next chunk is read
 * while the current one is visited). `visit` must not keep the chunk after it returns.
 */
export async function scanChunks(
  filePath: string,
  visit: (chunk: Buffer, offset: number) => void | Promise<void>,
  options: ScanOptions = {},
): Promise<number> {
  const handle = await open(filePath, 'r');
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  const limit = options.end ?? Number.POSITIVE_INFINITY;
  const readAt = (index: number, position: number) =>
    handle.read(buffers[index % 2], 0, Math.max(0, Math.min(CHUNK_BYTES, limit - position)), position);
  let offset = 0;
  let pending = readAt(0, 0);
  try {
    for (let index = 0; ; index += 1) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      if (options.signal?.aborted) throw cancelled();
      const chunk = buffers[index % 2].subarray(0, bytesRead);
      pending = readAt(index + 1, offset + bytesRead);
      await visit(chunk, offset);
      offset += bytesRead;
      options.onBytes?.(offset);
    }
    return offset;
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(filePath: string, options: ScanOptions = {}): Promise<string> {
  const hash = createHash('sha256');
  await scanChunks(filePath, (chunk) => void hash.update(chunk), options);
  return hash.digest('hex');
}

/** 1-based line number of a byte offset (counts LF bytes before it). */
export async function lineAt(filePath: string, offset: number, signal?: AbortSignal): Promise<number> {
  let lines = 1;
  await scanChunks(
    filePath,
    (chunk) => {
      for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, index + 1)) lines += 1;
    },
    { signal, end: offset },
  );
  return lines;
}

/** Writes chunks to a file with back-pressure. */
export class FileSink {
  private readonly stream: WriteStream;

  constructor(filePath: string) {
    this.stream = createWriteStream(filePath);
  }

  async write(data: Uint8Array | string): Promise<void> {
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** Raised inside the scanners when text is not valid in the encoding tried. */
export class DecodeFailure extends Error {
  constructor(readonly offset: number) {
    super(`invalid byte sequence at offset ${offset}`);
  }
}

/** Streaming GB18030 → UTF-8 decoding; `offset` of the failure is found by re-reading (error path only). */
export class Gb18030Decoder {
  private decoder = new TextDecoder('gb18030', { fatal: true });

  constructor(private readonly filePath: string) {}

  /** Returns the UTF-8 text of the chunk; throws DecodeFailure with the exact offset on invalid input. */
  async decode(chunk: Buffer, offset: number, signal?: AbortSignal): Promise<string> {
    try {
      return this.decoder.decode(chunk, { stream: true });
    } catch {
      throw new DecodeFailure(await locateGb18030Failure(this.filePath, offset, chunk, signal));
    }
  }

  async end(fileBytes: number): Promise<string> {
    try {
      return this.decoder.decode();
    } catch {
      // A multi-byte sequence cut off by the end of the file.
      throw new DecodeFailure(Math.max(0, fileBytes - 1));
    }
  }
}

async function locateGb18030Failure(filePath: string, chunkOffset: number, chunk: Buffer, signal?: AbortSignal): Promise<number> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  await scanChunks(filePath, (piece) => void decoder.decode(piece, { stream: true }), { signal, end: chunkOffset });
  for (let index = 0; index < chunk.length; index += 1) {
    try {
      decoder.decode(chunk.subarray(index, index + 1), { stream: true });
    } catch {
      return chunkOffset + index;
    }
  }
  return chunkOffset + chunk.length - 1;
}

export function binaryError(offset: number): IngestError {
  return new IngestError('ingest.binary', `The file contains a NUL byte at offset ${offset}; it is binary, not text.`, { offset });
}
