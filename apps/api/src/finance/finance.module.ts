import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { FinanceController } from './finance.controller.js';
import { FinanceService } from './finance.service.js';
import { DisclosureService } from './disclosure.service.js';
import { ProviderRecordsService } from './provider-records.service.js';
import { SettlementsService } from './settlements.service.js';

/**
 * Revenue sharing and the ledger as finance sees them: policy, revenue reports, balances,
 * journal, ageing, reconciliation, period close; sellers' statements. Money is posted where it
 * moves (libs/db billing: invoices issued, payments recorded, the billing close).
 */
@Module({
  imports: [AuditModule, PaymentsModule, QueuesModule],
  controllers: [FinanceController],
  providers: [FinanceService, SettlementsService, DisclosureService, ProviderRecordsService],
})
export class FinanceModule {}
