import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { INBOX_PAGE_DEFAULT, INBOX_PAGE_MAX, NOTIFICATION_TARGET_TYPES, type NotificationTargetType } from '@civic/domain';
import type { InboxNotification } from '../notifications.service.js';

export class NotificationQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only notices not yet marked read.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ type: String, description: '`nextCursor` of the previous page: the notices older than its last one.' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  cursor?: string;

  @ApiPropertyOptional({ default: INBOX_PAGE_DEFAULT, minimum: 1, maximum: INBOX_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INBOX_PAGE_MAX)
  limit?: number;
}

export class NotificationTargetDto {
  @ApiProperty({
    enum: NOTIFICATION_TARGET_TYPES,
    description:
      'What the notice is about: `product` (the owner’s product), `product_review` (a product waiting for the reader’s review), `license` (a licence of the reader’s organization), `license_approval` (a purchase waiting for the reader’s approval), `access_request` (a request for the reader’s agency’s conditional data), `dataset_access` (the reader’s organization’s access request).',
  })
  type: NotificationTargetType;

  @ApiProperty({ format: 'uuid', description: 'The id of what the notice is about: a product, a licence or an access request.' })
  id: string;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'product.rejected', description: 'What happened: `product.approved`, `product.rejected`, `product.rederived`, `license.active`, …' }) kind: string;
  @ApiProperty({ example: '退回修改：道路拥堵指数', description: 'The subject in Chinese.' }) subjectZh: string;
  @ApiProperty({ example: 'Sent back for changes: Road congestion index', description: 'The subject in English.' }) subjectEn: string;
  @ApiProperty({ type: NotificationTargetDto, nullable: true, description: 'What to open; null when there is nothing to open.' }) target: NotificationTargetDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the reader marked it read; null while unread.' }) readAt: string | null;

  static from(notice: InboxNotification): NotificationDto {
    return Object.assign(new NotificationDto(), {
      id: notice.id,
      kind: notice.kind,
      subjectZh: notice.subjectZh,
      subjectEn: notice.subjectEn,
      target: notice.targetType && notice.targetId ? { type: notice.targetType, id: notice.targetId } : null,
      createdAt: notice.createdAt.toISOString(),
      readAt: notice.readAt?.toISOString() ?? null,
    });
  }
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first.' }) items: NotificationDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' }) nextCursor: string | null;
}

export class UnreadCountDto {
  @ApiProperty({ description: 'How many of the reader’s notices for the acting organization are unread.' }) unread: number;
}

export class MarkedReadDto {
  @ApiProperty({ description: 'How many notices this marked read (those already read are not counted).' }) marked: number;
}
