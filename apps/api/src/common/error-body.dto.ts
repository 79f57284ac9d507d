import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One field's problems in a `request.invalid` error. */
export class ValidationIssue {
  @ApiProperty({ example: 'email', description: 'Dotted path of the field.' })
  field: string;

  @ApiProperty({ type: [String], example: ['email must be an email'] })
  messages: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { maxLength: 100000 },
    description: 'What the broken rules declare, for a client to word the problem itself: maxLength, minLength, min, max, notBlank, reservedWord.',
  })
  context?: Record<string, unknown>;
}

export class ErrorDetail {
  @ApiProperty({ example: 'request.invalid', description: 'Stable machine-readable code.' })
  code: string;

  @ApiProperty({ example: 'The request is invalid.' })
  message: string;

  @ApiPropertyOptional({
    description: 'For request.invalid: the problems per field. For other codes: structured details, e.g. { retryAfterSeconds }, or { limitBytes } for request.too_large.',
    oneOf: [{ type: 'array', items: { $ref: getSchemaPath(ValidationIssue) } }, { type: 'object', additionalProperties: true }],
  })
  details?: ValidationIssue[] | Record<string, unknown>;
}

/** The body of every error response. */
export class ErrorBody {
  @ApiProperty({ type: ErrorDetail })
  error: ErrorDetail;
}
