export * from './tax.js';
export * from './proration.js';
export * from './usage-invoice.js';
export * from './revenue-split.js';
export * from './ledger.js';
export * from './credit-note.js';
export * from './provider-reconciliation.js';
