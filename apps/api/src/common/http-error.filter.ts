import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { DomainError, type ErrorCode, type ErrorKind } from '@civic/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';

/** HTTP status for each kind of domain error: the one place HTTP meets the domain. */
export function statusForKind(kind: ErrorKind): number {
  switch (kind) {
    case 'validation':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'range_not_satisfiable':
      return 416;
    case 'gone':
      return 410;
    case 'locked':
      return 423;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

interface FrameworkError {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
}

/** What the request knows that an error's body should state. */
export interface ErrorContext {
  /** The route's body limit in bytes (Fastify's `bodyLimit`), stated in a request.too_large. */
  bodyLimit?: number;
}

/** Translates anything thrown into the stable error body. */
export function toDomainError(exception: unknown, context: ErrorContext = {}): DomainError {
  const error = translate(exception);
  // Every "body too large" names the limit, whoever noticed it (Fastify's parser or our own hooks).
  if (error.code === 'request.too_large' && error.details === undefined && context.bodyLimit !== undefined) {
    return new DomainError(error.code, `The request body is larger than the limit of ${context.bodyLimit} bytes.`, { limitBytes: context.bodyLimit });
  }
  return error;
}

function translate(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception;
  if (exception instanceof HttpException) {
    if (exception.getStatus() === 503) return new DomainError('service.unavailable', 'The service is not ready.', exception.getResponse());
    if (exception.getStatus() === 429) return new DomainError('rate_limited', 'Too many requests; slow down and retry later.');
    if (exception.getStatus() === 400 && /JSON/i.test(exception.message)) return new DomainError('request.malformed_json', 'The request body is not valid JSON.');
    return fromStatus(exception.getStatus(), exception.message);
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
    // Races between a check and an insert surface as constraint violations: the caller's conflict.
    if (code === '23505') return new DomainError('request.conflict', 'The resource already exists or changed concurrently.');
    if (code === '22P02' || code === '22001' || code === '22003') return new DomainError('request.invalid', 'A value is out of range or malformed.');
  }
  const framework = exception as FrameworkError | undefined;
  const status = framework?.statusCode ?? framework?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (framework?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || framework?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(framework?.message ?? '')) {
      return new DomainError('request.malformed_json', 'The request body is not valid JSON.');
    }
    return fromStatus(status, framework?.message ?? 'Bad request');
  }
  return new DomainError('internal', 'An unexpected error occurred. It has been logged with the request id.');
}

function fromStatus(status: number, message: string): DomainError {
  const byStatus: Record<number, ErrorCode> = {
    400: 'request.invalid',
    401: 'auth.unauthenticated',
    403: 'auth.forbidden',
    404: 'request.not_found',
    409: 'request.conflict',
    413: 'request.too_large',
    415: 'request.unsupported_media_type',
    429: 'rate_limited',
  };
  const code = byStatus[status] ?? (status >= 500 ? 'internal' : 'request.invalid');
  const text =
    code === 'request.too_large'
      ? 'The request body is larger than the limit.'
      : code === 'request.unsupported_media_type'
        ? 'Unsupported content type; send application/json.'
        : code === 'internal'
          ? 'An unexpected error occurred.'
          : message;
  return new DomainError(code, text);
}

export function errorBody(error: DomainError): { error: { code: string; message: string; details?: unknown } } {
  return { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const bodyLimit = request?.routeOptions?.bodyLimit;
    const error = toDomainError(exception, { bodyLimit: typeof bodyLimit === 'number' && Number.isSafeInteger(bodyLimit) ? bodyLimit : undefined });
    const status = statusForKind(error.kind);
    if (status >= 500) this.logger.error({ err: exception, requestId: request?.id }, 'unhandled error');
    if (error.kind === 'rate_limited' || error.kind === 'locked') {
      const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retryAfter) void reply.header('retry-after', String(retryAfter));
      else if (error.kind === 'rate_limited') void reply.header('retry-after', '60');
    }
    // RFC 9110 §14.4: a 416 to a byte-range request names the representation's current length.
    if (error.kind === 'range_not_satisfiable') {
      const size = (error.details as { size?: unknown } | undefined)?.size;
      if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) void reply.header('content-range', `bytes */${size}`);
    }
    void reply.status(status).send(errorBody(error));
  }
}
