import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@civic/domain';

/** Path ids are UUIDs; anything else is the caller's mistake (400), never a database error. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('request.invalid', 'The id in the path is not a valid UUID.'),
});
