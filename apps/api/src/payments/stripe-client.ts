/** Injection token of the Stripe SDK client (null when Stripe is not configured). */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');
