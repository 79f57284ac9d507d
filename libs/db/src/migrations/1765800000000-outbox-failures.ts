import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail is sent by SMTP: a message the relay refuses for good (a 5xx answer, such as an unknown
 * recipient) is marked failed with the relay's reason instead of being retried by every sweep.
 */
export class OutboxFailures1765800000000 implements MigrationInterface {
  name = 'OutboxFailures1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox_messages ADD COLUMN failed_at timestamptz, ADD COLUMN failure text;
      DROP INDEX outbox_messages_undelivered;
      CREATE INDEX outbox_messages_undelivered ON outbox_messages (created_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX outbox_messages_undelivered;
      CREATE INDEX outbox_messages_undelivered ON outbox_messages (created_at) WHERE delivered_at IS NULL;
      ALTER TABLE outbox_messages DROP COLUMN failure, DROP COLUMN failed_at;
    `);
  }
}
