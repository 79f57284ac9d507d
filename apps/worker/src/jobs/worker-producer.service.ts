import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { WorkerConfig } from '@civic/config';
import { deriveFlow, JOB_QUEUE, jobOptions, queuePrefix, type AnyJob, type QueueName } from '@civic/jobs';
import { FlowProducer, Queue } from 'bullmq';

/** How the worker itself puts work on queues (follow-up jobs, derive flows), typed like the API's producer. */
@Injectable()
export class WorkerProducer implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private flows: FlowProducer | null = null;

  constructor(private readonly config: WorkerConfig) {}

  private get connection() {
    return { url: this.config.REDIS_URL, maxRetriesPerRequest: null };
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: queuePrefix(this.config.QUEUE_PREFIX) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(job: AnyJob): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, jobOptions(job));
  }

  /** Jobs of one name in one round trip (what sweeps re-queue); their ids deduplicate against jobs already known. */
  async enqueueAll<J extends AnyJob>(jobs: readonly J[]): Promise<void> {
    const [first] = jobs;
    if (!first) return;
    await this.queue(JOB_QUEUE[first.name]).addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: jobOptions(job) })));
  }

  /** Adds the derive flow of one run with its queue priority (`derivationRunPriority`; see deriveFlow). */
  async addDeriveFlow(runId: string, priority: number): Promise<void> {
    this.flows ??= new FlowProducer({ connection: this.connection, prefix: queuePrefix(this.config.QUEUE_PREFIX) });
    await this.flows.add(deriveFlow(runId, { priority }));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.flows?.close();
  }
}
