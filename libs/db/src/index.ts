export * from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export { createDataSource, dataSourceOptions, pendingMigrations, runMigrations, type DatabaseOptions } from './data-source.js';
export { TenantRepository, type TenantScope } from './tenant-repository.js';
export { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hasher.js';
export { DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo, type SeedResult } from './seed/demo-seed.js';
export { resetDatabase } from './reset.js';
export { appendAuditEvent, verifyAuditChain, type AuditInput, type ChainVerification } from './audit/audit-chain.js';
