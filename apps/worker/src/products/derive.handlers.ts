import { tmpdir } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { gateStage, materializeStage, profileStage, publishStage, validateStage, type DeriveDependencies } from '@civic/db';
import { OutputEngine, SandboxEnginePool } from '@civic/derive';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { DeriveStages, type StageOutcome } from './derive-stages.js';

/**
 * What every stage needs: the database, object storage, the sandbox's and the gate's limits from
 * the configuration, and the worker's DuckDB engines: long-lived instances for the gate and the
 * profile (one per stage running at once, each with the gate's memory limit), and sandbox
 * instances made and closed while the worker is idle.
 */
@Injectable()
export class DeriveDependencyProvider implements OnApplicationShutdown {
  readonly deps: DeriveDependencies & { outputEngine: OutputEngine; sandboxEngines: SandboxEnginePool };

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(OBJECT_STORE) store: ObjectStore, config: WorkerConfig) {
    const workRoot = config.INGEST_WORK_DIR ?? tmpdir();
    this.deps = {
      dataSource,
      store,
      workRoot,
      memoryLimit: config.DERIVE_MEMORY_LIMIT,
      threads: config.DERIVE_THREADS,
      timeoutMs: config.DERIVE_TIMEOUT_SECONDS * 1000,
      gateMemoryLimit: config.DERIVE_GATE_MEMORY_LIMIT,
      // One instance per stage the worker runs at once: each run's gate has the whole limit to itself.
      outputEngine: new OutputEngine({
        memoryLimit: config.DERIVE_GATE_MEMORY_LIMIT,
        threads: config.DERIVE_THREADS,
        instances: config.DERIVE_CONCURRENCY,
        timeoutMs: config.DERIVE_TIMEOUT_SECONDS * 1000,
        workDir: workRoot,
      }),
      sandboxEngines: new SandboxEnginePool(),
    };
  }

  /**
   * After a run: closes the sandbox instances it used (and makes the next) once the publish
   * job's completion is on its way to Redis — BullMQ sends it in the microtasks that follow the
   * handler, before this callback runs — so that the close blocks neither this run nor, as far
   * as possible, the next.
   */
  afterRun(): void {
    setImmediate(() => this.deps.sandboxEngines.flush());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deps.sandboxEngines.close();
    await this.deps.outputEngine.close();
  }
}

/** Validate: the settings are those the run recorded; the SQL parses, reads every declared input and nothing else; the gate's plan follows from its column lineage. */
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

/** Gate: measures the plan over the output; fails the run, or suppresses rows, as the inputs' agencies chose; profiles what it publishes. */
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

/** Profile: the published output's schema and column profile, as datasets have (made by the gate in the same pass; kept as a stage). */
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
    this.provider.afterRun();
    return outcome;
  }
}

export const DERIVE_STAGE_HANDLERS = [ValidateStage, MaterializeStage, GateStage, ProfileStage, PublishStage];
