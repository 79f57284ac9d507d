export { createStripeClient, type StripeSettings } from './stripe-client.js';
export {
  offerPriceLookupKey,
  type OfferSyncOutcome,
  type ProductSyncOutcome,
  StripeCatalog,
  stripePriceTerms,
  type StripePriceTerms,
  stripeProductIdFor,
  stripeProductName,
  upfrontFee,
  type UpfrontFee,
} from './stripe-catalog.js';
export { type CollectOutcome, STRIPE_COLLECTED_KINDS, StripeCollector } from './stripe-collect.js';
export { licenceStateFor, statusFor, storeProviderEvent, STRIPE_EVENT_TYPES, StripeSync, subscriptionOfInvoice, type SyncOutcome } from './stripe-sync.js';
