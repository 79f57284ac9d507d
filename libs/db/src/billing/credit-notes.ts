import { applyCredit } from '@civic/domain';
import type { EntityManager } from 'typeorm';

/**
 * Invoices a credit note may be set against: what the licence still owes on its offline
 * usage and adjustment invoices (Stripe charges its own invoices; purchases and renewals put
 * licences in force when paid, so they are paid in money).
 */
const SETTLEABLE_KINDS = `('usage','adjustment')`;

/**
 * Sets each credit note against the open invoices of its licence, oldest first: every
 * application is one row of credit_applications, the invoice's `amount_credited` grows by it
 * (paid when nothing is left due), and so does the note's; a note fully set off is `paid`
 * (settled). What no open invoice takes stays open on the note, to be refunded by finance.
 * Run in the transaction that issued the notes; safe to repeat (a note settles only what is left).
 */
export async function settleCreditNotes(manager: EntityManager, creditNoteIds: readonly string[], now: Date): Promise<void> {
  for (const id of creditNoteIds) {
    const notes: Array<{ license_id: string; currency: string; left: string }> = await manager.query(
      `SELECT license_id, currency, (total - amount_credited)::text AS left FROM invoices WHERE id = $1 AND kind = 'credit_note' AND status = 'open' FOR UPDATE`,
      [id],
    );
    const note = notes[0];
    if (!note || Number(note.left) === 0) continue;
    const open: Array<{ id: string; due: string }> = await manager.query(
      `SELECT id, (total - amount_paid - amount_credited)::text AS due FROM invoices
        WHERE license_id = $1 AND currency = $2 AND kind IN ${SETTLEABLE_KINDS} AND provider = 'offline' AND status = 'open'
          AND total > amount_paid + amount_credited
        ORDER BY issued_at, number
        FOR UPDATE`,
      [note.license_id, note.currency],
    );
    const { applications } = applyCredit(Number(note.left), open.map((row) => ({ invoiceId: row.id, due: Number(row.due) })));
    if (applications.length === 0) continue;
    await manager.query(
      `INSERT INTO credit_applications (credit_note_id, invoice_id, amount, currency, applied_at)
       SELECT $1, r.invoice_id, r.amount, $2, $3 FROM unnest($4::uuid[], $5::bigint[]) AS r(invoice_id, amount)`,
      [id, note.currency, now, applications.map((application) => application.invoiceId), applications.map((application) => application.amount)],
    );
    await manager.query(
      `UPDATE invoices i SET amount_credited = i.amount_credited + r.amount, updated_at = now(),
              status = CASE WHEN i.amount_paid + i.amount_credited + r.amount = i.total THEN 'paid' ELSE i.status END,
              paid_at = CASE WHEN i.amount_paid + i.amount_credited + r.amount = i.total THEN $3 ELSE i.paid_at END
         FROM unnest($1::uuid[], $2::bigint[]) AS r(invoice_id, amount)
        WHERE i.id = r.invoice_id`,
      [applications.map((application) => application.invoiceId), applications.map((application) => application.amount), now],
    );
    await addToCreditNote(manager, id, applications.reduce((sum, application) => sum + application.amount, 0), now);
  }
}

/** Counts `amount` more of a credit note as settled; a note settled in full is `paid`. */
export async function addToCreditNote(manager: EntityManager, creditNoteId: string, amount: number, now: Date): Promise<void> {
  await manager.query(
    `UPDATE invoices SET amount_credited = amount_credited + $2, updated_at = now(),
            status = CASE WHEN amount_credited + $2 = total THEN 'paid' ELSE status END,
            paid_at = CASE WHEN amount_credited + $2 = total THEN $3 ELSE paid_at END
      WHERE id = $1 AND kind = 'credit_note'`,
    [creditNoteId, amount, now],
  );
}
