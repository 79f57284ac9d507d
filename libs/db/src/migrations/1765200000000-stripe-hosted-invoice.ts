import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The page where Stripe lets a buyer pay an open Stripe invoice (another card, another method):
 * kept on our invoice when Stripe finalizes it, shown to the buyer while it is unpaid.
 */
export class StripeHostedInvoice1765200000000 implements MigrationInterface {
  name = 'StripeHostedInvoice1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE invoices ADD COLUMN stripe_hosted_invoice_url text CHECK (stripe_hosted_invoice_url ~ '^https?://')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE invoices DROP COLUMN stripe_hosted_invoice_url`);
  }
}
