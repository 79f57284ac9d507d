import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every benchmark reports: its figure, a baseline measured in the same run, and a goal. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline, so "higher is better" figures read as a speed ratio. */
  ratio: number;
  /**
   * The target: on `ratio` (e.g. 0.5 = at least half the baseline's speed), or, for benchmarks
   * with an absolute budget (`goalMax`), the largest acceptable `value` (e.g. a p95 in ms), or,
   * for goals of several conditions, their statement (the benchmark decides `met`).
   */
  goal: number | string;
  met: boolean;
  notes?: string;
}

export interface Bench {
  name: string;
  description: string;
  /** True when the figure is a latency or a duration: lower is better (with `goalMax`, or a stated goal). */
  lowerIsBetter?: boolean;
  run(): Promise<RawResult>;
}

/**
 * What a benchmark returns. With `goalMax`, lower is better and `ratio` reads baseline / value.
 * A stated goal (a string) comes with `met`, decided by the benchmark; its `ratio` reads
 * baseline / value when the bench's `lowerIsBetter`, else value / baseline.
 */
export type RawResult = Omit<BenchResult, 'ratio' | 'met' | 'name' | 'goal'> &
  ({ goal: number; goalMax?: never; met?: never } | { goalMax: number; goal?: never; met?: never } | { goal: string; met: boolean; goalMax?: never });

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export function record(bench: Bench, raw: RawResult): BenchResult {
  const { goalMax, goal, met, ...figures } = raw;
  const stated = typeof goal === 'string';
  const lowerIsBetter = goalMax !== undefined || (stated && bench.lowerIsBetter === true);
  const ratio = Number((lowerIsBetter ? raw.baseline / raw.value : raw.value / raw.baseline).toFixed(3));
  const result: BenchResult = stated
    ? { name: bench.name, ...figures, ratio, goal, met: met === true }
    : goalMax !== undefined
      ? { name: bench.name, ...figures, ratio, goal: goalMax, met: raw.value <= goalMax }
      : { name: bench.name, ...figures, ratio, goal: goal as number, met: ratio >= (goal as number) };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${bench.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
