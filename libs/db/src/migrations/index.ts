import { Foundation1764000000000 } from './1764000000000-foundation.js';

/** Every migration in order. Listed explicitly: no globbing of compiled files. */
export const MIGRATIONS = [Foundation1764000000000];
