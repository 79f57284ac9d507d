export { startStripeFake, type StripeFake, type StripeFakeOptions } from './server.js';
export { API_VERSION, type FakeInvoice, type PaymentOutcome, type RetryPolicy } from './engine.js';
export type { CompleteCheckoutOptions } from './resources/checkout.js';
export type { DisputeOutcome, DisputeReason, OpenDisputeOptions } from './resources/charges.js';
export type { OnboardingOutcome } from './resources/connect.js';
export { endpointList } from './routes.js';
export {
  signPayload,
  type DeliverAllOptions,
  type DeliverOptions,
  type DeliveryAttempt,
  type DeliveryResult,
  type PendingWebhook,
  type WebhookEndpoint,
} from './webhooks.js';
