import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetail {
  @ApiProperty({ example: 'request.invalid', description: 'Stable machine-readable code.' })
  code: string;

  @ApiProperty({ example: 'The request is invalid.' })
  message: string;

  @ApiPropertyOptional({ description: 'Structured details, e.g. per-field validation messages.' })
  details?: unknown;
}

/** The body of every error response. */
export class ErrorBody {
  @ApiProperty({ type: ErrorDetail })
  error: ErrorDetail;
}
