export * from './errors/domain-error.js';
export * from './identity/roles.js';
export * from './identity/api-key.js';
export * from './identity/login-backoff.js';
export * from './audit/hash-chain.js';
export * from './identity/opaque-token.js';
export * from './catalog/vocabulary.js';
export * from './catalog/search-terms.js';
