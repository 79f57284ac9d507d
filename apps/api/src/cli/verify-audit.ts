/**
 * `pnpm --filter @civic/api audit:verify`: verifies the audit hash chain of DATABASE_URL and
 * exits non-zero naming the first tampered event, if any.
 */
import { createDataSource, verifyAuditChain } from '@civic/db';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(78);
}
const dataSource = createDataSource({ url, poolSize: 1 });
await dataSource.initialize();
try {
  const result = await verifyAuditChain(dataSource.manager);
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} events verified (head seq ${result.headSeq})`);
  } else {
    console.error(`audit chain TAMPERED at seq ${result.firstTampered!.seq} (${result.firstTampered!.reason}); ${result.checked} events before it verified`);
    process.exitCode = 2;
  }
} finally {
  await dataSource.destroy();
}
