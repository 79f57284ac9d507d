import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The parts of node-postgres used here (the driver TypeORM loaded). */
interface Notification {
  payload?: string;
}
interface PgClient {
  on(event: 'notification', listener: (message: Notification) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
interface PgPool {
  on(event: 'connect', listener: (client: PgClient) => void): unknown;
}
interface PgModule {
  Client: new (options: { connectionString?: string; application_name?: string }) => PgClient;
}

/** Tables whose changes PostgreSQL announces on `civic_changes` (migration ChangeNotifications). */
export type ChangeTopic = 'api_keys' | 'organizations' | 'licenses' | 'products';

const CHANNEL = 'civic_changes';
const TOPICS: readonly ChangeTopic[] = ['api_keys', 'organizations', 'licenses', 'products'];
const RECONNECT_MS = 1_000;

/**
 * A cache of rows read from PostgreSQL that forgets them when their table changes. It serves
 * entries only while the change feed is live; an entry read while a change was being announced
 * is not kept (each change bumps the generation, and a load keeps its result only if the
 * generation it started under is still current).
 */
export class ChangeCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly maxEntries: number,
  ) {}

  /** The entry, or undefined (missing, or the feed is not live). */
  get(key: string): V | undefined {
    return this.feed.live ? this.entries.get(key) : undefined;
  }

  /** The entry, else `load()`'s answer, kept unless a change was announced meanwhile. */
  async read(key: string, load: () => Promise<V>): Promise<V> {
    const known = this.get(key);
    if (known !== undefined) return known;
    const generation = this.generation;
    const value = await load();
    if (this.feed.live && generation === this.generation && value !== undefined) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Replaces an entry that is still current (e.g. bookkeeping the holder did itself). */
  update(key: string, value: V): void {
    if (this.entries.has(key)) this.entries.set(key, value);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

/**
 * Announced changes of the tables the hot paths cache (API keys, organizations, licences,
 * products), from PostgreSQL's `NOTIFY civic_changes` sent by triggers in the writing
 * transaction, whoever wrote:
 * - every connection of this process's pool listens, so a change this process commits is
 *   applied to its caches before the commit returns (PostgreSQL delivers a session's own
 *   notifications before its COMMIT completes): an answer that follows a write here (a key
 *   revoked, a licence bought) never sees the old rows;
 * - a dedicated connection listens for the other processes' changes (API replicas, the
 *   worker): they are applied when the notification arrives, milliseconds after the commit.
 * While the dedicated connection is down, notifications could be missed: caches are emptied
 * and serve nothing until it listens again.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly caches = new Map<ChangeTopic, Array<ChangeCache<unknown>>>(TOPICS.map((topic) => [topic, []]));
  private listener: PgClient | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  /** True while the dedicated connection listens: caches may serve. */
  live = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A cache dropped whenever one of `topics` changes. */
  cache<V>(topics: readonly ChangeTopic[], maxEntries: number): ChangeCache<V> {
    const cache = new ChangeCache<V>(this, maxEntries);
    for (const topic of topics) this.caches.get(topic)!.push(cache as ChangeCache<unknown>);
    return cache;
  }

  /** Applies a change of `topic` to this process's caches now. */
  changed(topic: string): void {
    for (const cache of this.caches.get(topic as ChangeTopic) ?? []) cache.clear();
  }

  private clearAll(): void {
    for (const topic of TOPICS) this.changed(topic);
  }

  async onModuleInit(): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
    if (pool) {
      const listen = (client: PgClient) => {
        client.on('notification', (message) => this.changed(message.payload ?? ''));
        return client.query(`LISTEN ${CHANNEL}`).catch(() => undefined);
      };
      // A new connection listens before the pool hands it out (pg-pool's onConnect hook), so its first query never overlaps the LISTEN.
      const options = (pool as unknown as { options: { onConnect?: (client: PgClient) => Promise<unknown> } }).options;
      const before = options.onConnect;
      options.onConnect = async (client) => {
        await before?.(client);
        await listen(client);
      };
      // Connections opened before this (TypeORM's first one) are idle at start-up.
      for (const client of (pool as unknown as { _clients?: PgClient[] })._clients ?? []) void listen(client);
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const options = this.dataSource.options as { url?: string };
    const pg = (this.dataSource.driver as unknown as { postgres: PgModule }).postgres;
    const client = new pg.Client({ connectionString: options.url, application_name: 'civic-changes' });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      this.live = false;
      this.clearAll();
      client.end().catch(() => undefined);
      if (!this.closed) this.retry ??= setTimeout(() => ((this.retry = null), void this.connect()), RECONNECT_MS);
    };
    client.on('notification', (message) => this.changed(message.payload ?? ''));
    client.on('error', lost);
    client.on('end', lost);
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.listener !== client) return;
      // Whatever changed while nobody listened is unknown: start empty.
      this.clearAll();
      this.live = true;
    } catch (error) {
      this.logger.warn(`change feed not listening (${error instanceof Error ? error.message : String(error)}); caches off until it is`);
      lost();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.live = false;
    if (this.retry) clearTimeout(this.retry);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }
}
