import type { DataSource } from 'typeorm';
import { CatalogIndex, type IndexedDataset } from './catalog-index.js';
import { parseSearchDocument } from './search-document-terms.js';

export interface CatalogIndexSyncOptions {
  /** How often other replicas' (and the worker's) changes are looked for. */
  pollMs: number;
  /** How often download counts are refreshed and the whole index checked against the database. */
  sweepMs: number;
  /** How far back before the previous poll a change is looked for (transaction length plus clock skew between hosts). */
  overlapMs: number;
  /** Rows per query while building (each batch is indexed in one go, holding up requests meanwhile). */
  batchSize: number;
}

export const DEFAULT_SYNC_OPTIONS: CatalogIndexSyncOptions = { pollMs: 2_000, sweepMs: 30_000, overlapMs: 10_000, batchSize: 2_000 };

export interface SyncLogger {
  log(message: string): void;
  warn(message: string): void;
}

interface DatasetRow {
  id: string;
  status: string;
  theme: string;
  organization_id: string;
  classification: string;
  source_format: string | null;
  update_frequency: string;
  published_at: Date | null;
  download_count: number;
  title_en: string;
  updated_at: Date;
  document: string;
}

const DATASET_COLUMNS = `id, status, theme, organization_id::text AS organization_id, classification, source_format, update_frequency,
  published_at, download_count::float8 AS download_count, title_en, updated_at, search_document::text AS document`;

function toIndexed(row: DatasetRow): IndexedDataset {
  return {
    id: row.id,
    terms: parseSearchDocument(row.document),
    facets: {
      theme: row.theme,
      agency: row.organization_id,
      classification: row.classification,
      format: row.source_format,
      updateFrequency: row.update_frequency,
    },
    publishedAt: row.published_at?.getTime() ?? null,
    downloadCount: row.download_count,
    titleEn: row.title_en,
    updatedAt: row.updated_at.getTime(),
  };
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Keeps a `CatalogIndex` in step with PostgreSQL, the source of truth. The index is built in
 * the background from every published dataset; until then `index` is null. Afterwards:
 * - every `pollMs`, the rows whose `updated_at` is later than the previous poll (less
 *   `overlapMs`, for transactions still open then and clocks behind) are listed: those no longer
 *   published are dropped, those in a state not yet indexed are read whole and re-indexed.
 *   Every change of a dataset's status, metadata, columns or version sets `updated_at`;
 * - `refreshNow()` (this replica changed the catalog) queues a poll at once, and `fresh()` lets a
 *   search wait for it, so a replica's own changes show in its next search;
 * - every `sweepMs`, the ids, download counts and `updated_at` of all published datasets are read:
 *   counts are updated (downloads do not set `updated_at`), anything the polls missed is
 *   re-read and datasets no longer published are dropped.
 * All database work runs one task at a time, so a sweep never races a poll.
 */
export class CatalogIndexSync {
  private current: CatalogIndex | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queuedPoll: Promise<void> | null = null;
  private queuedSweep: Promise<void> | null = null;
  private pendingLocal: Promise<void> | null = null;
  /** Rows changed after this instant (database clock, ms) are read by the next poll. */
  private since = 0;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private buildAttempts = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: SyncLogger,
    private readonly options: CatalogIndexSyncOptions = DEFAULT_SYNC_OPTIONS,
  ) {}

  /** The index, once built (null before: searches go to PostgreSQL). */
  get index(): CatalogIndex | null {
    return this.current;
  }

  /** Builds the index in the background, then keeps it fresh on timers; resolves when the first build attempt ends. */
  start(): Promise<CatalogIndex | null> {
    const firstBuild = this.scheduleBuild();
    const every = (ms: number, task: () => void) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.pollMs, () => {
      if (this.current) void this.poll();
    });
    every(this.options.sweepMs, () => {
      if (this.current) void this.sweep();
    });
    return firstBuild;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.queue;
  }

  /** This replica changed the catalog: read the changes now, and make the next search wait for them. */
  refreshNow(): void {
    if (this.stopped) return;
    const local = this.poll();
    this.pendingLocal = local;
    void local.then(() => {
      if (this.pendingLocal === local) this.pendingLocal = null;
    });
  }

  /** Resolves once this replica's own changes (see `refreshNow`) are in the index. */
  async fresh(): Promise<void> {
    if (this.pendingLocal) await this.pendingLocal;
  }

  /** Builds a new index from every published dataset and switches to it; resolves with it (null when it failed). */
  build(): Promise<CatalogIndex | null> {
    let built: CatalogIndex | null = null;
    return this.run('build', async () => {
      const started = performance.now();
      const [{ now }] = (await this.dataSource.query('SELECT now() AS now')) as Array<{ now: Date }>;
      const index = new CatalogIndex();
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        if (this.stopped) return;
        const rows = (await this.dataSource.query(`SELECT ${DATASET_COLUMNS} FROM datasets WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2`, [
          after,
          this.options.batchSize,
        ])) as DatasetRow[];
        for (const row of rows) index.load(toIndexed(row));
        if (rows.length < this.options.batchSize) break;
        after = rows[rows.length - 1].id;
      }
      index.finishLoading();
      this.since = now.getTime() - this.options.overlapMs;
      // Changes made while building are read before the index answers anything.
      await this.readChanges(index);
      this.current = index;
      built = index;
      this.logger.log(
        `catalog search index ready: ${index.size} datasets, ${index.termCount} terms, built in ${Math.round(performance.now() - started)} ms`,
      );
    }).then(() => built);
  }

  /** Reads the datasets changed since the previous poll; resolves when they are applied. */
  poll(): Promise<void> {
    // One queued poll serves every caller that asks before it starts.
    if (this.queuedPoll) return this.queuedPoll;
    const queued = this.run('poll', async () => {
      this.queuedPoll = null;
      if (this.current) await this.readChanges(this.current);
    });
    this.queuedPoll = queued;
    return queued;
  }

  /** Refreshes download counts and reconciles the index with every published dataset. */
  sweep(): Promise<void> {
    if (this.queuedSweep) return this.queuedSweep;
    const queued = this.run('sweep', async () => {
      this.queuedSweep = null;
      const index = this.current;
      if (!index) return;
      const rows = (await this.dataSource.query(
        `SELECT id, download_count::float8 AS download_count, updated_at FROM datasets WHERE status = 'published'`,
      )) as Array<{ id: string; download_count: number; updated_at: Date }>;
      index.setDownloadCounts(rows.map((row) => [row.id, row.download_count] as const));
      const published = new Set<string>();
      const stale: string[] = [];
      for (const row of rows) {
        published.add(row.id);
        if (index.versionOf(row.id) !== row.updated_at.getTime()) stale.push(row.id);
      }
      const gone = [...index.datasetIds()].filter((id) => !published.has(id));
      for (const id of gone) index.remove(id);
      await this.reread(index, stale);
      if (gone.length + stale.length > 0) this.logger.log(`catalog search index sweep: ${stale.length} re-read, ${gone.length} dropped`);
    });
    this.queuedSweep = queued;
    return queued;
  }

  /** Applies the rows changed since the previous poll: drops those no longer published, re-reads the others whose state is new. */
  private async readChanges(index: CatalogIndex): Promise<void> {
    const [{ now }] = (await this.dataSource.query('SELECT now() AS now')) as Array<{ now: Date }>;
    const rows = (await this.dataSource.query('SELECT id, status, updated_at FROM datasets WHERE updated_at > $1', [new Date(this.since)])) as Array<{
      id: string;
      status: string;
      updated_at: Date;
    }>;
    const changed: string[] = [];
    for (const row of rows) {
      if (row.status !== 'published') index.remove(row.id);
      else if (index.versionOf(row.id) !== row.updated_at.getTime()) changed.push(row.id);
    }
    await this.reread(index, changed);
    this.since = now.getTime() - this.options.overlapMs;
  }

  /** Reads these datasets whole and indexes the published ones (dropping the others). */
  private async reread(index: CatalogIndex, ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += this.options.batchSize) {
      const batch = ids.slice(start, start + this.options.batchSize);
      const rows = (await this.dataSource.query(`SELECT ${DATASET_COLUMNS} FROM datasets WHERE id = ANY($1::uuid[])`, [batch])) as DatasetRow[];
      const published: IndexedDataset[] = [];
      for (const row of rows) {
        if (row.status === 'published') published.push(toIndexed(row));
        else index.remove(row.id);
      }
      index.upsertMany(published);
    }
  }

  private scheduleBuild(): Promise<CatalogIndex | null> {
    return this.build().then((index) => {
      if (index || this.stopped) return index;
      this.buildAttempts += 1;
      const delay = Math.min(60_000, 1_000 * 2 ** this.buildAttempts);
      this.logger.warn(`catalog search index not built; searches use PostgreSQL, retrying in ${delay / 1000} s`);
      this.retryTimer = setTimeout(() => void this.scheduleBuild(), delay);
      this.retryTimer.unref();
      return null;
    });
  }

  /** Runs database work one task at a time; a failure is logged and leaves the index as it was. */
  private run(label: string, task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (error) {
        this.logger.warn(`catalog search index ${label} failed: ${errorMessage(error)}`);
      }
    });
    this.queue = next;
    return next;
  }
}
