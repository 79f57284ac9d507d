import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { applyLicenceEvent, convergeLicenceStatus, issueInvoice, License, statusOf } from '@civic/db';
import { describePricePlan, type PricePlan } from '@civic/domain';
import {
  createStripeClient,
  type OfferSyncOutcome,
  type ProductSyncOutcome,
  storeProviderEvent,
  StripeCatalog,
  STRIPE_COLLECTED_KINDS,
  STRIPE_EVENT_TYPES,
  StripeSync,
  type SyncOutcome,
} from '@civic/payments';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';

/** The worker's Stripe client (null when Stripe is not configured). */
@Injectable()
export class StripeClientProvider {
  readonly client: Stripe | null;

  constructor(config: WorkerConfig) {
    this.client = createStripeClient(config);
  }
}

/**
 * Applies one stored Stripe event. Idempotent: an applied event is skipped, and applying means
 * converging our records to the object as Stripe has it now (see StripeSync).
 */
@Injectable()
@HandlesJob('payments.provider-event')
export class ProviderEventHandler implements JobHandler<'payments.provider-event'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(job: JobContext<'payments.provider-event'>): Promise<SyncOutcome | { action: 'already_applied' | 'unknown_event' }> {
    const rows: Array<{ type: string; object_id: string | null; processed_at: Date | null }> = await this.dataSource.query(
      `SELECT type, object_id, processed_at FROM payment_provider_events WHERE provider = $1 AND event_id = $2`,
      [job.data.provider, job.data.eventId],
    );
    const stored = rows[0];
    if (!stored) return { action: 'unknown_event' };
    if (stored.processed_at) return { action: 'already_applied' };
    if (!this.stripe.client) throw new Error('Stripe events are queued but Stripe is not configured on this worker');
    try {
      const outcome = await new StripeSync(this.dataSource, this.stripe.client).applyEvent(stored.type, stored.object_id);
      await this.dataSource.query(`UPDATE payment_provider_events SET processed_at = now(), attempts = attempts + 1, last_error = NULL WHERE provider = $1 AND event_id = $2`, [
        job.data.provider,
        job.data.eventId,
      ]);
      return outcome;
    } catch (error) {
      await this.dataSource.query(`UPDATE payment_provider_events SET attempts = attempts + 1, last_error = $3 WHERE provider = $1 AND event_id = $2`, [
        job.data.provider,
        job.data.eventId,
        error instanceof Error ? error.message.slice(0, 1000) : String(error),
      ]);
      throw error;
    }
  }
}

/**
 * Catches Stripe events whose webhook never arrived (listing the recent ones from Stripe) and
 * re-queues stored events that were never applied (an enqueue lost to a Redis outage). With
 * Stripe configured it also queues `payments.sync-offer` for offers Stripe is behind on: published
 * ones whose current revision was never synced (`stripe_price_revision`), and unpublished ones
 * still holding a price id (their Price may still be active).
 */
@Injectable()
@HandlesJob('payments.sweep-events')
export class SweepProviderEventsHandler implements JobHandler<'payments.sweep-events'> {
  private readonly logger = new Logger(SweepProviderEventsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
    private readonly producer: WorkerProducer,
  ) {}

  async handle(job: JobContext<'payments.sweep-events'>): Promise<{ found: number; queued: number; offers: number }> {
    let found = 0;
    if (this.stripe.client) {
      const since = Math.floor(Date.now() / 1000) - job.data.lookbackSeconds;
      for await (const event of this.stripe.client.events.list({ created: { gte: since }, types: [...STRIPE_EVENT_TYPES], limit: 100 })) {
        const stored = await storeProviderEvent(this.dataSource, { id: event.id, type: event.type, created: event.created, objectId: (event.data.object as { id?: string }).id ?? null }, 'sweep');
        if (stored.stored) found += 1;
      }
    }
    const pending: Array<{ event_id: string }> = await this.dataSource.query(
      `SELECT event_id FROM payment_provider_events WHERE provider = 'stripe' AND processed_at IS NULL AND received_at < now() - interval '30 seconds' ORDER BY received_at LIMIT 1000`,
    );
    const fresh: Array<{ event_id: string }> = found
      ? await this.dataSource.query(`SELECT event_id FROM payment_provider_events WHERE provider = 'stripe' AND processed_at IS NULL AND source = 'sweep'`)
      : [];
    const ids = [...new Set([...pending, ...fresh].map((row) => row.event_id))];
    for (const eventId of ids) await this.producer.enqueue({ name: 'payments.provider-event', data: { provider: 'stripe', eventId } });
    const offers: Array<{ id: string }> = this.stripe.client
      ? await this.dataSource.query(
          `SELECT id FROM offers
            WHERE ((status = 'published' AND stripe_price_revision IS DISTINCT FROM revision) OR (status <> 'published' AND stripe_price_id IS NOT NULL))
              AND updated_at < now() - interval '1 minute'
            ORDER BY updated_at LIMIT 500`,
        )
      : [];
    for (const { id } of offers) await this.producer.enqueue({ name: 'payments.sync-offer', data: { offerId: id } });
    if (found || ids.length || offers.length) this.logger.log({ found, queued: ids.length, offers: offers.length }, 'provider events swept');
    return { found, queued: ids.length, offers: offers.length };
  }
}

/**
 * Converges the Stripe catalog to one offer as it stands (`StripeCatalog.syncOffer`): queued by
 * the API when an offer is published, revised or retired, and by the sweep.
 */
@Injectable()
@HandlesJob('payments.sync-offer')
export class SyncOfferHandler implements JobHandler<'payments.sync-offer'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(job: JobContext<'payments.sync-offer'>): Promise<OfferSyncOutcome | { action: 'stripe_not_configured' }> {
    if (!this.stripe.client) return { action: 'stripe_not_configured' };
    return new StripeCatalog(this.dataSource, this.stripe.client).syncOffer(job.data.offerId);
  }
}

/** Renames a product's Stripe Product after its titles (`StripeCatalog.syncProduct`); queued by the API when they change. */
@Injectable()
@HandlesJob('payments.sync-product')
export class SyncProductHandler implements JobHandler<'payments.sync-product'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeClientProvider,
  ) {}

  async handle(job: JobContext<'payments.sync-product'>): Promise<ProductSyncOutcome | { action: 'stripe_not_configured' }> {
    if (!this.stripe.client) return { action: 'stripe_not_configured' };
    return new StripeCatalog(this.dataSource, this.stripe.client).syncProduct(job.data.productId);
  }
}

/**
 * Licence housekeeping, safe to run at any time and twice: terms that ran out expire; offline
 * subscriptions at the end of their period end (if cancelled) or get the next period's invoice
 * (once: the invoice's unique key) and move on; unpaid offline invoices make the licence past
 * due after the due date and suspend it after the grace period, as do unpaid usage invoices that
 * Stripe collects. Otherwise Stripe licences follow Stripe.
 */
@Injectable()
@HandlesJob('payments.sweep-licenses')
export class SweepLicensesHandler implements JobHandler<'payments.sweep-licenses'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: WorkerConfig,
  ) {}

  async handle(): Promise<Record<string, number>> {
    const counts = { expired: 0, ended: 0, renewed: 0, pastDue: 0, suspended: 0, rolled: 0 };
    const now = new Date();
    const system = { source: 'schedule' as const };

    const termEnded = await this.dataSource.query(`SELECT id FROM licenses WHERE state IN ('active','past_due','suspended') AND expires_at IS NOT NULL AND expires_at <= now()`);
    for (const { id } of termEnded as Array<{ id: string }>) {
      await this.dataSource.transaction((manager) => applyLicenceEvent(manager, id, { type: 'expire' }, system, { endedAt: now, endReason: 'term ended' }));
      counts.expired += 1;
    }

    const due: License[] = await this.dataSource.manager
      .createQueryBuilder(License, 'l')
      .where(`l.state IN ('active','past_due') AND l.provider IN ('offline','none') AND l.current_period_end IS NOT NULL AND l.current_period_end <= now()`)
      .getMany();
    for (const license of due) {
      await this.dataSource.transaction(async (manager) => {
        const locked = await manager.findOneOrFail(License, { where: { id: license.id }, lock: { mode: 'pessimistic_write' } });
        if (!locked.currentPeriodEnd || locked.currentPeriodEnd > now || !['active', 'past_due'].includes(locked.state)) return;
        if (locked.cancelAtPeriodEnd) {
          await applyLicenceEvent(manager, locked.id, { type: 'period_ended', cancelAtPeriodEnd: true }, system, { endedAt: locked.currentPeriodEnd, endReason: 'cancelled at period end' });
          counts.ended += 1;
          return;
        }
        const plan = locked.pricePlan as unknown as PricePlan;
        const interval = plan.kind === 'subscription' || plan.kind === 'hybrid' ? plan.interval : 'month';
        const billed = (plan.kind === 'subscription' || plan.kind === 'hybrid') && locked.provider === 'offline' && plan.amount > 0;
        // Catch up every period that ended while nothing ran (at most two years of them).
        let start = locked.currentPeriodEnd;
        let end = nextPeriodEnd(start, interval);
        for (let periods = 0; periods < 24; periods += 1) {
          if (billed) {
            const { created } = await issueInvoice(manager, {
              license: locked,
              provider: 'offline',
              kind: 'renewal',
              status: 'open',
              lines: [{ kind: 'subscription_fee', descriptionZh: describePricePlan(plan, 'zh-CN'), descriptionEn: describePricePlan(plan, 'en'), quantity: 1, unitAmount: plan.amount, amount: plan.amount }],
              periodStart: start,
              periodEnd: end,
              dueAt: new Date(start.getTime() + this.config.INVOICE_DUE_DAYS * 86_400_000),
            });
            if (created) counts.renewed += 1;
          } else {
            counts.rolled += 1;
          }
          if (end > now) break;
          start = end;
          end = nextPeriodEnd(start, interval);
        }
        await convergeLicenceStatus(manager, locked.id, 'period_ended', (l) => statusOf(l), system, { currentPeriodStart: start, currentPeriodEnd: end });
      });
    }

    // Dunning of our own invoices (offline ones, and billed use that Stripe collects for us; Stripe
    // subscriptions dun their fixed fees themselves): overdue → past due; beyond the grace period → suspended.
    const overdue: Array<{ license_id: string; due_at: Date }> = await this.dataSource.query(
      `SELECT i.license_id, min(i.due_at) AS due_at FROM invoices i JOIN licenses l ON l.id = i.license_id
        WHERE (i.provider = 'offline' OR i.kind = ANY($1)) AND i.status = 'open' AND i.kind NOT IN ('purchase', 'credit_note') AND i.due_at < now() AND l.state IN ('active','past_due')
        GROUP BY i.license_id`,
      [STRIPE_COLLECTED_KINDS],
    );
    for (const row of overdue) {
      const graceOver = new Date(row.due_at).getTime() + this.config.LICENSE_GRACE_DAYS * 86_400_000 <= now.getTime();
      await this.dataSource.transaction(async (manager) => {
        const context = { ...system, details: { dueAt: new Date(row.due_at).toISOString() } };
        const failed = await applyLicenceEvent(manager, row.license_id, { type: 'payment_failed' }, context);
        if (failed.changed) counts.pastDue += 1;
        if (graceOver) {
          const suspended = await applyLicenceEvent(manager, row.license_id, { type: 'grace_expired' }, context);
          if (suspended.changed) counts.suspended += 1;
        }
      });
    }
    return counts;
  }
}

function nextPeriodEnd(start: Date, interval: 'month' | 'year'): Date {
  const end = new Date(start);
  if (interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

export const PAYMENT_HANDLERS = [ProviderEventHandler, SweepProviderEventsHandler, SweepLicensesHandler, SyncOfferHandler, SyncProductHandler];
