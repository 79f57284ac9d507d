import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { HarvestDto, HarvestResultDto } from './harvest.dto.js';
import { HarvestService } from './harvest.service.js';

@ApiTags('agency-datasets')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/agency/harvests')
export class HarvestController {
  constructor(private readonly harvests: HarvestService) {}

  @Post()
  @HttpCode(200)
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: "Import another CKAN portal's packages (by URL or a package_search response) as draft datasets; re-harvesting updates, never duplicates." })
  @ApiOkResponse({ type: HarvestResultDto })
  harvest(@Body() body: HarvestDto, @CurrentActor() actor: Actor & { principal: Principal }): Promise<HarvestResultDto> {
    return this.harvests.harvest(actor, actor.principal, body);
  }
}
