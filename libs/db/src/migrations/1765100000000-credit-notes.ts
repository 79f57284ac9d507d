import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit notes: what a period's final reading gives back (volume pricing can make more use
 * cost less). A credit note is an invoice of kind `credit_note` whose amounts are the credit
 * (positive) and whose lines carry the negative correction; it posts a `credit_note` journal
 * entry. It is settled against the licence's open invoices (their `amount_credited`) or by a
 * refund of a payment (refunds.credit_note_id); each settlement is one row of
 * credit_applications, and the note's own `amount_credited` counts what is settled.
 */
export class CreditNotes1765100000000 implements MigrationInterface {
  name = 'CreditNotes1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
      ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('purchase','renewal','usage','adjustment','credit_note'));
      ALTER TABLE invoices ADD COLUMN amount_credited bigint NOT NULL DEFAULT 0 CHECK (amount_credited >= 0);
      ALTER TABLE invoices DROP CONSTRAINT invoices_check1; -- amount_paid >= 0 AND amount_paid <= total
      ALTER TABLE invoices DROP CONSTRAINT invoices_check3; -- status <> 'paid' OR amount_paid = total
      ALTER TABLE invoices ADD CONSTRAINT invoices_settled_within_total CHECK (amount_paid >= 0 AND amount_paid + amount_credited <= total);
      ALTER TABLE invoices ADD CONSTRAINT invoices_paid_when_settled CHECK (status <> 'paid' OR amount_paid + amount_credited = total);
      ALTER TABLE invoices ADD CONSTRAINT invoices_credit_note_unpaid CHECK (kind <> 'credit_note' OR amount_paid = 0);

      ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
      ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
        CHECK (kind IN ('invoice_issued','invoice_voided','credit_note','payment','refund','chargeback','dispute_won','payout','remittance','reversal'));

      ALTER TABLE refunds ADD COLUMN credit_note_id uuid REFERENCES invoices(id);

      -- How a credit note was settled: against an open invoice of the licence, or by a refund.
      CREATE TABLE credit_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        credit_note_id uuid NOT NULL REFERENCES invoices(id),
        invoice_id uuid REFERENCES invoices(id),
        refund_id uuid UNIQUE REFERENCES refunds(id),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        applied_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((invoice_id IS NULL) <> (refund_id IS NULL)),
        CHECK (invoice_id IS NULL OR invoice_id <> credit_note_id),
        UNIQUE (credit_note_id, invoice_id)
      );
      CREATE INDEX ix_credit_applications_invoice ON credit_applications (invoice_id) WHERE invoice_id IS NOT NULL;
      CREATE TRIGGER credit_applications_immutable BEFORE UPDATE OR DELETE ON credit_applications
        FOR EACH ROW EXECUTE FUNCTION commerce_immutable();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE credit_applications;
      ALTER TABLE refunds DROP COLUMN credit_note_id;
      DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM invoices WHERE kind = 'credit_note');
      DELETE FROM invoices WHERE kind = 'credit_note';
      ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
      ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
        CHECK (kind IN ('invoice_issued','invoice_voided','payment','refund','chargeback','dispute_won','payout','remittance','reversal'));
      ALTER TABLE invoices DROP CONSTRAINT invoices_credit_note_unpaid;
      ALTER TABLE invoices DROP CONSTRAINT invoices_paid_when_settled;
      ALTER TABLE invoices DROP CONSTRAINT invoices_settled_within_total;
      ALTER TABLE invoices DROP COLUMN amount_credited;
      ALTER TABLE invoices ADD CONSTRAINT invoices_check1 CHECK (amount_paid >= 0 AND amount_paid <= total);
      ALTER TABLE invoices ADD CONSTRAINT invoices_check3 CHECK (status <> 'paid' OR amount_paid = total);
      ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
      ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('purchase','renewal','usage','adjustment'));
    `);
  }
}
