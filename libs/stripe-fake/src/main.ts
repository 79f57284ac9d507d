/**
 * Runs the fake as a stand-alone server for a local demo:
 *
 *   STRIPE_FAKE_PORT=12111 STRIPE_WEBHOOK_URL=http://127.0.0.1:3000/api/v1/payments/stripe/webhook \
 *   STRIPE_WEBHOOK_SECRET=whsec_local node libs/stripe-fake/dist/main.js
 *
 * Events are delivered to the webhook URL as they happen. State lives in memory only.
 */
import { startStripeFake } from './server.js';

const port = Number(process.env.STRIPE_FAKE_PORT ?? 12111);
const host = process.env.STRIPE_FAKE_HOST ?? '127.0.0.1';
const webhookUrl = process.env.STRIPE_WEBHOOK_URL;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;
if (webhookUrl && !webhookSecret) {
  console.error('stripe-fake: STRIPE_WEBHOOK_URL needs STRIPE_WEBHOOK_SECRET (whsec_...)');
  process.exit(2);
}

const fake = await startStripeFake({
  port,
  host,
  deliverWebhooks: true,
  webhookEndpoints: webhookUrl && webhookSecret ? [{ url: webhookUrl, secret: webhookSecret }] : [],
});
console.log(`stripe-fake listening on ${fake.url} (API version ${fake.apiVersion})`);
console.log(`  STRIPE_API_URL=${fake.url} STRIPE_SECRET_KEY=${fake.secretKey}`);
console.log(webhookUrl ? `  webhooks -> ${webhookUrl}` : '  no webhook endpoint (set STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET)');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  });
}
