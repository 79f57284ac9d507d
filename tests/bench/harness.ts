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
  /** The target, expressed on `ratio` (e.g. 0.5 = at least half the baseline's speed). */
  goal: number;
  met: boolean;
  notes?: string;
}

export interface Bench {
  name: string;
  description: string;
  run(): Promise<Omit<BenchResult, 'ratio' | 'met' | 'name'>>;
}

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export function record(bench: Bench, raw: Omit<BenchResult, 'ratio' | 'met' | 'name'>): BenchResult {
  const ratio = Number((raw.value / raw.baseline).toFixed(3));
  const result: BenchResult = { name: bench.name, ...raw, ratio, met: ratio >= raw.goal };
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
