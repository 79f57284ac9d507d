import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { AuditChainHead1764100000000 } from './1764100000000-audit-chain-head.js';

/** Every migration in order. Listed explicitly: no globbing of compiled files. */
export const MIGRATIONS = [Foundation1764000000000, AuditChainHead1764100000000];
