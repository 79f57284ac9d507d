import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor, CurrentPrincipal, RequirePermissions } from '../common/access.decorators.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyCreatedDto, ApiKeyListDto, ApiKeyPrincipalDto, CreateApiKeyDto } from './dto/identity.dto.js';
import { toApiKeyDto } from './dto/mappers.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('api-keys')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @RequirePermissions('api_keys:read')
  @ApiOperation({ summary: "The acting organization's API keys (never the secrets)." })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListDto> {
    return { items: (await this.apiKeys.list(principal)).map(toApiKeyDto) };
  }

  @Post()
  @RequirePermissions('api_keys:manage')
  @ApiOperation({ summary: 'Create an API key; the secret is returned once.' })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  async create(@Body() body: CreateApiKeyDto, @CurrentActor() actor: Actor & { principal: Principal }): Promise<ApiKeyCreatedDto> {
    const created = await this.apiKeys.create(actor, actor.principal, body);
    return { ...toApiKeyDto(created.apiKey), key: created.key };
  }

  @Get('current')
  @Authenticated({ allowApiKey: true })
  @ApiOperation({ summary: 'For API-key callers: which key and organization this is.' })
  @ApiOkResponse({ type: ApiKeyPrincipalDto })
  current(@CurrentPrincipal() principal: Principal): Promise<ApiKeyPrincipalDto> {
    return this.apiKeys.describe(principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('api_keys:manage')
  @ApiOperation({ summary: 'Revoke an API key; effective immediately.' })
  @ApiNoContentResponse()
  async revoke(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor & { principal: Principal }): Promise<void> {
    await this.apiKeys.revoke(actor, actor.principal, id);
  }
}
