import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AccessGuard } from '../common/access.guard.js';
import { QueuesModule } from '../queues/queues.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { OrganizationsController } from './organizations.controller.js';
import { OrganizationsService } from './organizations.service.js';
import { PrincipalService } from './principal.service.js';
import { SessionCookies } from './session-cookies.js';
import { SessionService } from './session.service.js';
import { TokenService } from './token.service.js';

/** Identity and tenancy: accounts, sessions, organizations, members, invitations, API keys. */
@Module({
  imports: [AuditModule, QueuesModule],
  controllers: [AuthController, OrganizationsController, MembersController, InvitationsController, ApiKeysController],
  providers: [
    TokenService,
    PrincipalService,
    SessionService,
    SessionCookies,
    AuthService,
    OrganizationsService,
    MembersService,
    InvitationsService,
    ApiKeysService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PrincipalService],
})
export class IdentityModule {}
