import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { AgencyUsageReportDto, UsageQueryDto, UsageReportDto } from './dto/usage.dto.js';
import { UsageService } from './usage.service.js';

/** How the agency's data is used: deliveries of its datasets' rows over time, and to whom. */
@ApiTags('agency-usage')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/agency')
export class AgencyUsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('datasets/:id/usage')
  @RequirePermissions('datasets:manage')
  @ApiOperation({
    summary: 'Deliveries of one of the agency’s datasets (previews, CSV and Parquet downloads) per day, week or month, with totals and the top consuming organizations. Default: the last 30 days by day.',
  })
  @ApiOkResponse({ type: UsageReportDto })
  dataset(@Param('id', uuidPipe) id: string, @Query() query: UsageQueryDto, @CurrentPrincipal() principal: Principal): Promise<UsageReportDto> {
    return this.usage.forDataset(principal, id, query);
  }

  @Get('usage')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Deliveries of all the agency’s datasets together, with the top datasets and consuming organizations.' })
  @ApiOkResponse({ type: AgencyUsageReportDto })
  agency(@Query() query: UsageQueryDto, @CurrentPrincipal() principal: Principal): Promise<AgencyUsageReportDto> {
    return this.usage.forAgency(principal, query);
  }
}
