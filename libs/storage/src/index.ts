export type { ByteRange, LocalCopy, ObjectInfo, ObjectStore, PutOptions, StorageConfig } from './object-store.js';
export { createObjectStore, storageConfigFrom, type StorageVariables } from './create-object-store.js';
export { LocalObjectStore } from './local-store.js';
export { S3ObjectStore, createS3Client, type S3StorageConfig } from './s3-store.js';
export { InvalidObjectKeyError, InvalidRangeError, ObjectNotFoundError, ObjectTooLargeError } from './errors.js';
export { assertValidKey } from './keys.js';
