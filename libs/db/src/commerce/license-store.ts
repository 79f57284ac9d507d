import { DomainError, isTerminalLicenceState, splitInclusiveTax, transitionLicence, type LicenceEvent, type LicenceStatus, type LicenceSuspensionCause } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { appendAuditEvent } from '../audit/audit-chain.js';
import { Invoice, License, Payment, type InvoiceKind, type PaymentProviderName } from '../entities/commerce.entity.js';
import { notifyOrganization } from '../notifications/notify-organization.js';
import { currentFinancePolicy, postInvoiceIssued, postPayment } from '../billing/revenue-store.js';

/** Who or what moved a licence: a person, the payment provider, the scheduler or the platform. */
export interface LicenseChangeContext {
  source: 'user' | 'provider' | 'schedule' | 'system';
  actorUserId?: string | null;
  actorOrganizationId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export type LicensePatch = Partial<
  Pick<
    License,
    'currentPeriodStart' | 'currentPeriodEnd' | 'trialEndsAt' | 'cancelAtPeriodEnd' | 'expiresAt' | 'activatedAt' | 'endedAt' | 'endReason' | 'stripeSubscriptionId' | 'stripeCheckoutSessionId' | 'provider'
  >
>;

/** The domain's view of a stored licence's status. */
export function statusOf(license: Pick<License, 'state' | 'cancelAtPeriodEnd' | 'suspensionCauses' | 'resumeTo'>): LicenceStatus {
  switch (license.state) {
    case 'active':
    case 'past_due':
      return { state: license.state, cancelAtPeriodEnd: license.cancelAtPeriodEnd };
    case 'suspended':
      return {
        state: 'suspended',
        causes: license.suspensionCauses as LicenceSuspensionCause[],
        resumeTo: license.resumeTo ?? 'active',
        cancelAtPeriodEnd: license.cancelAtPeriodEnd,
      };
    default:
      return { state: license.state };
  }
}

function columnsOf(status: LicenceStatus): Pick<License, 'state' | 'cancelAtPeriodEnd' | 'suspensionCauses' | 'resumeTo'> {
  return {
    state: status.state,
    cancelAtPeriodEnd: 'cancelAtPeriodEnd' in status ? status.cancelAtPeriodEnd : false,
    suspensionCauses: status.state === 'suspended' ? [...status.causes] : [],
    resumeTo: status.state === 'suspended' ? status.resumeTo : null,
  };
}

/**
 * Applies a lifecycle event to a licence through the domain's state machine (an impossible
 * event is licensing.invalid_transition) and records it: see writeLicenceStatus.
 */
export async function applyLicenceEvent(
  manager: EntityManager,
  licenseId: string,
  event: LicenceEvent,
  context: LicenseChangeContext,
  patch: LicensePatch = {},
): Promise<{ license: License; changed: boolean }> {
  const license = await lockLicense(manager, licenseId);
  return writeLicenceStatus(manager, license, event.type, transitionLicence(statusOf(license), event), context, patch);
}

/**
 * Converges a licence to a status decided elsewhere (the payment provider's record of it).
 * Terminal states stay terminal.
 */
export async function convergeLicenceStatus(
  manager: EntityManager,
  licenseId: string,
  eventName: string,
  target: (license: License) => LicenceStatus,
  context: LicenseChangeContext,
  patch: LicensePatch = {},
): Promise<{ license: License; changed: boolean }> {
  const license = await lockLicense(manager, licenseId);
  const next = isTerminalLicenceState(license.state) ? statusOf(license) : target(license);
  return writeLicenceStatus(manager, license, eventName, next, context, isTerminalLicenceState(license.state) ? {} : patch);
}

async function lockLicense(manager: EntityManager, licenseId: string): Promise<License> {
  const license = await manager.findOne(License, { where: { id: licenseId }, lock: { mode: 'pessimistic_write' } });
  if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
  return license;
}

/**
 * Writes a licence's new status and patch (the row is locked by the caller) and records the
 * change: one license_events row, an audit event for the buyer and one for the seller, and a
 * notice to the buyer when the state changes. Idempotent: nothing that differs, nothing written.
 */
async function writeLicenceStatus(
  manager: EntityManager,
  license: License,
  eventName: string,
  next: LicenceStatus,
  context: LicenseChangeContext,
  patch: LicensePatch,
): Promise<{ license: License; changed: boolean }> {
  const columns = { ...columnsOf(next), ...patch };
  const changes = Object.entries(columns).filter(([key, value]) => !sameValue((license as unknown as Record<string, unknown>)[key], value));
  if (changes.length === 0) return { license, changed: false };
  const from = license.state;
  const to = next.state;
  const now = new Date();
  await manager.update(License, { id: license.id }, { ...columns, updatedAt: now });
  const statusChanged = changes.some(([key]) => ['state', 'cancelAtPeriodEnd', 'suspensionCauses', 'resumeTo'].includes(key));
  if (statusChanged) {
    await manager.query(
      `INSERT INTO license_events (license_id, event, from_state, to_state, actor_user_id, source, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [license.id, eventName, from, to, context.actorUserId ?? null, context.source, JSON.stringify(context.details ?? {})],
    );
    const data = { event: eventName, from, to, productId: license.productId, offerId: license.offerId, source: context.source, ...(context.details ?? {}) };
    for (const organizationId of new Set([license.organizationId, license.vendorId])) {
      await appendAuditEvent(manager, {
        action: `license.${eventName}`,
        actorUserId: context.actorUserId ?? null,
        actorOrganizationId: context.actorOrganizationId ?? null,
        organizationId,
        targetType: 'license',
        targetId: license.id,
        ip: context.ip ?? null,
        requestId: context.requestId ?? null,
        data,
      });
    }
  }
  if (from !== to) {
    await notifyOrganization(manager, license.organizationId, {
      kind: `license.${to}`,
      reference: `${license.id}:${to}:${now.toISOString()}`,
      subject: { kind: 'license.state', state: to },
      target: { type: 'license', id: license.id },
      body: { licenseId: license.id, productId: license.productId, from, to, event: eventName },
    });
  }
  return { license: Object.assign(license, columns, { updatedAt: now }), changed: true };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b);
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

export interface InvoiceLineInput {
  kind: string;
  descriptionZh: string;
  descriptionEn: string;
  quantity: number;
  unitAmount: number | null;
  amount: number;
}

export interface IssueInvoiceInput {
  license: License;
  provider: PaymentProviderName;
  kind: InvoiceKind;
  status: 'open' | 'paid';
  lines: InvoiceLineInput[];
  periodStart: Date | null;
  periodEnd: Date | null;
  dueAt: Date | null;
  stripeInvoiceId?: string | null;
  paidAt?: Date | null;
  /** When it was issued (default now; demo data and simulations issue in the past). */
  issuedAt?: Date;
}

/**
 * Issues the one invoice of a licence, kind and period, and posts it to the ledger. Prices
 * include VAT: the lines add up to the total, of which the finance policy's VAT rate is tax.
 * The database's unique key makes a second call (a retried job, a duplicate webhook) return
 * the existing invoice instead.
 */
export async function issueInvoice(manager: EntityManager, input: IssueInvoiceInput): Promise<{ invoice: Invoice; created: boolean }> {
  const total = input.lines.reduce((sum, line) => sum + line.amount, 0);
  if (!Number.isSafeInteger(total) || total < 0) throw new DomainError('billing.invalid_amount', 'An invoice total must be a non-negative whole number of minor units.');
  const { vatRateBp } = await currentFinancePolicy(manager);
  const { net, tax } = splitInclusiveTax(total, vatRateBp);
  const issuedAt = input.issuedAt ?? new Date();
  const paid = input.status === 'paid';
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO invoices (number, organization_id, license_id, provider, kind, status, currency, subtotal, tax, total, amount_paid,
                           period_start, period_end, issued_at, due_at, paid_at, stripe_invoice_id, tax_rate_bp)
     VALUES ('INV-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('invoice_number_seq')::text, 6, '0'),
             $1, $2, $3, $4, $5, $6, $7, $15, $16, $8, $9, $10, $11, $12, $13, $14, $17)
     ON CONFLICT (license_id, kind, coalesce(period_start, 'epoch'::timestamptz)) WHERE status <> 'void' DO NOTHING
     RETURNING id`,
    [
      input.license.organizationId,
      input.license.id,
      input.provider,
      input.kind,
      input.status,
      input.license.currency,
      net,
      paid ? total : 0,
      input.periodStart,
      input.periodEnd,
      issuedAt,
      input.dueAt,
      paid ? (input.paidAt ?? issuedAt) : null,
      input.stripeInvoiceId ?? null,
      tax,
      total,
      vatRateBp,
    ],
  );
  if (rows.length === 0) {
    const existing = await manager
      .createQueryBuilder(Invoice, 'i')
      .where('i.license_id = :license AND i.kind = :kind AND i.status <> :void', { license: input.license.id, kind: input.kind, void: 'void' })
      .andWhere(input.periodStart ? 'i.period_start = :start' : 'i.period_start IS NULL', { start: input.periodStart })
      .getOneOrFail();
    return { invoice: existing, created: false };
  }
  const id = (rows[0] as { id: string }).id;
  for (const [position, line] of input.lines.entries()) {
    await manager.query(
      `INSERT INTO invoice_lines (invoice_id, position, kind, description_zh, description_en, quantity, unit_amount, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, position, line.kind, line.descriptionZh, line.descriptionEn, line.quantity, line.unitAmount, line.amount],
    );
  }
  const invoice = await manager.findOneByOrFail(Invoice, { id });
  await postInvoiceIssued(manager, invoice);
  return { invoice, created: true };
}

export interface RecordPaymentInput {
  invoice: Invoice;
  provider: PaymentProviderName;
  reference: string;
  amount: number;
  receivedAt: Date;
  recordedByUserId?: string | null;
  note?: string;
}

/**
 * Records money received against an invoice, once per provider reference (a bank transfer's
 * reference, a Stripe payment intent or invoice id), and marks the invoice paid when covered.
 * Returns `created: false` when this payment was already recorded.
 */
export async function recordPayment(manager: EntityManager, input: RecordPaymentInput): Promise<{ payment: Payment; created: boolean }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new DomainError('billing.invalid_amount', 'A payment is a positive whole number of minor units.');
  const invoice = await manager.findOne(Invoice, { where: { id: input.invoice.id }, lock: { mode: 'pessimistic_write' } });
  if (!invoice) throw new DomainError('billing.invoice_not_found', 'Invoice not found.');
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO payments (invoice_id, license_id, organization_id, provider, provider_reference, amount, currency, received_at, recorded_by_user_id, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (provider, provider_reference) DO NOTHING RETURNING id`,
    [invoice.id, invoice.licenseId, invoice.organizationId, input.provider, input.reference, input.amount, invoice.currency, input.receivedAt, input.recordedByUserId ?? null, input.note ?? ''],
  );
  if (rows.length === 0) {
    const existing = await manager.findOneByOrFail(Payment, { provider: input.provider, providerReference: input.reference });
    if (existing.invoiceId !== invoice.id) throw new DomainError('billing.duplicate_reference', 'This payment reference is already recorded against another invoice.');
    return { payment: existing, created: false };
  }
  if (invoice.status === 'open' || invoice.status === 'draft') {
    const paidSoFar: Array<{ sum: string }> = await manager.query(`SELECT coalesce(sum(amount), 0)::text AS sum FROM payments WHERE invoice_id = $1`, [invoice.id]);
    const paid = Number(paidSoFar[0]?.sum ?? 0);
    // Credit notes set against the invoice leave that much less to pay.
    const payable = invoice.total - Number(invoice.amountCredited);
    if (paid > payable) throw new DomainError('billing.overpaid', `This payment would exceed what the invoice asks (${payable}).`);
    await manager.update(
      Invoice,
      { id: invoice.id },
      paid === payable ? { amountPaid: paid, status: 'paid', paidAt: input.receivedAt, updatedAt: new Date() } : { amountPaid: paid, updatedAt: new Date() },
    );
  }
  const payment = await manager.findOneByOrFail(Payment, { id: (rows[0] as { id: string }).id });
  await postPayment(manager, payment, invoice);
  return { payment, created: true };
}

/**
 * A paid invoice puts its licence in force: active from the invoice's period (a subscription)
 * or from now (a one-time purchase), with the term from the licence's policy. Safe to repeat:
 * a licence already active stays as it is.
 */
export async function activateForPaidInvoice(
  manager: EntityManager,
  invoice: Invoice,
  context: LicenseChangeContext,
): Promise<{ license: License; changed: boolean }> {
  const current = await lockLicense(manager, invoice.licenseId);
  if (isTerminalLicenceState(current.state)) return { license: current, changed: false };
  const patch: LicensePatch = {
    activatedAt: current.activatedAt ?? invoice.paidAt ?? new Date(),
    ...(invoice.periodStart && invoice.periodEnd && (!current.currentPeriodEnd || invoice.periodEnd > current.currentPeriodEnd)
      ? { currentPeriodStart: invoice.periodStart, currentPeriodEnd: invoice.periodEnd }
      : {}),
  };
  const status = statusOf(current);
  const next = status.state === 'active' ? status : transitionLicence(status, { type: 'payment_succeeded' });
  return writeLicenceStatus(manager, current, 'payment_succeeded', next, { ...context, details: { invoiceId: invoice.id, invoiceNumber: invoice.number, ...(context.details ?? {}) } }, patch);
}
