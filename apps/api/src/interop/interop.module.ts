import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CatalogViewService } from './catalog-view.service.js';
import { CkanController } from './ckan.controller.js';
import { DcatController } from './dcat.controller.js';
import { HarvestController } from './harvest.controller.js';
import { HarvestService } from './harvest.service.js';

/** Interoperability: DCAT-AP 3 export, a CKAN-compatible read API, and the CKAN harvester. */
@Module({
  imports: [CatalogModule, AuditModule],
  controllers: [DcatController, CkanController, HarvestController],
  providers: [CatalogViewService, HarvestService],
})
export class InteropModule {}
