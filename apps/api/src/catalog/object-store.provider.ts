import type { Provider } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { createObjectStore, storageConfigFrom, type ObjectStore } from '@civic/storage';

/** Injection token of the object store holding uploads and dataset versions. */
export const OBJECT_STORE = Symbol('OBJECT_STORE');

export const objectStoreProvider: Provider<ObjectStore> = {
  provide: OBJECT_STORE,
  inject: [ApiConfig],
  useFactory: (config: ApiConfig) => createObjectStore(storageConfigFrom(config)),
};
