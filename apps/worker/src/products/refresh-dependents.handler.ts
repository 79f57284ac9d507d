import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createDerivationRun, DerivationRun, derivationRunPriority, notifyOrganization, Product, resolveProductInputs, runInputsOf } from '@civic/db';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';

/** Products that follow their inputs: everything but retired and suspended ones. */
const REFRESHED = ['draft', 'submitted', 'approved', 'published'];

/**
 * A dataset or product got a new version: every product reading it directly is derived again
 * over its inputs' current versions, and its owner is told. Idempotent: a run is keyed by its
 * fingerprint (a live run or an existing version with the same inputs is reused), and the
 * notice by the run. Products further down follow when these runs publish their versions.
 */
@Injectable()
@HandlesJob('products.refresh-dependents')
export class RefreshDependentsHandler implements JobHandler<'products.refresh-dependents'> {
  private readonly logger = new Logger(RefreshDependentsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'products.refresh-dependents'>): Promise<{ runs: number; skipped: number }> {
    const source = await this.source(job.data);
    if (!source) return { runs: 0, skipped: 0 };
    const dependents: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT p.id FROM product_inputs pi JOIN products p ON p.id = pi.product_id
        WHERE (pi.dataset_id = $1 OR pi.source_product_id = $2) AND p.status = ANY($3)`,
      [source.datasetId, source.productId, REFRESHED],
    );
    let runs = 0;
    let skipped = 0;
    for (const { id } of dependents) {
      const created = await this.dataSource.transaction(async (manager) => {
        const product = await manager.findOneByOrFail(Product, { id });
        const inputs = await resolveProductInputs(manager, product.organizationId, await manager.query(
          `SELECT name, position, weight, dataset_id AS "datasetId", source_product_id AS "sourceProductId" FROM product_inputs WHERE product_id = $1`,
          [id],
        ));
        if (inputs.some((input) => input.unusableReason !== null)) return null;
        const result = await createDerivationRun(manager, { product, inputs: runInputsOf(inputs), trigger: 'upstream', userId: null });
        if (result.enqueue) {
          await notifyOrganization(manager, product.organizationId, {
            kind: 'product.rederiving',
            reference: result.run.id,
            subject: { kind: 'product.rederiving', product, cause: 'new_source' },
            target: { type: 'product', id: product.id },
            body: { productId: product.id, slug: product.slug, runId: result.run.id, source: job.data },
          });
        }
        return result;
      });
      if (!created) {
        skipped += 1;
        continue;
      }
      // A queued run (new, or found live) gets its flow; adding a known flow again is a no-op.
      if (created.run.status === 'queued') await this.producer.addDeriveFlow(created.run.id, await derivationRunPriority(this.dataSource, created.run.id));
      runs += 1;
    }
    this.logger.log({ source: job.data, runs, skipped }, 'dependent products refreshed');
    return { runs, skipped };
  }

  private async source(data: { datasetVersionId?: string; productVersionId?: string }): Promise<{ datasetId: string | null; productId: string | null } | null> {
    if (data.datasetVersionId) {
      const [row]: Array<{ dataset_id: string }> = await this.dataSource.query(`SELECT dataset_id FROM dataset_versions WHERE id = $1`, [data.datasetVersionId]);
      return row ? { datasetId: row.dataset_id, productId: null } : null;
    }
    if (data.productVersionId) {
      const [row]: Array<{ product_id: string }> = await this.dataSource.query(`SELECT product_id FROM product_versions WHERE id = $1`, [data.productVersionId]);
      return row ? { datasetId: null, productId: row.product_id } : null;
    }
    return null;
  }
}

/** Adds the flow of runs still queued after a while (Redis was down when they were requested); job ids deduplicate. */
@Injectable()
@HandlesJob('derive.sweep-runs')
export class SweepRunsHandler implements JobHandler<'derive.sweep-runs'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'derive.sweep-runs'>): Promise<{ requeued: number }> {
    const runs = await this.dataSource.query(
      `SELECT id FROM derivation_runs WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 200`,
      [job.data.olderThanSeconds],
    );
    // Each with its priority as it stands now (the organization's live runs ahead of it).
    for (const run of runs as Array<Pick<DerivationRun, 'id'>>) await this.producer.addDeriveFlow(run.id, await derivationRunPriority(this.dataSource, run.id));
    return { requeued: runs.length };
  }
}
