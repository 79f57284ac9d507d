import type { Provider } from '@nestjs/common';
import { WorkerConfig } from '@civic/config';
import { createObjectStore, storageConfigFrom, type ObjectStore } from '@civic/storage';

export const OBJECT_STORE = Symbol('OBJECT_STORE');

export const objectStoreProvider: Provider<ObjectStore> = {
  provide: OBJECT_STORE,
  inject: [WorkerConfig],
  useFactory: (config: WorkerConfig) => createObjectStore(storageConfigFrom(config)),
};
