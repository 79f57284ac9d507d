import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, ERROR_CODES, type ErrorKind } from '@civic/domain';
import { QueryFailedError } from 'typeorm';
import type { ArgumentsHost } from '@nestjs/common';
import { errorBody, HttpErrorFilter, statusForKind, toDomainError } from './http-error.filter.js';

describe('error mapping at the HTTP edge', () => {
  it('gives every domain error code a 4xx or 5xx status, callers’ mistakes always 4xx', () => {
    for (const [code, kind] of Object.entries(ERROR_CODES) as Array<[string, ErrorKind]>) {
      const status = statusForKind(kind);
      if (kind === 'internal' || kind === 'unavailable') expect(status).toBeGreaterThanOrEqual(500);
      else expect({ code, status: status >= 400 && status < 500 }).toEqual({ code, status: true });
    }
  });

  it('passes domain errors through with their details', () => {
    const error = new DomainError('auth.locked', 'locked', { retryAfterSeconds: 30 });
    expect(errorBody(toDomainError(error))).toEqual({ error: { code: 'auth.locked', message: 'locked', details: { retryAfterSeconds: 30 } } });
  });

  it('maps framework errors by status and never leaks internals', () => {
    expect(toDomainError(new NotFoundException('Cannot GET /x')).code).toBe('request.not_found');
    expect(toDomainError(new HttpException('ThrottlerException: Too Many Requests', 429)).code).toBe('rate_limited');
    expect(toDomainError(new BadRequestException('Unexpected token } in JSON at position 3')).code).toBe('request.malformed_json');
    expect(toDomainError(new ServiceUnavailableException({ status: 'error' })).code).toBe('service.unavailable');
    expect(toDomainError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too large' }).code).toBe('request.too_large');
    expect(toDomainError({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'nope' }).code).toBe('request.unsupported_media_type');
    const internal = toDomainError(new Error('password=hunter2 connection refused'));
    expect(internal.code).toBe('internal');
    expect(internal.message).not.toContain('hunter2');
  });

  it('turns unique violations from races into conflicts', () => {
    const error = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
    expect(toDomainError(error).code).toBe('request.conflict');
  });

  it('names the body limit of the route in a 413, and keeps details a domain error already carries', () => {
    const host = (request: unknown) => {
      const reply = { statusCode: 0, body: undefined as unknown };
      const fake = { status: (code: number) => ((reply.statusCode = code), fake), header: () => fake, send: (body: unknown) => ((reply.body = body), fake) };
      return { reply, host: { switchToHttp: () => ({ getResponse: () => fake, getRequest: () => request }) } as unknown as ArgumentsHost };
    };
    const fastify = host({ id: 'req-1', routeOptions: { bodyLimit: 1_048_576 } });
    new HttpErrorFilter().catch({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'Request body is too large' }, fastify.host);
    expect(fastify.reply).toEqual({
      statusCode: 413,
      body: { error: { code: 'request.too_large', message: 'The request body is larger than the limit of 1048576 bytes.', details: { limitBytes: 1_048_576 } } },
    });
    const own = host({ id: 'req-2', routeOptions: { bodyLimit: 1_048_576 } });
    new HttpErrorFilter().catch(new DomainError('request.too_large', 'too large', { limitBytes: 4096 }), own.host);
    expect((own.reply.body as { error: { details: unknown } }).error.details).toEqual({ limitBytes: 4096 });
    // Without a route (no limit known) the body stays as it was.
    expect(errorBody(toDomainError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too large' }))).toEqual({
      error: { code: 'request.too_large', message: 'The request body is larger than the limit.' },
    });
  });

  it('answers a 416 with Content-Range: bytes */<size> (RFC 9110), and other errors without it', () => {
    const send = (error: unknown) => {
      const reply = { statusCode: 0, headers: {} as Record<string, string>, body: undefined as unknown };
      const fake = {
        status: (code: number) => ((reply.statusCode = code), fake),
        header: (name: string, value: string) => ((reply.headers[name] = value), fake),
        send: (body: unknown) => ((reply.body = body), fake),
      };
      const host = { switchToHttp: () => ({ getResponse: () => fake, getRequest: () => ({ id: 'req-1' }) }) } as unknown as ArgumentsHost;
      new HttpErrorFilter().catch(error, host);
      return reply;
    };
    const outside = send(new DomainError('delivery.range_not_satisfiable', 'The requested range is outside the file.', { size: 1234 }));
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */1234');
    expect(outside.body).toEqual({ error: { code: 'delivery.range_not_satisfiable', message: 'The requested range is outside the file.', details: { size: 1234 } } });
    expect(send(new DomainError('request.invalid', 'nope', { size: 1 })).headers['content-range']).toBeUndefined();
  });
});
