import { derivationPriority } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The queue priority of a run's derive flow (`derivationPriority`): from its organization's live
 * runs (queued or running) requested before it — by `created_at`, then id, so that runs made in
 * one transaction (one `now()`) still count each other once — or the priority of a started run
 * when it has begun or is over (its stages continue, or only skip). A run that is not there any
 * more counts as over. Read when the flow is added (after the run's transaction committed), and
 * again when the sweep adds a lost flow.
 */
export async function derivationRunPriority(db: DataSource | EntityManager, runId: string): Promise<number> {
  const [row]: Array<{ status: string; ahead: number }> = await db.query(
    `SELECT r.status,
            (SELECT count(*) FROM derivation_runs o
              WHERE o.organization_id = r.organization_id AND o.status IN ('queued','running')
                AND (o.created_at, o.id) < (r.created_at, r.id))::int AS ahead
       FROM derivation_runs r WHERE r.id = $1`,
    [runId],
  );
  return derivationPriority({ started: !row || row.status !== 'queued', runsAhead: row?.ahead ?? 0 });
}
