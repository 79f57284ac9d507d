import { JOB_NAMES, JOB_QUEUE, jobOptions, QUEUES, SCHEDULES } from './jobs.js';

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

  it('schedules only known jobs', () => {
    for (const schedule of SCHEDULES) expect(JOB_NAMES).toContain(schedule.job.name);
  });
});
