import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chargebacks the merchant wins: the card network gives the disputed money back. The chargeback
 * (a row of refunds, immutable) stays as it was; its reinstatement is a row of its own, at most
 * one per chargeback, and a journal entry of the new kind `dispute_won` that reverses the
 * chargeback's postings (the revenue shares stand again).
 */
export class DisputeReinstatements1765000000000 implements MigrationInterface {
  name = 'DisputeReinstatements1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
      ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
        CHECK (kind IN ('invoice_issued','invoice_voided','payment','refund','chargeback','dispute_won','payout','remittance','reversal'));

      CREATE TABLE dispute_reinstatements (
        refund_id uuid PRIMARY KEY REFERENCES refunds(id),
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE FUNCTION dispute_reinstatements_of_chargebacks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM refunds WHERE id = NEW.refund_id AND kind = 'chargeback') THEN
          RAISE EXCEPTION 'only a chargeback can be reinstated' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER dispute_reinstatements_of_chargebacks BEFORE INSERT ON dispute_reinstatements
        FOR EACH ROW EXECUTE FUNCTION dispute_reinstatements_of_chargebacks();
      CREATE TRIGGER dispute_reinstatements_immutable BEFORE UPDATE OR DELETE ON dispute_reinstatements
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE dispute_reinstatements;
      DROP FUNCTION dispute_reinstatements_of_chargebacks();
      ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
      ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
        CHECK (kind IN ('invoice_issued','invoice_voided','payment','refund','chargeback','payout','remittance','reversal'));
    `);
  }
}
