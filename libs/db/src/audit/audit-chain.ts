import { computeAuditHash, GENESIS_HASH, verifyChainBatch, type AuditRecord, type TamperReason } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { AuditEvent } from '../entities/audit-event.entity.js';

export type AuditInput = Omit<AuditRecord, 'seq' | 'occurredAt' | 'data'> & { data?: Record<string, unknown> };

/**
 * Appends one event to the chain inside the caller's transaction, so the event commits
 * or rolls back with the action it records. Must be called within a transaction.
 */
export async function appendAuditEvent(manager: EntityManager, input: AuditInput): Promise<AuditEvent> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendAuditEvent must run inside a transaction');
  // Taking the head's row lock serializes writers until this transaction ends; the UPDATE sees
  // the latest committed head even if another writer committed while we waited.
  const [[head]]: [[{ seq: string; hash: string }]] = await manager.query(
    'UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash',
  );
  // Round-trip the data through JSON so the hash covers exactly what jsonb will return.
  const data = JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>;
  const record: AuditRecord = {
    seq: Number(head.seq),
    occurredAt: new Date().toISOString(),
    action: input.action,
    actorUserId: input.actorUserId,
    actorOrganizationId: input.actorOrganizationId,
    organizationId: input.organizationId,
    targetType: input.targetType,
    targetId: input.targetId,
    ip: input.ip,
    requestId: input.requestId,
    data,
  };
  const prevHash = head.hash;
  const hash = computeAuditHash(record, prevHash);
  await manager.query(
    `WITH appended AS (
       INSERT INTO audit_events (seq, occurred_at, action, actor_user_id, actor_organization_id, organization_id,
                                 target_type, target_id, ip, request_id, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     )
     UPDATE audit_chain_head SET hash = $13 WHERE id = 1`,
    [
      record.seq,
      record.occurredAt,
      record.action,
      record.actorUserId,
      record.actorOrganizationId,
      record.organizationId,
      record.targetType,
      record.targetId,
      record.ip,
      record.requestId,
      JSON.stringify(data),
      prevHash,
      hash,
    ],
  );
  const entity = manager.create(AuditEvent, { ...record, occurredAt: new Date(record.occurredAt), prevHash, hash });
  return entity;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstTampered: { seq: number; reason: TamperReason } | null;
}

/** Verifies the whole chain in batches, streaming so memory stays flat at any length. */
export async function verifyAuditChain(manager: EntityManager, batchSize = 5_000): Promise<ChainVerification> {
  let position = { lastHash: GENESIS_HASH, lastSeq: 0 };
  let checked = 0;
  for (;;) {
    const rows = await manager
      .createQueryBuilder(AuditEvent, 'e')
      .where('e.seq > :after', { after: position.lastSeq })
      .orderBy('e.seq', 'ASC')
      .limit(batchSize)
      .getMany();
    if (rows.length === 0) return { ok: true, checked, headSeq: position.lastSeq, firstTampered: null };
    const result = verifyChainBatch(
      rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() })),
      position,
    );
    checked += result.checked;
    if (result.firstTampered) {
      const [head] = await manager.query('SELECT max(seq) AS seq FROM audit_events');
      return { ok: false, checked, headSeq: Number(head.seq), firstTampered: result.firstTampered };
    }
    position = { lastHash: result.lastHash, lastSeq: result.lastSeq };
  }
}
