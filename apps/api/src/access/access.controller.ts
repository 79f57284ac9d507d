import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { AccessService } from './access.service.js';
import {
  AccessRequestDto,
  AccessRequestListDto,
  AccessRequestsQueryDto,
  ApproveAccessRequestDto,
  CreateAccessRequestDto,
  GrantDto,
  GrantListDto,
  ReasonDto,
} from './dto/access.dto.js';

type Caller = Actor & { principal: Principal };

/** Requests for conditional data, as the requesting organization sees them. */
@ApiTags('access')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @Post('access-requests')
  @RequirePermissions('access_requests:file')
  @ApiOperation({ summary: 'Request access to a conditional dataset for a stated purpose and term.' })
  @ApiCreatedResponse({ type: AccessRequestDto })
  file(@Body() body: CreateAccessRequestDto, @CurrentActor() actor: Caller): Promise<AccessRequestDto> {
    return this.access.file(actor, actor.principal, body);
  }

  @Get('access-requests')
  @RequirePermissions('access_requests:read')
  @ApiOperation({ summary: "The acting organization's own requests, newest first." })
  @ApiOkResponse({ type: AccessRequestListDto })
  async mine(@Query() query: AccessRequestsQueryDto, @CurrentActor() actor: Caller): Promise<AccessRequestListDto> {
    return { items: await this.access.list('requester', actor.principal, query.status) };
  }

  @Get('access-requests/:id')
  @RequirePermissions('access_requests:read')
  @ApiOperation({ summary: 'One of the acting organization’s requests.' })
  @ApiOkResponse({ type: AccessRequestDto })
  one(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<AccessRequestDto> {
    return this.access.getOne('requester', actor.principal, id);
  }

  @Post('access-requests/:id/withdraw')
  @HttpCode(200)
  @RequirePermissions('access_requests:file')
  @ApiOperation({ summary: 'Withdraw a pending request.' })
  @ApiOkResponse({ type: AccessRequestDto })
  withdraw(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<AccessRequestDto> {
    return this.access.withdraw(actor, actor.principal, id);
  }

  @Get('access-grants')
  @RequirePermissions('access_requests:read')
  @ApiOperation({ summary: 'Grants held by the acting organization (active, expired, revoked).' })
  @ApiOkResponse({ type: GrantListDto })
  async grants(@CurrentActor() actor: Caller): Promise<GrantListDto> {
    return { items: await this.access.grants('holder', actor.principal) };
  }

  @Get('agency/access-grants')
  @RequirePermissions('access_requests:decide')
  @ApiOperation({ summary: "Grants the agency has given for its datasets (active, expired, revoked)." })
  @ApiOkResponse({ type: GrantListDto })
  async given(@CurrentActor() actor: Caller): Promise<GrantListDto> {
    return { items: await this.access.grants('agency', actor.principal) };
  }

  @Get('agency/access-requests')
  @RequirePermissions('access_requests:decide')
  @ApiOperation({ summary: "Requests for the agency's datasets (the steward's queue)." })
  @ApiOkResponse({ type: AccessRequestListDto })
  async incoming(@Query() query: AccessRequestsQueryDto, @CurrentActor() actor: Caller): Promise<AccessRequestListDto> {
    return { items: await this.access.list('agency', actor.principal, query.status) };
  }

  @Post('agency/access-requests/:id/approve')
  @HttpCode(200)
  @RequirePermissions('access_requests:decide')
  @ApiOperation({ summary: 'Approve a request: a grant for the requested (or a shorter) term.' })
  @ApiOkResponse({ type: AccessRequestDto })
  approve(@Param('id', uuidPipe) id: string, @Body() body: ApproveAccessRequestDto, @CurrentActor() actor: Caller): Promise<AccessRequestDto> {
    return this.access.approve(actor, actor.principal, id, body);
  }

  @Post('agency/access-requests/:id/reject')
  @HttpCode(200)
  @RequirePermissions('access_requests:decide')
  @ApiOperation({ summary: 'Reject a request with a reason.' })
  @ApiOkResponse({ type: AccessRequestDto })
  reject(@Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @CurrentActor() actor: Caller): Promise<AccessRequestDto> {
    return this.access.reject(actor, actor.principal, id, body.reason);
  }

  @Post('agency/access-grants/:id/revoke')
  @HttpCode(200)
  @RequirePermissions('access_requests:decide')
  @ApiOperation({ summary: 'Revoke a grant before its term ends, with a reason; effective immediately.' })
  @ApiOkResponse({ type: GrantDto })
  revoke(@Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @CurrentActor() actor: Caller): Promise<GrantDto> {
    return this.access.revokeGrant(actor, actor.principal, id, body.reason);
  }
}
