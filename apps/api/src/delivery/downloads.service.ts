import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { leakCandidates, Product, type ProductVersion } from '@civic/db';
import { traceProductLeak, writeFingerprintedFile, type LeakEvidence, type LeakFormat } from '@civic/delivery';
import { deliveryUsageEvents, DomainError } from '@civic/domain';
import type { ObjectStore } from '@civic/storage';
import parseRange from 'range-parser';
import type { DataSource } from 'typeorm';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';
import type { Principal } from '../common/principal.js';
import { EntitlementsService } from '../licensing/entitlements.service.js';
import { DataService } from './data.service.js';
import { DataFiles } from './row-reader.provider.js';
import { UsageRecorder } from './usage-recorder.service.js';

export type FileFormat = 'parquet' | 'csv';

interface LinkClaims {
  /** Link id: the usage of one link is counted once, however many (range) requests it serves. */
  j: string;
  /** Organization the link was issued to. */
  o: string;
  /** Licence (null: the product's owner). */
  l: string | null;
  p: string;
  v: string;
  f: FileFormat;
  /** 1: a CSV that starts with a UTF-8 byte order mark. */
  b?: 1;
  /** Expiry, seconds since the epoch. */
  e: number;
}

export interface FileAnswer {
  status: 200 | 206;
  headers: Record<string, string>;
  body: Readable;
}

const CONTENT_TYPES: Record<FileFormat, string> = { parquet: 'application/vnd.apache.parquet', csv: 'text/csv; charset=utf-8' };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Bulk files: a signed, expiring link bound to one licence (and organization, product, version
 * and format), served with Range support from the licence's own fingerprinted copy of the
 * version (canary rows, and for Parquet the licence in its metadata), made once and kept in the
 * object store. Each link's delivery is counted once (rows and bytes), however many range
 * requests resume it; the licence is checked again when the link is used.
 */
/** A link that is not one of ours (or no longer names a product, licence holder or version): missing. */
const linkInvalid = () => new DomainError('delivery.link_invalid', 'This download link is not valid; ask for a new one on the licence page.');

@Injectable()
export class DownloadsService {
  private keys: Promise<{ link: Buffer; fingerprint: Buffer }> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly config: ApiConfig,
    private readonly data: DataService,
    private readonly entitlements: EntitlementsService,
    private readonly files: DataFiles,
    private readonly usage: UsageRecorder,
  ) {}

  private platformKeys(): Promise<{ link: Buffer; fingerprint: Buffer }> {
    this.keys ??= (async () => {
      const rows: Array<{ name: string; key: Buffer }> = await this.dataSource.query(`SELECT name, key FROM platform_keys WHERE name IN ('download-link', 'fingerprint')`);
      const link = rows.find((row) => row.name === 'download-link')?.key;
      const fingerprint = rows.find((row) => row.name === 'fingerprint')?.key;
      if (!link || !fingerprint) throw new Error('platform keys for downloads are missing: run the migrations');
      return { link, fingerprint };
    })();
    this.keys.catch(() => (this.keys = null));
    return this.keys;
  }

  /** A link to the current version as a file, valid for DATA_LINK_TTL_SECONDS. */
  async createLink(
    principal: Principal,
    productRef: string,
    format: FileFormat,
    origin: string,
    options: { bom?: boolean } = {},
  ): Promise<{ url: string; expiresAt: string; format: FileFormat; versionId: string; rows: number }> {
    const { product, licenseId } = await this.data.authorize(principal, productRef, 'download');
    const version = product.currentVersionId ? await this.data.version(product.currentVersionId) : null;
    if (!version) throw new DomainError('delivery.no_version', 'This product has no version to download yet.');
    const expires = Math.floor(Date.now() / 1000) + this.config.DATA_LINK_TTL_SECONDS;
    const claims: LinkClaims = { j: randomUUID(), o: principal.organizationId, l: licenseId, p: product.id, v: version.id, f: format, ...(format === 'csv' && options.bom ? { b: 1 as const } : {}), e: expires };
    const token = await this.sign(claims);
    return { url: `${origin}/api/v1/downloads/${token}`, expiresAt: new Date(expires * 1000).toISOString(), format, versionId: version.id, rows: version.rowCount };
  }

  private async sign(claims: LinkClaims): Promise<string> {
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    const mac = createHmac('sha256', (await this.platformKeys()).link).update(payload).digest('base64url');
    return `${payload}.${mac}`;
  }

  private async verify(token: string): Promise<LinkClaims> {
    const [payload, mac] = token.split('.');
    if (!payload || !mac || token.length > 1024) throw linkInvalid();
    // Compared as text: base64url has spare bits in its last character, so decoding would
    // accept several spellings of one signature.
    const expected = Buffer.from(createHmac('sha256', (await this.platformKeys()).link).update(payload).digest('base64url'), 'ascii');
    const given = Buffer.from(mac, 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw linkInvalid();
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    // A link of ours that has run out says so (410), unlike one that is not ours (404).
    if (claims.e * 1000 < Date.now()) {
      const expiredAt = new Date(claims.e * 1000).toISOString();
      throw new DomainError('delivery.link_expired', `This download link expired at ${expiredAt}; ask for a new one on the licence page.`, { expiredAt });
    }
    return claims;
  }

  /** Serves a link: the whole file, or the byte range asked for. */
  async serve(token: string, rangeHeader: string | undefined): Promise<FileAnswer> {
    const claims = await this.verify(token);
    const product = await this.dataSource.manager.findOneBy(Product, { id: claims.p });
    if (!product) throw linkInvalid();
    if (claims.l) {
      // The licence must still allow downloads (a revoked or suspended licence stops its links).
      const answer = await this.entitlements.check({ organizationId: claims.o, productId: claims.p, product, licenseId: claims.l, action: 'download' });
      if (!answer.allowed) throw new DomainError((answer.reason ?? 'licensing.action_not_permitted') as never, 'Your organization’s licence no longer allows this download.', { licenseId: claims.l });
    } else if (product.organizationId !== claims.o) throw linkInvalid();
    const version = await this.data.version(claims.v);
    if (!version || version.productId !== product.id) throw linkInvalid();

    const bom = claims.f === 'csv' && claims.b === 1;
    const { key, bytes: size } = await this.fingerprinted(version, claims.l ?? `owner-${claims.o}`, claims.f, bom);
    const filename = `${product.slug}-v${version.version}.${claims.f}`;
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[claims.f],
      'content-disposition': `attachment; filename="${filename}"`,
      'accept-ranges': 'bytes',
      etag: `"${version.id}-${claims.l ?? 'owner'}-${claims.f}${bom ? '-bom' : ''}"`,
      'cache-control': 'private, no-store',
    };
    let range: { start: number; end: number } | null = null;
    if (rangeHeader) {
      const parsed = parseRange(size, rangeHeader, { combine: true });
      if (parsed === -1) throw new DomainError('delivery.range_not_satisfiable', 'The requested range is outside the file.', { size });
      if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) range = parsed[0]!;
    }
    // One delivery per link: its rows and the file's bytes, counted once whatever is resumed.
    await this.usage.record(
      deliveryUsageEvents({
        deliveryKey: `file:${claims.j}`,
        productId: product.id,
        productVersionId: version.id,
        licenseId: claims.l,
        consumerOrganizationId: claims.o,
        channel: 'file',
        rows: version.rowCount,
        bytes: size,
        occurredAt: new Date(),
      }),
    );
    if (range) {
      return {
        status: 206,
        headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) },
        body: await this.store.get(key, { start: range.start, end: range.end }),
      };
    }
    return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: await this.store.get(key) };
  }

  /**
   * The object key and size of a licence's copy of a version, made on first use. A CSV with a
   * byte order mark is a copy of its own, so sizes, ranges and resumed downloads stay those of
   * the stored bytes.
   */
  private async fingerprinted(version: ProductVersion, holder: string, format: FileFormat, bom = false): Promise<{ key: string; bytes: number }> {
    const key = `deliveries/${holder}/${version.id}${bom ? '.bom' : ''}.${format}`;
    const stored = await this.store.head(key);
    if (stored) return { key, bytes: stored.bytes };
    const work = await mkdtemp(path.join(tmpdir(), 'civic-delivery-'));
    try {
      const out = path.join(work, `copy.${format}`);
      await writeFingerprintedFile(
        { source: await this.files.localPath(version.parquetKey), schema: version.schema, licenseId: holder, versionId: version.id, key: (await this.platformKeys()).fingerprint },
        out,
        format,
        { civic_licence: holder, civic_product: version.productId, civic_version: version.id },
      );
      if (!bom) return await this.store.putFile(key, out, { contentType: CONTENT_TYPES[format] });
      const marked = path.join(work, `marked.${format}`);
      const target = createWriteStream(marked);
      target.write(UTF8_BOM);
      await pipeline(createReadStream(out), target);
      return await this.store.putFile(key, marked, { contentType: CONTENT_TYPES[format] });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Names the licence a leaked file (a whole file, or data API pages in any format) of one of
   * the caller's products came from: every licence of the product (and the owner's own copies)
   * is a candidate, for each version of the product.
   */
  async trace(principal: Principal, productId: string, leaked: string, format: LeakFormat): Promise<Array<LeakEvidence & { versionId: string; buyer: string | null }>> {
    const product = await this.dataSource.manager.findOneBy(Product, { id: productId, organizationId: principal.organizationId });
    if (!product) throw new DomainError('product.not_found', 'Product not found.');
    const known = await leakCandidates(this.dataSource.manager, product);
    try {
      // The API's local copies are cached (DataFiles), so nothing is released here.
      const found = await traceProductLeak(leaked, format, known, async (version) => ({ path: await this.files.localPath(version.parquetKey), release: async () => undefined }));
      return found.map((item) => ({ ...item, buyer: known.buyers.get(item.licenseId) || null }));
    } catch (error) {
      throw new DomainError('delivery.unreadable_file', `The file could not be read as ${format.toUpperCase()}.`, { reason: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }
}
