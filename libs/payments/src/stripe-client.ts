import Stripe from 'stripe';

export interface StripeSettings {
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_URL?: string;
}

/**
 * The Stripe SDK client, or null when Stripe is not configured (the offline provider is used).
 * STRIPE_API_URL points the SDK at a Stripe-compatible server (the local test double).
 */
export function createStripeClient(config: StripeSettings): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const base = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    telemetry: false,
    timeout: 20_000,
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol.replace(':', '') as 'http' | 'https' }
      : {}),
  });
}


