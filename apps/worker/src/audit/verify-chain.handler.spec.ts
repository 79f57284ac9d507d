import { AuditVerification, createDataSource } from '@civic/db';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { VerifyChainHandler } from './verify-chain.handler.js';

const context = <Data>(id: string, data: Data) => ({ id, data, attemptsMade: 0, updateProgress: async () => undefined });

describe('chain verification is idempotent', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  it('records one verification per job however often the job is delivered', async () => {
    const handler = new VerifyChainHandler(dataSource);
    const job = context('job-verify-1', { trigger: 'manual' as const });
    const first = await handler.handle({ ...job, name: 'audit.verify-chain' });
    const second = await handler.handle({ ...job, name: 'audit.verify-chain' });
    expect(first).toEqual(second);
    expect(await dataSource.manager.countBy(AuditVerification, { jobId: 'job-verify-1' })).toBe(1);
  });
});
