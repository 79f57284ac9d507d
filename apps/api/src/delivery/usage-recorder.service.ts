import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { recordUsage } from '@civic/db';
import { DomainError, type UsageEvent } from '@civic/domain';
import type { DataSource } from 'typeorm';

/** Events gathered into one statement at most. */
const MAX_BATCH = 1_000;
/** One statement in flight per process; deliveries arriving meanwhile go together in the next (group commit). */
const MAX_IN_FLIGHT = 1;

interface Waiting {
  events: UsageEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of usage events: each delivery waits until its events are durable in PostgreSQL
 * (recorded exactly once by `recordUsage`), and the deliveries arriving meanwhile share one
 * statement. So no response leaves before what it counts is stored, and a burst of requests
 * costs a few round trips instead of one per request.
 */
@Injectable()
export class UsageRecorder implements OnModuleDestroy {
  private queue: Waiting[] = [];
  private queued = 0;
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(events: UsageEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queued += events.length;
      if (this.queued >= MAX_BATCH && this.inFlight.size < MAX_IN_FLIGHT) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        // Let the requests already parsed in this turn of the event loop join the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    // While enough statements are on their way, let the queue grow: it goes in one when one returns.
    if (this.inFlight.size >= MAX_IN_FLIGHT) return;
    const batch = this.queue.splice(0, this.queue.length);
    this.queued = 0;
    if (batch.length === 0) return;
    const write = recordUsage(
      this.dataSource,
      batch.flatMap((entry) => entry.events),
    ).then(
      (result) => {
        const refused = new Map(result.rejected.map((entry) => [entry.key, entry.reason.code]));
        for (const entry of batch) {
          const code = entry.events.map((event) => refused.get(event.key)).find((reason) => reason !== undefined);
          if (code) entry.reject(new DomainError(code, 'A usage event was refused.', { keys: entry.events.map((event) => event.key) }));
          else entry.resolve();
        }
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
    this.inFlight.add(write);
    void write.finally(() => {
      this.inFlight.delete(write);
      if (this.queue.length > 0) this.flush();
    });
  }

  async onModuleDestroy(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      this.flush();
      await Promise.allSettled([...this.inFlight]);
    }
  }
}
