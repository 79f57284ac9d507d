import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { closeBillingPeriods, type BillingCloseResult } from '@civic/db';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/**
 * The billing close: every ended billing period gets its usage rated and, when anything is
 * owed, exactly one usage invoice (see closeBillingPeriods). Running it twice, late or at
 * the same time as another worker changes nothing more.
 */
@Injectable()
@HandlesJob('billing.close')
export class BillingCloseHandler implements JobHandler<'billing.close'> {
  private readonly logger = new Logger(BillingCloseHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
  ) {}

  async handle(_job: JobContext<'billing.close'>, now = new Date()): Promise<BillingCloseResult> {
    const result = await closeBillingPeriods(this.dataSource, { now, dueDays: this.config.INVOICE_DUE_DAYS });
    if (result.periods) this.logger.log(result, 'billing periods closed');
    return result;
  }
}

export const BILLING_HANDLERS = [BillingCloseHandler];
