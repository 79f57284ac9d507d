import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-app inbox: one row per notice and recipient user, for the organization whose membership
 * made them a recipient (a user of several organizations sees each one's notices while acting for
 * it). Written beside the outbox message in the same transaction; the message's body (which may
 * carry secrets) stays in the outbox. Messages written before this migration stay mail only: they
 * name neither their recipient's organization nor their subject's languages apart.
 *
 * `notifications_inbox` answers a page newest first (recipient, created_at desc); the partial
 * `notifications_unread` holds only unread notices in the same order, so the unread filter's page
 * and the count every console page polls read a handful of entries however many notices were read.
 */
export class Notifications1765600000000 implements MigrationInterface {
  name = 'Notifications1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        outbox_message_id uuid UNIQUE REFERENCES outbox_messages(id) ON DELETE SET NULL,
        kind text NOT NULL,
        subject_zh text NOT NULL,
        subject_en text NOT NULL,
        target_type text,
        target_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        CONSTRAINT notifications_target_whole CHECK ((target_type IS NULL) = (target_id IS NULL))
      );
      CREATE INDEX notifications_inbox ON notifications (user_id, organization_id, created_at DESC, id DESC);
      CREATE INDEX notifications_unread ON notifications (user_id, organization_id, created_at DESC, id DESC) WHERE read_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications`);
  }
}
