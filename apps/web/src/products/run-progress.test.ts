import { run } from '../test/product-fixtures';
import { runStages } from './product-vocabulary';
import { isRunLive, runOutcome, runSeconds, runSteps, stageIndex } from './run-progress';

describe('runSteps', () => {
  it('lists the five stages of the derive flow in order', () => {
    expect(runStages).toEqual(['validating', 'materializing', 'gating', 'profiling', 'publishing']);
    expect(stageIndex('gating')).toBe(2);
    expect(stageIndex(null)).toBe(0);
  });

  it('waits on the first stage while queued and works on the current one while running', () => {
    expect(runSteps(run({ status: 'queued', stage: null, progress: 0 }))).toEqual({ current: 0, status: 'wait', cancelled: false, percent: 0, progressStatus: 'active' });
    expect(runSteps(run({ status: 'running', stage: 'gating', progress: 61.6 }))).toEqual({ current: 2, status: 'process', cancelled: false, percent: 62, progressStatus: 'active' });
  });

  it('finishes every stage on success (and on a duplicate, which needs none)', () => {
    expect(runSteps(run({ status: 'succeeded', stage: 'publishing', progress: 100 }))).toEqual({ current: 5, status: 'finish', cancelled: false, percent: 100, progressStatus: 'success' });
    expect(runSteps(run({ status: 'duplicate', stage: null, progress: 0 })).current).toBe(5);
  });

  it('marks the stage a run failed or was cancelled at', () => {
    expect(runSteps(run({ status: 'failed', stage: 'gating', progress: 60 }))).toEqual({ current: 2, status: 'error', cancelled: false, percent: 60, progressStatus: 'exception' });
    expect(runSteps(run({ status: 'failed', stage: null, progress: 0 })).current).toBe(0);
    // Cancelled during Compute: stopped there, not under way.
    expect(runSteps(run({ status: 'cancelled', stage: 'materializing', progress: 140 }))).toEqual({ current: 1, status: 'wait', cancelled: true, percent: 100, progressStatus: 'normal' });
    expect(runSteps(run({ status: 'cancelled', stage: null, progress: 0 }))).toMatchObject({ current: 0, cancelled: true });
  });

  it('tells how a run ended: its version, where it was cancelled, or that it failed', () => {
    expect(runOutcome(run({ status: 'succeeded', stage: null, version: 3, outputRows: 12 }))).toEqual({ kind: 'version', version: 3, rows: 12 });
    expect(runOutcome(run({ status: 'duplicate', stage: null, version: 2, outputRows: null }))).toEqual({ kind: 'version', version: 2, rows: 0 });
    expect(runOutcome(run({ status: 'cancelled', stage: 'materializing', version: null }))).toEqual({ kind: 'cancelled', stage: 'materializing' });
    expect(runOutcome(run({ status: 'failed', stage: 'gating', version: null }))).toEqual({ kind: 'failed', stage: 'gating' });
    expect(runOutcome(run({ status: 'running', stage: 'materializing', version: null }))).toBeNull();
  });
});

describe('isRunLive and runSeconds', () => {
  it('keeps following queued and running runs only', () => {
    expect(['queued', 'running', 'succeeded', 'duplicate', 'failed', 'cancelled'].filter((status) => isRunLive({ status: status as never }))).toEqual(['queued', 'running']);
  });

  it('counts from the start to the end, or to now while running', () => {
    expect(runSeconds(run({ startedAt: null }))).toBeNull();
    expect(runSeconds(run({ startedAt: '2026-11-20T08:00:01.000Z', finishedAt: '2026-11-20T08:00:13.400Z' }))).toBe(12);
    expect(runSeconds(run({ startedAt: '2026-11-20T08:00:00.000Z', finishedAt: null }), new Date('2026-11-20T08:01:00.000Z'))).toBe(60);
  });
});
