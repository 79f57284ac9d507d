import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { WorkerConfig } from '@civic/config';
import { JOB_QUEUE, jobOptions, QUEUES, queuePrefix, SCHEDULES, type JobName } from '@civic/jobs';
import { Queue, Worker, type Job } from 'bullmq';
import { buildHandlerRegistry } from './handler-registry.js';
import { JOB_HANDLER_METADATA, type JobHandler } from './job-handler.js';

/**
 * Runs one BullMQ Worker per queue and dispatches each job to its registered handler.
 * On shutdown it stops taking jobs and waits for the running ones to finish.
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly workers: Worker[] = [];
  private readonly queues: Queue[] = [];
  private registry = new Map<JobName, JobHandler<JobName>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly config: WorkerConfig,
  ) {}

  /** Validates the handler registry; throws before any job is taken. */
  discoverHandlers(): Map<JobName, JobHandler<JobName>> {
    const found = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .flatMap((wrapper) => {
        const name = this.reflector.get<string | undefined>(JOB_HANDLER_METADATA, wrapper.metatype as object as () => void);
        return name ? [{ name, handler: wrapper.instance as JobHandler<JobName>, owner: wrapper.name }] : [];
      });
    this.registry = buildHandlerRegistry(found);
    return this.registry;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    const connection = { url: this.config.REDIS_URL, maxRetriesPerRequest: null };
    const prefix = queuePrefix(this.config.QUEUE_PREFIX);
    for (const queueName of Object.values(QUEUES)) {
      // Ingestion and derivation are CPU- and memory-heavy (DuckDB): they get their own, smaller concurrency.
      const concurrency =
        queueName === QUEUES.catalog
          ? this.config.INGEST_CONCURRENCY
          : queueName === QUEUES.derive
            ? this.config.DERIVE_CONCURRENCY
            : this.config.WORKER_CONCURRENCY;
      const worker = new Worker(queueName, (job: Job) => this.dispatch(job), { connection, prefix, concurrency });
      worker.on('failed', (job, error) => this.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: error }, 'job failed'));
      worker.on('error', (error) => this.logger.error({ err: error, queue: queueName }, 'worker error'));
      this.workers.push(worker);
      const queue = new Queue(queueName, { connection, prefix });
      this.queues.push(queue);
    }
    for (const schedule of SCHEDULES) {
      const queue = this.queues.find((candidate) => candidate.name === JOB_QUEUE[schedule.job.name])!;
      const { jobId: _jobId, ...options } = jobOptions(schedule.job);
      await queue.upsertJobScheduler(schedule.id, { every: schedule.everyMs }, { name: schedule.job.name, data: schedule.job.data, opts: options });
    }
    this.logger.log({ queues: Object.values(QUEUES), handlers: [...this.registry.keys()] }, 'worker ready');
  }

  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.registry.get(job.name as JobName);
    // Unknown names cannot come from our producers; fail loudly rather than drop silently.
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    return handler.handle({
      id: String(job.id),
      name: job.name as JobName,
      data: job.data,
      attemptsMade: job.attemptsMade,
      updateProgress: (progress: number) => job.updateProgress(progress),
    });
  }

  /**
   * Stops taking jobs and waits for the running ones, for at most WORKER_SHUTDOWN_GRACE_SECONDS.
   * Past that it lets go of them: their locks lapse and BullMQ redelivers them (every job is
   * idempotent), so a slow job never turns a clean stop into a SIGKILL from the supervisor.
   */
  async onApplicationShutdown(): Promise<void> {
    const graceMs = this.config.WORKER_SHUTDOWN_GRACE_SECONDS * 1000;
    let timer: NodeJS.Timeout | undefined;
    // Pausing stops taking jobs and resolves once the running ones end. (Not close(): BullMQ's
    // close cannot be turned into a forced one once it has started waiting.)
    const drained = Promise.all(this.workers.map((worker) => worker.pause())).then(() => true);
    const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const inTime = await Promise.race([drained, expired]);
    clearTimeout(timer);
    if (!inTime) {
      this.logger.warn({ graceSeconds: this.config.WORKER_SHUTDOWN_GRACE_SECONDS }, 'jobs still running after the grace period: letting go of them');
    }
    await Promise.all(this.workers.map((worker) => worker.close(!inTime)));
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
