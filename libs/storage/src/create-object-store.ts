import path from 'node:path';
import { LocalObjectStore } from './local-store.js';
import type { ObjectStore, StorageConfig } from './object-store.js';
import { S3ObjectStore, createS3Client } from './s3-store.js';

/** The store a configuration names: a local directory, or an S3-compatible bucket. */
export function createObjectStore(config: StorageConfig): ObjectStore {
  switch (config.kind) {
    case 'local':
      return new LocalObjectStore(config.root);
    case 's3':
      return new S3ObjectStore(createS3Client(config), config.bucket);
  }
}

/** The storage variables every process reads (STORAGE_DIR, S3_*), as validated by @civic/config. */
export interface StorageVariables {
  STORAGE_DIR: string;
  S3_BUCKET?: string;
  S3_REGION: string;
  S3_ENDPOINT?: string;
  S3_FORCE_PATH_STYLE: boolean;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
}

/** The store the variables name: S3 when S3_BUCKET is set, else the local directory STORAGE_DIR. */
export function storageConfigFrom(variables: StorageVariables): StorageConfig {
  if (!variables.S3_BUCKET) return { kind: 'local', root: path.resolve(variables.STORAGE_DIR) };
  return {
    kind: 's3',
    bucket: variables.S3_BUCKET,
    region: variables.S3_REGION,
    endpoint: variables.S3_ENDPOINT,
    forcePathStyle: variables.S3_FORCE_PATH_STYLE,
    accessKeyId: variables.S3_ACCESS_KEY_ID,
    secretAccessKey: variables.S3_SECRET_ACCESS_KEY,
  };
}
