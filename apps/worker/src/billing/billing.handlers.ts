import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { closeBillingPeriods, listSettlements, markSettlementFailed, markSettlementPaid, type BillingCloseResult } from '@civic/db';
import { JOB_QUEUE, jobOptions, queuePrefix } from '@civic/jobs';
import { STRIPE_COLLECTED_KINDS, StripeCollector, type CollectOutcome } from '@civic/payments';
import { Queue } from 'bullmq';
import { StripeClientProvider } from '../payments/payments.handlers.js';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/** How long the close keeps re-queueing the collection of a Stripe invoice that is still open. */
const COLLECTION_SWEEP_DAYS = 3;

/**
 * The billing close: every ended billing period gets its usage rated and, when anything is
 * owed, exactly one usage invoice (see closeBillingPeriods). Running it twice, late or at
 * the same time as another worker changes nothing more.
 *
 * With Stripe configured, the invoices of Stripe licences are Stripe's to collect: after the
 * close, every open one issued in the last days gets its `billing.collect` job — those just
 * issued, any whose enqueueing was lost, and any whose job failed for good (retried). The job
 * id is the invoice's, so a job that is waiting, running or done is not queued again.
 */
@Injectable()
@HandlesJob('billing.close')
export class BillingCloseHandler implements JobHandler<'billing.close'> {
  private readonly logger = new Logger(BillingCloseHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(_job: JobContext<'billing.close'>, now = new Date()): Promise<BillingCloseResult & { collectionsQueued: number }> {
    const stripeCollection = this.stripe.client !== null;
    const result = await closeBillingPeriods(this.dataSource, { now, dueDays: this.config.INVOICE_DUE_DAYS, stripeCollection });
    const collectionsQueued = stripeCollection ? await this.queueCollections(now) : 0;
    if (result.periods || collectionsQueued) this.logger.log({ ...result, collectionsQueued }, 'billing periods closed');
    return { ...result, collectionsQueued };
  }

  private async queueCollections(now: Date): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM invoices
        WHERE provider = 'stripe' AND status = 'open' AND kind = ANY($1) AND issued_at > $2
        ORDER BY issued_at LIMIT 5000`,
      [STRIPE_COLLECTED_KINDS, new Date(now.getTime() - COLLECTION_SWEEP_DAYS * 86_400_000)],
    );
    if (rows.length === 0) return 0;
    const queue = new Queue(JOB_QUEUE['billing.collect'], { connection: { url: this.config.REDIS_URL }, prefix: queuePrefix(this.config.QUEUE_PREFIX) });
    let queued = 0;
    try {
      for (const { id } of rows) {
        const job = { name: 'billing.collect' as const, data: { invoiceId: id } };
        const options = jobOptions(job);
        const known = await queue.getJob(options.jobId as string);
        if (!known) {
          await queue.add(job.name, job.data, options);
          queued += 1;
        } else if (await known.isFailed()) {
          await known.retry('failed');
          queued += 1;
        }
      }
    } finally {
      await queue.close();
    }
    return queued;
  }
}

/**
 * Collects one usage or adjustment invoice of a Stripe licence through Stripe (see
 * StripeCollector): charged once however often the job runs; a declined card leaves the
 * invoice open for dunning (and Stripe's own retries); outages throw, so the job is retried.
 */
@Injectable()
@HandlesJob('billing.collect')
export class CollectHandler implements JobHandler<'billing.collect'> {
  private readonly logger = new Logger(CollectHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(job: JobContext<'billing.collect'>): Promise<CollectOutcome> {
    if (!this.stripe.client) throw new Error('A Stripe collection is queued but Stripe is not configured on this worker');
    const outcome = await new StripeCollector(this.dataSource, this.stripe.client).collect(job.data.invoiceId);
    if (outcome.action === 'declined') this.logger.warn(outcome, 'usage invoice declined by the card');
    else if (outcome.action === 'paid') this.logger.log(outcome, 'usage invoice paid through Stripe');
    return outcome;
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

export const BILLING_HANDLERS = [BillingCloseHandler, SettleHandler, CollectHandler];
