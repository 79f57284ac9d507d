import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  appendAuditEvent,
  DERIVATION_STAGES,
  DerivationRun,
  isRefusable,
  notifyOrganization,
  Product,
  suspendIfPolicyUnmet,
  toRefusal,
  type DerivationStage,
} from '@civic/db';
import { jobOptions, type DeriveStageJob } from '@civic/jobs';
import type { DataSource } from 'typeorm';
import type { JobContext } from '../jobs/job-handler.js';

/** Where each stage sits on the progress bar (percent at its start and end). */
export const STAGE_SPAN: Record<DerivationStage, [number, number]> = {
  validating: [0, 5],
  materializing: [5, 75],
  gating: [75, 88],
  profiling: [88, 96],
  publishing: [96, 100],
};

const CANCEL_POLL_MS = 500;
const PROGRESS_INTERVAL_MS = 500;

export type StageOutcome = { status: 'done' | 'skipped' | 'failed' | 'cancelled' };

/** What a stage's work receives: the claimed run, a signal for cancellation, a progress reporter. */
export interface StageContext {
  run: DerivationRun;
  signal: AbortSignal;
  progress(fraction: number): Promise<void>;
}

/**
 * The common frame of the derive flow's stages. Each stage job claims its run only when the
 * run is live and has not moved past this stage (a redelivered job is a no-op), watches for
 * cancellation while it works, turns the owner's mistakes into a failed run with the reason
 * (the job succeeds: retrying cannot fix them, and the later stages see the failed run and
 * skip), and leaves outages to BullMQ's retries, failing the run on the last attempt.
 */
@Injectable()
export class DeriveStages {
  private readonly logger = new Logger(DeriveStages.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run(stage: DerivationStage, job: JobContext<DeriveStageJob>, work: (context: StageContext) => Promise<void>): Promise<StageOutcome> {
    const claimed = await this.claim(job.data.runId, stage);
    if (!claimed) return { status: 'skipped' };
    const controller = new AbortController();
    const watcher = setInterval(() => {
      void this.dataSource.manager
        .findOne(DerivationRun, { where: { id: claimed.id }, select: { id: true, status: true } })
        .then((row) => {
          if (row?.status === 'cancelled') controller.abort();
        })
        .catch(() => undefined);
    }, CANCEL_POLL_MS);
    try {
      await work({ run: claimed, signal: controller.signal, progress: this.progressReporter(claimed.id, stage, job) });
      return { status: 'done' };
    } catch (error) {
      if (controller.signal.aborted || (error as { code?: string } | null)?.code === 'derive.cancelled') return { status: 'cancelled' };
      if (isRefusable(error)) {
        const refusal = toRefusal(error);
        await this.fail(claimed, refusal.code, refusal.message, refusal.details);
        return { status: 'failed' };
      }
      const attempts = jobOptions({ name: job.name, data: job.data } as never).attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        this.logger.error({ err: error, runId: claimed.id, stage }, 'derivation stage failed on its last attempt');
        await this.fail(claimed, 'derive.internal', 'The derivation could not finish because of an internal error; run it again later.', { stage });
        return { status: 'failed' };
      }
      throw error;
    } finally {
      clearInterval(watcher);
    }
  }

  /** Moves a live run to `stage` unless it is already past it; returns the run, or null to skip. */
  private async claim(runId: string, stage: DerivationStage): Promise<DerivationRun | null> {
    const order = DERIVATION_STAGES.indexOf(stage);
    const earlier = DERIVATION_STAGES.slice(0, order + 1);
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE derivation_runs
          SET status = 'running', stage = $2, progress = GREATEST(progress, $3), attempts = attempts + ($2 = 'validating')::int,
              started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('queued','running') AND (stage IS NULL OR stage = ANY($4))
        RETURNING id`,
      [runId, stage, STAGE_SPAN[stage][0], earlier],
    );
    if (rows.length === 0) return null;
    return this.dataSource.manager.findOneByOrFail(DerivationRun, { id: runId });
  }

  async fail(run: DerivationRun, code: string, message: string, details: Record<string, unknown> | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [rows]: [Array<{ id: string }>, number] = await manager.query(
        `UPDATE derivation_runs SET status = 'failed', error_code = $2, error_message = $3, error_details = $4, finished_at = now()
          WHERE id = $1 AND status IN ('queued','running') RETURNING id`,
        [run.id, code, message, details === null ? null : JSON.stringify(details)],
      );
      if (rows.length === 0) return;
      const product = await manager.findOneByOrFail(Product, { id: run.productId });
      await appendAuditEvent(manager, {
        action: 'product.run_failed',
        actorUserId: null,
        actorOrganizationId: null,
        organizationId: product.organizationId,
        targetType: 'product',
        targetId: product.id,
        ip: null,
        requestId: null,
        data: { runId: run.id, trigger: run.trigger, code, message, details },
      });
      // A run the owner started is watched in the console; an automatic one is told.
      if (run.trigger === 'upstream') {
        // Judged under the settings as they stand, a listed product whose version no longer
        // meets them is suspended (with what is built on it), in this same transaction.
        const suspended = await suspendIfPolicyUnmet(manager, run);
        await notifyOrganization(manager, product.organizationId, {
          kind: 'product.run_failed',
          reference: run.id,
          subject: { kind: 'product.run_failed', product },
          target: { type: 'product', id: product.id },
          body: { productId: product.id, slug: product.slug, runId: run.id, code, message, suspended: suspended.some((row) => row.id === product.id) },
        });
      }
    });
  }

  private progressReporter(runId: string, stage: DerivationStage, job: JobContext<DeriveStageJob>) {
    let last = 0;
    const [from, to] = STAGE_SPAN[stage];
    return async (fraction: number): Promise<void> => {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
      last = now;
      const percent = Math.round(from + (to - from) * Math.min(1, Math.max(0, fraction)));
      await this.dataSource.query(`UPDATE derivation_runs SET progress = GREATEST(progress, $2) WHERE id = $1 AND status = 'running'`, [runId, percent]);
      await job.updateProgress(percent);
    };
  }
}
