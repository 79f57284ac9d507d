import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { JOB_QUEUE, jobOptions, QUEUES, type AnyJob, type QueueName } from '@civic/jobs';
import type { Job, Queue } from 'bullmq';

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
}
