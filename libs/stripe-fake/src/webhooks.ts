import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { eventTypeMatches } from './resources/events.js';

export interface WebhookEndpoint {
  /** Where events are POSTed. */
  url: string;
  /** The endpoint's signing secret (`whsec_…`), used for the `Stripe-Signature` header. */
  secret: string;
  /** Event types to send (`*` and `invoice.*` wildcards); default all. */
  events?: string[];
}

/** One event still owed to (or already delivered to) one endpoint. */
export interface PendingWebhook {
  eventId: string;
  type: string;
  endpoint: string;
  /** HTTP attempts so far. */
  attempts: number;
  /** Status of the last attempt (0 when the request itself failed), or null before the first. */
  lastStatus: number | null;
  event: Stripe.Event;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  endpoint: string;
  status: number;
  /** Set when the request did not get an HTTP answer. */
  error?: string;
  /** The `t=` of the signature header sent. */
  timestamp: number;
  at: number;
}

export interface DeliverOptions {
  /** A configured endpoint's URL, or an ad-hoc endpoint. Default: the first configured endpoint. */
  endpoint?: string | WebhookEndpoint;
  /** The signature timestamp (unix seconds). Default: the real current time. */
  timestamp?: number;
}

export interface DeliverAllOptions {
  /** Default `as_recorded` (oldest first). */
  order?: 'as_recorded' | 'reversed' | 'shuffled';
  /** Send every event twice (Stripe may deliver an event more than once). */
  duplicate?: boolean;
  /** Seed for `shuffled`, for a reproducible order. */
  seed?: number;
  /** Only this endpoint (URL); default all endpoints. */
  endpoint?: string;
}

export interface DeliveryResult {
  eventId: string;
  type: string;
  endpoint: string;
  status: number;
}

/** Stripe's webhook signature: `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<payload>">`. */
export function signPayload(payload: string, secret: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

interface DeliveryState {
  event: Stripe.Event;
  endpoint: WebhookEndpoint;
  attempts: number;
  delivered: boolean;
  lastStatus: number | null;
}

const RETRY_DELAYS_MS = [250, 1000, 3000];
const TIMEOUT_MS = 10_000;

/** Keeps track of what each endpoint is owed, signs and sends events. */
export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[];
  private deliveries: DeliveryState[] = [];
  private attemptLog: DeliveryAttempt[] = [];
  private queue: DeliveryState[] = [];
  private pumping = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    endpoints: WebhookEndpoint[],
    private readonly auto: boolean,
    private readonly payloadFor: (event: Stripe.Event, pendingWebhooks: number) => string,
  ) {
    this.endpoints = endpoints.map((endpoint) => ({ ...endpoint }));
  }

  addEndpoint(endpoint: WebhookEndpoint): void {
    if (!endpoint.url || !endpoint.secret) throw new Error('A webhook endpoint needs a url and a secret');
    this.endpoints.push({ ...endpoint });
  }

  /** Called for every recorded event. */
  onEvent(event: Stripe.Event): void {
    for (const endpoint of this.endpoints) {
      if (!wants(endpoint, event.type)) continue;
      const delivery: DeliveryState = { event, endpoint, attempts: 0, delivered: false, lastStatus: null };
      this.deliveries.push(delivery);
      if (this.auto) {
        this.queue.push(delivery);
        this.pump();
      }
    }
  }

  pending(): PendingWebhook[] {
    return this.deliveries.filter((delivery) => !delivery.delivered).map((delivery) => this.describe(delivery));
  }

  attempts(): DeliveryAttempt[] {
    return this.attemptLog.map((attempt) => ({ ...attempt }));
  }

  /** How many endpoints still wait for this event (Stripe's `pending_webhooks`). */
  pendingCount(eventId: string): number {
    return this.deliveries.filter((delivery) => delivery.event.id === eventId && !delivery.delivered).length;
  }

  reset(): void {
    this.deliveries = [];
    this.queue = [];
    this.attemptLog = [];
  }

  async deliver(event: Stripe.Event, options: DeliverOptions = {}): Promise<number> {
    const endpoint = this.resolveEndpoint(options.endpoint);
    let delivery = this.deliveries.find(
      (candidate) => candidate.event.id === event.id && candidate.endpoint.url === endpoint.url,
    );
    if (!delivery) {
      delivery = { event, endpoint, attempts: 0, delivered: false, lastStatus: null };
      if (this.endpoints.includes(endpoint)) this.deliveries.push(delivery);
    }
    return this.send(delivery, options.timestamp);
  }

  async deliverAll(options: DeliverAllOptions = {}): Promise<DeliveryResult[]> {
    let batch = this.deliveries.filter(
      (delivery) => !delivery.delivered && (options.endpoint === undefined || delivery.endpoint.url === options.endpoint),
    );
    if (options.order === 'reversed') batch = batch.reverse();
    if (options.order === 'shuffled') batch = shuffle(batch, options.seed ?? Date.now());
    const results: DeliveryResult[] = [];
    for (const delivery of batch) {
      const times = options.duplicate ? 2 : 1;
      for (let i = 0; i < times; i += 1) {
        const status = await this.send(delivery);
        results.push({ eventId: delivery.event.id, type: delivery.event.type, endpoint: delivery.endpoint.url, status });
      }
    }
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private resolveEndpoint(endpoint: string | WebhookEndpoint | undefined): WebhookEndpoint {
    if (endpoint === undefined) {
      const first = this.endpoints[0];
      if (!first) throw new Error('stripe-fake: no webhook endpoint configured; pass webhookEndpoints or deliver(…, { endpoint })');
      return first;
    }
    if (typeof endpoint === 'string') {
      const found = this.endpoints.find((candidate) => candidate.url === endpoint);
      if (!found) throw new Error(`stripe-fake: no webhook endpoint ${endpoint} is configured`);
      return found;
    }
    return this.endpoints.find((candidate) => candidate.url === endpoint.url && candidate.secret === endpoint.secret) ?? endpoint;
  }

  private describe(delivery: DeliveryState): PendingWebhook {
    return {
      eventId: delivery.event.id,
      type: delivery.event.type,
      endpoint: delivery.endpoint.url,
      attempts: delivery.attempts,
      lastStatus: delivery.lastStatus,
      event: JSON.parse(this.payloadFor(delivery.event, this.pendingCount(delivery.event.id))) as Stripe.Event,
    };
  }

  private async send(delivery: DeliveryState, timestamp?: number): Promise<number> {
    if (this.closed) throw new Error('stripe-fake: closed');
    const payload = this.payloadFor(delivery.event, Math.max(1, this.pendingCount(delivery.event.id)));
    const t = timestamp ?? Math.floor(Date.now() / 1000);
    const task = (async () => {
      let status = 0;
      let error: string | undefined;
      try {
        const response = await fetch(delivery.endpoint.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'Stripe-Signature': signPayload(payload, delivery.endpoint.secret, t),
          },
          body: payload,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(TIMEOUT_MS)]),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      delivery.attempts += 1;
      delivery.lastStatus = status;
      if (status >= 200 && status < 300) delivery.delivered = true;
      this.attemptLog.push({
        eventId: delivery.event.id,
        type: delivery.event.type,
        endpoint: delivery.endpoint.url,
        status,
        ...(error ? { error } : {}),
        timestamp: t,
        at: Date.now(),
      });
      return status;
    })();
    this.inFlight.add(task);
    try {
      return await task;
    } finally {
      this.inFlight.delete(task);
    }
  }

  /** Automatic delivery: one at a time in recorded order; failures retry a few times later. */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    const run = (async () => {
      while (this.queue.length > 0 && !this.closed) {
        const delivery = this.queue.shift() as DeliveryState;
        if (delivery.delivered) continue;
        await this.send(delivery).catch(() => 0);
        if (!delivery.delivered) this.scheduleRetry(delivery);
      }
      this.pumping = false;
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private scheduleRetry(delivery: DeliveryState): void {
    const delay = RETRY_DELAYS_MS[delivery.attempts - 1];
    if (delay === undefined || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (delivery.delivered || this.closed) return;
      this.queue.push(delivery);
      this.pump();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}

function wants(endpoint: WebhookEndpoint, type: string): boolean {
  const patterns = endpoint.events ?? ['*'];
  return patterns.some((pattern) => eventTypeMatches(type, pattern));
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
