export * from './odrl.js';
export * from './duration.js';
export * from './vocabulary.js';
export * from './templates.js';
export * from './render.js';
export * from './terms.js';
export * from './lifecycle.js';
export * from './entitlement.js';
