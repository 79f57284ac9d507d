import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@civic/jobs';

export const JOB_HANDLER_METADATA = 'civic:job-handler';

/** What a handler sees of a job: its typed payload and identity. */
export interface JobContext<Name extends JobName> {
  id: string;
  name: Name;
  data: JobPayloads[Name];
  attemptsMade: number;
  updateProgress(progress: number): Promise<void>;
}

/** Implemented by each processor; `handle` must be idempotent (BullMQ delivers at least once). */
export interface JobHandler<Name extends JobName> {
  handle(job: JobContext<Name>): Promise<unknown>;
}

/** Declares which job a provider processes. The registry refuses duplicates and gaps. */
export const HandlesJob = (name: JobName) => SetMetadata(JOB_HANDLER_METADATA, name);
