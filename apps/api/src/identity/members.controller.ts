import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, CurrentPrincipal, RequirePermissions } from '../common/access.decorators.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { ChangeRoleDto, MemberDto, MemberListDto } from './dto/identity.dto.js';
import { toMemberDto } from './dto/mappers.js';
import { MembersService } from './members.service.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('members')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequirePermissions('members:read')
  @ApiOperation({ summary: 'Members of the acting organization.' })
  @ApiOkResponse({ type: MemberListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<MemberListDto> {
    return { items: (await this.members.list(principal)).map(toMemberDto) };
  }

  @Patch(':id')
  @RequirePermissions('members:manage')
  @ApiOperation({ summary: "Change a member's role." })
  @ApiOkResponse({ type: MemberDto })
  async changeRole(@Param('id', uuidPipe) id: string, @Body() body: ChangeRoleDto, @CurrentActor() actor: Actor & { principal: Principal }): Promise<MemberDto> {
    return toMemberDto(await this.members.changeRole(actor, id, body.role));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('members:manage')
  @ApiOperation({ summary: 'Remove a member; their sessions for this organization end at once.' })
  @ApiNoContentResponse()
  async remove(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor & { principal: Principal }): Promise<void> {
    await this.members.remove(actor, id);
  }
}
