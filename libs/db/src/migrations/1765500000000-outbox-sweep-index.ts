import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox sweep runs every few seconds (it delivers most notices): a partial index of the
 * messages not yet delivered makes each pass read only those, however long the outbox grows.
 */
export class OutboxSweepIndex1765500000000 implements MigrationInterface {
  name = 'OutboxSweepIndex1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX outbox_messages_undelivered ON outbox_messages (created_at) WHERE delivered_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_messages_undelivered`);
  }
}
