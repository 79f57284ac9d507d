import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';

/** Re-queues undelivered outbox messages; job ids deduplicate against deliveries already queued. */
@Injectable()
@HandlesJob('notifications.sweep-outbox')
export class SweepOutboxHandler implements JobHandler<'notifications.sweep-outbox'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'notifications.sweep-outbox'>): Promise<{ requeued: number }> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM outbox_messages WHERE delivered_at IS NULL AND failed_at IS NULL AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 1000`,
      [job.data.olderThanSeconds],
    );
    if (rows.length === 0) return { requeued: 0 };
    await this.producer.enqueueAll(rows.map((row) => ({ name: 'notifications.deliver' as const, data: { outboxMessageId: row.id } })));
    return { requeued: rows.length };
  }
}
