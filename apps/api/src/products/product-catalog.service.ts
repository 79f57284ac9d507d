import { tmpdir } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loadLineage, Organization, Product, ProductVersion } from '@civic/db';
import { DomainError, entryPrice, parsePricePlan, resolveLineage, type PricePlan, type Theme } from '@civic/domain';
import { readParquetRows } from '@civic/ingest';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';
import type { ProductListDto, PublicProductDto } from './dto/products.dto.js';
import { ProductViews } from './product-views.service.js';

const SAMPLE_ROWS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Products in the storefront: published products only. A sample of rows is shown when every
 * dataset in the lineage is open (anything else is sold under a licence); the lineage is
 * always shown, so buyers see which government data a product comes from.
 */
@Injectable()
export class ProductCatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly views: ProductViews,
  ) {}

  /**
   * Published products, newest first; `q` keeps those whose titles, descriptions or keywords
   * contain every one of its words (case-insensitive substrings, so Chinese needs no word breaks).
   */
  async list(filter: { theme?: Theme; q?: string } = {}): Promise<ProductListDto> {
    const query = this.dataSource.manager
      .createQueryBuilder(Product, 'p')
      .where(`p.status = 'published'`)
      .orderBy('p.publishedAt', 'DESC', 'NULLS LAST')
      .addOrderBy('p.id')
      .limit(200);
    if (filter.theme) query.andWhere('p.theme = :theme', { theme: filter.theme });
    searchTerms(filter.q).forEach((term, index) => {
      query.andWhere(
        `(p.title_zh ILIKE :t${index} ESCAPE '\\' OR p.title_en ILIKE :t${index} ESCAPE '\\' OR p.description_zh ILIKE :t${index} ESCAPE '\\'
          OR p.description_en ILIKE :t${index} ESCAPE '\\' OR array_to_string(p.keywords, ' ') ILIKE :t${index} ESCAPE '\\')`,
        { [`t${index}`]: `%${escapeLike(term)}%` },
      );
    });
    const products = await query.getMany();
    // What each costs at the least, from its published offers (listed order: the seller's).
    const offers: Array<{ product_id: string; price_plan: unknown }> = products.length
      ? await this.dataSource.query(`SELECT product_id, price_plan FROM offers WHERE status = 'published' AND product_id = ANY($1) ORDER BY position, created_at`, [products.map((product) => product.id)])
      : [];
    const plans = new Map<string, PricePlan[]>();
    for (const offer of offers) {
      const list = plans.get(offer.product_id) ?? [];
      list.push(parsePricePlan(offer.price_plan));
      plans.set(offer.product_id, list);
    }
    const items = await this.views.summaries(products);
    return { items: items.map((item) => ({ ...item, entryPrice: entryPrice(plans.get(item.id) ?? []) })) };
  }

  /**
   * A published product by slug or id. A product that was published and is suspended now says
   * so (409 `product.suspended`, with its slug, titles and since when) and shows nothing else;
   * anything never published is not found.
   */
  async detail(ref: string): Promise<PublicProductDto> {
    const where = UUID.test(ref) ? { id: ref } : { slug: ref };
    const product = await this.dataSource.manager.findOneBy(Product, where);
    if (product?.status === 'suspended' && product.suspendedFrom === 'published') {
      throw new DomainError('product.suspended', 'This product is temporarily unavailable.', {
        slug: product.slug,
        titleZh: product.titleZh,
        titleEn: product.titleEn,
        since: product.suspensionReason?.at ?? null,
      });
    }
    if (!product || product.status !== 'published' || !product.currentVersionId) throw new DomainError('product.not_found', 'Product not found.');
    const [version, owner, lineage] = await Promise.all([
      this.dataSource.manager.findOneByOrFail(ProductVersion, { id: product.currentVersionId }),
      this.dataSource.manager.findOneByOrFail(Organization, { id: product.organizationId }),
      this.views.lineage(product.currentVersionId),
    ]);
    const loaded = await loadLineage(this.dataSource.manager, version.id);
    const leaves = resolveLineage(version.id, loaded.lookup).leaves;
    const sampleAllowed = leaves.every((leaf) => loaded.nodes.get(leaf.id)?.classification === 'open');
    const report = version.gateReport as { outcome?: string; rule?: string; k?: number; suppressedRows?: number };
    return {
      id: product.id,
      slug: product.slug,
      kind: product.kind,
      titleZh: product.titleZh,
      titleEn: product.titleEn,
      descriptionZh: product.descriptionZh,
      descriptionEn: product.descriptionEn,
      theme: product.theme,
      keywords: product.keywords,
      organizationName: owner.name,
      version: version.version,
      rowCount: version.rowCount,
      schema: version.schema,
      publishedAt: product.publishedAt?.toISOString() ?? null,
      updatedAt: version.createdAt.toISOString(),
      privacy: { outcome: report.outcome ?? 'passed', rule: report.rule ?? 'none', k: report.k ?? null, suppressedRows: report.suppressedRows ?? 0 },
      sample: sampleAllowed ? await this.sample(version) : null,
      lineage,
    };
  }

  /** The first rows of a version's output (it passed the privacy gate), as reviewers see them. */
  async versionSample(versionId: string): Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }> {
    return this.sample(await this.dataSource.manager.findOneByOrFail(ProductVersion, { id: versionId }));
  }

  private async sample(version: ProductVersion): Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }> {
    const copy = await this.store.localCopy(version.parquetKey, tmpdir());
    try {
      const { columns, rows } = await readParquetRows(copy.path, { limit: SAMPLE_ROWS });
      return { columns: columns.map((column) => column.name), rows };
    } finally {
      await copy.release();
    }
  }
}

/** At most eight words of a search, without duplicates. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.split(/\s+/).filter((word) => word.length > 0))].slice(0, 8);
}

/** A word matched literally inside ILIKE (its %, _ and \ are not wildcards). */
export function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (character) => `\\${character}`);
}
