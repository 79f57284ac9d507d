import { Module } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { AuditModule } from '../audit/audit.module.js';
import { LicenseViews } from '../licensing/license-views.service.js';
import { QueuesModule } from '../queues/queues.module.js';
import { ConnectService } from './connect.service.js';
import { InvoicesService } from './invoices.service.js';
import { OfflinePaymentProvider, PaymentProviders, StripePaymentProvider } from './payment-providers.js';
import { PaymentsController } from './payments.controller.js';
import { createStripeClient } from '@civic/payments';
import { StripeCatalogSync } from './stripe-catalog-sync.js';
import { STRIPE_CLIENT } from './stripe-client.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';

/**
 * Payments: the provider behind one interface (Stripe Checkout or offline invoices), Stripe's
 * webhook, the Stripe catalog's sync after offers change, invoices and their offline settlement
 * by finance, Stripe Connect onboarding.
 */
@Module({
  imports: [AuditModule, QueuesModule],
  controllers: [StripeWebhookController, PaymentsController],
  providers: [
    { provide: STRIPE_CLIENT, inject: [ApiConfig], useFactory: (config: ApiConfig) => createStripeClient(config) },
    OfflinePaymentProvider,
    StripePaymentProvider,
    PaymentProviders,
    InvoicesService,
    ConnectService,
    LicenseViews,
    StripeCatalogSync,
  ],
  exports: [PaymentProviders, LicenseViews, StripeCatalogSync, STRIPE_CLIENT],
})
export class PaymentsModule {}
