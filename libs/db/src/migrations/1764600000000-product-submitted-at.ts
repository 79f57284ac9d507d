import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a product's current review round was submitted (the review queues show it). Products
 * already submitted take the time of their last `product.submitted` audit event, else the last
 * change of the row.
 */
export class ProductSubmittedAt1764600000000 implements MigrationInterface {
  name = 'ProductSubmittedAt1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE products ADD COLUMN submitted_at timestamptz;
      UPDATE products p SET submitted_at = coalesce(
        (SELECT max(a.occurred_at) FROM audit_events a WHERE a.action = 'product.submitted' AND a.target_type = 'product' AND a.target_id = p.id::text),
        p.updated_at)
       WHERE p.review_round > 0;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE products DROP COLUMN submitted_at`);
  }
}
