import { WorkerConfig } from '@civic/config';
import { JOB_NAMES, JOB_QUEUE, queuePrefix, type JobName } from '@civic/jobs';
import { Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Queue } from 'bullmq';
import { HandlesJob, type JobContext, type JobHandler } from './job-handler.js';
import { WorkerRunner } from './worker-runner.service.js';

/**
 * The runner against real Redis: every job name gets a handler that returns at once, except a
 * manual metering.maintain, which runs until the test lets it go.
 */
describe('WorkerRunner shutdown', () => {
  // The job let go of is never released: releasing it would let BullMQ's pause reconnect after the test.
  let release: () => void = () => undefined;
  const started: string[] = [];

  function runner(graceSeconds: number, prefixName: string): { runner: WorkerRunner; queue: Queue } {
    const config = Object.assign(new WorkerConfig(), {
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefixName,
      WORKER_SHUTDOWN_GRACE_SECONDS: graceSeconds,
    });
    const providers = JOB_NAMES.map((name) => {
      @HandlesJob(name)
      class Handler implements JobHandler<JobName> {
        async handle(context: JobContext<JobName>): Promise<void> {
          if (context.name !== 'metering.maintain' || (context.data as { trigger: string }).trigger !== 'manual') return;
          started.push(context.id);
          await new Promise<void>((resolve) => (release = resolve));
        }
      }
      return { metatype: Handler, instance: new Handler(), name: `${name} handler` };
    });
    const discovery = { getProviders: () => providers } as unknown as DiscoveryService;
    const queue = new Queue(JOB_QUEUE['metering.maintain'], { connection: { url: config.REDIS_URL }, prefix: queuePrefix(config.QUEUE_PREFIX) });
    return { runner: new WorkerRunner(discovery, new Reflector(), config), queue };
  }

  async function untilStarted(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (started.length < count) {
      if (Date.now() > deadline) throw new Error('the job never started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => (started.length = 0));

  it('waits for a running job that ends within the grace period', async () => {
    const { runner: subject, queue } = runner(10, `test-runner-drain-${process.pid}-${Date.now()}`);
    await subject.onApplicationBootstrap();
    const job = await queue.add('metering.maintain', { trigger: 'manual' });
    await untilStarted(1);
    setTimeout(() => release(), 300);
    const began = Date.now();
    await subject.onApplicationShutdown();
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(await queue.getJobState(job.id!)).toBe('completed');
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('lets go of a job still running when the grace period ends, leaving it to be run again', async () => {
    const { runner: subject, queue } = runner(1, `test-runner-grace-${process.pid}-${Date.now()}`);
    await subject.onApplicationBootstrap();
    const job = await queue.add('metering.maintain', { trigger: 'manual' });
    await untilStarted(1);
    const began = Date.now();
    await subject.onApplicationShutdown();
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
    // Not completed and not failed: still active in Redis until its lock lapses, then redelivered.
    expect(await queue.getJobState(job.id!)).toBe('active');
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
