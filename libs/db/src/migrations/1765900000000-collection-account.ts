import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform's collection account (payee, bank, account number), where buyers send bank
 * transfers for offline invoices, is part of the finance policy: set by government finance,
 * versioned and audited with the rest of it. A policy has all three or none.
 */
export class CollectionAccount1765900000000 implements MigrationInterface {
  name = 'CollectionAccount1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE finance_policies
        ADD COLUMN collection_payee text,
        ADD COLUMN collection_bank text,
        ADD COLUMN collection_account text,
        ADD CONSTRAINT finance_policies_collection_whole CHECK (num_nulls(collection_payee, collection_bank, collection_account) IN (0, 3));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE finance_policies DROP CONSTRAINT finance_policies_collection_whole, DROP COLUMN collection_account, DROP COLUMN collection_bank, DROP COLUMN collection_payee`);
  }
}
