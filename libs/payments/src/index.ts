export { createStripeClient, type StripeSettings } from './stripe-client.js';
export { type CollectOutcome, STRIPE_COLLECTED_KINDS, StripeCollector } from './stripe-collect.js';
export { licenceStateFor, statusFor, storeProviderEvent, STRIPE_EVENT_TYPES, StripeSync, subscriptionOfInvoice, type SyncOutcome } from './stripe-sync.js';
