/**
 * Monthly partitions of `usage_events`. Events are accepted from 35 days back to 5 minutes
 * ahead, so the months from two before `around` to three after always cover what can arrive;
 * the metering maintenance job and every start of the API and worker make sure they exist.
 */
export function usagePartitionsDdl(around: Date, monthsBack = 2, monthsAhead = 3): string {
  const statements: string[] = [];
  for (let offset = -monthsBack; offset <= monthsAhead; offset += 1) {
    const start = new Date(Date.UTC(around.getUTCFullYear(), around.getUTCMonth() + offset, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const name = `usage_events_${start.getUTCFullYear()}${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF usage_events FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}');`,
    );
  }
  return statements.join('\n');
}
