import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** One input of a derivation as a run reads it: the exact version and its lineage weight. */
export interface FingerprintInput {
  name: string;
  position: number;
  weight: number;
  datasetVersionId: string | null;
  productVersionId: string | null;
  /**
   * The input's privacy settings when the run was asked for (k, small-cell handling, each
   * column's sensitivity and pseudonym): an agency tightening them makes a new fingerprint, so
   * the product can be derived again under the new rules.
   */
  policy?: unknown;
}

/**
 * The identity of a derivation's result: its SQL (surrounding whitespace aside) and the exact
 * input versions and weights. The same fingerprint always denotes the same product version,
 * which is what makes re-running a derivation idempotent.
 */
export function derivationFingerprint(sql: string, inputs: readonly FingerprintInput[]): string {
  const canonical = canonicalize({
    sql: sql.trim(),
    inputs: [...inputs]
      .sort((a, b) => a.position - b.position)
      .map((input) => ({
        name: input.name,
        weight: input.weight,
        dataset: input.datasetVersionId,
        product: input.productVersionId,
        ...(input.policy === undefined ? {} : { policy: input.policy }),
      })),
  });
  return createHash('sha256').update(canonical ?? '').digest('hex');
}
