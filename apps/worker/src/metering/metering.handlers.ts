import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ensureUsagePartitions, pruneUsageKeys } from '@civic/db';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/** Keys are kept this long: past the 35 days a late event is accepted, plus a margin (see the metering migration). */
export const USAGE_KEY_RETENTION_MS = 40 * 24 * 3_600_000;

/**
 * Usage tables' housekeeping. Idempotent: partitions are created only where missing, and a
 * second prune finds nothing more to remove.
 */
@Injectable()
@HandlesJob('metering.maintain')
export class MeteringMaintenanceHandler implements JobHandler<'metering.maintain'> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(_job: JobContext<'metering.maintain'>, now = new Date()): Promise<{ prunedKeys: number }> {
    await ensureUsagePartitions(this.dataSource, now);
    return { prunedKeys: await pruneUsageKeys(this.dataSource, new Date(now.getTime() - USAGE_KEY_RETENTION_MS)) };
  }
}

export const METERING_HANDLERS = [MeteringMaintenanceHandler];
