import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

describe('Connect onboarding', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const links = (account: string) =>
    stripe.accountLinks.create({
      account,
      refresh_url: 'http://seller.test/onboarding/refresh',
      return_url: 'http://seller.test/onboarding/done',
      type: 'account_onboarding',
    });

  it('enables charges and payouts once the seller completes the hosted onboarding', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'US', email: 'seller@example.org', metadata: { organization_id: 'org-9' } });
    expect(account.id).toMatch(/^acct_/);
    expect(account).toMatchObject({
      object: 'account',
      type: 'express',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
      metadata: { organization_id: 'org-9' },
    });
    expect(account.requirements?.currently_due).toContain('external_account');

    const link = await links(account.id);
    expect(link).toMatchObject({ object: 'account_link' });
    expect(link.expires_at - link.created).toBe(300);
    expect(link.url.startsWith(`${fake.url}/connect/onboarding/`)).toBe(true);

    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="complete-onboarding"');
    const done = await fetch(link.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://seller.test/onboarding/done');

    const onboarded = await stripe.accounts.retrieve(account.id);
    expect(onboarded).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      capabilities: { card_payments: 'active', transfers: 'active' },
      requirements: { currently_due: [], disabled_reason: null },
    });
    const [updated] = fake.events({ type: 'account.updated' });
    expect(updated.account).toBe(account.id);
    expect(updated.data.previous_attributes).toMatchObject({ charges_enabled: false, payouts_enabled: false, details_submitted: false });

    // A used link sends the seller to refresh_url, as Stripe does.
    const reused = await fetch(link.url, { redirect: 'manual' });
    expect(reused.status).toBe(303);
    expect(reused.headers.get('location')).toBe('http://seller.test/onboarding/refresh');

    const login = await stripe.accounts.createLoginLink(account.id);
    expect(login.url).toBe(`${fake.url}/connect/dashboard/${account.id}`);
  });

  it('expires links after five minutes and keeps verification pending when asked', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'DE' });
    expect(account.default_currency).toBe('eur');
    const stale = await links(account.id);
    fake.advanceTime(301);
    const expired = await fetch(stale.url, { redirect: 'manual' });
    expect(expired.headers.get('location')).toBe('http://seller.test/onboarding/refresh');

    const pending = fake.completeOnboarding(account.id, { outcome: 'pending' });
    expect(pending).toMatchObject({ details_submitted: true, charges_enabled: false, payouts_enabled: false });
    expect(pending.requirements?.disabled_reason).toBe('requirements.pending_verification');
    await expect(stripe.accountLinks.create({ account: 'acct_missing', refresh_url: 'http://a.test', return_url: 'http://a.test', type: 'account_onboarding' })).rejects.toThrow(
      /No such account/,
    );
    await expect(stripe.accounts.retrieve('acct_missing')).rejects.toBeInstanceOf(Stripe.errors.StripePermissionError);
  });

  it('only lets onboarded accounts receive destination charges', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'US' });
    const product = await stripe.products.create({ name: 'Seller dataset' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 10_000 });
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
      payment_intent_data: { application_fee_amount: 1_500, transfer_data: { destination: account.id } },
    };
    await expect(stripe.checkout.sessions.create(params)).rejects.toThrow(/capabilities enabled: transfers/);

    const response = await fetch(`${fake.url}/_fake/complete-onboarding`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId: account.id }),
    });
    expect(((await response.json()) as Stripe.Account).charges_enabled).toBe(true);
    const session = await stripe.checkout.sessions.create(params);
    const done = fake.completeCheckout(session.id);
    const paymentIntent = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(paymentIntent).toMatchObject({ status: 'succeeded', application_fee_amount: 1_500, transfer_data: { destination: account.id } });
  });
});
