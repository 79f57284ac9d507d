import { checkUsageEvent, periodReading, USAGE_UNITS, type UsageEvent, type UsageRejection, type UsageUnit } from '@civic/domain';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { usagePartitionsDdl } from './partitions.js';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

export interface RecordUsageResult {
  /** Events counted now (first time their key was seen). */
  recorded: number;
  /** Events whose key was already counted: nothing changed for them. */
  duplicates: number;
  /** Events refused (outside the window, malformed), with the reason; nothing was written for them. */
  rejected: Array<{ key: string; reason: UsageRejection }>;
}

/** Batches at least this large are sent with COPY into a staging table instead of as array parameters. */
const COPY_THRESHOLD = 2_000;

/**
 * Records usage events exactly once, in one statement: each event's key (as the md5 of the key)
 * is inserted into `usage_event_keys` (its primary key decides first-seen), only first-seen
 * events go into `usage_events`, and their quantities are added to `usage_hourly` — all or
 * nothing, in the caller's transaction or its own. Running it again with the same events
 * changes nothing, so a retry after a lost commit acknowledgement, a redelivered job or a
 * replayed batch is safe. Rows are locked in a fixed order (keys sorted, buckets sorted) so that
 * concurrent batches over the same buckets wait for each other instead of deadlocking; a
 * deadlock or serialization failure that still happens is retried here. Large batches given a
 * DataSource travel by COPY (one round trip of text) into a per-session staging table.
 */
export async function recordUsage(db: Queryable, events: readonly UsageEvent[], receivedAt = new Date()): Promise<RecordUsageResult> {
  const rejected: RecordUsageResult['rejected'] = [];
  const accepted: UsageEvent[] = [];
  for (const event of events) {
    const reason = checkUsageEvent(event, receivedAt);
    if (reason) rejected.push({ key: event.key, reason });
    else accepted.push(event);
  }
  if (accepted.length === 0) return { recorded: 0, duplicates: 0, rejected };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const recorded = accepted.length >= COPY_THRESHOLD && isDataSource(db) ? await recordByCopy(db, accepted, receivedAt) : await recordByArrays(db, accepted, receivedAt);
      return { recorded, duplicates: accepted.length - recorded, rejected };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23514' && /no partition/i.test(String((error as Error).message)) && attempt < 5) {
        await ensureUsagePartitions(db, receivedAt);
      } else if (!((code === '40P01' || code === '40001') && attempt < 5)) throw error;
    }
  }
}

function isDataSource(db: Queryable): db is DataSource {
  return typeof (db as DataSource).createQueryRunner === 'function';
}

const COLUMNS = 'key, product_id, product_version_id, license_id, consumer_organization_id, channel, unit, quantity, occurred_at';

/** The statement, reading the batch from `source` (rows with COLUMNS) and the arrival time from `recordedAt`. */
function recordSql(source: string, recordedAt: string): string {
  return `
  WITH input AS (
    SELECT DISTINCT ON (key_hash) md5(key)::uuid AS key_hash, ${COLUMNS}
      FROM ${source}
     ORDER BY key_hash
  ), fresh AS (
    INSERT INTO usage_event_keys (key_hash, recorded_at)
    SELECT key_hash, ${recordedAt} FROM input ORDER BY key_hash
    ON CONFLICT (key_hash) DO NOTHING
    RETURNING key_hash
  ), counted AS (
    INSERT INTO usage_events (${COLUMNS}, recorded_at)
    SELECT i.key, i.product_id, i.product_version_id, i.license_id, i.consumer_organization_id, i.channel, i.unit, i.quantity, i.occurred_at, ${recordedAt}
      FROM input i JOIN fresh f ON f.key_hash = i.key_hash
    RETURNING product_id, license_id, consumer_organization_id, channel, unit, quantity, occurred_at
  ), rolled AS (
    INSERT INTO usage_hourly AS h (hour, product_id, license_id, consumer_organization_id, channel, unit, quantity, events)
    SELECT date_trunc('hour', occurred_at, 'UTC'), product_id, license_id, consumer_organization_id, channel, unit, sum(quantity), count(*)
      FROM counted
     GROUP BY 1, 2, 3, 4, 5, 6
     ORDER BY 2, 3, 4, 5, 6, 1
    ON CONFLICT ON CONSTRAINT usage_hourly_bucket
    DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, events = h.events + EXCLUDED.events, updated_at = now()
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM counted) AS recorded, (SELECT count(*) FROM rolled) AS buckets`;
}

const ARRAYS_SQL = recordSql(
  `unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::bigint[], $9::timestamptz[]) AS t(${COLUMNS})`,
  '$10::timestamptz',
);

async function recordByArrays(db: Queryable, events: UsageEvent[], receivedAt: Date): Promise<number> {
  const parameters: unknown[][] = [[], [], [], [], [], [], [], [], []];
  for (const event of events) {
    parameters[0]!.push(event.key);
    parameters[1]!.push(event.productId);
    parameters[2]!.push(event.productVersionId);
    parameters[3]!.push(event.licenseId);
    parameters[4]!.push(event.consumerOrganizationId);
    parameters[5]!.push(event.channel);
    parameters[6]!.push(event.unit);
    parameters[7]!.push(String(event.quantity));
    parameters[8]!.push(event.occurredAt.toISOString());
  }
  const [row] = (await db.query(ARRAYS_SQL, [...parameters, receivedAt.toISOString()])) as Array<{ recorded: string }>;
  return Number(row?.recorded ?? 0);
}

const STAGING = `CREATE TEMPORARY TABLE IF NOT EXISTS usage_staging (
  key text, product_id uuid, product_version_id uuid, license_id uuid, consumer_organization_id uuid,
  channel text, unit text, quantity bigint, occurred_at timestamptz) ON COMMIT DELETE ROWS`;
const STAGED_SQL = recordSql('usage_staging', '$1::timestamptz');

/** COPY's text format: backslash, tab and newline escaped; null as \N. */
function copyText(value: string | null): string {
  return value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (char) => (char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r'));
}

async function recordByCopy(dataSource: DataSource, events: UsageEvent[], receivedAt: Date): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query(STAGING);
    const client = (await runner.connect()) as pg.PoolClient;
    const lines = events.map(
      (event) =>
        `${copyText(event.key)}\t${event.productId}\t${copyText(event.productVersionId)}\t${copyText(event.licenseId)}\t${copyText(event.consumerOrganizationId)}\t${event.channel}\t${event.unit}\t${event.quantity}\t${event.occurredAt.toISOString()}\n`,
    );
    await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(`COPY usage_staging (${COLUMNS}) FROM STDIN`)));
    const [row] = (await runner.query(STAGED_SQL, [receivedAt.toISOString()])) as Array<{ recorded: string }>;
    await runner.commitTransaction();
    return Number(row?.recorded ?? 0);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** Creates the monthly partitions around `around` that do not exist yet (idempotent). */
export async function ensureUsagePartitions(db: Queryable, around = new Date()): Promise<void> {
  await db.query(usagePartitionsDdl(around));
}

/** Forgets keys recorded before `before` (at least 40 days ago: see the migration). */
export async function pruneUsageKeys(db: Queryable, before: Date): Promise<number> {
  const rows = (await db.query(`WITH gone AS (DELETE FROM usage_event_keys WHERE recorded_at < $1 RETURNING 1) SELECT count(*) AS n FROM gone`, [before.toISOString()])) as Array<{ n: string }>;
  return Number(rows[0]?.n ?? 0);
}

export type UsageTotals = Record<UsageUnit, number>;

const zero = (): UsageTotals => Object.fromEntries(USAGE_UNITS.map((unit) => [unit, 0])) as UsageTotals;

function addRows(totals: UsageTotals, rows: Array<{ unit: string; quantity: string }>): UsageTotals {
  for (const row of rows) if (row.unit in totals) totals[row.unit as UsageUnit] += Number(row.quantity);
  return totals;
}

/**
 * A licence's usage in [start, end), exactly: whole hours from `usage_hourly`, the partial
 * hours at either end from `usage_events`.
 */
export async function licenseUsage(db: Queryable, licenseId: string, start: Date, end: Date): Promise<UsageTotals> {
  const reading = periodReading(start, end);
  const totals = zero();
  if (reading.hours.from < reading.hours.to) {
    addRows(
      totals,
      await db.query(`SELECT unit, sum(quantity)::text AS quantity FROM usage_hourly WHERE license_id = $1 AND hour >= $2 AND hour < $3 GROUP BY unit`, [
        licenseId,
        reading.hours.from.toISOString(),
        reading.hours.to.toISOString(),
      ]),
    );
  }
  for (const edge of reading.edges) {
    addRows(
      totals,
      await db.query(`SELECT unit, sum(quantity)::text AS quantity FROM usage_events WHERE license_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY unit`, [
        licenseId,
        edge.start.toISOString(),
        edge.end.toISOString(),
      ]),
    );
  }
  return totals;
}

export interface DailyUsage {
  day: string;
  api_call: number;
  row: number;
  byte: number;
}

/**
 * Usage per day (in `timeZone`) between `from` and `to` (dates, inclusive), zero-filled, for one
 * licence or for a product (optionally one consumer's deliveries of it).
 */
export async function dailyUsage(
  db: Queryable,
  scope: { licenseId: string } | { productId: string },
  range: { from: string; to: string; timeZone: string },
): Promise<DailyUsage[]> {
  const [column, id] = 'licenseId' in scope ? ['license_id', scope.licenseId] : ['product_id', scope.productId];
  const rows = (await db.query(
    `WITH days AS (SELECT generate_series($2::date, $3::date, interval '1 day')::date AS day),
          usage AS (
            SELECT (hour AT TIME ZONE $4)::date AS day, unit, sum(quantity) AS quantity
              FROM usage_hourly
             WHERE ${column} = $1 AND hour >= ($2::date::timestamp AT TIME ZONE $4) AND hour < (($3::date + 1)::timestamp AT TIME ZONE $4)
             GROUP BY 1, 2)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
            coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'api_call'), 0)::text AS api_call,
            coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'row'), 0)::text AS row,
            coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'byte'), 0)::text AS byte
       FROM days d LEFT JOIN usage u ON u.day = d.day
      GROUP BY d.day ORDER BY d.day`,
    [id, range.from, range.to, range.timeZone],
  )) as Array<{ day: string; api_call: string; row: string; byte: string }>;
  return rows.map((row) => ({ day: row.day, api_call: Number(row.api_call), row: Number(row.row), byte: Number(row.byte) }));
}
