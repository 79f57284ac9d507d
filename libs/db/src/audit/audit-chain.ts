import { computeAuditHash, GENESIS_HASH, verifyChainBatch, type AuditRecord, type TamperReason } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditEvent } from '../entities/audit-event.entity.js';

/** Serializes writers of the chain; held until the writing transaction ends. */
const AUDIT_CHAIN_LOCK = 7212002;

export type AuditInput = Omit<AuditRecord, 'seq' | 'occurredAt' | 'data'> & { data?: Record<string, unknown> };

/**
 * Appends one event to the chain inside the caller's transaction, so the event commits
 * or rolls back with the action it records. Must be called within a transaction.
 */
export async function appendAuditEvent(manager: EntityManager, input: AuditInput): Promise<AuditEvent> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendAuditEvent must run inside a transaction');
  await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  const [last] = await manager.query('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  // Round-trip the data through JSON so the hash covers exactly what jsonb will return.
  const data = JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>;
  const record: AuditRecord = {
    seq: last ? Number(last.seq) + 1 : 1,
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
  const prevHash: string = last ? last.hash : GENESIS_HASH;
  const hash = computeAuditHash(record, prevHash);
  const entity = manager.create(AuditEvent, { ...record, occurredAt: new Date(record.occurredAt), prevHash, hash });
  await manager.insert(AuditEvent, entity as QueryDeepPartialEntity<AuditEvent>);
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
