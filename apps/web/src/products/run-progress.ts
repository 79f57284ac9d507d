import type { Run, RunStage } from '../api/schema-types';
import { runStages } from './product-vocabulary';

/** True while a run may still change: the page keeps reading it. */
export function isRunLive(run: Pick<Run, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running';
}

export type StepStatus = 'wait' | 'process' | 'finish' | 'error';

/** What a run's five stages look like now, for antd's Steps and Progress. */
export interface RunSteps {
  /** Index of the stage being worked on (or where the run stopped); the stages count when all are done. */
  current: number;
  /** Status of the current stage (a cancelled run's is `wait`: nothing is under way there any more). */
  status: StepStatus;
  /** The run was cancelled at the current stage: it reads as stopped there, not as under way. */
  cancelled: boolean;
  /** 0..100. */
  percent: number;
  progressStatus: 'active' | 'success' | 'exception' | 'normal';
}

export function stageIndex(stage: RunStage | null | undefined): number {
  return stage ? runStages.indexOf(stage) : 0;
}

export function runSteps(run: Pick<Run, 'status' | 'stage' | 'progress'>): RunSteps {
  const percent = Math.max(0, Math.min(100, Math.round(run.progress)));
  switch (run.status) {
    case 'queued':
      return { current: 0, status: 'wait', cancelled: false, percent: 0, progressStatus: 'active' };
    case 'running':
      return { current: stageIndex(run.stage), status: 'process', cancelled: false, percent, progressStatus: 'active' };
    case 'succeeded':
    case 'duplicate':
      return { current: runStages.length, status: 'finish', cancelled: false, percent: 100, progressStatus: 'success' };
    case 'failed':
      return { current: stageIndex(run.stage), status: 'error', cancelled: false, percent, progressStatus: 'exception' };
    case 'cancelled':
      return { current: stageIndex(run.stage), status: 'wait', cancelled: true, percent, progressStatus: 'normal' };
  }
}

/** How long a run took (or has taken so far), in whole seconds; null before it started. */
export function runSeconds(run: Pick<Run, 'startedAt' | 'finishedAt'>, now: Date = new Date()): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? new Date(run.finishedAt) : now;
  return Math.max(0, Math.round((end.getTime() - new Date(run.startedAt).getTime()) / 1000));
}

/**
 * How a run ended, in a few words for a list of runs: the version it made, where it was
 * cancelled, or why it failed. Null while it is live.
 */
export type RunOutcome =
  | { kind: 'version'; version: number; rows: number }
  | { kind: 'cancelled'; stage: RunStage | null }
  | { kind: 'failed'; stage: RunStage | null }
  | null;

export function runOutcome(run: Pick<Run, 'status' | 'stage' | 'version' | 'outputRows'>): RunOutcome {
  if (run.status === 'cancelled') return { kind: 'cancelled', stage: run.stage };
  if (run.status === 'failed') return { kind: 'failed', stage: run.stage };
  if (run.version !== null && (run.status === 'succeeded' || run.status === 'duplicate')) return { kind: 'version', version: run.version, rows: run.outputRows ?? 0 };
  return null;
}
