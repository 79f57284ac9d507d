import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CredentialRoute, CurrentActor, CurrentPrincipal, Public, RequirePermissions } from '../common/access.decorators.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import {
  AcceptInvitationDto,
  CreateInvitationDto,
  InvitationCreatedDto,
  InvitationListDto,
  InvitationPreviewDto,
  InvitationTokenDto,
  TokenResponseDto,
} from './dto/identity.dto.js';
import { toInvitationDto } from './dto/mappers.js';
import { InvitationsService } from './invitations.service.js';
import { SessionCookies } from './session-cookies.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('invitations')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly cookies: SessionCookies,
  ) {}

  @Get()
  @RequirePermissions('members:manage')
  @ApiOperation({ summary: 'Invitations of the acting organization.' })
  @ApiOkResponse({ type: InvitationListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<InvitationListDto> {
    return { items: (await this.invitations.list(principal)).map((invitation) => toInvitationDto(invitation)) };
  }

  @Post()
  @RequirePermissions('members:manage')
  @ApiOperation({ summary: 'Invite someone by email; the token is returned once.' })
  @ApiCreatedResponse({ type: InvitationCreatedDto })
  create(@Body() body: CreateInvitationDto, @CurrentActor() actor: Actor & { principal: Principal }): Promise<InvitationCreatedDto> {
    return this.invitations.create(actor, actor.principal, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('members:manage')
  @ApiOperation({ summary: 'Revoke a pending invitation.' })
  @ApiNoContentResponse()
  async revoke(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor & { principal: Principal }): Promise<void> {
    await this.invitations.revoke(actor, actor.principal, id);
  }

  @Post('preview')
  @HttpCode(200)
  @Public()
  @CredentialRoute()
  @ApiOperation({ summary: 'What an invitation token offers (organization, role, email).' })
  @ApiOkResponse({ type: InvitationPreviewDto })
  preview(@Body() body: InvitationTokenDto): Promise<InvitationPreviewDto> {
    return this.invitations.preview(body.token);
  }

  @Post('accept')
  @HttpCode(200)
  @Public()
  @CredentialRoute()
  @ApiOperation({ summary: 'Accept an invitation: creates the account if needed and signs in.' })
  @ApiOkResponse({ type: TokenResponseDto })
  async accept(@Body() body: AcceptInvitationDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    const signedIn = await this.invitations.accept(body, actor);
    this.cookies.write(reply, signedIn.session);
    return { accessToken: signedIn.session.accessToken, expiresIn: signedIn.session.expiresIn, me: signedIn.me };
  }
}
