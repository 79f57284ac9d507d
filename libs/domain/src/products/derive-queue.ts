/**
 * Fair order of derivation runs across organizations.
 *
 * Derivation stages share a few worker slots. Runs wait in priority order (lower first; equal
 * priorities in the order they were queued), and a run's priority is fixed when its flow is
 * queued from the organization's runs still ahead of it: an organization's first outstanding run
 * waits behind the first outstanding run of every other organization queued before it, and its
 * n-th outstanding run behind every other organization's n-th — one vendor asking for many runs
 * (or a dataset update re-deriving many of one vendor's products) makes others wait for at most
 * one of its runs per run of theirs. A run that has begun continues first: its remaining stages
 * go before any run that has not started, so the runs in progress finish before new ones begin
 * (instead of every run's stages interleaving and all of them finishing late).
 */

/** The priority of the remaining stages of a run that has begun (and of a run that is over: its stages only skip). */
export const DERIVATION_PRIORITY_STARTED = 0;

/** The largest priority a run waiting to start gets (an organization this far behind is served in queue order). */
export const DERIVATION_PRIORITY_MAX = 1_000_000;

/** Where a run stands when its flow is queued. */
export interface DerivationQueuePosition {
  /** The run has begun (or is over), so its stages go first. */
  started: boolean;
  /** The same organization's live runs (queued or running) requested before this one. */
  runsAhead: number;
}

/**
 * The queue priority of a run's stages (lower goes first): {@link DERIVATION_PRIORITY_STARTED}
 * for a run that has begun, otherwise 1 + the organization's live runs ahead of it (capped at
 * {@link DERIVATION_PRIORITY_MAX}).
 */
export function derivationPriority(position: DerivationQueuePosition): number {
  if (position.started) return DERIVATION_PRIORITY_STARTED;
  const ahead = Number.isFinite(position.runsAhead) ? Math.max(0, Math.floor(position.runsAhead)) : DERIVATION_PRIORITY_MAX;
  return Math.min(1 + ahead, DERIVATION_PRIORITY_MAX);
}
