import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The hash the first event of the chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event covered by its hash. */
export interface AuditRecord {
  seq: number;
  occurredAt: string;
  action: string;
  actorUserId: string | null;
  actorOrganizationId: string | null;
  organizationId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  data: Record<string, unknown>;
}

export interface ChainedAuditRecord extends AuditRecord {
  prevHash: string;
  hash: string;
}

/** sha256 over the RFC 8785 canonical JSON of the record and the previous hash. */
export function computeAuditHash(record: AuditRecord, prevHash: string): string {
  const canonical = canonicalize({
    seq: record.seq,
    occurredAt: record.occurredAt,
    action: record.action,
    actorUserId: record.actorUserId,
    actorOrganizationId: record.actorOrganizationId,
    organizationId: record.organizationId,
    targetType: record.targetType,
    targetId: record.targetId,
    ip: record.ip,
    requestId: record.requestId,
    data: record.data,
    prevHash,
  });
  if (canonical === undefined) throw new Error('audit record cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type TamperReason = 'hash_mismatch' | 'broken_link' | 'sequence_gap';

export interface ChainCheck {
  /** Hash of the last verified record, to continue verification with the next batch. */
  lastHash: string;
  lastSeq: number;
  checked: number;
  firstTampered: { seq: number; reason: TamperReason } | null;
}

/**
 * Verifies a batch of consecutive records (ascending seq) that follows `from`.
 * Stops at the first record that does not verify.
 */
export function verifyChainBatch(
  records: readonly ChainedAuditRecord[],
  from: { lastHash: string; lastSeq: number } = { lastHash: GENESIS_HASH, lastSeq: 0 },
): ChainCheck {
  let lastHash = from.lastHash;
  let lastSeq = from.lastSeq;
  let checked = 0;
  for (const record of records) {
    const fail = (reason: TamperReason): ChainCheck => ({ lastHash, lastSeq, checked, firstTampered: { seq: record.seq, reason } });
    if (record.seq !== lastSeq + 1) return fail('sequence_gap');
    if (record.prevHash !== lastHash) return fail('broken_link');
    if (computeAuditHash(record, record.prevHash) !== record.hash) return fail('hash_mismatch');
    lastHash = record.hash;
    lastSeq = record.seq;
    checked += 1;
  }
  return { lastHash, lastSeq, checked, firstTampered: null };
}

/** sha256 (hex) of any JSON value's RFC 8785 canonical form: equal documents, equal digests. */
export function canonicalSha256(value: unknown): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new Error('value cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
