/**
 * Usage events: what each delivery counts. A delivery of rows by API or by file yields one
 * event per unit (an API call, the rows, the bytes), each with an idempotency key derived from
 * the delivery's own key, so recording the same delivery again (a retry, a replay, a second
 * attempt of a job) counts nothing more. Billing reads the counts per licence and period.
 */

export const USAGE_UNITS = ['api_call', 'row', 'byte'] as const;
export type UsageUnit = (typeof USAGE_UNITS)[number];

export const DELIVERY_CHANNELS = ['api', 'file'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** Events are accepted up to 35 days after they happened and at most 5 minutes ahead of the clock. */
export const USAGE_WINDOW = {
  lateMs: 35 * 24 * 60 * 60 * 1000,
  earlyMs: 5 * 60 * 1000,
} as const;

export interface UsageEvent {
  /** Unique per counted thing: the same key twice is one event. At most 200 characters. */
  key: string;
  productId: string;
  productVersionId: string | null;
  /** The licence the delivery was made under; null for open data and for the product's owner. */
  licenseId: string | null;
  /** The receiving organization; null for an anonymous visitor. */
  consumerOrganizationId: string | null;
  channel: DeliveryChannel;
  unit: UsageUnit;
  quantity: number;
  occurredAt: Date;
}

export type UsageRejection = { code: 'metering.too_late'; latestAcceptedAfter: string } | { code: 'metering.in_future'; acceptedUntil: string } | { code: 'metering.invalid_event'; problem: string };

const KEY = /^[\x21-\x7e]{1,200}$/;

/** Why an event cannot be recorded at `receivedAt`, or null when it can. */
export function checkUsageEvent(event: UsageEvent, receivedAt: Date): UsageRejection | null {
  if (!KEY.test(event.key)) return { code: 'metering.invalid_event', problem: 'key is 1–200 printable ASCII characters' };
  if (!(USAGE_UNITS as readonly string[]).includes(event.unit)) return { code: 'metering.invalid_event', problem: `unit is one of ${USAGE_UNITS.join(', ')}` };
  if (!(DELIVERY_CHANNELS as readonly string[]).includes(event.channel)) return { code: 'metering.invalid_event', problem: `channel is one of ${DELIVERY_CHANNELS.join(', ')}` };
  if (!Number.isSafeInteger(event.quantity) || event.quantity < 0) return { code: 'metering.invalid_event', problem: 'quantity is a non-negative integer' };
  const occurred = event.occurredAt.getTime();
  if (Number.isNaN(occurred)) return { code: 'metering.invalid_event', problem: 'occurredAt is a time' };
  const received = receivedAt.getTime();
  if (occurred < received - USAGE_WINDOW.lateMs) return { code: 'metering.too_late', latestAcceptedAfter: new Date(received - USAGE_WINDOW.lateMs).toISOString() };
  if (occurred > received + USAGE_WINDOW.earlyMs) return { code: 'metering.in_future', acceptedUntil: new Date(received + USAGE_WINDOW.earlyMs).toISOString() };
  return null;
}

export interface DeliveryFacts {
  /** The delivery's own idempotency key (a request's Idempotency-Key or id, a download's token id). */
  deliveryKey: string;
  productId: string;
  productVersionId: string | null;
  licenseId: string | null;
  consumerOrganizationId: string | null;
  channel: DeliveryChannel;
  rows: number;
  bytes: number;
  occurredAt: Date;
}

/** The events one delivery counts: an API call (API only), its rows and its bytes. */
export function deliveryUsageEvents(delivery: DeliveryFacts): UsageEvent[] {
  const base = {
    productId: delivery.productId,
    productVersionId: delivery.productVersionId,
    licenseId: delivery.licenseId,
    consumerOrganizationId: delivery.consumerOrganizationId,
    channel: delivery.channel,
    occurredAt: delivery.occurredAt,
  };
  const events: UsageEvent[] = [];
  if (delivery.channel === 'api') events.push({ ...base, key: `${delivery.deliveryKey}:api_call`, unit: 'api_call', quantity: 1 });
  events.push({ ...base, key: `${delivery.deliveryKey}:row`, unit: 'row', quantity: delivery.rows });
  events.push({ ...base, key: `${delivery.deliveryKey}:byte`, unit: 'byte', quantity: delivery.bytes });
  return events;
}

const HOUR_MS = 60 * 60 * 1000;

/** The start of the UTC hour an event counts in: usage is rolled up per hour. */
export function usageHour(occurredAt: Date): Date {
  return new Date(Math.floor(occurredAt.getTime() / HOUR_MS) * HOUR_MS);
}

export interface PeriodReading {
  /** Whole hours read from the hourly rollups: [from, to). Empty when from >= to. */
  hours: { from: Date; to: Date };
  /** Partial hours at either end read from the events themselves: [start, end) each. */
  edges: Array<{ start: Date; end: Date }>;
}

/**
 * How to count a period [start, end) exactly: the whole hours inside it from the hourly
 * rollups, the rest (a period that starts or ends within an hour) from the events.
 */
export function periodReading(start: Date, end: Date): PeriodReading {
  const from = Math.ceil(start.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS;
  if (from >= to) return { hours: { from: new Date(from), to: new Date(from) }, edges: end > start ? [{ start, end }] : [] };
  const edges: Array<{ start: Date; end: Date }> = [];
  if (start.getTime() < from) edges.push({ start, end: new Date(from) });
  if (end.getTime() > to) edges.push({ start: new Date(to), end });
  return { hours: { from: new Date(from), to: new Date(to) }, edges };
}
