import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { JOB_QUEUE, jobOptions, queuePrefix } from '@civic/jobs';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/** Queues ingestions still waiting after a while (their job was never queued); job ids deduplicate. */
@Injectable()
@HandlesJob('catalog.sweep-ingestions')
export class SweepIngestionsHandler implements JobHandler<'catalog.sweep-ingestions'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
  ) {}

  async handle(job: JobContext<'catalog.sweep-ingestions'>): Promise<{ requeued: number }> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ingestions WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 500`,
      [job.data.olderThanSeconds],
    );
    if (rows.length === 0) return { requeued: 0 };
    const queue = new Queue(JOB_QUEUE['catalog.ingest'], { connection: { url: this.config.REDIS_URL }, prefix: queuePrefix(this.config.QUEUE_PREFIX) });
    try {
      await queue.addBulk(
        rows.map((row) => {
          const ingest = { name: 'catalog.ingest' as const, data: { ingestionId: row.id } };
          return { name: ingest.name, data: ingest.data, opts: jobOptions(ingest) };
        }),
      );
    } finally {
      await queue.close();
    }
    return { requeued: rows.length };
  }
}
