import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { decideGate, type GatePlan, type GateReport } from '@civic/domain';
import { analyzeDerivation, DerivationSandbox, gateOutput, profileOutput, type OutputEngine, type SandboxEnginePool } from '@civic/derive';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { DerivationRun, type DerivationStage } from '../entities/derivation-run.entity.js';
import { Product } from '../entities/product.entity.js';
import { notifyOrganization } from '../notifications/notify-organization.js';
import { productParquetKey, recordProductVersion } from './product-store.js';
import { describeRunInputs, gatePlanFor, sandboxColumns, visibleColumns, type InputDetails } from './product-inputs.js';
import { changedSinceRequested, currentPolicies, outputPolicyConflicts, settingsNow } from './product-policy.js';

/**
 * The derive flow's stages as plain functions over a run: the worker runs each as a BullMQ job
 * (with claiming, retries and cancellation around it); the demo seed and the benchmark run them
 * one after the other. Each stage reads what the previous one left on the run row and in
 * object storage, so it can run again after a crash with the same effect.
 */
export interface DeriveDependencies {
  dataSource: DataSource;
  store: ObjectStore;
  /** Scratch directory for input copies and DuckDB spill files. */
  workRoot: string;
  /** DuckDB memory limit of the sandbox (the vendor's SQL). */
  memoryLimit: string;
  /** DuckDB memory limit of the gate and the profile without `outputEngine` (default `memoryLimit`); the engine has its own. */
  gateMemoryLimit?: string;
  threads: number;
  /** Time limit of the materialization, and of the gate without `outputEngine`. */
  timeoutMs: number;
  /**
   * A worker's long-lived DuckDB instances for the gate and the profile (platform queries over
   * outputs, never vendor SQL; each use has an instance and its memory limit to itself); without
   * it each stage opens an instance of its own.
   */
  outputEngine?: OutputEngine;
  /** Sandbox instances made and closed while the worker is idle; without it each run makes and closes its own. */
  sandboxEngines?: SandboxEnginePool;
}

export interface StageControl {
  signal?: AbortSignal;
  progress?: (fraction: number) => void | Promise<void>;
}

/** A refusal the run's owner must fix (bad SQL, an input no longer usable, the privacy gate). */
export class RunRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

/** Where a run keeps its unchecked output between materialize and gate. */
export const rawOutputKey = (runId: string): string => `runs/${runId}/raw.parquet`;

/** The inputs of a run, refusing any its owner may no longer use (grant revoked, source withdrawn). */
async function usableInputs(deps: DeriveDependencies, run: DerivationRun): Promise<InputDetails[]> {
  const inputs = await describeRunInputs(deps.dataSource.manager, run.organizationId, run.inputs);
  const unusable = inputs.filter((input) => input.unusableReason !== null);
  if (unusable.length > 0) {
    throw new RunRefusal('product.input_unavailable', 'An input cannot be used any more.', {
      inputs: unusable.map((input) => ({ name: input.name, reason: input.unusableReason })),
    });
  }
  return inputs;
}

async function scratch(deps: DeriveDependencies, prefix: string): Promise<string> {
  await mkdir(deps.workRoot, { recursive: true });
  return mkdtemp(path.join(deps.workRoot, prefix));
}

/**
 * A run is checked under exactly the privacy settings its fingerprint records: settings changed
 * since it was asked for (tightened or loosened) refuse it — the next run records the new ones.
 */
function requireSettingsAsRequested(run: DerivationRun, inputs: readonly InputDetails[]): void {
  const changed = changedSinceRequested(run.inputs, currentPolicies(inputs));
  if (changed.length > 0) {
    throw new RunRefusal(
      'product.policy_changed',
      'The privacy settings of an input changed after this run was asked for; run the derivation again to apply them.',
      { inputs: changed.map((entry) => ({ name: entry.input, changes: entry.changes })) },
    );
  }
}

/**
 * Validate: the settings are those the run records; the SQL parses, reads every declared input
 * and nothing else, and the gate's plan follows from its column lineage.
 */
export async function validateStage(deps: DeriveDependencies, run: DerivationRun): Promise<GatePlan> {
  const inputs = await usableInputs(deps, run);
  requireSettingsAsRequested(run, inputs);
  const analysis = await analyzeDerivation({
    sql: run.sql,
    inputs: inputs.map((input) => ({ name: input.name, columns: visibleColumns(input) })),
    // Every declared input is credited (and paid) in the lineage: it must be read.
    requireAllInputs: true,
  });
  const { plan } = gatePlanFor(inputs, analysis.outputs);
  await deps.dataSource.query(`UPDATE derivation_runs SET plan = $2 WHERE id = $1`, [run.id, JSON.stringify(plan)]);
  return plan;
}

/** Materialize: the SQL runs in the sandbox over the exact input versions and writes Parquet to object storage. */
export async function materializeStage(deps: DeriveDependencies, run: DerivationRun, control: StageControl = {}): Promise<number> {
  const inputs = await usableInputs(deps, run);
  const [row]: Array<{ key: Buffer }> = await deps.dataSource.query(`SELECT key FROM platform_keys WHERE name = 'pseudonym'`);
  const pseudonymKey = row!.key.toString('hex');
  const workDir = await scratch(deps, 'civic-derive-');
  const copies = await Promise.all(inputs.map((input) => deps.store.localCopy(input.parquetKey!, workDir)));
  try {
    const sandbox = new DerivationSandbox({
      inputs: inputs.map((input, index) => ({ name: input.name, parquetPath: copies[index]!.path, columns: sandboxColumns(input), pseudonymKey })),
      workDir,
      memoryLimit: deps.memoryLimit,
      threads: deps.threads,
      timeoutMs: deps.timeoutMs,
      signal: control.signal,
      // Inputs with hidden or pseudonymized columns are rewritten first, so that not even SQL that
      // got past validation could read more than the views show (one extra pass over those inputs).
      isolation: 'staged',
      requireAllInputs: true,
      engines: deps.sandboxEngines,
    });
    const outputPath = path.join(workDir, 'output.parquet');
    const result = await sandbox.materialize(run.sql, outputPath, { onProgress: (fraction) => void control.progress?.(fraction) });
    await deps.store.putFile(rawOutputKey(run.id), outputPath, { contentType: 'application/vnd.apache.parquet' });
    // The output's columns are known from writing it: the gate does not read its metadata again.
    await deps.dataSource.query(`UPDATE derivation_runs SET output_key = $2, output_rows = $3, output_schema = $4 WHERE id = $1`, [
      run.id,
      rawOutputKey(run.id),
      result.rowCount,
      JSON.stringify(result.columns),
    ]);
    return result.rowCount;
  } finally {
    await Promise.all(copies.map((copy) => copy.release()));
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Gate: measures the plan over the output and decides; suppresses rows, or fails the run (the
 * report is kept on the run either way) as the inputs' agencies chose. The published file is
 * addressed by the run's fingerprint. What is published is profiled in the same pass (one
 * DuckDB connection, the output's columns known from materializing it), so the profile stage
 * finds the profile made.
 */
export async function gateStage(deps: DeriveDependencies, run: DerivationRun, control: StageControl = {}): Promise<GateReport> {
  const plan = run.plan as unknown as GatePlan;
  const finalKey = productParquetKey(run.productId, run.fingerprint);
  // A redelivery after the gate wrote its output finds it: nothing to measure again.
  if (run.gateReport && run.outputKey === finalKey && (await deps.store.head(finalKey))) return run.gateReport as unknown as GateReport;
  const workDir = await scratch(deps, 'civic-gate-');
  const raw = await deps.store.localCopy(rawOutputKey(run.id), workDir);
  try {
    let report: GateReport | null = null;
    const gated = await gateOutput(raw.path, plan, {
      engine: deps.outputEngine,
      memoryLimit: deps.gateMemoryLimit ?? deps.memoryLimit,
      threads: deps.threads,
      timeoutMs: deps.timeoutMs,
      tempDirectory: workDir,
      suppressedPath: path.join(workDir, 'gated.parquet'),
      known: run.outputSchema && run.outputRows !== null ? { schema: run.outputSchema, rowCount: run.outputRows } : undefined,
      decide: (measurement) => {
        report = decideGate(plan, measurement);
        void control.progress?.(0.5);
        return report.outcome === 'failed' ? 'fail' : report.outcome === 'suppressed' ? 'suppress' : 'pass';
      },
    });
    const decided = report as GateReport | null;
    if (!decided) throw new Error('the gate decided nothing');
    if (!gated.publishedPath || !gated.published) {
      await deps.dataSource.query(`UPDATE derivation_runs SET gate_report = $2 WHERE id = $1`, [run.id, JSON.stringify(decided)]);
      throw new RunRefusal('derive.gate_failed', gateFailureMessage(decided), { report: decided });
    }
    await deps.store.putFile(finalKey, gated.publishedPath, { contentType: 'application/vnd.apache.parquet' });
    await deps.dataSource.query(
      `UPDATE derivation_runs SET gate_report = $2, output_key = $3, output_rows = $4, output_schema = $5, output_profile = $6 WHERE id = $1`,
      [run.id, JSON.stringify(decided), finalKey, decided.rowsPublished, JSON.stringify(gated.published.schema), JSON.stringify(gated.published.profile)],
    );
    return decided;
  } finally {
    await raw.release();
    await rm(workDir, { recursive: true, force: true });
  }
}

function gateFailureMessage(report: GateReport): string {
  const codes = report.reasons.map((reason) => reason.code);
  if (codes.includes('personal_column')) return 'The output contains personal data, which never leaves the platform.';
  if (codes.includes('all_rows_suppressed')) return `Every row of the output describes fewer than ${report.k} people or records: nothing could be published.`;
  return `Some rows of the output describe fewer than ${report.k} people or records, and an input's agency asks such runs to fail.`;
}

/**
 * Profile: the published output's schema and column profile, as datasets have. The gate
 * profiles what it publishes in the same pass; this stage profiles only an output the gate left
 * without a profile (a run gated before it did so).
 */
export async function profileStage(deps: DeriveDependencies, run: DerivationRun): Promise<void> {
  if (run.outputProfile && run.outputSchema) return;
  const workDir = await scratch(deps, 'civic-profile-');
  const output = await deps.store.localCopy(run.outputKey!, workDir);
  try {
    const profiled = await profileOutput(output.path, {
      engine: deps.outputEngine,
      memoryLimit: deps.gateMemoryLimit ?? deps.memoryLimit,
      threads: deps.threads,
      timeoutMs: deps.timeoutMs,
      tempDirectory: workDir,
    });
    await deps.dataSource.query(`UPDATE derivation_runs SET output_schema = $2, output_profile = $3 WHERE id = $1`, [
      run.id,
      JSON.stringify(profiled.schema),
      JSON.stringify(profiled.profile),
    ]);
  } finally {
    await output.release();
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Publish: the product version with its lineage (or the existing one for the same fingerprint);
 * the run ends. Settings tightened while the run was in flight, in a way its output may not
 * meet, refuse it (the tightening asked for a new run of listed products).
 */
export async function publishStage(deps: DeriveDependencies, run: DerivationRun): Promise<{ created: boolean; versionId: string }> {
  const head = await deps.store.head(run.outputKey!);
  const recorded = await deps.dataSource.transaction(async (manager) => {
    const conflicts = outputPolicyConflicts(run.gateReport, run.inputs, await settingsNow(manager, run.inputs));
    if (conflicts.length > 0) {
      throw new RunRefusal(
        'product.policy_changed',
        'The privacy settings of an input were tightened while this run was in progress; its output is not published. Run the derivation again.',
        { inputs: conflicts.map((conflict) => ({ name: conflict.input, changes: conflict.changes })) },
      );
    }
    const result = await recordProductVersion(manager, {
      productId: run.productId,
      runId: run.id,
      userId: run.createdByUserId,
      file: {
        fingerprint: run.fingerprint,
        sql: run.sql,
        rowCount: run.outputRows ?? 0,
        parquetKey: run.outputKey!,
        parquetBytes: head?.bytes ?? 0,
        schema: run.outputSchema ?? [],
        profile: run.outputProfile ?? [],
        gateReport: run.gateReport ?? {},
        inputs: run.inputs,
      },
    });
    await manager.query(
      `UPDATE derivation_runs SET status = $2, stage = NULL, progress = 100, version_id = $3, finished_at = now() WHERE id = $1 AND status IN ('queued','running')`,
      [run.id, result.created ? 'succeeded' : 'duplicate', result.version.id],
    );
    if (result.created && run.trigger === 'upstream') {
      const product = await manager.findOneByOrFail(Product, { id: run.productId });
      await notifyOrganization(manager, product.organizationId, {
        kind: 'product.rederived',
        reference: result.version.id,
        subject: { kind: 'product.rederived', product },
        target: { type: 'product', id: product.id },
        body: { productId: product.id, slug: product.slug, version: result.version.version, rowCount: result.version.rowCount },
      });
    }
    return result;
  });
  await deps.store.delete(rawOutputKey(run.id));
  return { created: recorded.created, versionId: recorded.version.id };
}

/**
 * Runs every stage of a run in this process, in order (the demo seed, the benchmark). A
 * refusal fails the run with its reason, as the worker would; anything else is thrown.
 */
export async function deriveInline(deps: DeriveDependencies, runId: string): Promise<DerivationRun> {
  const load = () => deps.dataSource.manager.findOneByOrFail(DerivationRun, { id: runId });
  const stages: Array<[DerivationStage, (run: DerivationRun) => Promise<unknown>]> = [
    ['validating', (run) => validateStage(deps, run)],
    ['materializing', (run) => materializeStage(deps, run)],
    ['gating', (run) => gateStage(deps, run)],
    ['profiling', (run) => profileStage(deps, run)],
    ['publishing', (run) => publishStage(deps, run)],
  ];
  await deps.dataSource.query(`UPDATE derivation_runs SET status = 'running', attempts = attempts + 1, started_at = now() WHERE id = $1 AND status = 'queued'`, [runId]);
  for (const [stage, work] of stages) {
    await deps.dataSource.query(`UPDATE derivation_runs SET stage = $2 WHERE id = $1`, [runId, stage]);
    try {
      await work(await load());
    } catch (error) {
      if (!(error instanceof RunRefusal) && !isRefusable(error)) throw error;
      const refusal = error instanceof RunRefusal ? error : toRefusal(error);
      await deps.dataSource.query(
        `UPDATE derivation_runs SET status = 'failed', error_code = $2, error_message = $3, error_details = $4, finished_at = now() WHERE id = $1`,
        [runId, refusal.code, refusal.message, refusal.details === null ? null : JSON.stringify(refusal.details)],
      );
      return load();
    }
  }
  return load();
}

/** Errors of the vendor's SQL (DeriveError) and of the domain rules are the owner's to fix. */
export function isRefusable(error: unknown): boolean {
  if (error instanceof RunRefusal) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('derive.') || code.startsWith('product.')) && code !== 'derive.cancelled' && code !== 'derive.internal';
}

export function toRefusal(error: unknown): RunRefusal {
  if (error instanceof RunRefusal) return error;
  const { code, message, details } = error as { code: string; message: string; details?: unknown };
  return new RunRefusal(code, message, details && typeof details === 'object' ? (details as Record<string, unknown>) : null);
}
