import type { IngestStage } from './types.js';

const STAGES: IngestStage[] = ['inspecting', 'converting', 'profiling'];
const MIN_INTERVAL_MS = 200;
const HEARTBEAT_MS = 1_000;

type Callback = (stage: IngestStage, fraction: number) => void | Promise<void>;

/**
 * Forwards progress to the caller's callback: stages only move forward, fractions only grow,
 * calls never overlap (a slow callback gets the latest value next), at most one call per 200 ms
 * within a stage, and the last value is repeated every second while nothing new happens.
 * A callback that throws fails the ingest (see `check`).
 */
export class ProgressReporter {
  private stage = -1;
  private fraction = 0;
  private lastCall = 0;
  private inFlight: Promise<void> | null = null;
  private queued = false;
  private failure: { error: unknown } | null = null;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly callback: Callback | undefined) {
    if (callback) {
      this.heartbeat = setInterval(() => {
        if (this.stage >= 0 && Date.now() - this.lastCall >= HEARTBEAT_MS) this.send();
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  report(stage: IngestStage, fraction: number): void {
    if (!this.callback) return;
    const index = STAGES.indexOf(stage);
    const value = Math.min(1, Math.max(0, fraction));
    if (index < this.stage || (index === this.stage && value <= this.fraction)) return;
    const changedStage = index > this.stage;
    this.stage = index;
    this.fraction = value;
    if (changedStage || value === 1 || Date.now() - this.lastCall >= MIN_INTERVAL_MS) this.send();
  }

  /** Throws if the callback failed. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the last call, stops the heartbeat, and throws if the callback failed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    while (this.inFlight) await this.inFlight;
    this.check();
  }

  private send(): void {
    if (this.inFlight) {
      this.queued = true;
      return;
    }
    this.lastCall = Date.now();
    const stage = STAGES[this.stage];
    const fraction = this.fraction;
    this.inFlight = (async () => {
      try {
        await this.callback!(stage, fraction);
      } catch (error) {
        this.failure ??= { error };
      }
    })().finally(() => {
      this.inFlight = null;
      if (this.queued) {
        this.queued = false;
        this.send();
      }
    });
  }
}
