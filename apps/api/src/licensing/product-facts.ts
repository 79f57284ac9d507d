import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loadLineage, Product } from '@civic/db';
import { resolveLineage, strictestClassification, type Classification, type Theme } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';

export interface ProductFacts {
  product: Product;
  themes: Theme[];
  /** The strictest classification anywhere in the current version's lineage. */
  classification: Classification;
  /** Agencies whose conditional or restricted data is in the lineage (they approve purchases). */
  supervisingAgencies: string[];
}

/** What pricing rules and purchase approvals need to know about a product, from its lineage. */
@Injectable()
export class ProductFactsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async of(product: Product, manager: EntityManager = this.dataSource.manager): Promise<ProductFacts> {
    if (!product.currentVersionId) return { product, themes: [product.theme], classification: 'open', supervisingAgencies: [] };
    const lineage = await loadLineage(manager, product.currentVersionId);
    const leaves = resolveLineage(product.currentVersionId, lineage.lookup).leaves;
    const classes = leaves.map((leaf) => lineage.nodes.get(leaf.id)?.classification ?? 'restricted');
    const supervisingAgencies = [
      ...new Set(leaves.filter((leaf) => (lineage.nodes.get(leaf.id)?.classification ?? 'restricted') !== 'open').map((leaf) => leaf.agencyId)),
    ];
    return { product, themes: [product.theme], classification: strictestClassification(classes), supervisingAgencies };
  }
}
