import type Stripe from 'stripe';
import type { FakeInvoice, SessionData } from './engine.js';
import { escapeHtml, formatAmount } from './util.js';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1a1f36; }
  .banner { background: #fff4e5; border: 1px solid #f5c37a; padding: .5rem .75rem; border-radius: 6px; font-size: .85rem; }
  .amount { font-size: 2rem; font-weight: 600; margin: 1rem 0; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td { padding: .35rem 0; border-bottom: 1px solid #e3e8ee; }
  td.num { text-align: right; }
  label { display: block; margin: .75rem 0 .25rem; }
  input { width: 100%; padding: .5rem; box-sizing: border-box; }
  .actions { display: flex; gap: .75rem; margin-top: 1rem; flex-wrap: wrap; }
  button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid #c1c9d2; background: #fff; cursor: pointer; }
  button.primary { background: #635bff; border-color: #635bff; color: #fff; }
  .error { color: #b42318; margin: 1rem 0; }
  .muted { color: #697386; font-size: .85rem; }
</style>
</head>
<body>
<p class="banner">stripe-fake: a local test double of Stripe. No real payment happens here.</p>
${body}
</body>
</html>`;
}

export function checkoutPage(session: Stripe.Checkout.Session, data: SessionData, options: { error?: string } = {}): string {
  const title = session.mode === 'subscription' ? 'Subscribe' : 'Pay';
  const rows = data.lineItems
    .map((item) => {
      const price = item.price as Stripe.Price;
      const cadence = price.recurring ? ` / ${price.recurring.interval_count > 1 ? `${price.recurring.interval_count} ` : ''}${price.recurring.interval}` : '';
      return `<tr><td>${escapeHtml(item.description ?? price.id)} × ${item.quantity ?? 1}</td><td class="num">${escapeHtml(formatAmount(item.amount_total, item.currency))}${escapeHtml(cadence)}</td></tr>`;
    })
    .join('\n');
  const amount = formatAmount(session.amount_total ?? 0, session.currency ?? 'usd');
  const trial = data.subscriptionData.trial_period_days;
  const email = session.customer_details?.email ?? session.customer_email ?? '';
  if (session.status !== 'open') {
    const message = session.status === 'complete' ? 'This checkout session is already complete.' : 'This checkout session has expired.';
    return layout('Checkout', `<h1>Checkout</h1><p data-testid="checkout-closed" data-status="${escapeHtml(session.status ?? '')}">${message}</p>`);
  }
  return layout(
    `${title} ${amount}`,
    `<h1>${title}</h1>
<p class="amount" data-testid="amount">${escapeHtml(amount)}</p>
${trial ? `<p data-testid="trial">${trial}-day free trial; billing starts after the trial.</p>` : ''}
<table>${rows}</table>
${options.error ? `<p class="error" role="alert" data-testid="error">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="/checkout/${escapeHtml(session.id)}/pay">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="${escapeHtml(email)}">
  <div class="actions">
    <button type="submit" class="primary" name="outcome" value="default" id="pay" data-testid="pay">${title} ${escapeHtml(amount)}</button>
    <button type="submit" name="outcome" value="failed" id="decline" data-testid="decline">Pay with a declined card</button>
  </div>
</form>
<form method="post" action="/checkout/${escapeHtml(session.id)}/cancel">
  <div class="actions"><button type="submit" id="cancel" data-testid="cancel">Cancel</button></div>
</form>
<p class="muted">Session ${escapeHtml(session.id)}</p>`,
  );
}

export function checkoutDonePage(session: Stripe.Checkout.Session): string {
  return layout(
    'Payment complete',
    `<h1>Thank you</h1><p data-testid="checkout-complete">Payment complete for ${escapeHtml(session.id)}.</p>`,
  );
}

export function checkoutCanceledPage(session: Stripe.Checkout.Session): string {
  return layout('Checkout canceled', `<h1>Canceled</h1><p data-testid="checkout-canceled">You left checkout ${escapeHtml(session.id)}.</p>`);
}

export function onboardingPage(account: Stripe.Account, token: string): string {
  return layout(
    'Connect onboarding',
    `<h1>Set up payouts</h1>
<p>Account <code>${escapeHtml(account.id)}</code>${account.email ? ` (${escapeHtml(account.email)})` : ''}, ${escapeHtml(account.country ?? '')}.</p>
<form method="post" action="/connect/onboarding/${escapeHtml(token)}">
  <div class="actions">
    <button type="submit" class="primary" name="outcome" value="complete" id="complete-onboarding" data-testid="complete-onboarding">Complete onboarding</button>
    <button type="submit" name="outcome" value="pending" id="submit-pending" data-testid="submit-pending">Submit (verification pending)</button>
  </div>
</form>`,
  );
}

export function dashboardPage(account: Stripe.Account): string {
  return layout(
    'Express dashboard',
    `<h1>Express dashboard</h1><p data-testid="dashboard">Account ${escapeHtml(account.id)}: charges ${account.charges_enabled ? 'enabled' : 'disabled'}, payouts ${account.payouts_enabled ? 'enabled' : 'disabled'}.</p>`,
  );
}

export function invoicePage(invoice: FakeInvoice): string {
  const rows = invoice.lines.data
    .map((line) => `<tr><td>${escapeHtml(line.description ?? '')}</td><td class="num">${escapeHtml(formatAmount(line.amount, line.currency))}</td></tr>`)
    .join('\n');
  return layout(
    `Invoice ${invoice.number ?? invoice.id}`,
    `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
<p data-testid="invoice-status">Status: ${escapeHtml(invoice.status ?? '')}</p>
<table>${rows}</table>
<p class="amount">${escapeHtml(formatAmount(invoice.total, invoice.currency))}</p>`,
  );
}

/** A charge's `receipt_url`. */
export function receiptPage(charge: Stripe.Charge): string {
  const refunded = charge.amount_refunded > 0
    ? `<p>Refunded: ${escapeHtml(formatAmount(charge.amount_refunded, charge.currency))}</p>`
    : '';
  return layout(
    'Receipt',
    `<h1>Receipt</h1>
<p class="amount">${escapeHtml(formatAmount(charge.amount, charge.currency))}</p>
${refunded}
<p class="muted">${escapeHtml(charge.id)}${charge.description ? ` · ${escapeHtml(charge.description)}` : ''}</p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function indexPage(baseUrl: string): string {
  return layout(
    'stripe-fake',
    `<h1>stripe-fake</h1>
<p>Point the Stripe SDK here: <code>new Stripe(key, { host, port, protocol: 'http' })</code> with base URL <code>${escapeHtml(baseUrl)}</code>.</p>
<p>Test controls live under <code>/_fake/…</code>.</p>`,
  );
}
