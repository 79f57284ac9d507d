import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';

/** Queues ingestions still waiting after a while (their job was never queued); job ids deduplicate. */
@Injectable()
@HandlesJob('catalog.sweep-ingestions')
export class SweepIngestionsHandler implements JobHandler<'catalog.sweep-ingestions'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'catalog.sweep-ingestions'>): Promise<{ requeued: number }> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ingestions WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 500`,
      [job.data.olderThanSeconds],
    );
    if (rows.length === 0) return { requeued: 0 };
    await this.producer.enqueueAll(rows.map((row) => ({ name: 'catalog.ingest' as const, data: { ingestionId: row.id } })));
    return { requeued: rows.length };
  }
}
