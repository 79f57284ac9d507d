import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ByteLimit } from './byte-limit.js';
import { InvalidRangeError, ObjectNotFoundError } from './errors.js';
import { assertValidKey } from './keys.js';
import type { ByteRange, LocalCopy, ObjectInfo, ObjectStore, PutOptions, StorageConfig } from './object-store.js';
import { assertValidRange } from './range.js';

export type S3StorageConfig = Extract<StorageConfig, { kind: 's3' }>;

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** The error a stream reports when its consumer stopped reading it. */
function isAbort(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

export function createS3Client(config: S3StorageConfig): S3Client {
  const credentials =
    config.accessKeyId && config.secretAccessKey
      ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
      : undefined; // the SDK's default chain: environment, profile, instance role
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials,
  });
}

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO). Streams are uploaded with the SDK's
 * managed multipart `Upload`; an object becomes visible only when its upload completes, and a
 * failed upload is aborted so no parts are left behind.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: NodeJS.ReadableStream | Readable, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const limit = new ByteLimit(options.maxBytes);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: limit, ContentType: options.contentType },
    });
    // A failing source destroys `limit`, which fails the upload (and aborts its multipart
    // upload); a failing upload stops reading, which aborts the source in turn.
    const uploaded = upload.done().catch((error: unknown) => {
      limit.destroy(error as Error);
      throw error;
    });
    const [source, target] = await Promise.allSettled([pipeline(body, limit), uploaded]);
    const sourceOnlyAborted = source.status === 'rejected' && target.status === 'rejected' && isAbort(source.reason);
    if (source.status === 'rejected' && !sourceOnlyAborted) throw source.reason;
    if (target.status === 'rejected') throw target.reason;
    return { key, bytes: limit.bytes };
  }

  async putFile(key: string, path: string, options: { contentType?: string } = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    return this.put(key, createReadStream(path), options);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidKey(key);
    if (range) assertValidRange(key, range);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }),
      );
      if (!(response.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
      return response.Body;
    } catch (error) {
      if (statusOf(error) === 404) throw new ObjectNotFoundError(key);
      if (statusOf(error) === 416 && range) throw new InvalidRangeError(key, range);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, bytes: response.ContentLength ?? 0 };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async localCopy(key: string, tempDir: string): Promise<LocalCopy> {
    const body = await this.get(key);
    await mkdir(tempDir, { recursive: true });
    // Keep the object's file name (and so its extension), which DuckDB may use to pick a reader.
    const path = join(tempDir, `${randomUUID()}-${basename(key)}`);
    const release = () => rm(path, { force: true });
    try {
      await pipeline(body, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await release();
      throw error;
    }
    return { path, release };
  }
}
