import { tmpdir } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loadLineage, Organization, Product, ProductVersion } from '@civic/db';
import { DomainError, resolveLineage, type Theme } from '@civic/domain';
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

  async list(theme?: Theme): Promise<ProductListDto> {
    const products = await this.dataSource.manager.find(Product, {
      where: { status: 'published', ...(theme ? { theme } : {}) },
      order: { publishedAt: 'DESC' },
      take: 200,
    });
    return { items: await this.views.summaries(products) };
  }

  async detail(ref: string): Promise<PublicProductDto> {
    const product = await this.dataSource.manager.findOneBy(Product, UUID.test(ref) ? { id: ref, status: 'published' } : { slug: ref, status: 'published' });
    if (!product || !product.currentVersionId) throw new DomainError('product.not_found', 'Product not found.');
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
