import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteLimit } from './byte-limit.js';
import { InvalidRangeError, ObjectNotFoundError } from './errors.js';
import { assertValidKey } from './keys.js';
import type { ByteRange, LocalCopy, ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
import { assertValidRange } from './range.js';

/** Error codes meaning "no object at this key" (a missing file, or a path through a file or into a directory). */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function isMissing(error: unknown): boolean {
  return MISSING.has((error as NodeJS.ErrnoException).code ?? '');
}

/**
 * Objects as files under a root directory. Writes go to a hidden temporary file beside the
 * target, flushed to disk, then renamed over it, so readers see the old object or the new one.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Absolute path of a key's file; the key is validated first. */
  pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`Key ${key} resolves outside the storage root`);
    return path;
  }

  async put(key: string, body: NodeJS.ReadableStream | Readable, options: PutOptions = {}): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    const limit = new ByteLimit(options.maxBytes);
    await this.writeAtomically(path, (temporary) => pipeline(body, limit, createWriteStream(temporary, { flags: 'wx', flush: true })));
    return { key, bytes: limit.bytes };
  }

  async putFile(key: string, source: string): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    await this.writeAtomically(path, (temporary) => copyFile(source, temporary));
    return { key, bytes: (await stat(path)).size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    if (range) assertValidRange(key, range);
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw isMissing(error) ? new ObjectNotFoundError(key) : error;
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      if (range && range.start >= info.size) throw new InvalidRangeError(key, range);
      return handle.createReadStream({ start: range?.start, end: range?.end, autoClose: true });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { key, bytes: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    const info = await stat(path).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (info?.isFile()) await rm(path, { force: true });
  }

  /** The stored file itself: no copy is made, so `tempDir` is unused and `release()` does nothing. */
  async localCopy(key: string, _tempDir?: string): Promise<LocalCopy> {
    const path = this.pathOf(key);
    if (!(await this.head(key))) throw new ObjectNotFoundError(key);
    return { path, release: async () => undefined };
  }

  private async writeAtomically(path: string, write: (temporary: string) => Promise<unknown>): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.partial`);
    try {
      await write(temporary);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
