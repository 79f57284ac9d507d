import type { TFunction } from 'i18next';
import type {
  BillingInterval,
  InvoiceKind,
  InvoiceStatus,
  License,
  LicenseApproval,
  LicenseEventSource,
  LicenseState,
  MeteredUnit,
  OfferStatus,
  PlanKind,
  TierMode,
} from '../api/schema-types';

// Records keyed by the schema's unions (as in catalog/vocabulary.ts): a value added to the API
// fails the build here until it is listed, and translated under `commerce.vocab.*`.

export const licenseStateColors: Record<LicenseState, string> = {
  pending_approval: 'gold',
  pending_payment: 'orange',
  active: 'green',
  past_due: 'volcano',
  suspended: 'red',
  expired: 'default',
  revoked: 'red',
  cancelled: 'default',
};
export const licenseStates = Object.keys(licenseStateColors) as LicenseState[];

export const invoiceStatusColors: Record<InvoiceStatus, string> = { draft: 'default', open: 'blue', paid: 'green', void: 'default', uncollectible: 'red' };
export const invoiceStatuses = Object.keys(invoiceStatusColors) as InvoiceStatus[];

const invoiceKindIsListed: Record<InvoiceKind, true> = { purchase: true, renewal: true, usage: true, adjustment: true, credit_note: true };
export const invoiceKinds = Object.keys(invoiceKindIsListed) as InvoiceKind[];

export const offerStatusColors: Record<OfferStatus, string> = { draft: 'default', published: 'green', archived: 'volcano' };

const planKindOrder: Record<PlanKind, number> = { free: 0, one_time: 1, subscription: 2, metered: 3, hybrid: 4 };
export const planKinds = (Object.keys(planKindOrder) as PlanKind[]).sort((a, b) => planKindOrder[a] - planKindOrder[b]);
export const planKindColors: Record<PlanKind, string> = { free: 'green', one_time: 'blue', subscription: 'geekblue', metered: 'purple', hybrid: 'magenta' };

const unitIsListed: Record<MeteredUnit, true> = { api_call: true, row: true, byte: true };
export const meteredUnits = Object.keys(unitIsListed) as MeteredUnit[];

const modeIsListed: Record<TierMode, true> = { per_unit: true, graduated: true, volume: true };
export const tierModes = Object.keys(modeIsListed) as TierMode[];

const intervalIsListed: Record<BillingInterval, true> = { month: true, year: true };
export const billingIntervals = Object.keys(intervalIsListed) as BillingInterval[];

const sourceIsListed: Record<LicenseEventSource, true> = { user: true, provider: true, schedule: true, system: true };
export const licenseEventSources = Object.keys(sourceIsListed) as LicenseEventSource[];

const approverKindIsListed: Record<LicenseApproval['approverKind'], true> = { agency: true, vendor: true };
export const approverKinds = Object.keys(approverKindIsListed) as LicenseApproval['approverKind'][];

const providerIsListed: Record<License['provider'], true> = { none: true, offline: true, stripe: true };
export const licenseProviders = Object.keys(providerIsListed) as License['provider'][];

/**
 * What happened to a licence (license_events.event): its acceptance and the state machine's
 * events (libs/domain licensing/lifecycle.ts). A name not listed is shown as it is.
 */
export const LICENSE_EVENT_NAMES = [
  'accepted',
  'approve',
  'reject',
  'withdraw',
  'payment_succeeded',
  'trial_started',
  'payment_failed',
  'grace_expired',
  'period_ended',
  'renew',
  'cancel_at_period_end',
  'resume',
  'suspend',
  'unsuspend',
  'revoke',
  'expire',
] as const;
export type LicenseEventName = (typeof LICENSE_EVENT_NAMES)[number];

export function isLicenseEventName(name: string): name is LicenseEventName {
  return (LICENSE_EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * Stripe's subscription statuses: the worker records the state Stripe reports as
 * `stripe.subscription.<status>` (libs/payments stripe-sync.ts).
 */
export const STRIPE_SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'unpaid', 'paused', 'canceled', 'incomplete', 'incomplete_expired'] as const;
export type StripeSubscriptionStatus = (typeof STRIPE_SUBSCRIPTION_STATUSES)[number];
/** Stripe invoice events, should a history name one (`stripe.invoice.<event>`). */
export const STRIPE_INVOICE_EVENTS = ['paid', 'payment_succeeded', 'payment_failed'] as const;
export type StripeInvoiceEvent = (typeof STRIPE_INVOICE_EVENTS)[number];

export type LicenseEventLabel =
  | { kind: 'lifecycle'; name: LicenseEventName }
  | { kind: 'stripeSubscription'; status: StripeSubscriptionStatus }
  | { kind: 'stripeInvoice'; name: StripeInvoiceEvent }
  | { kind: 'other'; source: LicenseEventSource };

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Which words name a history entry; a name not known here is worded by who made the change, never shown raw. */
export function licenseEventLabel(event: { event: string; source: string }): LicenseEventLabel {
  if (isLicenseEventName(event.event)) return { kind: 'lifecycle', name: event.event };
  const subscription = /^stripe\.subscription\.(.+)$/.exec(event.event)?.[1];
  if (subscription && oneOf(STRIPE_SUBSCRIPTION_STATUSES, subscription)) return { kind: 'stripeSubscription', status: subscription };
  const invoice = /^stripe\.invoice\.(.+)$/.exec(event.event)?.[1];
  if (invoice && oneOf(STRIPE_INVOICE_EVENTS, invoice)) return { kind: 'stripeInvoice', name: invoice };
  const source: LicenseEventSource = oneOf(licenseEventSources, event.source) ? event.source : event.event.startsWith('stripe.') ? 'provider' : 'system';
  return { kind: 'other', source };
}

/** A history entry's name in the reader's language. */
export function licenseEventText(event: { event: string; source: string }, t: TFunction): string {
  const label = licenseEventLabel(event);
  switch (label.kind) {
    case 'lifecycle':
      return t(`commerce.vocab.events.${label.name}`);
    case 'stripeSubscription':
      return t(`commerce.vocab.stripeSubscriptionEvents.${label.status}`);
    case 'stripeInvoice':
      return t(`commerce.vocab.stripeInvoiceEvents.${label.name}`);
    default:
      return t(`commerce.vocab.otherEvents.${label.source}`);
  }
}

/** States in which the buyer's organization may use the product. */
export const deliveringStates: readonly LicenseState[] = ['active', 'past_due'];
/** States that will not change again. */
export const terminalStates: readonly LicenseState[] = ['expired', 'revoked', 'cancelled'];
