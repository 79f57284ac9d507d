import { tmpdir } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { gateStage, materializeStage, profileStage, publishStage, validateStage, type DeriveDependencies } from '@civic/db';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { DeriveStages, type StageOutcome } from './derive-stages.js';

/** What every stage needs: the database, object storage, and the sandbox's limits from the configuration. */
@Injectable()
export class DeriveDependencyProvider {
  readonly deps: DeriveDependencies;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(OBJECT_STORE) store: ObjectStore, config: WorkerConfig) {
    this.deps = {
      dataSource,
      store,
      workRoot: config.INGEST_WORK_DIR ?? tmpdir(),
      memoryLimit: config.DERIVE_MEMORY_LIMIT,
      threads: config.DERIVE_THREADS,
      timeoutMs: config.DERIVE_TIMEOUT_SECONDS * 1000,
    };
  }
}

/** Validate: the SQL parses, reads only declared inputs, and the gate's plan follows from its column lineage. */
@Injectable()
@HandlesJob('derive.validate')
export class ValidateStage implements JobHandler<'derive.validate'> {
  constructor(private readonly stages: DeriveStages, private readonly provider: DeriveDependencyProvider) {}

  handle(job: JobContext<'derive.validate'>): Promise<StageOutcome> {
    return this.stages.run('validating', job, async ({ run }) => {
      await validateStage(this.provider.deps, run);
    });
  }
}

/** Materialize: the SQL runs in the sandbox over the exact input versions and writes Parquet. */
@Injectable()
@HandlesJob('derive.materialize')
export class MaterializeStage implements JobHandler<'derive.materialize'> {
  constructor(private readonly stages: DeriveStages, private readonly provider: DeriveDependencyProvider) {}

  handle(job: JobContext<'derive.materialize'>): Promise<StageOutcome> {
    return this.stages.run('materializing', job, async ({ run, signal, progress }) => {
      await materializeStage(this.provider.deps, run, { signal, progress });
    });
  }
}

/** Gate: measures the plan over the output; fails the run, or suppresses rows, as the inputs' agencies chose. */
@Injectable()
@HandlesJob('derive.gate')
export class GateStage implements JobHandler<'derive.gate'> {
  constructor(private readonly stages: DeriveStages, private readonly provider: DeriveDependencyProvider) {}

  handle(job: JobContext<'derive.gate'>): Promise<StageOutcome> {
    return this.stages.run('gating', job, async ({ run, progress }) => {
      await gateStage(this.provider.deps, run, { progress });
    });
  }
}

/** Profile: the published output's schema and column profile, as datasets have. */
@Injectable()
@HandlesJob('derive.profile')
export class ProfileStage implements JobHandler<'derive.profile'> {
  constructor(private readonly stages: DeriveStages, private readonly provider: DeriveDependencyProvider) {}

  handle(job: JobContext<'derive.profile'>): Promise<StageOutcome> {
    return this.stages.run('profiling', job, async ({ run }) => {
      await profileStage(this.provider.deps, run);
    });
  }
}

/** Publish: the product version with its lineage; products built on this one follow. */
@Injectable()
@HandlesJob('derive.publish')
export class PublishStage implements JobHandler<'derive.publish'> {
  constructor(
    private readonly stages: DeriveStages,
    private readonly provider: DeriveDependencyProvider,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'derive.publish'>): Promise<StageOutcome> {
    let created: string | null = null;
    const outcome = await this.stages.run('publishing', job, async ({ run }) => {
      const published = await publishStage(this.provider.deps, run);
      if (published.created) created = published.versionId;
    });
    // Idempotent by job id: a redelivery after this point enqueues nothing new.
    if (created) await this.producer.enqueue({ name: 'products.refresh-dependents', data: { productVersionId: created } });
    return outcome;
  }
}

export const DERIVE_STAGE_HANDLERS = [ValidateStage, MaterializeStage, GateStage, ProfileStage, PublishStage];
