import { deriveFlow, DERIVE_STAGE_JOBS, JOB_NAMES, JOB_QUEUE, jobOptions, MAX_JOB_PRIORITY, QUEUES, SCHEDULES } from './jobs.js';
import type { FlowJob } from 'bullmq';

describe('job contracts', () => {
  it('routes every job to a declared queue', () => {
    const queues = new Set<string>(Object.values(QUEUES));
    for (const name of JOB_NAMES) expect(queues.has(JOB_QUEUE[name])).toBe(true);
  });

  it('deduplicates deliveries by outbox message id', () => {
    const a = jobOptions({ name: 'notifications.deliver', data: { outboxMessageId: 'abc' } });
    const b = jobOptions({ name: 'notifications.deliver', data: { outboxMessageId: 'abc' } });
    expect(a.jobId).toBe('outbox-abc');
    expect(b.jobId).toBe(a.jobId);
  });

  it('collects an invoice through Stripe under one job id per invoice, on the billing queue', () => {
    const job = { name: 'billing.collect' as const, data: { invoiceId: '6f1c2f0e-0000-4000-8000-000000000001' } };
    expect(JOB_QUEUE[job.name]).toBe(QUEUES.billing);
    expect(jobOptions(job).jobId).toBe('billing-collect-6f1c2f0e-0000-4000-8000-000000000001');
    expect(jobOptions(job).attempts).toBeGreaterThan(1);
  });

  it('syncs offers and products with Stripe on the payments queue, each change its own job (no deduplicating id)', () => {
    const offer = { name: 'payments.sync-offer' as const, data: { offerId: '6f1c2f0e-0000-4000-8000-000000000002' } };
    const product = { name: 'payments.sync-product' as const, data: { productId: '6f1c2f0e-0000-4000-8000-000000000003' } };
    for (const job of [offer, product]) {
      expect(JOB_QUEUE[job.name]).toBe(QUEUES.payments);
      expect(jobOptions(job).jobId).toBeUndefined();
      expect(jobOptions(job).attempts).toBeGreaterThan(1);
    }
  });

  it('schedules only known jobs', () => {
    for (const schedule of SCHEDULES) expect(JOB_NAMES).toContain(schedule.job.name);
  });

  it('chains the derive stages so that validate runs first and publish last', () => {
    const order: string[] = [];
    let node: FlowJob | undefined = deriveFlow('run-1', { priority: 3 });
    while (node) {
      order.unshift(node.name);
      // Only the first stage waits its turn; a run that has begun continues first.
      expect(node.opts?.priority).toBe(node.name === 'derive.validate' ? 3 : undefined);
      expect(node.data).toEqual({ runId: 'run-1' });
      expect(node.opts?.jobId).toBe(`${node.name}-run-1`);
      expect(node.opts?.failParentOnFailure).toBe(true);
      node = node.children?.[0];
    }
    expect(order).toEqual([...DERIVE_STAGE_JOBS]);
  });

  it('gives no stage a priority when the run has begun, and refuses priorities BullMQ would refuse', () => {
    for (let node: FlowJob | undefined = deriveFlow('run-1', { priority: 0 }); node; node = node.children?.[0]) expect(node.opts?.priority).toBeUndefined();
    expect(deriveFlow('run-1', { priority: MAX_JOB_PRIORITY }).children).toHaveLength(1);
    for (const priority of [-1, 1.5, MAX_JOB_PRIORITY + 1, Number.NaN]) expect(() => deriveFlow('run-1', { priority })).toThrow(RangeError);
  });
});
