import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { DerivationSandboxService } from './derivation-sandbox.service.js';
import { ProductCatalogController } from './product-catalog.controller.js';
import { ProductCatalogService } from './product-catalog.service.js';
import { ProductReviewsController } from './product-reviews.controller.js';
import { ProductReviewsService } from './product-reviews.service.js';
import { ProductViews } from './product-views.service.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';
import { ReviewRules } from './review-rules.js';

/**
 * Value-added data products (the derivation context): products and their inputs, dry runs in
 * the sandbox, runs of the derive flow, versions with lineage and privacy report, listing review
 * and the storefront's product pages.
 */
@Module({
  imports: [AuditModule, QueuesModule, CatalogModule],
  controllers: [ProductCatalogController, ProductsController, ProductReviewsController],
  providers: [ProductsService, ProductReviewsService, ProductViews, ReviewRules, ProductCatalogService, DerivationSandboxService],
})
export class ProductsModule {}
