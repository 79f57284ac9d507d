import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.js';
import { AuditEvent } from '../entities/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { appendAuditEvent, verifyAuditChain } from './audit-chain.js';

const origin = { actorUserId: null, actorOrganizationId: null, organizationId: null, targetType: null, targetId: null, ip: '127.0.0.1', requestId: null };

describe('audit chain on PostgreSQL', () => {
  // A database of its own: these tests tamper with the chain on purpose.
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('t_audit_chain');
    dataSource = createDataSource({ url: database.url, poolSize: 12 });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.dispose();
  });

  it('keeps a gapless, verifiable chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        dataSource.transaction((manager) => appendAuditEvent(manager, { ...origin, action: 'test.concurrent', data: { index, nested: { z: 1, a: [1, 2] } } })),
      ),
    );
    const seqs = (await dataSource.manager.find(AuditEvent, { order: { seq: 'ASC' } })).map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(await verifyAuditChain(dataSource.manager, 7)).toEqual({ ok: true, checked: 40, headSeq: 40, firstTampered: null });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const before = await dataSource.manager.count(AuditEvent);
    await expect(
      dataSource.transaction(async (manager) => {
        await appendAuditEvent(manager, { ...origin, action: 'test.rolled_back' });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await dataSource.manager.count(AuditEvent)).toBe(before);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(appendAuditEvent(dataSource.manager, { ...origin, action: 'test.no_tx' })).rejects.toThrow(/inside a transaction/);
  });

  it('rejects UPDATE, DELETE and TRUNCATE', async () => {
    await expect(dataSource.query(`UPDATE audit_events SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  it('reports the first tampered row when someone bypasses the trigger', async () => {
    // Only a superuser can do this; it stands for an attacker with direct database access.
    await dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
    await dataSource.query(`UPDATE audit_events SET data = '{"index": 999}'::jsonb WHERE seq = 17`);
    await dataSource.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');
    const result = await verifyAuditChain(dataSource.manager, 5);
    expect(result).toMatchObject({ ok: false, checked: 16, firstTampered: { seq: 17, reason: 'hash_mismatch' } });
  });
});
