import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsTimeZone, Matches, MaxLength } from 'class-validator';

/** An optional `timeZone` query field: an IANA name (Area/City) or UTC that this server knows. */
export const TimeZoneField = () =>
  applyDecorators(
    ApiPropertyOptional({ default: 'UTC', example: 'Asia/Shanghai', description: 'IANA time zone in which days begin.' }),
    IsOptional(),
    MaxLength(64),
    Matches(/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/, { message: 'must be an IANA time zone name (Area/City, e.g. Asia/Shanghai) or UTC' }),
    IsTimeZone({ message: 'is not a time zone this server knows' }),
  );
