import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { closeBillingPeriods, listSettlements, markSettlementFailed, markSettlementPaid, type BillingCloseResult } from '@civic/db';
import { StripeClientProvider } from '../payments/payments.handlers.js';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/**
 * The billing close: every ended billing period gets its usage rated and, when anything is
 * owed, exactly one usage invoice (see closeBillingPeriods). Running it twice, late or at
 * the same time as another worker changes nothing more.
 */
@Injectable()
@HandlesJob('billing.close')
export class BillingCloseHandler implements JobHandler<'billing.close'> {
  private readonly logger = new Logger(BillingCloseHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
  ) {}

  async handle(_job: JobContext<'billing.close'>, now = new Date()): Promise<BillingCloseResult> {
    const result = await closeBillingPeriods(this.dataSource, { now, dueDays: this.config.INVOICE_DUE_DAYS });
    if (result.periods) this.logger.log(result, 'billing periods closed');
    return result;
  }
}

/**
 * Pays a period's pending Stripe payouts: one Connect transfer per settlement (separate
 * charges and transfers), whose idempotency key is the settlement, so a retried or repeated
 * job never pays twice; then the payout is posted to the ledger. A refused transfer marks the
 * settlement failed with Stripe's reason (finance can pay it by bank transfer instead).
 */
@Injectable()
@HandlesJob('billing.settle')
export class SettleHandler implements JobHandler<'billing.settle'> {
  private readonly logger = new Logger(SettleHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(job: JobContext<'billing.settle'>): Promise<{ paid: number; failed: number }> {
    const counts = { paid: 0, failed: 0 };
    const stripe = this.stripe.client;
    if (!stripe) return counts;
    const pending = (await listSettlements(this.dataSource, { period: job.data.period })).filter((settlement) => settlement.method === 'stripe_transfer' && settlement.status === 'pending');
    for (const settlement of pending) {
      const accounts: Array<{ account_id: string }> = await this.dataSource.query(`SELECT account_id FROM stripe_connect_accounts WHERE organization_id = $1`, [settlement.organizationId]);
      const destination = accounts[0]?.account_id;
      try {
        if (!destination) throw new Error('The vendor has no Stripe account');
        const transfer = await stripe.transfers.create(
          { amount: settlement.amount, currency: settlement.currency.toLowerCase(), destination, transfer_group: `settlement-${settlement.id}`, metadata: { settlementId: settlement.id, period: settlement.period } },
          { idempotencyKey: `settlement-${settlement.id}` },
        );
        await this.dataSource.transaction((manager) => markSettlementPaid(manager, settlement.id, { reference: transfer.id, paidAt: new Date(transfer.created * 1000), provider: 'stripe' }));
        counts.paid += 1;
      } catch (error) {
        const type = (error as { type?: string }).type;
        // Stripe's refusals (a card error, an invalid request) fail the payout; outages retry the job.
        if (!destination || type === 'StripeInvalidRequestError' || type === 'StripePermissionError') {
          await markSettlementFailed(this.dataSource, settlement.id, (error as Error).message);
          counts.failed += 1;
        } else {
          throw error;
        }
      }
    }
    if (counts.paid || counts.failed) this.logger.log({ period: job.data.period, ...counts }, 'payouts transferred');
    return counts;
  }
}

export const BILLING_HANDLERS = [BillingCloseHandler, SettleHandler];
