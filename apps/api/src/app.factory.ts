import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiConfig, trustProxySetting } from '@civic/config';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { DomainError } from '@civic/domain';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { ErrorBody, ValidationIssue } from './common/error-body.dto.js';
import { PrincipalService } from './identity/principal.service.js';
import { mountBullBoard } from './queues/bull-board.js';
import { JobProducer } from './queues/job-producer.service.js';
import { STRIPE_WEBHOOK_PATH } from './payments/stripe-webhook.controller.js';

const ROUTE_MAPPING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Requests Node's HTTP parser refuses before any route sees them: status, code, message. */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request.headers_too_large', 'The request line and headers are larger than the server accepts (16 KiB): send long filters in the body of a POST.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request.timeout', 'The request did not arrive in time.'],
};

/**
 * Answers what Node's HTTP parser refuses (headers too large, a request that never completes,
 * bytes that are not HTTP) in the platform's error body, as every other error is, instead of
 * Fastify's own.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy(error);
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'request.malformed', 'The request could not be read as HTTP.'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Builds the HTTP application (without listening): used by main, the tests and the OpenAPI export. */
export async function createApp(config: ApiConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Fastify accepts a hop count too; the adapter's type omits it.
    trustProxy: trustProxySetting(config.TRUST_PROXY) as boolean | string,
    // Honour a caller's or proxy's request id when it is sane, else make one.
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // Signed download links carry their claims in the path (about 300 characters).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    forceCloseConnections: 'idle',
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  const logger = app.get(Logger);
  // Nest maps every route at start-up with a line each (hundreds): those go to debug.
  app.useLogger({
    log: (message: unknown, ...rest: unknown[]) => (ROUTE_MAPPING_CONTEXTS.has(rest.at(-1) as string) ? logger.debug(message, ...rest) : logger.log(message, ...rest)),
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal(message, ...rest),
  });
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Graceful drain: once closing starts, requests already in flight still get their answer,
  // but with `Connection: close`, so keep-alive clients cannot hold the process open.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
    fastify.server.closeIdleConnections();
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
  });
  // Stripe signs the exact bytes it sends: keep them for the webhook route only.
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (request.routeOptions.url !== STRIPE_WEBHOOK_PATH) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > config.BODY_LIMIT_BYTES) {
        throw new DomainError('request.too_large', `The request body is larger than the limit of ${config.BODY_LIMIT_BYTES} bytes.`, { limitBytes: config.BODY_LIMIT_BYTES });
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    (request as typeof request & { rawBody?: Buffer }).rawBody = raw;
    return Readable.from([raw]);
  });
  await app.register(fastifyCookie);
  // Dataset uploads: one file per request, streamed (never buffered), capped at UPLOAD_MAX_BYTES.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 4, fieldSize: 1024, parts: 5, fileSize: config.UPLOAD_MAX_BYTES } });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI and Bull Board ship inline bootstrapping.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Only behind TLS; on plain-http development hosts it would break every asset.
        upgradeInsecureRequests: config.NODE_ENV === 'production' ? [] : null,
      },
    },
  });
  app.enableCors({ origin: config.CORS_ORIGINS, credentials: true, exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'x-next-cursor', 'x-row-count', 'x-product-version', 'x-license-id', 'content-disposition', 'content-range'] });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
  await mountBullBoard(fastify, app.get(JobProducer), app.get(PrincipalService), { consoleUrl: `${config.PUBLIC_WEB_URL.replace(/\/+$/, '')}/console` });
  await app.init();
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Civic Data Marketplace API')
      .setDescription('Supervised opening of city government data: catalog, derivations, licensing, metering, billing and revenue sharing.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
      .build(),
    { extraModels: [ErrorBody, ValidationIssue], operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` },
  );
  return document;
}
