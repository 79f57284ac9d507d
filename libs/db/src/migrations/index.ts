import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { AuditChainHead1764100000000 } from './1764100000000-audit-chain-head.js';
import { Catalog1764200000000 } from './1764200000000-catalog.js';
import { CatalogUsageIndex1764250000000 } from './1764250000000-catalog-usage-index.js';
import { Products1764300000000 } from './1764300000000-products.js';
import { Commerce1764500000000 } from './1764500000000-commerce.js';
import { ProductSubmittedAt1764600000000 } from './1764600000000-product-submitted-at.js';
import { Metering1764700000000 } from './1764700000000-metering.js';
import { DeliveryKeys1764800000000 } from './1764800000000-delivery-keys.js';
import { Billing1764900000000 } from './1764900000000-billing.js';
import { DisputeReinstatements1765000000000 } from './1765000000000-dispute-reinstatements.js';
import { CreditNotes1765100000000 } from './1765100000000-credit-notes.js';
import { StripeHostedInvoice1765200000000 } from './1765200000000-stripe-hosted-invoice.js';
import { ChangeNotifications1765300000000 } from './1765300000000-change-notifications.js';
import { UsageIngest1765400000000 } from './1765400000000-usage-ingest.js';
import { OutboxSweepIndex1765500000000 } from './1765500000000-outbox-sweep-index.js';
import { Notifications1765600000000 } from './1765600000000-notifications.js';
import { UsageEventsLicenseHour1765700000000 } from './1765700000000-usage-events-license-hour.js';
import { OutboxFailures1765800000000 } from './1765800000000-outbox-failures.js';
import { CollectionAccount1765900000000 } from './1765900000000-collection-account.js';

/** Every migration in order. Listed explicitly: no globbing of compiled files. */
export const MIGRATIONS = [Foundation1764000000000, AuditChainHead1764100000000, Catalog1764200000000, CatalogUsageIndex1764250000000, Products1764300000000, Commerce1764500000000, ProductSubmittedAt1764600000000, Metering1764700000000, DeliveryKeys1764800000000, Billing1764900000000, DisputeReinstatements1765000000000, CreditNotes1765100000000, StripeHostedInvoice1765200000000, ChangeNotifications1765300000000, UsageIngest1765400000000, OutboxSweepIndex1765500000000, Notifications1765600000000, UsageEventsLicenseHour1765700000000, OutboxFailures1765800000000, CollectionAccount1765900000000];
