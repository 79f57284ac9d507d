import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import type { Actor } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { CreateOrganizationDto, OrganizationCreatedDto, OrganizationDto, OrganizationListDto, OrganizationQueryDto } from './dto/identity.dto.js';
import { toOrganizationDto } from './dto/mappers.js';
import { OrganizationsService } from './organizations.service.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('organizations')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @RequirePermissions('organizations:read')
  @ApiOperation({ summary: 'All organizations on the platform (operators and supervisors).' })
  @ApiOkResponse({ type: OrganizationListDto })
  async list(@Query() query: OrganizationQueryDto): Promise<OrganizationListDto> {
    return { items: (await this.organizations.list(query)).map(toOrganizationDto) };
  }

  @Post()
  @RequirePermissions('organizations:manage')
  @ApiOperation({ summary: 'Create an agency or finance organization and invite its first administrator.' })
  @ApiCreatedResponse({ type: OrganizationCreatedDto })
  async create(@Body() body: CreateOrganizationDto, @CurrentActor() actor: Actor): Promise<OrganizationCreatedDto> {
    const created = await this.organizations.create(actor, body);
    return { organization: toOrganizationDto(created.organization), invitation: created.invitation };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermissions('organizations:manage')
  @ApiOperation({ summary: 'Approve a vendor awaiting approval.' })
  @ApiOkResponse({ type: OrganizationDto })
  async approve(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizations.approve(actor, id));
  }
}
