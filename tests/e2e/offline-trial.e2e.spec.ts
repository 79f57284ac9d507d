import { closeBillingPeriods, createDataSource, recordUsage } from '@civic/db';
import { JOB_QUEUE, jobOptions, queuePrefix, type JobOf } from '@civic/jobs';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { apiOk, login, signUp, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';
import { until } from '../support/until.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TRIAL_DAYS = 14;
/** A monthly fee of ¥500.00 plus ¥0.50 per 1,000 rows, after a 14-day free trial. */
const PLAN = {
  kind: 'hybrid',
  currency: 'CNY',
  interval: 'month',
  amount: 50_000,
  trialDays: TRIAL_DAYS,
  metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 0, unitAmount: 50 },
} as const;

interface InvoiceView {
  id: string;
  kind: string;
  status: string;
  total: number;
  periodStart: string | null;
  periodEnd: string | null;
  lines: Array<{ kind: string; quantity: number; amount: number }>;
}

/**
 * A free trial bought offline (bank transfer) is real: checkout puts the licence in force at
 * once with its trial's end and issues no invoice; use during the trial is not billed by the
 * billing close (not even when it arrives late); the first fixed fee is invoiced once, by the
 * licence sweep in the worker, for the first paid period, which starts when the trial ends; a
 * licence cancelled during its trial ends with it, nothing charged.
 */
describe('free trials bought offline', () => {
  const ctx = usePlatform({}, { worker: true });
  let db: DataSource;
  let sweeps: Queue;
  let offerId = '';
  let productId = '';

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await db.initialize();
    sweeps = new Queue(JOB_QUEUE['payments.sweep-licenses'], { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: queuePrefix(ctx.platform.queuePrefix) });
    // An offer of its own with a trial and metered use, so nothing depends on what other files sell.
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id;
    const templates = (await apiOk(ctx.http, vendor.token, 'GET', '/api/v1/license-templates')).items as Array<{ id: string; key: string }>;
    const suffix = Date.now().toString(36);
    const offer = await apiOk(ctx.http, vendor.token, 'POST', `/api/v1/products/${productId}/offers`, {
      templateId: templates.find((template) => template.key === 'commercial-internal')!.id,
      nameZh: `试用月度订阅 ${suffix}`,
      nameEn: `Monthly with a trial ${suffix}`,
      pricePlan: PLAN,
    });
    await apiOk(ctx.http, vendor.token, 'POST', `/api/v1/offers/${offer.id}/publish`);
    offerId = offer.id;
  });
  afterAll(async () => {
    await sweeps?.close();
    await db?.destroy();
  });

  /** The worker's licence sweep, run now (as its schedule would); resolves once the worker ran it. */
  async function runLicenceSweep(): Promise<void> {
    const job: JobOf<'payments.sweep-licenses'> = { name: 'payments.sweep-licenses', data: { trigger: 'manual' } };
    const queued = await sweeps.add(job.name, job.data, jobOptions(job));
    const state = await until(() => queued.getState(), (current) => current === 'completed' || current === 'failed', 'the licence sweep');
    expect(state).toBe('completed');
  }

  /** A new organization accepts the offer's terms and checks out offline. */
  async function buyWithTrial(http: Http) {
    const buyer = await signUp(http);
    const terms = await http.get(`/api/v1/offers/${offerId}/terms`);
    const accepted = await http.post('/api/v1/licenses', { offerId, termsSha256: terms.body.termsSha256, acceptTerms: true }, { token: buyer.token });
    expect(accepted.status).toBe(201);
    expect(accepted.body.state).toBe('pending_payment');
    const before = Date.now();
    const checkout = await http.post(`/api/v1/licenses/${accepted.body.id}/checkout`, {}, { token: buyer.token });
    expect(checkout.status).toBe(200);
    return { buyer, checkout: checkout.body, licenseId: accepted.body.id as string, organizationId: buyer.me.organization.id as string, before, after: Date.now() };
  }

  /**
   * Moves a licence `ms` into the past, as the passing of time would: its activation, trial and
   * billing periods (its invoices and recorded use are dated by the test itself).
   */
  async function travel(licenseId: string, ms: number): Promise<void> {
    const shift = `${ms} milliseconds`;
    await db.transaction(async (manager) => {
      // The periods first, so the licence's trigger finds its current period already there.
      await manager.query(`UPDATE billing_periods SET period_start = period_start - $2::interval, period_end = period_end - $2::interval WHERE license_id = $1`, [licenseId, shift]);
      await manager.query(
        `UPDATE licenses SET activated_at = activated_at - $2::interval, trial_ends_at = trial_ends_at - $2::interval,
                current_period_start = current_period_start - $2::interval, current_period_end = current_period_end - $2::interval
          WHERE id = $1`,
        [licenseId, shift],
      );
    });
  }

  async function use(licenseId: string, organizationId: string, prefix: string, rows: number, at: Date): Promise<void> {
    const events = Array.from({ length: 10 }, (_, index) => ({
      key: `${licenseId}:${prefix}:${index}:row`,
      productId,
      productVersionId: null,
      licenseId,
      consumerOrganizationId: organizationId,
      channel: 'api' as const,
      unit: 'row' as const,
      quantity: rows / 10,
      occurredAt: new Date(at.getTime() + index * 1000),
    }));
    expect((await recordUsage(db, events)).rejected).toEqual([]);
  }

  const invoicesOf = async (http: Http, token: string, licenseId: string): Promise<InvoiceView[]> => (await http.get(`/api/v1/licenses/${licenseId}`, { token })).body.invoices;

  it('starts the trial at checkout without an invoice, bills no use made in it, and invoices the first month when it ends', async () => {
    const { buyer, checkout, licenseId, organizationId, before, after } = await buyWithTrial(ctx.http);

    // In force at once, free until the trial's end, nothing to pay.
    expect(checkout).toMatchObject({ provider: 'offline', url: null, invoice: null });
    const license = checkout.license;
    expect(license).toMatchObject({ id: licenseId, state: 'active', provider: 'offline', invoices: [] });
    const trialEndsAt = new Date(license.trialEndsAt).getTime();
    expect(trialEndsAt).toBeGreaterThanOrEqual(before + TRIAL_DAYS * DAY);
    expect(trialEndsAt).toBeLessThanOrEqual(after + TRIAL_DAYS * DAY);
    expect(new Date(license.currentPeriodEnd).getTime()).toBe(trialEndsAt);
    expect(new Date(license.currentPeriodStart).getTime()).toBe(new Date(license.activatedAt).getTime());
    expect(license.events.map((event: { event: string; toState: string }) => [event.event, event.toState])).toEqual([
      ['accepted', 'pending_payment'],
      ['trial_started', 'active'],
    ]);
    const entitled = await ctx.http.get(`/api/v1/entitlements?productId=${productId}&action=query&licenseId=${licenseId}`, { token: buyer.token });
    expect(entitled.body).toMatchObject({ allowed: true, licenseId });
    // Checking out again neither charges nor restarts anything.
    const again = await ctx.http.post(`/api/v1/licenses/${licenseId}/checkout`, {}, { token: buyer.token });
    expect([again.status, again.body.error?.code]).toEqual([409, 'licensing.not_payable']);
    expect((await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items).toEqual([]);

    // The trial runs its course: 200,000 rows used during it. It ended two hours ago.
    await travel(licenseId, TRIAL_DAYS * DAY + 2 * HOUR);
    const trialStart = new Date(new Date(license.activatedAt).getTime() - TRIAL_DAYS * DAY - 2 * HOUR);
    const trialEnd = new Date(trialEndsAt - TRIAL_DAYS * DAY - 2 * HOUR);
    await use(licenseId, organizationId, 'in-trial', 200_000, new Date(trialStart.getTime() + DAY));

    // The close takes the trial's period and bills nothing of it.
    await closeBillingPeriods(db, { settleSeconds: 60 });
    const [trialPeriod] = await db.query(`SELECT closed_at, billed_quantity::int AS billed, invoice_id FROM billing_periods WHERE license_id = $1 AND period_start = $2`, [licenseId, trialStart]);
    expect(trialPeriod).toMatchObject({ billed: 0, invoice_id: null });
    expect(trialPeriod.closed_at).not.toBeNull();
    expect(await invoicesOf(ctx.http, buyer.token, licenseId)).toEqual([]);

    // The worker's sweep invoices the first month, from the trial's end; run again, it invoices nothing more.
    await runLicenceSweep();
    await Promise.all([runLicenceSweep(), runLicenceSweep()]);
    const invoices = await invoicesOf(ctx.http, buyer.token, licenseId);
    expect(invoices).toHaveLength(1);
    const [first] = invoices;
    expect(first).toMatchObject({ kind: 'renewal', status: 'open', total: 50_000 });
    expect(new Date(first!.periodStart!).getTime()).toBe(trialEnd.getTime());
    const monthLater = new Date(trialEnd);
    monthLater.setUTCMonth(monthLater.getUTCMonth() + 1);
    expect(new Date(first!.periodEnd!).getTime()).toBe(monthLater.getTime());
    const running = (await ctx.http.get(`/api/v1/licenses/${licenseId}`, { token: buyer.token })).body;
    expect(running).toMatchObject({ state: 'active', trialEndsAt: trialEnd.toISOString() });
    expect(new Date(running.currentPeriodStart).getTime()).toBe(trialEnd.getTime());

    // Use after the trial is billed; use from the trial that arrives late still is not.
    await use(licenseId, organizationId, 'paid', 30_000, new Date(trialEnd.getTime() + HOUR / 2));
    await use(licenseId, organizationId, 'in-trial-late', 10_000, new Date(trialStart.getTime() + 2 * DAY));
    // The first paid period is cut short ten minutes ago (as if it had ended), and closed.
    await db.query(`UPDATE licenses SET current_period_end = $2 WHERE id = $1`, [licenseId, new Date(Date.now() - 10 * 60_000)]);
    await closeBillingPeriods(db, { settleSeconds: 60 });
    const usage = (await invoicesOf(ctx.http, buyer.token, licenseId)).filter((invoice) => invoice.kind === 'usage');
    expect(usage).toHaveLength(1);
    // 30,000 rows at ¥0.50 per 1,000 = ¥15.00; no late-usage line for the trial's period.
    expect(usage[0]).toMatchObject({ total: 1_500, status: 'open' });
    expect(new Date(usage[0]!.periodStart!).getTime()).toBe(trialEnd.getTime());
    const detail = await ctx.http.get(`/api/v1/invoices/${usage[0]!.id}`, { token: buyer.token });
    expect(detail.body.lines.map((line: { kind: string }) => line.kind)).not.toContain('usage_adjustment');
    const [stillFree] = await db.query(`SELECT billed_quantity::int AS billed FROM billing_periods WHERE license_id = $1 AND period_start = $2`, [licenseId, trialStart]);
    expect(stillFree.billed).toBe(0);
  });

  it('ends a licence cancelled during its trial when the trial ends, with nothing charged', async () => {
    const { buyer, licenseId } = await buyWithTrial(ctx.http);
    const cancelled = await ctx.http.post(`/api/v1/licenses/${licenseId}/cancel`, {}, { token: buyer.token });
    expect(cancelled.body).toMatchObject({ state: 'active', cancelAtPeriodEnd: true });

    await travel(licenseId, TRIAL_DAYS * DAY + HOUR);
    await runLicenceSweep();
    const ended = (await ctx.http.get(`/api/v1/licenses/${licenseId}`, { token: buyer.token })).body;
    expect(ended.state).toBe('expired');
    expect(new Date(ended.endedAt).getTime()).toBe(new Date(ended.trialEndsAt).getTime());
    expect(ended.invoices).toEqual([]);
    expect((await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items).toEqual([]);
  });
});
