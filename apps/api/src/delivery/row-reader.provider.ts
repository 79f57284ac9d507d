import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { RowReader } from '@civic/delivery';
import type { LocalCopy, ObjectStore } from '@civic/storage';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';

/** Local copies of S3 objects kept at once (product versions are immutable, so a copy never goes stale). */
const CACHED_COPIES = 32;

/**
 * The data API's DuckDB (one `RowReader` per API process, opened on first use) and the local
 * files it reads: the stored file itself with local storage, a cached download with S3.
 */
@Injectable()
export class DataFiles implements OnApplicationShutdown {
  private reader: Promise<RowReader> | null = null;
  private readonly copies = new Map<string, Promise<LocalCopy>>();
  private readonly workDir: string;

  constructor(
    private readonly config: ApiConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {
    this.workDir = path.resolve(config.DATA_WORK_DIR ?? path.join(tmpdir(), `civic-data-${process.pid}`));
  }

  rowReader(): Promise<RowReader> {
    this.reader ??= (async () => {
      const scratch = path.join(this.workDir, 'pages');
      await mkdir(scratch, { recursive: true });
      const allowed = [this.workDir, ...(this.config.S3_BUCKET ? [] : [path.resolve(this.config.STORAGE_DIR)])];
      return RowReader.open({
        allowedDirectories: allowed,
        scratchDirectory: scratch,
        memoryLimit: this.config.DATA_QUERY_MEMORY_LIMIT,
        threads: this.config.DATA_QUERY_THREADS,
        timeoutMs: this.config.DATA_QUERY_TIMEOUT_MS,
      });
    })();
    this.reader.catch(() => (this.reader = null));
    return this.reader;
  }

  /** A local path of the stored object `key`. */
  async localPath(key: string): Promise<string> {
    let copy = this.copies.get(key);
    if (!copy) {
      const dir = path.join(this.workDir, 'objects');
      copy = mkdir(dir, { recursive: true }).then(() => this.store.localCopy(key, dir));
      copy.catch(() => this.copies.delete(key));
      this.copies.set(key, copy);
      while (this.copies.size > CACHED_COPIES) {
        const [oldest, evicted] = this.copies.entries().next().value as [string, Promise<LocalCopy>];
        this.copies.delete(oldest);
        void evicted.then((entry) => entry.release()).catch(() => undefined);
      }
    } else {
      // Most recently used last.
      this.copies.delete(key);
      this.copies.set(key, copy);
    }
    return (await copy).path;
  }

  /** After the HTTP server has drained (Nest closes it between the destroy and the shutdown hooks): requests in flight still read. */
  async onApplicationShutdown(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    if (reader) (await reader.catch(() => null))?.close();
    await Promise.all([...this.copies.values()].map((copy) => copy.then((entry) => entry.release()).catch(() => undefined)));
    this.copies.clear();
  }
}
