import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

const SECRET = 'whsec_test_receiver_secret';

interface Received {
  path: string;
  verified: boolean;
  error?: string;
  event?: Stripe.Event;
  raw: string;
}

/** A tiny webhook endpoint that verifies signatures with the real SDK, like the API will. */
async function receiver(options: { failFirst?: number } = {}): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const verifier = new Stripe('sk_test_verifier', { telemetry: false });
  const received: Received[] = [];
  let failures = options.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const secret = path === '/wrong' ? 'whsec_not_the_right_one' : SECRET;
      try {
        const event = verifier.webhooks.constructEvent(raw, req.headers['stripe-signature'] as string, secret);
        received.push({ path, verified: true, event, raw });
        if (failures > 0) {
          failures -= 1;
          res.writeHead(500).end('try later');
          return;
        }
        res.writeHead(200).end('ok');
      } catch (error) {
        received.push({ path, verified: false, error: (error as Error).constructor.name, raw });
        res.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('webhooks', () => {
  let endpoint: Awaited<ReturnType<typeof receiver>>;
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    endpoint = await receiver();
    fake = await startStripeFake({ webhookEndpoints: [{ url: `${endpoint.url}/hook`, secret: SECRET }] });
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
    await endpoint.close();
  });
  beforeEach(() => {
    fake.reset();
    endpoint.received.length = 0;
  });

  async function paidCheckout(): Promise<Stripe.Checkout.Session> {
    const product = await stripe.products.create({ name: 'Bulk export' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 5_000 });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
      metadata: { order_id: 'o-1' },
    });
    return fake.completeCheckout(session.id);
  }

  it('keeps events pending until delivered, and signs them so constructEvent verifies them', async () => {
    const session = await paidCheckout();
    const pending = fake.pendingWebhooks();
    expect(pending.map((item) => item.type)).toEqual([
      'product.created', 'price.created', 'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed',
    ]);
    expect(pending[5]).toMatchObject({ endpoint: `${endpoint.url}/hook`, attempts: 0, lastStatus: null });
    expect(pending[5].event.pending_webhooks).toBe(1);
    expect(endpoint.received).toHaveLength(0);

    const completed = fake.events({ type: 'checkout.session.completed' })[0];
    expect(await fake.deliver(completed.id)).toBe(200);
    const [hit] = endpoint.received;
    expect(hit.verified).toBe(true);
    expect(hit.event?.id).toBe(completed.id);
    expect(hit.event?.type).toBe('checkout.session.completed');
    expect((hit.event?.data.object as Stripe.Checkout.Session)).toMatchObject({ id: session.id, metadata: { order_id: 'o-1' }, status: 'complete' });
    expect(fake.pendingWebhooks()).toHaveLength(5);
    expect((await stripe.events.retrieve(completed.id)).pending_webhooks).toBe(0);

    const results = await fake.deliverAll();
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(endpoint.received.map((item) => item.event?.type)).toEqual([
      'checkout.session.completed', 'product.created', 'price.created', 'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded',
    ]);
    expect(fake.pendingWebhooks()).toEqual([]);
    expect(fake.deliveryAttempts()).toHaveLength(6);
  });

  it('fails verification with the wrong secret, a stale timestamp or a forged signature', async () => {
    await paidCheckout();
    const event = fake.events({ type: 'payment_intent.succeeded' })[0];
    expect(await fake.deliver(event.id, { endpoint: { url: `${endpoint.url}/wrong`, secret: SECRET } })).toBe(400);
    expect(endpoint.received.at(-1)).toMatchObject({ verified: false, error: 'StripeSignatureVerificationError' });
    expect(fake.pendingWebhooks().some((item) => item.eventId === event.id)).toBe(true);

    expect(await fake.deliver(event.id, { timestamp: Math.floor(Date.now() / 1000) - 600 })).toBe(400);
    expect(endpoint.received.at(-1)).toMatchObject({ verified: false, error: 'StripeSignatureVerificationError' });

    const verifier = new Stripe('sk_test_verifier', { telemetry: false });
    const payload = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'invoice.paid', data: { object: {} } });
    const now = Math.floor(Date.now() / 1000);
    expect(verifier.webhooks.constructEvent(payload, fake.signPayload(payload, SECRET, now), SECRET).id).toBe('evt_forged');
    expect(() => verifier.webhooks.constructEvent(payload, fake.signPayload(payload, 'whsec_other', now), SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => verifier.webhooks.constructEvent(`${payload} `, fake.signPayload(payload, SECRET, now), SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // Same scheme as the SDK's own test helper.
    expect(fake.signPayload(payload, SECRET, now)).toBe(verifier.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: now }));

    expect(await fake.deliver(event.id)).toBe(200);
    expect(fake.pendingWebhooks().some((item) => item.eventId === event.id)).toBe(false);
  });

  it('delivers out of order and twice when asked', async () => {
    await paidCheckout();
    const recorded = fake.events().map((event) => event.id);
    const reversed = await fake.deliverAll({ order: 'reversed', duplicate: true });
    expect(reversed.map((result) => result.eventId)).toEqual(recorded.reverse().flatMap((id) => [id, id]));
    expect(endpoint.received).toHaveLength(12);
    expect(new Set(endpoint.received.map((item) => item.event?.id)).size).toBe(6);
    expect(endpoint.received[0].raw).toBe(endpoint.received[1].raw);

    fake.reset();
    await paidCheckout();
    const a = (await fake.deliverAll({ order: 'shuffled', seed: 7 })).map((result) => result.type);
    fake.reset();
    await paidCheckout();
    const b = (await fake.deliverAll({ order: 'shuffled', seed: 7 })).map((result) => result.type);
    expect(a).toEqual(b);
    expect([...a].sort()).toEqual([
      'charge.succeeded', 'checkout.session.completed', 'payment_intent.created', 'payment_intent.succeeded', 'price.created', 'product.created',
    ]);
  });

  it('delivers on its own when deliverWebhooks is on, retrying a failing endpoint', async () => {
    const flaky = await receiver({ failFirst: 1 });
    const auto = await startStripeFake({
      deliverWebhooks: true,
      webhookEndpoints: [{ url: `${flaky.url}/hook`, secret: SECRET, events: ['checkout.session.*'] }],
    });
    try {
      const client = new Stripe(auto.secretKey, auto.clientOptions);
      const product = await client.products.create({ name: 'Bulk export' });
      const price = await client.prices.create({ product: product.id, currency: 'usd', unit_amount: 5_000 });
      const session = await client.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] });
      auto.completeCheckout(session.id);
      const deadline = Date.now() + 5_000;
      while (auto.pendingWebhooks().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(auto.pendingWebhooks()).toEqual([]);
      expect(flaky.received.map((item) => [item.event?.type, item.verified])).toEqual([
        ['checkout.session.completed', true],
        ['checkout.session.completed', true],
      ]);
      expect(auto.deliveryAttempts().map((attempt) => attempt.status)).toEqual([500, 200]);
    } finally {
      await auto.close();
      await flaky.close();
    }
  });

  it('offers the same controls over HTTP', async () => {
    await paidCheckout();
    const pending = (await (await fetch(`${fake.url}/_fake/pending-webhooks`)).json()) as { data: { eventId: string }[] };
    expect(pending.data).toHaveLength(6);
    const response = await fetch(`${fake.url}/_fake/deliver`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ eventId: pending.data[0].eventId }),
    });
    expect(await response.json()).toEqual({ status: 200 });
    const all = await fetch(`${fake.url}/_fake/deliver-all`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(((await all.json()) as { data: unknown[] }).data).toHaveLength(5);
    const signed = await fetch(`${fake.url}/_fake/sign-payload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ payload: '{}', secret: SECRET, timestamp: 1 }),
    });
    expect(((await signed.json()) as { header: string }).header).toBe(fake.signPayload('{}', SECRET, 1));
  });
});
