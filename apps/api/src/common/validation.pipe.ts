import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@civic/domain';

export interface FieldIssue {
  field: string;
  messages: string[];
  /** What the broken rules declare for clients to word their own message (e.g. `{ maxLength: 100000 }`). */
  context?: Record<string, unknown>;
}

export function flatten(errors: ValidationError[], parent = ''): FieldIssue[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const broken = Object.keys(error.constraints ?? {});
    const context = Object.assign({}, ...broken.map((rule) => error.contexts?.[rule] ?? {})) as Record<string, unknown>;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints), ...(Object.keys(context).length > 0 ? { context } : {}) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validation at the edge: DTO classes define the accepted shape, unknown fields are
 * rejected, and failures become `request.invalid` with per-field messages (and, where a rule
 * declares a context, its limits: a client words the problem in its reader's language).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new DomainError('request.invalid', 'The request is invalid.', flatten(errors)),
  });
}
