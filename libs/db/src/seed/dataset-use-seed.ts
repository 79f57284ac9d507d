import type { DataSource } from 'typeorm';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The enterprises of the demo, whose analysts read the open data. */
const READERS = ['buyer@harbor.demo', 'buyer@sunrise.demo'];
/** Rows of a preview page in the catalog. */
const PREVIEW_ROWS = 20;

/**
 * Weeks of use of the open datasets, so that an agency's usage pages have something to show on
 * a new platform: every few days the demo enterprises' analysts preview and download each
 * published open dataset, and anonymous visitors preview them, at working hours over the last
 * six weeks. Deterministic (no randomness: the same days and hours for every seed). Idempotent:
 * does nothing once any dataset delivery exists. Not used by the tests, which make their own.
 */
export async function seedDemoDatasetUse(dataSource: DataSource, now = new Date()): Promise<{ deliveries: number }> {
  const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM dataset_deliveries`)) as Array<{ n: number }>;
  if (n > 0) return { deliveries: 0 };
  const readers = (await dataSource.query(
    `SELECT u.id AS user_id, m.organization_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ANY($1) ORDER BY u.email`,
    [READERS],
  )) as Array<{ user_id: string; organization_id: string }>;
  const datasets = (await dataSource.query(
    `SELECT d.id, d.current_version_id AS version_id, v.row_count::bigint AS row_count
       FROM datasets d JOIN dataset_versions v ON v.id = d.current_version_id
      WHERE d.status = 'published' AND d.classification = 'open'
      ORDER BY d.slug`,
  )) as Array<{ id: string; version_id: string; row_count: string }>;
  const rows: unknown[][] = [];
  const today = Math.floor(now.getTime() / DAY) * DAY;
  datasets.forEach((dataset, datasetIndex) => {
    for (let daysAgo = 42; daysAgo >= 1; daysAgo -= 1) {
      const day = today - daysAgo * DAY;
      // Each dataset its own rhythm: read on some days, more on others.
      const turn = (daysAgo + datasetIndex * 3) % 7;
      if (turn > 3) continue;
      const at = (hour: number) => new Date(day + (1 + hour) * HOUR).toISOString(); // 09:00–16:00 in Beijing (UTC+8)
      const reader = readers[(daysAgo + datasetIndex) % Math.max(1, readers.length)];
      if (reader) {
        rows.push([dataset.id, dataset.version_id, reader.organization_id, reader.user_id, 'preview', 'json', PREVIEW_ROWS, at(turn)]);
        if (turn === 0) rows.push([dataset.id, dataset.version_id, reader.organization_id, reader.user_id, 'download', daysAgo % 2 === 0 ? 'csv' : 'parquet', Number(dataset.row_count), at(turn + 2)]);
      }
      if (turn <= 1) rows.push([dataset.id, dataset.version_id, null, null, 'preview', 'json', PREVIEW_ROWS, at(turn + 4)]);
    }
  });
  if (rows.length === 0) return { deliveries: 0 };
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO dataset_deliveries (dataset_id, version_id, organization_id, user_id, channel, format, rows, delivered_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[])`,
      Array.from({ length: 8 }, (_, column) => rows.map((row) => row[column])),
    );
    await manager.query(
      `UPDATE datasets d SET download_count = d.download_count + c.n
         FROM (SELECT dataset_id, count(*) AS n FROM dataset_deliveries WHERE channel = 'download' GROUP BY dataset_id) c
        WHERE c.dataset_id = d.id`,
    );
  });
  return { deliveries: rows.length };
}
