import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { EntitlementsService } from './entitlements.service.js';
import { LicenseTemplatesService } from './license-templates.service.js';
import { LicensesService } from './licenses.service.js';
import { LicensesController, OffersController } from './licensing.controller.js';
import { OffersService } from './offers.service.js';
import { PriceCapsService } from './price-caps.service.js';
import { ProductFactsService } from './product-facts.js';

/**
 * Licensing (the commerce context): ODRL licence templates, offers and price caps, licences
 * with their immutable accepted terms and state, purchase approvals, and the entitlement
 * service that delivery asks.
 */
@Module({
  imports: [AuditModule, PaymentsModule],
  controllers: [OffersController, LicensesController],
  providers: [LicenseTemplatesService, OffersService, PriceCapsService, LicensesService, EntitlementsService, ProductFactsService],
  exports: [EntitlementsService],
})
export class LicensingModule {}
