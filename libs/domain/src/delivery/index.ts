export * from './row-query.js';
export * from './usage.js';
