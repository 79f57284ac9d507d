import { checkUsageEvent, periodReading, USAGE_UNITS, type UsageEvent, type UsageRejection, type UsageUnit } from '@civic/domain';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { encodeUsageEvents, HourlyTotals, keyFilter, mayBeIn, setKeyBits, USAGE_COPY_COLUMNS, type HourlyBucket } from './usage-copy.js';
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

/** Batches at least this large, given a DataSource, take the bulk path (binary COPY, see recordByCopy) instead of one statement with array parameters. */
const COPY_THRESHOLD = 2_000;

/**
 * Records usage events exactly once: each event's key (as the md5 of the key) is inserted into
 * `usage_event_keys` (its primary key decides first-seen), only first-seen events go into
 * `usage_events`, and their quantities are added to `usage_hourly` — all or nothing, in one
 * transaction (the caller's or its own): one statement for a small batch, a few for a large one
 * (recordByCopy). Running it again with the same events changes nothing, so a retry after a
 * lost commit acknowledgement, a redelivered job or a replayed batch is safe. Rows are locked
 * in a fixed order (keys sorted, buckets sorted) so that concurrent batches over the same
 * buckets wait for each other instead of deadlocking; a deadlock or serialization failure that
 * still happens is retried here.
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

/**
 * Large batches. A batch first announces a Bloom filter of its keys in `usage_batches_in_flight`
 * (committed at once) and reads the filters of the batches in flight; then, in one transaction:
 * 1. its keys, each once (a key twice in the batch counts its first event), go into
 *    `usage_event_keys` (as md5, sorted, `ON CONFLICT DO NOTHING`), the statement answering
 *    which keys were known already;
 * 2. only first-seen events go into `usage_events`, by one binary `COPY` (ordered by bucket, so
 *    by licence: the licence index takes its entries in runs);
 * 3. their hourly totals, added up here, go into `usage_hourly` by one set-based upsert (each
 *    column one comma-separated parameter), which also removes the announcement.
 * Steps 1–2 run first for the keys no other batch in flight may hold, then for the others, so a
 * batch sharing keys with one in flight does its own work first and waits for the other one's
 * commit (the primary key makes it wait, then answers the key as known) only at the end.
 */
const KEYS_SQL = `
  WITH input AS (
    SELECT md5(key)::uuid AS key_hash, n
      FROM string_to_table($1::text, E'\\n') WITH ORDINALITY AS t(key, n)
  ), fresh AS (
    INSERT INTO usage_event_keys (key_hash, recorded_at)
    SELECT key_hash, $2::timestamptz FROM input ORDER BY key_hash
    ON CONFLICT (key_hash) DO NOTHING
    RETURNING key_hash
  )
  SELECT string_agg(i.n::text, ',') AS seen
    FROM input i
   WHERE NOT EXISTS (SELECT FROM fresh f WHERE f.key_hash = i.key_hash)`;

const ROLLUP_SQL = `
  WITH announcement AS (
    DELETE FROM usage_batches_in_flight WHERE id = $9
  )
  INSERT INTO usage_hourly AS h (hour, product_id, license_id, consumer_organization_id, channel, unit, quantity, events)
  SELECT to_timestamp(hour), product_id, license_id, consumer_organization_id, channel, unit, sum(quantity), sum(events)
    FROM unnest(string_to_array($1, ',')::bigint[], string_to_array($2, ',')::uuid[], string_to_array($3, ',', 'null')::uuid[], string_to_array($4, ',', 'null')::uuid[],
                string_to_array($5, ','), string_to_array($6, ','), string_to_array($7, ',')::bigint[], string_to_array($8, ',')::bigint[])
      AS b(hour, product_id, license_id, consumer_organization_id, channel, unit, quantity, events)
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 2, 3, 4, 5, 6, 1
  ON CONFLICT ON CONSTRAINT usage_hourly_bucket
  DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, events = h.events + EXCLUDED.events, updated_at = now()`;

/**
 * Buckets as the eight parameters of ROLLUP_SQL, each one comma-separated column: hour (Unix
 * seconds), product, licence and consumer (`null` for null), channel, unit, quantity, events.
 */
function bucketColumns(buckets: readonly HourlyBucket[]): string[] {
  const columns: string[][] = [[], [], [], [], [], [], [], []];
  for (const bucket of buckets) {
    columns[0]!.push(String(bucket.hour / 1000));
    columns[1]!.push(bucket.productId);
    columns[2]!.push(bucket.licenseId ?? 'null');
    columns[3]!.push(bucket.consumerOrganizationId ?? 'null');
    columns[4]!.push(bucket.channel);
    columns[5]!.push(bucket.unit);
    columns[6]!.push(String(bucket.quantity));
    columns[7]!.push(String(bucket.events));
  }
  return columns.map((column) => column.join(','));
}

/** Announces a batch's key filter and answers the others'. The table is unlogged: a filter is a hint, lost in a crash without harm. */
const ANNOUNCE_SQL = `
  WITH stale AS (
    DELETE FROM usage_batches_in_flight WHERE started_at < now() - interval '10 minutes'
  ), mine AS (
    INSERT INTO usage_batches_in_flight (key_filter) VALUES ($1) RETURNING id
  )
  SELECT id, NULL::bytea AS key_filter FROM mine
  UNION ALL
  SELECT NULL, key_filter FROM usage_batches_in_flight WHERE started_at >= now() - interval '10 minutes'`;

/** Steps 1 and 2 for a group of events; answers the first-seen ones, by bucket. Keys never contain a newline (printable ASCII). */
async function claimAndCopy(client: pg.PoolClient, group: UsageEvent[], receivedAt: Date): Promise<HourlyTotals | null> {
  if (group.length === 0) return null;
  // A key twice in the batch counts once, its first time; the statement claims each key once.
  const distinct: UsageEvent[] = [];
  const keys = new Set<string>();
  for (const event of group) {
    if (keys.has(event.key)) continue;
    keys.add(event.key);
    distinct.push(event);
  }
  const { rows } = await client.query<{ seen: string | null }>(KEYS_SQL, [[...keys].join('\n'), receivedAt.toISOString()]);
  let fresh = distinct;
  if (rows[0]?.seen) {
    const seen = new Uint8Array(distinct.length);
    for (const n of rows[0].seen.split(',')) seen[Number(n) - 1] = 1;
    fresh = distinct.filter((_, index) => seen[index] === 0);
  }
  const totals = new HourlyTotals(fresh);
  await pipeline(Readable.from([encodeUsageEvents(totals, receivedAt)]), client.query(copyFrom(`COPY usage_events (${USAGE_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`)));
  return totals;
}

async function recordByCopy(dataSource: DataSource, events: UsageEvent[], receivedAt: Date): Promise<number> {
  const bits = new Uint32Array(events.length * 2);
  events.forEach((event, index) => setKeyBits(bits, index, event.key));
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as pg.PoolClient;
  let announced: string | null = null;
  let open = false;
  try {
    const { rows } = await client.query<{ id: string | null; key_filter: Buffer | null }>(ANNOUNCE_SQL, [keyFilter(bits)]);
    announced = rows.find((row) => row.id !== null)?.id ?? null;
    const others = rows.flatMap((row) => (row.key_filter ? [row.key_filter] : []));
    // The same key twice in a batch has the same bits, so both occurrences go in the same group.
    const first: UsageEvent[] = [];
    const last: UsageEvent[] = [];
    events.forEach((event, index) => (others.length > 0 && mayBeIn(others, bits, index) ? last : first).push(event));
    await client.query('BEGIN');
    open = true;
    const counted = [await claimAndCopy(client, first, receivedAt), await claimAndCopy(client, last, receivedAt)].flatMap((totals) => (totals ? [totals] : []));
    await client.query(ROLLUP_SQL, [...bucketColumns(counted.flatMap((totals) => totals.buckets)), announced]);
    await client.query('COMMIT');
    open = false;
    announced = null;
    return counted.reduce((sum, totals) => sum + totals.count, 0);
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    if (announced !== null) await client.query(`DELETE FROM usage_batches_in_flight WHERE id = $1`, [announced]).catch(() => undefined);
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

/** `occurred_at`'s UTC hour, as the licence index of `usage_events` keys it. */
const hourOf = (time: string) => `date_bin('1 hour', ${time}, timestamptz '2000-01-01 00:00:00+00')`;

/**
 * The condition for a licence's events in [start, end) (SQL expressions, such as parameters):
 * the hours they fall in, which the licence index of `usage_events` finds, then the exact bounds.
 */
export function licenseEventsWhere(licenseColumn: string, occurredColumn: string, license: string, start: string, end: string): string {
  // The last hour is the one of the last microsecond before the (exclusive) end.
  return `${licenseColumn} = ${license} AND ${hourOf(occurredColumn)} BETWEEN ${hourOf(`${start}::timestamptz`)} AND ${hourOf(`${end}::timestamptz - interval '1 microsecond'`)} AND ${occurredColumn} >= ${start} AND ${occurredColumn} < ${end}`;
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
      await db.query(`SELECT unit, sum(quantity)::text AS quantity FROM usage_events WHERE ${licenseEventsWhere('license_id', 'occurred_at', '$1', '$2', '$3')} GROUP BY unit`, [
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
