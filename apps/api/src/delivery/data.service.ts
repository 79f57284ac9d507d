import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { License, Product, ProductVersion } from '@civic/db';
import { fingerprintedPage, pageFileCanary, RowReaderError, type PageCanaryInput, type RowReader } from '@civic/delivery';
import {
  deliveryUsageEvents,
  DomainError,
  cursorAfter,
  parseRowQueryBody,
  parseRowQueryParams,
  type QueryColumn,
  type RowQuery,
  type RowQueryBody,
} from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/principal.js';
import { ChangeFeed, type ChangeCache } from '../database/change-feed.service.js';
import { EntitlementsService } from '../licensing/entitlements.service.js';
import { DataRateLimiter, type RateLimitState } from './data-rate-limiter.js';
import { DataFiles } from './row-reader.provider.js';
import { UsageRecorder } from './usage-recorder.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
} as const;

export interface DataRequest {
  principal: Principal;
  productRef: string;
  /** GET: the URL's parameters; POST: the JSON body. */
  params?: Iterable<[string, string]>;
  body?: RowQueryBody;
  requestId: string;
  idempotencyKey?: string;
}

export interface DataResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Thrown for a 429: carries the headers the answer must have. */
export class RateLimited extends DomainError {
  constructor(readonly state: RateLimitState) {
    super('delivery.rate_limited', `Too many data requests under this licence; retry in ${state.resetSeconds} s.`, { limit: state.limit, retryAfterSeconds: state.resetSeconds });
  }
}

/** Product versions kept in memory (they never change). */
const CACHED_VERSIONS = 256;
/** Products (their delivery facts, by slug or id) kept in memory; any change of a product empties it. */
const CACHED_PRODUCTS = 10_000;
/** Bytes of JSON / NDJSON answers kept: the same query on the same immutable version for the same holder is the same answer. */
const CACHED_BODY_BYTES = 64 * 1024 * 1024;

interface Page {
  body: Buffer;
  /** Rows in the body (the canary among them). */
  rows: number;
  /** The next page's cursor (the offset moves on by the version's rows the page read), or null at the end. */
  cursor: string | null;
}

/**
 * The query API: a licensed (or owning) organization reads rows of a product's current
 * version. Order of checks: the product (another tenant's unpublished product is missing), the
 * entitlement (licence in force, action `query`, quota), the rate limit, the query (validated
 * against the version's schema), then DuckDB; the usage (one call, its rows, its bytes) is durable
 * before the answer leaves. Every page, in every format, carries its holder's canary row
 * (`fingerprintedPage`, `pageFileCanary`); the JSON page names the licence too, the Parquet page
 * in its metadata.
 */
@Injectable()
export class DataService {
  private readonly versions = new Map<string, ProductVersion>();
  private readonly products: ChangeCache<Product>;
  private readonly bodies = new Map<string, Page>();
  private bodyBytes = 0;
  private fingerprintKey: Promise<Buffer> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementsService,
    private readonly limiter: DataRateLimiter,
    private readonly files: DataFiles,
    private readonly usage: UsageRecorder,
    changes: ChangeFeed,
  ) {
    this.products = changes.cache<Product>(['products'], CACHED_PRODUCTS);
  }

  /**
   * Who may have this product's data, and under which licence: the owner always (no licence);
   * anyone else under a licence whose entitlement allows `action`. A product that is neither
   * published nor the caller's, and that the caller holds no licence of, is missing.
   */
  async authorize(principal: Principal, productRef: string, action: 'query' | 'download'): Promise<{ product: Product; licenseId: string | null }> {
    const product = await this.findProduct(productRef);
    const owner = product?.organizationId === principal.organizationId;
    if (!product || (!owner && product.status !== 'published' && !(await this.holdsLicence(principal.organizationId, product.id)))) {
      throw new DomainError('delivery.not_found', 'No such product.');
    }
    if (owner) return { product, licenseId: null };
    if (product.status !== 'published') throw new DomainError('delivery.product_unavailable', 'This product is not on sale at the moment; its data cannot be delivered.', { status: product.status });
    const answer = await this.entitlements.check({ organizationId: principal.organizationId, productId: product.id, product, action, quantity: 1, cached: action === 'query' });
    if (!answer.allowed) {
      const reason = answer.reason ?? 'licensing.action_not_permitted';
      const message =
        reason === 'licensing.no_license'
          ? 'Your organization holds no licence of this product: see its offers on the product page.'
          : `Your organization’s licence does not allow this (${reason.replace(/^licensing\./, '').replaceAll('_', ' ')}).`;
      throw new DomainError(reason as never, message, { licenseId: answer.licenseId, quota: answer.quota });
    }
    return { product, licenseId: answer.licenseId };
  }

  async rows(request: DataRequest): Promise<DataResponse> {
    const { principal } = request;
    const { product, licenseId } = await this.authorize(principal, request.productRef, 'query');
    const rate = await this.limiter.consume(licenseId ? `license:${licenseId}` : `owner:${principal.organizationId}:${product.id}`);
    if (!rate.allowed) throw new RateLimited(rate);

    const current = product.currentVersionId ? await this.version(product.currentVersionId) : null;
    if (!current) throw new DomainError('delivery.no_version', 'This product has no version to read yet.');
    const schema: QueryColumn[] = current.schema.map((column) => ({ name: column.name, type: column.type }));
    const query = request.body !== undefined ? parseRowQueryBody(request.body, schema) : parseRowQueryParams(request.params ?? [], schema);
    const version = await this.pinnedVersion(product, current, query);

    const reader = await this.files.rowReader();
    const file = await this.files.localPath(version.parquetKey);
    // The page's canary is its holder's: the licence, or the owner's organization (as for files).
    const holder = licenseId ?? `owner-${principal.organizationId}`;
    let page: Page;
    try {
      if (query.format === 'json' || query.format === 'ndjson') {
        page = await this.textPage(reader, file, product, version, query, licenseId, holder);
      } else {
        const canary = pageFileCanary(await this.canaryInput(reader, file, version, holder), query);
        const written = await reader.pageFile(file, query, version.schema, query.format, { civic_product: product.id, civic_version: version.id, civic_licence: holder }, canary);
        page = { body: written.bytes, rows: written.rows, cursor: cursorAfter(query, version.id, written.read, written.more) };
      }
    } catch (error) {
      if (error instanceof RowReaderError) throw new DomainError(error.code, error.code === 'delivery.timeout' ? error.message : 'The query could not be answered.', { reason: error.message });
      throw error;
    }
    const { body, rows: returned, cursor } = page;

    // A retry (the same Idempotency-Key, the same answer) is one delivery; the same key over
    // another query, page or version delivers something else, and is counted as such.
    const key =
      request.idempotencyKey && IDEMPOTENCY_KEY.test(request.idempotencyKey)
        ? `idem:${request.idempotencyKey}:${createHash('sha256').update(version.id).update(body).digest('base64url').slice(0, 22)}`
        : `req:${request.requestId}`;
    await this.usage.record(
      deliveryUsageEvents({
        deliveryKey: `${licenseId ?? `owner:${principal.organizationId}`}:${key}`,
        productId: product.id,
        productVersionId: version.id,
        licenseId,
        consumerOrganizationId: principal.organizationId,
        channel: 'api',
        rows: returned,
        bytes: body.length,
        occurredAt: new Date(),
      }),
    );
    return {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[query.format],
        ...rateHeaders(rate),
        'x-product-version': version.id,
        'x-row-count': String(returned),
        ...(cursor ? { 'x-next-cursor': cursor } : {}),
        ...(licenseId ? { 'x-license-id': licenseId } : {}),
        ...(query.format === 'csv' || query.format === 'parquet' ? { 'content-disposition': `attachment; filename="${product.slug}-v${version.version}.${query.format}"` } : {}),
      },
      body,
    };
  }

  /** What a holder's canaries of a version are drawn with. */
  private async canaryInput(reader: RowReader, file: string, version: ProductVersion, holder: string): Promise<PageCanaryInput> {
    return { key: await this.platformFingerprintKey(), holder, versionId: version.id, versionRows: await reader.rowCount(file) };
  }

  private platformFingerprintKey(): Promise<Buffer> {
    this.fingerprintKey ??= (async () => {
      const [row] = (await this.dataSource.query(`SELECT key FROM platform_keys WHERE name = 'fingerprint'`)) as Array<{ key: Buffer }>;
      if (!row) throw new Error('the fingerprint key is missing: run the migrations');
      return row.key;
    })();
    this.fingerprintKey.catch(() => (this.fingerprintKey = null));
    return this.fingerprintKey;
  }

  /** A JSON or NDJSON page with its holder's canary, from the answer cache when this exact page was served to this holder before. */
  private async textPage(reader: RowReader, file: string, product: Product, version: ProductVersion, query: RowQuery, licenseId: string | null, holder: string): Promise<Page> {
    // The parsed query as it stands (cheaper than its shape's hash; the same query spelled otherwise is only a miss).
    const key = JSON.stringify([holder, version.id, query.format, query.columns, query.filters, query.order, query.limit, query.offset]);
    const cached = this.bodies.get(key);
    if (cached) {
      this.bodies.delete(key);
      this.bodies.set(key, cached);
      return cached;
    }
    const page = await fingerprintedPage(reader, file, version.schema, query, await this.canaryInput(reader, file, version, holder));
    const cursor = cursorAfter(query, version.id, page.read, page.more);
    const objects = page.rows.map((row) => Object.fromEntries(page.columns.map((column, index) => [column.name, row[index]])));
    const body =
      query.format === 'json'
        ? Buffer.from(
            JSON.stringify({
              product: { id: product.id, slug: product.slug },
              version: { id: version.id, number: version.version },
              licenseId,
              columns: page.columns,
              rows: objects,
              nextCursor: cursor,
            }),
            'utf8',
          )
        : Buffer.from(objects.map((object) => `${JSON.stringify(object)}\n`).join(''), 'utf8');
    const answer = { body, rows: page.rows.length, cursor };
    if (body.length <= CACHED_BODY_BYTES / 16) {
      this.bodies.set(key, answer);
      this.bodyBytes += body.length;
      for (const [oldest, evicted] of this.bodies) {
        if (this.bodyBytes <= CACHED_BODY_BYTES) break;
        this.bodies.delete(oldest);
        this.bodyBytes -= evicted.body.length;
      }
    }
    return answer;
  }

  /**
   * The product's delivery facts only (an indexed read, no entity mapping), kept in memory until
   * any product changes (ChangeFeed). A missing product is not kept.
   */
  private async findProduct(ref: string): Promise<Product | null> {
    const found = await this.products.read(ref, async () => {
      const [row] = (await this.dataSource.query(
        `SELECT id, organization_id, slug, status, current_version_id FROM products WHERE ${UUID.test(ref) ? 'id = $1::uuid' : 'slug = $1'}`,
        [ref],
      )) as Array<{ id: string; organization_id: string; slug: string; status: Product['status']; current_version_id: string | null }>;
      return (row ? Object.assign(new Product(), { id: row.id, organizationId: row.organization_id, slug: row.slug, status: row.status, currentVersionId: row.current_version_id }) : undefined) as Product;
    });
    return found ?? null;
  }

  async version(id: string): Promise<ProductVersion | null> {
    const known = this.versions.get(id);
    if (known) return known;
    const found = await this.dataSource.manager.findOneBy(ProductVersion, { id });
    if (found) {
      this.versions.set(id, found);
      if (this.versions.size > CACHED_VERSIONS) this.versions.delete(this.versions.keys().next().value as string);
    }
    return found;
  }

  private async holdsLicence(organizationId: string, productId: string): Promise<boolean> {
    return (await this.dataSource.manager.countBy(License, { organizationId, productId })) > 0;
  }

  /** The version a cursor pinned (one of this product's), else the current one. */
  private async pinnedVersion(product: Product, current: ProductVersion, query: RowQuery): Promise<ProductVersion> {
    if (!query.versionId || query.versionId === current.id) return current;
    const pinned = await this.version(query.versionId);
    if (!pinned || pinned.productId !== product.id) throw new DomainError('delivery.invalid_query', 'The cursor is not one this API gave out', { problems: [{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out' }] });
    return pinned;
  }
}

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), in the widely deployed separate form. */
export function rateHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(Math.max(0, state.remaining)),
    'ratelimit-reset': String(state.resetSeconds),
    'ratelimit-policy': `${state.limit};w=60`,
  };
}
