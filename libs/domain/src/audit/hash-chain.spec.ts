import { computeAuditHash, GENESIS_HASH, verifyChainBatch, type AuditRecord, type ChainedAuditRecord } from './hash-chain.js';

function chain(count: number): ChainedAuditRecord[] {
  const records: ChainedAuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const record: AuditRecord = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      action: 'auth.login',
      actorUserId: `user-${seq}`,
      actorOrganizationId: 'org-1',
      organizationId: 'org-1',
      targetType: null,
      targetId: null,
      ip: '127.0.0.1',
      requestId: `req-${seq}`,
      data: { attempt: seq, nested: { b: 2, a: 1 } },
    };
    const hash = computeAuditHash(record, prevHash);
    records.push({ ...record, prevHash, hash });
    prevHash = hash;
  }
  return records;
}

describe('audit hash chain', () => {
  it('hashes independently of key order in data', () => {
    const [first] = chain(1);
    const reordered = { ...first, data: { nested: { a: 1, b: 2 }, attempt: 1 } };
    expect(computeAuditHash(reordered, GENESIS_HASH)).toBe(first.hash);
  });

  it('verifies an intact chain, also in batches', () => {
    const records = chain(10);
    expect(verifyChainBatch(records)).toMatchObject({ checked: 10, firstTampered: null, lastSeq: 10 });
    const head = verifyChainBatch(records.slice(0, 4));
    const tail = verifyChainBatch(records.slice(4), head);
    expect(tail).toMatchObject({ checked: 6, firstTampered: null, lastHash: records[9].hash });
  });

  it('reports the first record whose content was changed', () => {
    const records = chain(6);
    records[3] = { ...records[3], data: { attempt: 999 } };
    expect(verifyChainBatch(records).firstTampered).toEqual({ seq: 4, reason: 'hash_mismatch' });
  });

  it('reports a rewritten record whose hash was recomputed as a broken link on the next one', () => {
    const records = chain(6);
    const forged = { ...records[2], action: 'auth.logout' };
    records[2] = { ...forged, hash: computeAuditHash(forged, forged.prevHash) };
    expect(verifyChainBatch(records).firstTampered).toEqual({ seq: 4, reason: 'broken_link' });
  });

  it('reports a deleted record as a sequence gap', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChainBatch(records).firstTampered).toEqual({ seq: 3, reason: 'sequence_gap' });
  });
});
