export * from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export { createDataSource, dataSourceOptions, pendingMigrations, runMigrations, type DatabaseOptions } from './data-source.js';
export { TenantRepository, type TenantScope } from './tenant-repository.js';
export { notifyOrganization, settleNotices, type OrganizationNotice } from './notifications/notify-organization.js';
export { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hasher.js';
export { DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo, type SeedResult } from './seed/demo-seed.js';
export { resetDatabase } from './reset.js';
export { appendAuditEvent, verifyAuditChain, type AuditInput, type ChainVerification } from './audit/audit-chain.js';
export { auditTargetLabels, LABELLED_AUDIT_TARGETS, type AuditTargetLabel } from './audit/audit-targets.js';
export { recordDatasetVersion, refreshSearchDocument, versionParquetKey, type IngestedFile, type RecordVersionResult } from './catalog/catalog-store.js';
export { seedDemoCatalog, type CatalogSeedOptions, type CatalogSeedResult } from './seed/catalog-seed.js';
export {
  createDerivationRun,
  dependentProductIds,
  productParquetKey,
  recordProductVersion,
  suspendDependentProducts,
  suspendProducts,
  type ProductVersionFile,
  type SuspendedProduct,
} from './products/product-store.js';
export {
  describeRunInputs,
  gatePlanFor,
  resolveProductInputs,
  runInputsOf,
  sandboxColumns,
  visibleColumns,
  type InputColumn,
  type InputDetails,
} from './products/product-inputs.js';
export { loadLineage, type LineageNodeInfo, type LoadedLineage } from './products/lineage-store.js';
export {
  changedSinceRequested,
  currentPolicies,
  datasetPolicy,
  outputPolicyConflicts,
  rederiveAfterPolicyChange,
  settingsChangedSince,
  suspendIfPolicyUnmet,
  versionPolicyConflicts,
  type PolicyRefresh,
} from './products/product-policy.js';
export {
  deriveInline,
  gateStage,
  isRefusable,
  materializeStage,
  profileStage,
  publishStage,
  rawOutputKey,
  RunRefusal,
  toRefusal,
  validateStage,
  type DeriveDependencies,
  type StageControl,
} from './products/derive-run.js';
export { derivationRunPriority } from './products/derive-queue.js';
export { DEMO_PRODUCTS, seedDemoProducts, type ProductsSeedOptions, type ProductsSeedResult } from './seed/products-seed.js';
export * from './commerce/index.js';
export { DEMO_COLLECTION_ACCOUNT, DEMO_OFFERS, installStandardTemplates, seedDemoCommerce } from './seed/commerce-seed.js';
export { seedDemoBilling } from './seed/billing-seed.js';
export { seedDemoDatasetUse } from './seed/dataset-use-seed.js';
export { dailyUsage, ensureUsagePartitions, licenseUsage, pruneUsageKeys, recordUsage, type DailyUsage, type RecordUsageResult, type UsageTotals } from './metering/usage-store.js';
export { leakCandidates, type LeakCandidates } from './products/leak-candidates.js';
export * from './billing/index.js';
