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
