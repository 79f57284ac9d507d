import { Controller, Get, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../common/access.decorators.js';
import { AuditService } from './audit.service.js';
import { AuditEventDto, AuditPageDto, AuditQueryDto, ChainVerificationDto } from './dto/audit.dto.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('audit')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'List audit events, newest first, with filters and a seq cursor.' })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list({ ...query, limit: query.limit ?? 50 });
    return { items: page.items.map(AuditEventDto.from), nextCursor: page.nextCursor };
  }

  @Get('verify')
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'Verify the hash chain; reports the first tampered event, if any.' })
  @ApiOkResponse({ type: ChainVerificationDto })
  async verify(): Promise<ChainVerificationDto> {
    return { ...(await this.audit.verify()), verifiedAt: new Date().toISOString() };
  }
}
