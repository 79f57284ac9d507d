import { AuditVerification, createDataSource, OutboxMessage } from '@civic/db';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DeliverHandler } from '../notifications/deliver.handler.js';
import { VerifyChainHandler } from './verify-chain.handler.js';

const context = <Data>(id: string, data: Data) => ({ id, data, attemptsMade: 0, updateProgress: async () => undefined });

describe('job handlers are idempotent', () => {
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

  it('delivers an outbox message once even when the job runs twice', async () => {
    const message = await dataSource.manager.save(
      dataSource.manager.create(OutboxMessage, { kind: 'test', reference: `ref-${Date.now()}`, recipient: 'a@example.test', subject: 'hello', body: { n: 1 } }),
    );
    const handler = new DeliverHandler(dataSource);
    const job = { ...context('job-deliver-1', { outboxMessageId: message.id }), name: 'notifications.deliver' as const };
    const results = await Promise.all([handler.handle(job), handler.handle(job)]);
    expect(results.map((result) => result.delivered).sort()).toEqual([false, true]);
    expect((await dataSource.manager.findOneByOrFail(OutboxMessage, { id: message.id })).deliveredAt).not.toBeNull();
  });
});
