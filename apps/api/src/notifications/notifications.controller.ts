import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, INBOX_PAGE_DEFAULT } from '@civic/domain';
import { Authenticated, CurrentPrincipal } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { MarkedReadDto, NotificationDto, NotificationPageDto, NotificationQueryDto, UnreadCountDto } from './dto/notifications.dto.js';
import { NotificationsService, type InboxOwner } from './notifications.service.js';

/** Users only (an API key is no person to tell): `@Authenticated()` refuses keys before this runs. */
function inboxOf(principal: Principal): InboxOwner {
  if (!principal.userId) throw new DomainError('auth.forbidden', 'Only a signed-in user has an inbox.');
  return { userId: principal.userId, organizationId: principal.organizationId };
}

@ApiTags('notifications')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'The signed-in user’s notices for the acting organization, newest first, with a cursor.',
    description: 'What the platform told the user (reviews, re-derivations, suspensions, licence states, purchases to approve), in both languages, with what each is about. Invitations are never listed: their link is a credential.',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  async list(@Query() query: NotificationQueryDto, @CurrentPrincipal() principal: Principal): Promise<NotificationPageDto> {
    const page = await this.notifications.list(inboxOf(principal), { unread: query.unread ?? false, cursor: query.cursor, limit: query.limit ?? INBOX_PAGE_DEFAULT });
    return { items: page.items.map(NotificationDto.from), nextCursor: page.nextCursor };
  }

  @Get('unread-count')
  @Authenticated()
  @ApiOperation({ summary: 'How many of the signed-in user’s notices for the acting organization are unread (the console’s bell).' })
  @ApiOkResponse({ type: UnreadCountDto })
  async unreadCount(@CurrentPrincipal() principal: Principal): Promise<UnreadCountDto> {
    return { unread: await this.notifications.unreadCount(inboxOf(principal)) };
  }

  @Post('read-all')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Mark every unread notice of the signed-in user for the acting organization read.' })
  @ApiOkResponse({ type: MarkedReadDto })
  async markAllRead(@CurrentPrincipal() principal: Principal): Promise<MarkedReadDto> {
    return { marked: await this.notifications.markAllRead(inboxOf(principal)) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Mark one notice read. Another user’s notice is a 404, like a missing one.' })
  @ApiOkResponse({ type: NotificationDto })
  async markRead(@Param('id', uuidPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<NotificationDto> {
    return NotificationDto.from(await this.notifications.markRead(inboxOf(principal), id));
  }
}
