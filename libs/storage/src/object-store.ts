import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  bytes: number;
}

export interface PutOptions {
  /** Abort with ObjectTooLargeError once the body exceeds this many bytes. */
  maxBytes?: number;
  /** Stored as Content-Type by the S3 store; the local store ignores it. */
  contentType?: string;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; no `end` reads to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface LocalCopy {
  path: string;
  /** Removes the temporary copy, if one was made. Safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Object storage for uploaded files and dataset versions. Keys are relative paths
 * (`uploads/<uuid>`, `datasets/<id>/v3.parquet`); invalid keys throw InvalidObjectKeyError.
 */
export interface ObjectStore {
  /**
   * Streams a body into `key`. The object appears whole or not at all: when the body errors
   * or exceeds `maxBytes` (ObjectTooLargeError) nothing is left behind. Returns bytes written.
   */
  put(key: string, body: NodeJS.ReadableStream | Readable, options?: PutOptions): Promise<ObjectInfo>;
  /** Uploads a local file (e.g. a Parquet file produced by DuckDB). */
  putFile(key: string, path: string, options?: { contentType?: string }): Promise<ObjectInfo>;
  /** The object's bytes, or the inclusive `range` of them. ObjectNotFoundError, InvalidRangeError. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the object, or null when there is none. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A local file holding the object's bytes (for DuckDB): the stored file itself for the local
   * store, a download into `tempDir` for S3. `release()` removes any temporary copy.
   */
  localCopy(key: string, tempDir: string): Promise<LocalCopy>;
}

export type StorageConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle?: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
    };
