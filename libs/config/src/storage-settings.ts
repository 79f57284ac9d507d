import path from 'node:path';
import type { CommonConfig } from './schema.js';

/** Object-store settings from the configuration (matches `StorageConfig` of @civic/storage). */
export type StorageSettings =
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

export function storageSettings(config: CommonConfig): StorageSettings {
  if (!config.S3_BUCKET) return { kind: 'local', root: path.resolve(config.STORAGE_DIR) };
  return {
    kind: 's3',
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  };
}
