import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditVerification, verifyAuditChain, type ChainVerification } from '@civic/db';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/** Re-verifies the whole audit chain and records the outcome once per job. */
@Injectable()
@HandlesJob('audit.verify-chain')
export class VerifyChainHandler implements JobHandler<'audit.verify-chain'> {
  private readonly logger = new Logger(VerifyChainHandler.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(job: JobContext<'audit.verify-chain'>): Promise<ChainVerification> {
    const result = await verifyAuditChain(this.dataSource.manager);
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(AuditVerification)
      .values({
        trigger: job.data.trigger,
        ok: result.ok,
        checked: result.checked,
        headSeq: result.headSeq,
        firstTamperedSeq: result.firstTampered?.seq ?? null,
        reason: result.firstTampered?.reason ?? null,
        jobId: job.id,
      })
      .orIgnore()
      .execute();
    if (!result.ok) this.logger.error({ firstTampered: result.firstTampered }, 'AUDIT CHAIN TAMPERED');
    return result;
  }
}
