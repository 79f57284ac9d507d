/**
 * Settling a credit note. A credit (what a period's final reading gives back) is first set
 * against what the same licence still owes, oldest invoice first, so the buyer pays that much
 * less; whatever remains is the buyer's money, refunded from the licence's payments.
 */
import { DomainError } from '../errors/domain-error.js';

export interface OpenBalance {
  invoiceId: string;
  /** What is still due on the invoice, minor units. */
  due: number;
}

export interface CreditSettlement {
  applications: Array<{ invoiceId: string; amount: number }>;
  /** What no open invoice could take: to be refunded. */
  remaining: number;
}

/** Applies `credit` to the open balances in the order given (oldest first), never beyond what is due. */
export function applyCredit(credit: number, open: readonly OpenBalance[]): CreditSettlement {
  if (!Number.isSafeInteger(credit) || credit < 0) throw new DomainError('billing.invalid_amount', 'A credit is a non-negative whole number of minor units', { credit });
  const applications: CreditSettlement['applications'] = [];
  let remaining = credit;
  for (const balance of open) {
    if (remaining === 0) break;
    if (!Number.isSafeInteger(balance.due) || balance.due < 0) throw new DomainError('billing.invalid_amount', 'What is due is a non-negative whole number of minor units', { due: balance.due });
    const amount = Math.min(remaining, balance.due);
    if (amount > 0) applications.push({ invoiceId: balance.invoiceId, amount });
    remaining -= amount;
  }
  return { applications, remaining };
}
