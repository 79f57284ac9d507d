import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { givenBackSql, listSettlements, markSettlementPaid, prepareSettlements, recordRefund, settlementLines, type RefundRecord, type Settlement } from '@civic/db';
import { DomainError } from '@civic/domain';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import { STRIPE_CLIENT } from '../payments/stripe-client.js';
import { JobProducer } from '../queues/job-producer.service.js';
import type { MarkSettlementPaidDto, RecordRefundDto, RefundDto, SettlementDto } from './dto/finance.dto.js';
import { settlementCsv, settlementPdf } from './statement-pdf.js';

export function settlementDto(settlement: Settlement): SettlementDto {
  return { ...settlement, createdAt: settlement.createdAt.toISOString(), paidAt: settlement.paidAt?.toISOString() ?? null };
}

function refundDto(refund: RefundRecord): RefundDto {
  return { ...refund, occurredAt: refund.occurredAt.toISOString() };
}

/**
 * Money going out: refunds and chargebacks on payments (through Stripe for card payments),
 * and the settlements of a period (vendor payouts, agency remittances) with their statements.
 */
@Injectable()
export class SettlementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  async refund(actor: Actor, principal: Principal, paymentId: string, input: RecordRefundDto): Promise<RefundDto> {
    const kind = input.kind ?? 'refund';
    const payments: Array<{ provider: string; provider_reference: string; amount: string }> = await this.dataSource.query(`SELECT provider, provider_reference, amount::text FROM payments WHERE id = $1`, [paymentId]);
    const payment = payments[0];
    if (!payment) throw new DomainError('billing.payment_not_found', 'Payment not found.');
    let reference = input.reference;
    if (payment.provider === 'stripe' && kind === 'refund') {
      if (!this.stripe) throw new DomainError('payments.unavailable', 'Stripe is not configured on this platform.');
      // Refuse before asking Stripe when the amount is more than remains (recordRefund checks again, locked).
      const refunded: Array<{ sum: string }> = await this.dataSource.query(`SELECT ${givenBackSql('$1::uuid')}::text AS sum`, [paymentId]);
      const remaining = Number(payment.amount) - Number(refunded[0]?.sum ?? 0);
      if (input.amount > remaining) throw new DomainError('billing.refund_exceeds_payment', `At most ${remaining} minor units of this payment can still be given back.`, [{ remaining, requested: input.amount }]);
      const target = payment.provider_reference.startsWith('pi_') ? { payment_intent: payment.provider_reference } : await this.chargeOfInvoice(payment.provider_reference);
      try {
        const metadata = { paymentId, ...(input.creditNoteId ? { creditNoteId: input.creditNoteId } : {}) };
        const created = await this.stripe.refunds.create({ ...target, amount: input.amount, reason: 'requested_by_customer', metadata }, { idempotencyKey: `refund-${paymentId}-${remaining}-${input.amount}` });
        reference = created.id;
      } catch (error) {
        throw new DomainError('payments.provider_error', `Stripe refused the refund: ${(error as Error).message}`);
      }
    }
    if (!reference) throw new DomainError('request.invalid', 'State the reference of the transfer back to the buyer.', [{ field: 'reference', messages: ['required for this payment'] }]);
    const result = await this.dataSource.transaction(async (manager) => {
      const recorded = await recordRefund(manager, {
        paymentId,
        kind,
        amount: input.amount,
        reference: reference!,
        reason: input.reason,
        occurredAt: new Date(),
        recordedByUserId: principal.userId,
        ...(input.creditNoteId ? { creditNoteId: input.creditNoteId } : {}),
      });
      if (recorded.created) {
        await this.audit.record(manager, actor, { action: `payment.${kind}`, targetType: 'payment', targetId: paymentId, data: { amount: input.amount, reference, reason: input.reason, creditNoteId: input.creditNoteId ?? null } });
      }
      return recorded.refund;
    });
    return refundDto(result);
  }

  private async chargeOfInvoice(stripeInvoiceId: string): Promise<{ payment_intent: string } | { charge: string }> {
    const invoice = (await this.stripe!.invoices.retrieve(stripeInvoiceId)) as unknown as { payment_intent?: string | { id: string } | null; charge?: string | { id: string } | null };
    const id = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : value?.id);
    const paymentIntent = id(invoice.payment_intent);
    if (paymentIntent) return { payment_intent: paymentIntent };
    const charge = id(invoice.charge);
    if (charge) return { charge };
    throw new DomainError('payments.provider_error', 'Stripe has no charge for this invoice to refund.');
  }

  async list(filter: { period?: string; organizationId?: string }): Promise<SettlementDto[]> {
    return (await listSettlements(this.dataSource, filter)).map(settlementDto);
  }

  /** Prepares the period's settlements now and queues the Stripe transfers (a job, idempotent). */
  async run(actor: Actor, period: string): Promise<SettlementDto[]> {
    const stripeVendors = new Set(
      this.stripe ? ((await this.dataSource.query(`SELECT organization_id FROM stripe_connect_accounts WHERE payouts_enabled`)) as Array<{ organization_id: string }>).map((row) => row.organization_id) : [],
    );
    const prepared = await this.dataSource.transaction(async (manager) => {
      const settlements = await prepareSettlements(manager, period, { stripeVendors });
      await this.audit.record(manager, actor, { action: 'finance.settlements_prepared', targetType: 'finance_period', targetId: null, data: { period, count: settlements.length } });
      return settlements;
    });
    if (prepared.some((settlement) => settlement.method === 'stripe_transfer' && settlement.status === 'pending')) {
      await this.jobs.enqueue({ name: 'billing.settle', data: { period } });
    }
    return prepared.map(settlementDto);
  }

  async markPaid(actor: Actor, id: string, input: MarkSettlementPaidDto): Promise<SettlementDto> {
    const paidAt = new Date(input.paidAt);
    if (Number.isNaN(paidAt.getTime()) || paidAt.getTime() > Date.now() + 5 * 60_000) {
      throw new DomainError('request.invalid', 'paidAt must be a date that is not in the future.', [{ field: 'paidAt', messages: ['not in the future'] }]);
    }
    const settlement = await this.dataSource.transaction(async (manager) => {
      const [current] = await listSettlements(manager, { id });
      if (!current) throw new DomainError('billing.settlement_not_found', 'Settlement not found.');
      if (current.method === 'stripe_transfer' && current.status !== 'failed') throw new DomainError('billing.not_offline', 'This payout is made by Stripe transfer.');
      const paid = await markSettlementPaid(manager, id, { reference: input.reference, paidAt, provider: 'offline' });
      await this.audit.record(manager, actor, { action: `finance.${paid.kind}_paid`, targetType: 'settlement', targetId: id, data: { reference: input.reference, amount: paid.amount, currency: paid.currency, organizationId: paid.organizationId } });
      return paid;
    });
    return settlementDto(settlement);
  }

  /** A settlement's statement (CSV or PDF); `organizationId` limits it to the payee's own. */
  async statement(id: string, format: 'csv' | 'pdf', organizationId?: string): Promise<{ body: Buffer | string; filename: string; contentType: string }> {
    const [settlement] = await listSettlements(this.dataSource, { id, organizationId });
    if (!settlement) throw new DomainError('billing.settlement_not_found', 'Settlement not found.');
    const lines = await settlementLines(this.dataSource, settlement);
    const name = `${settlement.kind}-${settlement.period}-${settlement.id.slice(0, 8)}`;
    if (format === 'csv') return { body: settlementCsv(settlement, lines), filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8' };
    return { body: await settlementPdf(settlement, lines, new Date()), filename: `${name}.pdf`, contentType: 'application/pdf' };
  }
}
