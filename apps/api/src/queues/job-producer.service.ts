import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getFlowProducerToken, getQueueToken } from '@nestjs/bullmq';
import { deriveFlow, JOB_QUEUE, jobOptions, QUEUES, type AnyJob, type QueueName } from '@civic/jobs';
import type { FlowProducer, Job, Queue } from 'bullmq';

export const FLOW_PRODUCER = 'flows';

/** The one way the API puts work on a queue: typed payloads, options from the jobs lib. */
@Injectable()
export class JobProducer {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  queues(): Queue[] {
    return Object.values(QUEUES).map((name) => this.queue(name));
  }

  enqueue(job: AnyJob): Promise<Job> {
    return this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, jobOptions(job));
  }

  /**
   * Adds the derive flow of one run (its stages as chained jobs; see deriveFlow) with its queue
   * priority, fair across organizations (`derivationRunPriority`, read after the run committed).
   */
  async addDeriveFlow(runId: string, priority: number): Promise<void> {
    const flows = this.moduleRef.get<FlowProducer>(getFlowProducerToken(FLOW_PRODUCER), { strict: false });
    await flows.add(deriveFlow(runId, { priority }));
  }
}
