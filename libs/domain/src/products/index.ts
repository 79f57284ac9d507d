export * from './vocabulary.js';
export * from './share.js';
export * from './privacy-gate.js';
export * from './lineage.js';
export * from './product-lifecycle.js';
export * from './policy.js';
export * from './derive-queue.js';
export * from './product-fields.js';
