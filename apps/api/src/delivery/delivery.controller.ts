import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import negotiate from '@fastify/accept-negotiator';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiDefaultResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiConfig } from '@civic/config';
import { leakFormatOf } from '@civic/delivery';
import { DomainError, ROW_FORMATS, type RowFormat } from '@civic/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, RequirePermissions, RequirePermissionsOrScopes, RequireScopes } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { DataService, RateLimited, rateHeaders } from './data.service.js';
import { DatasetProductUsageListDto, DownloadLinkDto, DownloadRequestDto, LeakTraceDto, LicenseUsageDto, ProductUsageDto, RowPageDto, RowQueryBodyDto, UsageRangeQueryDto } from './dto/delivery.dto.js';
import { DownloadsService } from './downloads.service.js';
import { UsageViews } from './usage-views.service.js';

const ROWS_DESCRIPTION =
  'Rows of the product’s current version (or the version a cursor pinned). Filters are URL parameters named after columns: `district=eq.Xuhui`, `visits=gte.10`, `district=in.(Xuhui,Huangpu)`, `day=between.(2026-01-01,2026-03-31)`, `name=contains.park`, `note=is.null`, `note=not.null` (operators: eq, ne, in, lt, lte, gt, gte, between, contains, is.null, not.null; a POST body spells the last two is_null, not_null). Every delivery is metered: one api_call, its rows and its bytes.';

/** The data API: licensed rows by API key or session, metered exactly once. */
@ApiTags('data')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body. 429 carries Retry-After and RateLimit-* headers.' })
@Controller('api/v1')
export class DataController {
  constructor(
    private readonly data: DataService,
    private readonly usage: UsageViews,
    private readonly downloads: DownloadsService,
    private readonly config: ApiConfig,
  ) {}

  // The data routes are limited per licence (DataRateLimiter), not by the general per-client budget.
  @Get('data/:product/rows')
  @SkipThrottle({ default: true })
  @RequireScopes('data:read')
  @ApiOperation({ summary: 'Query rows of a licensed product.', description: ROWS_DESCRIPTION })
  @ApiQuery({ name: 'select', required: false, description: 'Columns, comma-separated (default: all).' })
  @ApiQuery({ name: 'order', required: false, description: 'e.g. `visits.desc,district` (ties keep the file’s order).' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (also in the X-Next-Cursor header).' })
  @ApiQuery({ name: 'format', required: false, enum: ROW_FORMATS, description: 'Without it, the Accept header chooses by media type (application/json, application/x-ndjson, text/csv, application/vnd.apache.parquet); JSON otherwise.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry of the same request with the same key is not counted again; the same key with another query, page or version of the data is a new delivery and is counted.' })
  @ApiProduces('application/json', 'application/x-ndjson', 'text/csv', 'application/vnd.apache.parquet')
  @ApiOkResponse({ type: RowPageDto })
  async rowsByUrl(@Param('product') product: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const url = new URL(request.url, 'http://local');
    const accepted = url.searchParams.has('format') ? null : acceptedFormat(request);
    if (accepted) url.searchParams.set('format', accepted);
    return this.answer(reply, () => this.data.rows({ principal, productRef: product, params: url.searchParams.entries(), requestId: String(request.id), idempotencyKey: header(request, 'idempotency-key') }));
  }

  @Post('data/:product/rows')
  @HttpCode(200)
  @SkipThrottle({ default: true })
  @RequireScopes('data:read')
  @ApiOperation({ summary: 'Query rows of a licensed product with the query in the body (for long filters).', description: 'The same query and metering as the GET form.' })
  @ApiBody({ type: RowQueryBodyDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry of the same request with the same key is not counted again; the same key with another query, page or version of the data is a new delivery and is counted.' })
  @ApiProduces('application/json', 'application/x-ndjson', 'text/csv', 'application/vnd.apache.parquet')
  @ApiOkResponse({ type: RowPageDto })
  async rowsByBody(@Param('product') product: string, @Body() body: RowQueryBodyDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const plain = JSON.parse(JSON.stringify(body ?? {})) as RowQueryBodyDto;
    if (plain.format === undefined) plain.format = acceptedFormat(request) ?? undefined;
    return this.answer(reply, () => this.data.rows({ principal, productRef: product, body: plain, requestId: String(request.id), idempotencyKey: header(request, 'idempotency-key') }));
  }

  @Post('data/:product/downloads')
  @SkipThrottle({ default: true })
  @RequireScopes('data:read')
  @ApiOperation({ summary: 'A signed, expiring link to the current version as a file (Parquet or CSV), bound to the caller’s licence.', description: 'The file is the licence’s own copy (fingerprinted). The link serves Range requests; its delivery is counted once (rows and bytes).' })
  @ApiBody({ type: DownloadRequestDto })
  @ApiCreatedResponse({ type: DownloadLinkDto })
  async createDownload(@Param('product') product: string, @Body() body: DownloadRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<DownloadLinkDto> {
    const link = await this.downloads.createLink(principal, product, body.format ?? 'parquet', '', { bom: body.bom === true });
    return { ...link, path: link.url, url: `${request.protocol}://${request.host}${link.url}` };
  }

  @Get('downloads/:token')
  @Public()
  @SkipThrottle({ default: true })
  @ApiOperation({ summary: 'Download through a signed link (the link is the credential until it expires).', description: 'Supports `Range: bytes=…` (206 with Content-Range; 416 with `Content-Range: bytes */<size>` outside the file). A link that is not one of ours is 404 `delivery.link_invalid`; one of ours past its expiry is 410 `delivery.link_expired` with `details.expiredAt`.' })
  @ApiHeader({ name: 'Range', required: false })
  @ApiProduces('application/vnd.apache.parquet', 'text/csv')
  @ApiOkResponse({ description: 'The file.' })
  async download(@Param('token') token: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const answer = await this.downloads.serve(token, header(request, 'range'));
    reply.status(answer.status).headers(answer.headers);
    return new StreamableFile(answer.body);
  }

  @Post('products/:id/leak-trace')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({
    summary: 'Which licence a leaked file of this product came from (multipart field "file": Parquet, CSV, or a JSON / NDJSON page of the data API).',
    description:
      'The product’s owner only. The file is read and not kept. Whole files are traced by their canary rows and Parquet metadata; data API pages (any format) by their page canary and, for JSON pages, the licence they name. 413 delivery.file_too_large above UPLOAD_MAX_BYTES; 400 delivery.unreadable_file when it is none of these.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: LeakTraceDto })
  async leakTrace(@Param('id', uuidPipe) id: string, @Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal): Promise<LeakTraceDto> {
    if (!request.isMultipart()) throw new DomainError('request.unsupported_media_type', 'Send the file as multipart/form-data in the field "file".');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new DomainError('request.invalid', 'Send the file in the multipart field "file".', [{ field: 'file', messages: ['missing'] }]);
    }
    const work = await mkdtemp(path.join(tmpdir(), 'civic-leak-'));
    try {
      const file = path.join(work, 'leaked');
      let truncated = false;
      try {
        await pipeline(part.file, createWriteStream(file));
      } catch (error) {
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        truncated = true;
      }
      // The multipart parser stops a file at the limit: a partial file is never traced.
      if (truncated || part.file.truncated) {
        const limitBytes = this.config.UPLOAD_MAX_BYTES;
        throw new DomainError('delivery.file_too_large', `The file is larger than the limit of ${limitBytes} bytes.`, { limitBytes });
      }
      const head = Buffer.alloc(64);
      const handle = await open(file, 'r');
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      await handle.close();
      if (bytesRead === 0) throw new DomainError('request.invalid', 'The file is empty.', [{ field: 'file', messages: ['empty file'] }]);
      return { matches: await this.downloads.trace(principal, id, file, leakFormatOf(head.subarray(0, bytesRead))) };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  @Get('licenses/:id/usage')
  @RequirePermissionsOrScopes(['licenses:read'], ['usage:read'])
  @ApiOperation({ summary: 'A licence’s use per day, in its current period and against its quota. Signed-in users with licenses:read, or an API key with the usage:read scope (its organization’s licences).' })
  @ApiOkResponse({ type: LicenseUsageDto })
  licenseUsage(@Param('id', uuidPipe) id: string, @Query() query: UsageRangeQueryDto, @CurrentPrincipal() principal: Principal): Promise<LicenseUsageDto> {
    return this.usage.forLicense(principal, id, query);
  }

  @Get('products/:id/usage')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Deliveries of one of the organization’s products per day: calls, rows, bytes, consumers; distinct licensees.' })
  @ApiOkResponse({ type: ProductUsageDto })
  productUsage(@Param('id', uuidPipe) id: string, @Query() query: UsageRangeQueryDto, @CurrentPrincipal() principal: Principal): Promise<ProductUsageDto> {
    return this.usage.forProduct(principal, id, query);
  }

  @Get('agency/datasets/:id/product-usage')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Deliveries of the products built on one of the agency’s datasets (directly or through other products): calls, rows, bytes, licensees.' })
  @ApiOkResponse({ type: DatasetProductUsageListDto })
  datasetProductUsage(@Param('id', uuidPipe) id: string, @Query() query: UsageRangeQueryDto, @CurrentPrincipal() principal: Principal): Promise<DatasetProductUsageListDto> {
    return this.usage.forDatasetProducts(principal, id, query);
  }

  private async answer(reply: FastifyReply, run: () => ReturnType<DataService['rows']>): Promise<Buffer> {
    try {
      const result = await run();
      reply.status(result.status).headers(result.headers);
      return result.body;
    } catch (error) {
      if (error instanceof RateLimited) reply.headers({ ...rateHeaders(error.state), 'retry-after': String(error.state.resetSeconds) });
      throw error;
    }
  }
}

/** The media type of each format, JSON (the default) first. */
const FORMAT_MEDIA_TYPES: Record<string, RowFormat> = { 'application/json': 'json', 'application/x-ndjson': 'ndjson', 'text/csv': 'csv', 'application/vnd.apache.parquet': 'parquet' };

/** The format an `Accept` header asks for by its exact media type (with q-values); none when it names none of them (wildcards mean the default, JSON). */
function acceptedFormat(request: FastifyRequest): RowFormat | null {
  const accept = header(request, 'accept');
  const chosen = accept ? negotiate(accept, Object.keys(FORMAT_MEDIA_TYPES)) : null;
  return chosen ? FORMAT_MEDIA_TYPES[chosen]! : null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
