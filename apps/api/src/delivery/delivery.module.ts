import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { LicensingModule } from '../licensing/licensing.module.js';
import { DataRateLimiter } from './data-rate-limiter.js';
import { DataService } from './data.service.js';
import { DataController } from './delivery.controller.js';
import { DownloadsService } from './downloads.service.js';
import { DataFiles } from './row-reader.provider.js';
import { UsageRecorder } from './usage-recorder.service.js';
import { UsageViews } from './usage-views.service.js';

/**
 * Delivery and metering: the query API over product versions (DuckDB, parameters only), the
 * entitlement check and per-licence rate limit on every delivery, usage events recorded exactly
 * once before an answer leaves, and the usage views of buyers and sellers.
 */
@Module({
  imports: [CatalogModule, LicensingModule],
  controllers: [DataController],
  providers: [DataService, DataFiles, DataRateLimiter, UsageRecorder, UsageViews, DownloadsService],
})
export class DeliveryModule {}
