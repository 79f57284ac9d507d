import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The head of the audit chain in a one-row table. Appending takes the head's row lock with
 * `UPDATE … RETURNING` (which, under READ COMMITTED, re-reads the latest committed head), so an
 * append needs two statements instead of an advisory lock plus a read plus an insert.
 */
export class AuditChainHead1764100000000 implements MigrationInterface {
  name = 'AuditChainHead1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO audit_chain_head (id, seq, hash)
      SELECT 1, coalesce(max(seq), 0),
             coalesce((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), repeat('0', 64))
        FROM audit_events;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_chain_head');
  }
}
