import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { AgencyDatasetsController } from './agency-datasets.controller.js';
import { AgencyUsageController } from './agency-usage.controller.js';
import { CatalogReadService } from './catalog-read.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { CatalogController } from './catalog.controller.js';
import { DatasetsService } from './datasets.service.js';
import { IngestionsService } from './ingestions.service.js';
import { objectStoreProvider, OBJECT_STORE } from './object-store.provider.js';
import { UsageService } from './usage.service.js';

/** The government data catalog: datasets, versions, uploads, search, previews and downloads, and their usage. */
@Module({
  imports: [AuditModule, QueuesModule],
  controllers: [CatalogController, AgencyDatasetsController, AgencyUsageController],
  providers: [objectStoreProvider, DatasetsService, IngestionsService, CatalogSearchService, CatalogReadService, UsageService],
  exports: [CatalogReadService, CatalogSearchService, OBJECT_STORE],
})
export class CatalogModule {}
