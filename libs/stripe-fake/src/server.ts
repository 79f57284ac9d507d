import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import type Stripe from 'stripe';
import { API_VERSION, Engine, type FakeInvoice, type PaymentOutcome, type RetryPolicy } from './engine.js';
import { ApiError, invalid } from './errors.js';
import {
  checkoutCanceledPage,
  checkoutDonePage,
  checkoutPage,
  dashboardPage,
  indexPage,
  invoicePage,
  messagePage,
  onboardingPage,
  receiptPage,
} from './pages.js';
import { Params } from './params.js';
import { advanceTime, expireOpenSession } from './resources/billing.js';
import {
  closeDispute,
  openDispute,
  type DisputeOutcome,
  type DisputeReason,
  type OpenDisputeOptions,
} from './resources/charges.js';
import { completeCheckout, type CompleteCheckoutOptions } from './resources/checkout.js';
import { accountLinkState, completeOnboarding, type OnboardingOutcome } from './resources/connect.js';
import { eventTypeMatches } from './resources/events.js';
import { matchRoute } from './routes.js';
import { clone, isPlainObject, newId } from './util.js';
import {
  WebhookDispatcher,
  signPayload,
  type DeliverAllOptions,
  type DeliverOptions,
  type DeliveryAttempt,
  type DeliveryResult,
  type PendingWebhook,
  type WebhookEndpoint,
} from './webhooks.js';

export interface StripeFakeOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Where events are sent (signed with each endpoint's secret). */
  webhookEndpoints?: WebhookEndpoint[];
  /** POST events to the endpoints as they happen, with a few retries on non-2xx. Default false. */
  deliverWebhooks?: boolean;
  /** The fake's base clock in milliseconds (default Date.now); advanceTime adds to it. */
  clock?: () => number;
  /** Automatic payment retries of subscription invoices. */
  retry?: Partial<RetryPolicy>;
  /** The key handed out as `secretKey` (any sk_test_/rk_test_ key is accepted). */
  secretKey?: string;
}

export interface StripeFake {
  /** `http://127.0.0.1:<port>`: the API base URL and the host of the hosted pages. */
  readonly url: string;
  readonly port: number;
  /** A test-mode key to give the SDK (any `sk_test_…` works). */
  readonly secretKey: string;
  /** The API version whose shapes the fake follows. */
  readonly apiVersion: string;
  /** Options for `new Stripe(secretKey, stripe.clientOptions)`. */
  readonly clientOptions: { host: string; port: number; protocol: 'http'; maxNetworkRetries: number; telemetry: boolean };
  /** The fake's current time (unix seconds). */
  now(): number;
  /** Completes (or declines) a Checkout Session as the buyer would on the hosted page. */
  completeCheckout(sessionId: string, options?: CompleteCheckoutOptions): Stripe.Checkout.Session;
  /** Moves the test clock forward and runs what falls due (renewals, retries, cancellations, expiries). Returns the events recorded. */
  advanceTime(seconds: number): Stripe.Event[];
  /** The outcome of this customer's next payment attempts: `fail` until set back to `succeed` (or for `times` attempts). */
  setNextPaymentOutcome(customerId: string, outcome: PaymentOutcome, options?: { times?: number }): void;
  /** The connected account finishes onboarding (as the onboarding page does). */
  completeOnboarding(accountId: string, options?: { outcome?: OnboardingOutcome }): Stripe.Account;
  /**
   * The cardholder's bank opens a chargeback on a succeeded charge (`ch_…`, or a PaymentIntent's
   * latest charge when given a `pi_…`): a `needs_response` dispute, reason `fraudulent` by default,
   * for the amount not yet refunded. Records `charge.dispute.created` and `charge.dispute.funds_withdrawn`.
   */
  openDispute(chargeOrPaymentIntentId: string, options?: OpenDisputeOptions): Stripe.Dispute;
  /** The bank decides an open dispute: `won` (funds reinstated, refundable again) or `lost`. Records `charge.dispute.closed`. */
  closeDispute(disputeId: string, options: { outcome: DisputeOutcome }): Stripe.Dispute;
  /** Every recorded event, oldest first (optionally by type, `*` wildcards allowed). */
  events(filter?: { type?: string }): Stripe.Event[];
  /** Event × endpoint pairs not yet answered with a 2xx. */
  pendingWebhooks(): PendingWebhook[];
  /** Every HTTP delivery attempt so far. */
  deliveryAttempts(): DeliveryAttempt[];
  /** Signs and POSTs one event; resolves with the HTTP status (0 when the request failed). */
  deliver(eventId: string, options?: DeliverOptions): Promise<number>;
  /** Delivers every pending event × endpoint, one after the other. */
  deliverAll(options?: DeliverAllOptions): Promise<DeliveryResult[]>;
  /** A `Stripe-Signature` header value for any payload (to forge stale or wrong signatures). */
  signPayload(payload: string, secret: string, timestamp?: number): string;
  addWebhookEndpoint(endpoint: WebhookEndpoint): void;
  readonly webhookEndpoints: readonly WebhookEndpoint[];
  /** Any stored object by id (customer, price, session, subscription, invoice, event, …), as the API would return it. */
  get(id: string): unknown;
  /** Forgets all state (objects, events, pending webhooks, idempotency keys, the clock offset). Endpoints stay. */
  reset(): void;
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;
const QS_OPTIONS = {
  depth: 8,
  arrayLimit: 250,
  parameterLimit: 5000,
  allowPrototypes: false,
  strictDepth: true,
  throwOnLimitExceeded: true,
} as const;

export async function startStripeFake(options: StripeFakeOptions = {}): Promise<StripeFake> {
  let baseUrl = '';
  const host = options.host ?? '127.0.0.1';
  const webhooks: WebhookDispatcher = new WebhookDispatcher(
    options.webhookEndpoints ?? [],
    options.deliverWebhooks ?? false,
    (event, pending) => JSON.stringify(renderEvent(event, pending), null, 2),
  );
  const engine = new Engine({
    baseUrl: () => baseUrl,
    clock: options.clock ?? Date.now,
    retry: {
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 3),
      intervalSeconds: options.retry?.intervalSeconds ?? 3 * 86_400,
      onExhausted: options.retry?.onExhausted ?? 'cancel',
    },
    onEvent: (event) => webhooks.onEvent(event),
  });
  /** An event as sent and listed: with Stripe's `pending_webhooks` count. */
  function renderEvent(event: Stripe.Event, pending?: number): Stripe.Event {
    const copy = clone(event);
    copy.pending_webhooks = pending ?? webhooks.pendingCount(event.id);
    return copy;
  }
  const secretKey = options.secretKey ?? 'sk_test_stripe_fake_0000000000000000';

  const fake: Omit<StripeFake, 'url' | 'port' | 'clientOptions' | 'close'> = {
    secretKey,
    apiVersion: API_VERSION,
    now: () => engine.now(),
    completeCheckout: (sessionId, completeOptions) => completeCheckout(engine, sessionId, completeOptions),
    advanceTime: (seconds) => advanceTime(engine, seconds).map((event) => renderEvent(event)),
    setNextPaymentOutcome: (customerId, outcome, outcomeOptions) => {
      if (outcome !== 'succeed' && outcome !== 'fail') throw new Error('outcome must be succeed or fail');
      if (outcome === 'succeed' && outcomeOptions?.times === undefined) engine.paymentOutcomes.delete(customerId);
      else engine.paymentOutcomes.set(customerId, { outcome, remaining: outcomeOptions?.times ?? null });
    },
    completeOnboarding: (accountId, onboardingOptions) => completeOnboarding(engine, accountId, onboardingOptions?.outcome),
    openDispute: (chargeId, disputeOptions) => openDispute(engine, chargeId, disputeOptions),
    closeDispute: (disputeId, closeOptions) => closeDispute(engine, disputeId, closeOptions?.outcome),
    events: (filter) =>
      engine.events
        .filter((event) => filter?.type === undefined || eventTypeMatches(event.type, filter.type))
        .map((event) => renderEvent(event)),
    pendingWebhooks: () => webhooks.pending(),
    deliveryAttempts: () => webhooks.attempts(),
    deliver: async (eventId, deliverOptions) => {
      const event = engine.eventsById.get(eventId);
      if (!event) throw new Error(`stripe-fake: no event ${eventId}`);
      return webhooks.deliver(event, deliverOptions);
    },
    deliverAll: (deliverOptions) => webhooks.deliverAll(deliverOptions),
    signPayload: (payload, secret, timestamp) => signPayload(payload, secret, timestamp),
    addWebhookEndpoint: (endpoint) => webhooks.addEndpoint(endpoint),
    get webhookEndpoints() {
      return webhooks.endpoints;
    },
    get: (id) => {
      const found = engine.lookup(id);
      if (isPlainObject(found) && found.object === 'event') return renderEvent(found as unknown as Stripe.Event);
      return found;
    },
    reset: () => {
      engine.reset();
      webhooks.reset();
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'api_error', message: String(error) } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      sendJson(res, 413, { error: { type: 'invalid_request_error', message: 'Request body too large.' } });
      return;
    }
    if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') {
      handleApi(req, res, method, url, raw);
    } else if (url.pathname === '/_fake' || url.pathname.startsWith('/_fake/')) {
      await handleControl(req, res, method, url, raw);
    } else {
      handlePage(req, res, method, url, raw);
    }
  }

  function handleApi(req: IncomingMessage, res: ServerResponse, method: string, url: URL, raw: string): void {
    const requestId = newId('req');
    const requestedVersion = header(req, 'stripe-version');
    const headers: Record<string, string> = {
      'Request-Id': requestId,
      'Stripe-Version': requestedVersion ?? API_VERSION,
    };
    const fail = (error: ApiError) => sendJson(res, error.status, { error: error.body }, headers);

    const key = apiKey(req);
    if (key === undefined) {
      fail(new ApiError(401, {
        type: 'invalid_request_error',
        message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      }));
      return;
    }
    if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) {
      fail(new ApiError(401, {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${redact(key)}${/_live_/.test(key) ? ' (stripe-fake accepts only test-mode keys)' : ''}`,
      }));
      return;
    }

    const route = matchRoute(method, url.pathname);
    if (!route) {
      fail(new ApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${url.pathname}). stripe-fake implements only the endpoints listed in libs/stripe-fake/README.md.`,
      }));
      return;
    }

    let rawParams: Record<string, unknown>;
    try {
      const source = method === 'POST' ? raw : url.search.slice(1);
      rawParams = qs.parse(source, QS_OPTIONS) as Record<string, unknown>;
    } catch (error) {
      fail(invalid(`Invalid request parameters: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }

    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    let fingerprint = '';
    if (idempotencyKey !== undefined) {
      headers['Idempotency-Key'] = idempotencyKey;
      if (idempotencyKey.length > 255) {
        fail(invalid('Idempotency keys can be at most 255 characters long.', undefined, 'idempotency_key_in_use'));
        return;
      }
      fingerprint = createHash('sha256').update(`${method} ${url.pathname}\n${JSON.stringify(rawParams)}`).digest('hex');
      const stored = engine.idempotency.get(`${key}:${idempotencyKey}`);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          fail(new ApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          }));
          return;
        }
        sendRaw(res, stored.status, stored.body, { ...headers, 'Idempotent-Replayed': 'true', 'Original-Request': stored.requestId });
        return;
      }
    }

    const params = new Params(rawParams, `${method} ${url.pathname.replace(/\/(?:cus|prod|price|cs_test|sub|in|ii|pi|evt|acct|ch|re|du|tr)_[A-Za-z0-9]+/, '/:id')}`);
    let status = 200;
    let body: string;
    engine.request = { id: requestId, idempotency_key: idempotencyKey ?? null };
    try {
      let result = route.handler({ e: engine, p: params, id: route.id });
      result = engine.expand(result, params.expand());
      result = withEventCounts(result);
      body = JSON.stringify(result, null, 2);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      body = JSON.stringify({ error: error.body }, null, 2);
    } finally {
      engine.request = null;
    }
    // As on Stripe, only requests that ran (success, or a declined payment) are saved under their key.
    if (idempotencyKey !== undefined && (status < 400 || status === 402)) {
      engine.idempotency.set(`${key}:${idempotencyKey}`, { fingerprint, status, body, requestId });
    }
    sendRaw(res, status, body, headers);
  }

  /** Stripe's `pending_webhooks` on events in API responses. */
  function withEventCounts(result: unknown): unknown {
    if (!isPlainObject(result)) return result;
    if (result.object === 'event') return renderEvent(result as unknown as Stripe.Event);
    if (result.object === 'list' && Array.isArray(result.data)) {
      return {
        ...result,
        data: result.data.map((item) => (isPlainObject(item) && item.object === 'event' ? renderEvent(item as unknown as Stripe.Event) : item)),
      };
    }
    return result;
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, method: string, url: URL, raw: string): Promise<void> {
    const name = url.pathname.replace(/^\/_fake\/?/, '').replace(/\/$/, '');
    try {
      const body = parseControlBody(req, raw, url);
      const result = await control(name, method, body);
      sendJson(res, 200, result);
    } catch (error) {
      if (error instanceof ApiError) sendJson(res, error.status, { error: error.body });
      else sendJson(res, 400, { error: { type: 'invalid_request_error', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  async function control(name: string, method: string, body: Record<string, unknown>): Promise<unknown> {
    const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
    const num = (key: string) => (body[key] === undefined ? undefined : Number(body[key]));
    const bool = (key: string) => body[key] === true || body[key] === 'true';
    switch (name) {
      case '':
      case 'health':
        return { ok: true, url: baseUrl, apiVersion: API_VERSION, secretKey, now: engine.now() };
      case 'now':
        return { now: engine.now() };
      case 'complete-checkout': {
        const sessionId = str('sessionId') ?? str('session');
        if (!sessionId) throw new Error('sessionId is required');
        return fake.completeCheckout(sessionId, {
          outcome: str('outcome') as CompleteCheckoutOptions['outcome'],
          email: str('email'),
          name: str('name'),
        });
      }
      case 'advance-time': {
        const seconds = num('seconds');
        if (seconds === undefined || Number.isNaN(seconds)) throw new Error('seconds is required');
        const events = fake.advanceTime(seconds);
        return { now: engine.now(), events };
      }
      case 'set-next-payment-outcome': {
        const customer = str('customer') ?? str('customerId');
        if (!customer) throw new Error('customer is required');
        fake.setNextPaymentOutcome(customer, str('outcome') as PaymentOutcome, { times: num('times') });
        return { ok: true };
      }
      case 'complete-onboarding': {
        const account = str('accountId') ?? str('account');
        if (!account) throw new Error('accountId is required');
        return fake.completeOnboarding(account, { outcome: str('outcome') as OnboardingOutcome | undefined });
      }
      case 'open-dispute': {
        const charge = str('charge') ?? str('chargeId') ?? str('payment_intent') ?? str('paymentIntentId');
        if (!charge) throw new Error('charge (or payment_intent) is required');
        return fake.openDispute(charge, { amount: num('amount'), reason: str('reason') as DisputeReason | undefined, fee: num('fee') });
      }
      case 'close-dispute': {
        const dispute = str('dispute') ?? str('disputeId');
        if (!dispute) throw new Error('dispute is required');
        return fake.closeDispute(dispute, { outcome: str('outcome') as DisputeOutcome });
      }
      case 'events':
        return { data: fake.events({ type: str('type') }) };
      case 'pending-webhooks':
        return { data: fake.pendingWebhooks() };
      case 'delivery-attempts':
        return { data: fake.deliveryAttempts() };
      case 'deliver': {
        const eventId = str('eventId') ?? str('event');
        if (!eventId) throw new Error('eventId is required');
        const endpoint = isPlainObject(body.endpoint) ? (body.endpoint as unknown as WebhookEndpoint) : str('endpoint');
        return { status: await fake.deliver(eventId, { endpoint, timestamp: num('timestamp') }) };
      }
      case 'deliver-all':
        return {
          data: await fake.deliverAll({
            order: str('order') as DeliverAllOptions['order'],
            duplicate: bool('duplicate'),
            seed: num('seed'),
            endpoint: str('endpoint'),
          }),
        };
      case 'sign-payload': {
        const payload = str('payload');
        const secret = str('secret');
        if (payload === undefined || secret === undefined) throw new Error('payload and secret are required');
        return { header: fake.signPayload(payload, secret, num('timestamp')) };
      }
      case 'webhook-endpoints':
        if (method === 'POST' && body.url !== undefined) {
          fake.addWebhookEndpoint({ url: String(body.url), secret: String(body.secret ?? ''), events: Array.isArray(body.events) ? body.events.map(String) : undefined });
        }
        return { data: webhooks.endpoints };
      case 'reset':
        if (method !== 'POST') throw new Error('reset needs POST');
        fake.reset();
        return { ok: true };
      default:
        if (name.startsWith('objects/')) {
          const found = fake.get(decodeURIComponent(name.slice('objects/'.length)));
          if (found === undefined) throw new ApiError(404, { type: 'invalid_request_error', message: `No object ${name.slice(8)}` });
          return found;
        }
        throw new ApiError(404, { type: 'invalid_request_error', message: `Unknown stripe-fake control: /_fake/${name}` });
    }
  }

  function handlePage(_req: IncomingMessage, res: ServerResponse, method: string, url: URL, raw: string): void {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const form = qs.parse(raw, QS_OPTIONS) as Record<string, unknown>;
    try {
      if (parts.length === 0 && method === 'GET') {
        sendHtml(res, 200, indexPage(baseUrl));
        return;
      }
      if (parts[0] === 'checkout' && parts[1]) {
        const session = engine.sessions.get(parts[1]);
        const data = engine.sessionData.get(parts[1]);
        if (!session || !data) {
          sendHtml(res, 404, messagePage('Not found', 'No such checkout session.'));
          return;
        }
        if (session.status === 'open' && engine.now() >= session.expires_at) expireOpenSession(engine, session.id);
        if (method === 'GET' && parts.length === 2) {
          sendHtml(res, 200, checkoutPage(session, data));
          return;
        }
        if (method === 'POST' && parts[2] === 'pay') {
          if (session.status !== 'open') {
            sendHtml(res, 409, checkoutPage(session, data));
            return;
          }
          // The Pay button sends `default`: the customer's setNextPaymentOutcome decides (else paid).
          const outcome = form.outcome === 'failed' ? 'failed' : form.outcome === 'paid' ? 'paid' : undefined;
          const email = typeof form.email === 'string' && form.email !== '' ? form.email : undefined;
          const done = completeCheckout(engine, session.id, { outcome, email });
          if (done.status !== 'complete') {
            sendHtml(res, 402, checkoutPage(session, data, { error: 'Your card was declined. Try another card.' }));
            return;
          }
          if (session.success_url) redirect(res, session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id));
          else sendHtml(res, 200, checkoutDonePage(session));
          return;
        }
        if (method === 'POST' && parts[2] === 'cancel') {
          if (session.cancel_url) redirect(res, session.cancel_url);
          else sendHtml(res, 200, checkoutCanceledPage(session));
          return;
        }
      }
      if (parts[0] === 'connect' && parts[1] === 'onboarding' && parts[2]) {
        const { state, link } = accountLinkState(engine, parts[2]);
        if (state === 'unknown' || !link) {
          sendHtml(res, 404, messagePage('Not found', 'No such account link.'));
          return;
        }
        if (state === 'expired') {
          redirect(res, link.refresh_url);
          return;
        }
        const account = engine.accounts.get(link.account) as Stripe.Account;
        if (method === 'GET') {
          sendHtml(res, 200, onboardingPage(account, link.token));
          return;
        }
        if (method === 'POST') {
          link.used = true;
          completeOnboarding(engine, link.account, form.outcome === 'pending' ? 'pending' : 'complete');
          redirect(res, link.return_url);
          return;
        }
      }
      if (parts[0] === 'connect' && parts[1] === 'dashboard' && parts[2] && method === 'GET') {
        const account = engine.accounts.get(parts[2]);
        if (account) {
          sendHtml(res, 200, dashboardPage(account));
          return;
        }
      }
      if (parts[0] === 'receipts' && parts[1] && method === 'GET') {
        const charge = engine.charges.get(parts[1]);
        if (charge) {
          sendHtml(res, 200, receiptPage(charge));
          return;
        }
      }
      if (parts[0] === 'invoice' && parts[1] && method === 'GET') {
        const invoice = engine.invoices.get(parts[1]) as FakeInvoice | undefined;
        if (invoice) {
          sendHtml(res, 200, invoicePage(invoice));
          return;
        }
      }
      sendHtml(res, 404, messagePage('Not found', `Nothing at ${method} ${url.pathname}.`));
    } catch (error) {
      const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
      sendHtml(res, error instanceof ApiError ? error.status : 500, messagePage('Error', message));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return Object.assign(fake, {
    url: baseUrl,
    port,
    clientOptions: { host, port, protocol: 'http' as const, maxNetworkRetries: 0, telemetry: false },
    close: () => {
      closing ??= (async () => {
        await webhooks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  }) as StripeFake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function apiKey(req: IncomingMessage): string | undefined {
  const authorization = header(req, 'authorization');
  if (!authorization) return undefined;
  if (/^Bearer\s+/i.test(authorization)) return authorization.replace(/^Bearer\s+/i, '').trim() || undefined;
  if (/^Basic\s+/i.test(authorization)) {
    const decoded = Buffer.from(authorization.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    return decoded.split(':')[0] || undefined;
  }
  return undefined;
}

function redact(key: string): string {
  if (key.length <= 12) return key.replace(/./g, '*');
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function parseControlBody(req: IncomingMessage, raw: string, url: URL): Record<string, unknown> {
  const query = Object.fromEntries(url.searchParams.entries());
  if (!raw.trim()) return query;
  const type = header(req, 'content-type') ?? '';
  if (type.includes('application/json') || /^\s*[[{]/.test(raw)) {
    const parsed: unknown = JSON.parse(raw);
    if (!isPlainObject(parsed)) throw new Error('Expected a JSON object');
    return { ...query, ...parsed };
  }
  return { ...query, ...(qs.parse(raw, QS_OPTIONS) as Record<string, unknown>) };
}

function sendRaw(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body, null, 2), headers);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Content-Length': 0 });
  res.end();
}
