import { appendAuditEvent, createDataSource } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import type { Bench } from './harness.js';
import { median } from './harness.js';

const EVENTS = 1_000;
const ROUNDS = 3;

/**
 * Cost of the tamper-evident audit chain: appending events through the chain (advisory lock,
 * read previous hash, canonical JSON + sha256, insert) versus a plain insert of the same
 * rows into an unchained copy of the table, one transaction per event in both cases.
 */
export const auditAppend: Bench = {
  name: 'audit-append',
  description: 'audit events appended per second through the hash chain vs plain inserts',
  async run() {
    const database = await createTestDatabase('t_bench_audit');
    const dataSource = createDataSource({ url: database.url, poolSize: 4 });
    await dataSource.initialize();
    try {
      await dataSource.query('CREATE TABLE plain_events (LIKE audit_events INCLUDING DEFAULTS)');
      const data = { email: 'someone@example.test', reason: 'wrong_password', failures: 3 };
      const chained: number[] = [];
      const plain: number[] = [];
      let seq = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        let started = performance.now();
        for (let index = 0; index < EVENTS; index += 1) {
          await dataSource.transaction((manager) =>
            appendAuditEvent(manager, { action: 'auth.login_failed', actorUserId: null, actorOrganizationId: null, organizationId: null, targetType: null, targetId: null, ip: '10.0.0.1', requestId: `r${index}`, data }),
          );
        }
        chained.push(EVENTS / ((performance.now() - started) / 1000));
        started = performance.now();
        for (let index = 0; index < EVENTS; index += 1) {
          seq += 1;
          await dataSource.transaction((manager) =>
            manager.query(
              `INSERT INTO plain_events (seq, occurred_at, action, ip, request_id, data, prev_hash, hash) VALUES ($1, now(), 'auth.login_failed', '10.0.0.1', $2, $3, '', '')`,
              [seq, `r${index}`, JSON.stringify(data)],
            ),
          );
        }
        plain.push(EVENTS / ((performance.now() - started) / 1000));
      }
      return {
        value: Math.round(median(chained)),
        unit: 'events/s',
        baseline: Math.round(median(plain)),
        goal: 0.5,
        notes: `median of ${ROUNDS} rounds of ${EVENTS} sequential single-event transactions; goal: the chain costs at most 2x a plain insert`,
      };
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  },
};
