import type { Classification, LineageInput, LineageLookup } from '@civic/domain';
import type { EntityManager } from 'typeorm';

/** What a lineage walk needs to draw and explain its nodes. */
export interface LineageNodeInfo {
  id: string;
  kind: 'product_version' | 'dataset_version';
  /** The product or dataset the version belongs to. */
  ownerId: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  version: number;
  organizationId: string;
  organizationName: string;
  classification: Classification | null;
}

export interface LoadedLineage {
  lookup: LineageLookup;
  nodes: Map<string, LineageNodeInfo>;
}

interface EdgeRow {
  product_version_id: string;
  input_product_version_id: string | null;
  dataset_version_id: string | null;
  weight: number;
  agency_id: string | null;
  dataset_id: string | null;
}

/**
 * Loads the whole lineage below a product version in two queries (a recursive walk of the
 * edges, then the nodes' descriptions), for the domain's resolveLineage / lineageGraph.
 */
export async function loadLineage(manager: EntityManager, rootVersionId: string): Promise<LoadedLineage> {
  const edges: EdgeRow[] = await manager.query(
    `WITH RECURSIVE walk(pv, depth) AS (
        SELECT $1::uuid, 0
        UNION
        SELECT pvi.input_product_version_id, walk.depth + 1 FROM product_version_inputs pvi
          JOIN walk ON pvi.product_version_id = walk.pv
         WHERE pvi.input_product_version_id IS NOT NULL AND walk.depth < 64
     )
     SELECT pvi.product_version_id, pvi.input_product_version_id, pvi.dataset_version_id, pvi.weight,
            dv.organization_id AS agency_id, dv.dataset_id
       FROM product_version_inputs pvi
       JOIN (SELECT DISTINCT pv FROM walk) w ON w.pv = pvi.product_version_id
       LEFT JOIN dataset_versions dv ON dv.id = pvi.dataset_version_id
      ORDER BY pvi.product_version_id, pvi.position`,
    [rootVersionId],
  );
  const productVersionIds = [...new Set([rootVersionId, ...edges.flatMap((edge) => (edge.input_product_version_id ? [edge.input_product_version_id] : []))])];
  const datasetVersionIds = [...new Set(edges.flatMap((edge) => (edge.dataset_version_id ? [edge.dataset_version_id] : [])))];
  const described: Array<Omit<LineageNodeInfo, 'kind'> & { kind: string }> = await manager.query(
    `SELECT pv.id, 'product_version' AS kind, p.id AS "ownerId", p.slug, p.title_zh AS "titleZh", p.title_en AS "titleEn",
            pv.version, p.organization_id AS "organizationId", o.name AS "organizationName", NULL AS classification
       FROM product_versions pv JOIN products p ON p.id = pv.product_id JOIN organizations o ON o.id = p.organization_id
      WHERE pv.id = ANY($1)
     UNION ALL
     SELECT dv.id, 'dataset_version', d.id, d.slug, d.title_zh, d.title_en, dv.version, d.organization_id, o.name, d.classification
       FROM dataset_versions dv JOIN datasets d ON d.id = dv.dataset_id JOIN organizations o ON o.id = d.organization_id
      WHERE dv.id = ANY($2)`,
    [productVersionIds, datasetVersionIds],
  );
  const nodes = new Map(described.map((row) => [row.id, { ...row, version: Number(row.version) } as LineageNodeInfo]));
  const byProduct = new Map<string, LineageInput[]>();
  for (const edge of edges) {
    const list = byProduct.get(edge.product_version_id) ?? [];
    if (edge.dataset_version_id) {
      list.push({
        kind: 'dataset_version',
        id: edge.dataset_version_id,
        datasetId: edge.dataset_id!,
        agencyId: edge.agency_id!,
        weight: edge.weight,
        label: nodes.get(edge.dataset_version_id)?.titleEn,
      });
    } else {
      list.push({ kind: 'product_version', id: edge.input_product_version_id!, weight: edge.weight, label: nodes.get(edge.input_product_version_id!)?.titleEn });
    }
    byProduct.set(edge.product_version_id, list);
  }
  return { lookup: (id) => (nodes.has(id) && nodes.get(id)!.kind === 'product_version' ? (byProduct.get(id) ?? []) : undefined), nodes };
}
