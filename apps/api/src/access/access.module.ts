import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AccessController } from './access.controller.js';
import { AccessService } from './access.service.js';

/** Supervised access to conditional data: requests, decisions and time-limited grants. */
@Module({
  imports: [AuditModule],
  controllers: [AccessController],
  providers: [AccessService],
  exports: [AccessService],
})
export class AccessModule {}
