export * from './money.js';
export * from './price-plan.js';
export * from './rating.js';
export * from './calculator.js';
export * from './caps.js';
export * from './describe.js';
export * from './vocabulary.js';
export * from './entry-price.js';
