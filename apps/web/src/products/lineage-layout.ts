import dagre from '@dagrejs/dagre';
import type { Classification, LineageGraph, LineageNode } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';

export const LINEAGE_NODE_SIZE = { width: 240, height: 84 } as const;

export type LineageDirection = 'LR' | 'TB';

export interface LineageNodeData extends Record<string, unknown> {
  kind: LineageNode['kind'];
  title: string;
  subtitle: string | null;
  organizationName: string | null;
  version: number | null;
  classification: Classification | null;
  slug: string | null;
  /** The product or dataset the version belongs to. */
  ownerId: string | null;
  organizationId: string | null;
  /** The product version the graph is about. */
  root: boolean;
}

export interface PositionedNode {
  id: string;
  position: { x: number; y: number };
  data: LineageNodeData;
}

export interface PositionedEdge {
  id: string;
  /** The product version using the input. */
  source: string;
  /** The input. */
  target: string;
  weight: number;
  /** The input's part of the product using it, 0..1. */
  share: number;
}

export interface LineageLayout {
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  width: number;
  height: number;
}

/**
 * Lays out a lineage graph with dagre: the product version first (left, or top on narrow
 * screens), then its inputs, down to the government datasets. Edges point from a product to
 * what it is derived from and carry the input's weight and share.
 */
export function layoutLineage(graph: LineageGraph, language: string, direction: LineageDirection = 'LR'): LineageLayout {
  const root = graph.nodes[0]?.id;
  const layout = new dagre.graphlib.Graph();
  layout.setGraph({ rankdir: direction, nodesep: 28, ranksep: direction === 'LR' ? 96 : 64, marginx: 8, marginy: 8 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) layout.setNode(node.id, { width: LINEAGE_NODE_SIZE.width, height: LINEAGE_NODE_SIZE.height });

  const edges: PositionedEdge[] = [];
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const id = `${edge.to}->${edge.from}`;
    if (seen.has(id) || !layout.hasNode(edge.from) || !layout.hasNode(edge.to)) continue;
    seen.add(id);
    layout.setEdge(edge.to, edge.from);
    edges.push({ id, source: edge.to, target: edge.from, weight: edge.weight, share: edge.share });
  }
  dagre.layout(layout);

  const nodes = graph.nodes.map((node): PositionedNode => {
    const placed = layout.node(node.id);
    const title = localizedText(node.titleZh, node.titleEn, language);
    return {
      id: node.id,
      // dagre gives centres; React Flow places nodes by their top-left corner.
      position: { x: placed.x - LINEAGE_NODE_SIZE.width / 2, y: placed.y - LINEAGE_NODE_SIZE.height / 2 },
      data: {
        kind: node.kind,
        title: title.primary || node.slug || node.id,
        subtitle: title.secondary,
        organizationName: node.organizationName,
        version: node.version,
        classification: node.classification,
        slug: node.slug,
        ownerId: node.ownerId,
        organizationId: node.organizationId,
        root: node.id === root,
      },
    };
  });
  const { width = 0, height = 0 } = layout.graph();
  return { nodes, edges, width, height };
}

/** Each agency's share for display, largest first; basis points sum to at most 10,000. */
export function agencyShareRows(agencies: LineageGraph['agencies']): Array<LineageGraph['agencies'][number] & { percent: number }> {
  return [...agencies]
    .sort((a, b) => b.basisPoints - a.basisPoints || a.agencyName.localeCompare(b.agencyName))
    .map((agency) => ({ ...agency, percent: agency.basisPoints / 100 }));
}

/**
 * Where a lineage node leads: a dataset to its catalog page, a product to its storefront page, or
 * to its workspace when the reader's organization owns it; the graph's own product nowhere.
 */
export function lineageNodeLink(data: Pick<LineageNodeData, 'kind' | 'slug' | 'ownerId' | 'organizationId' | 'root'>, ownOrganizationId?: string): string | null {
  if (data.root || !data.slug) return null;
  if (data.kind === 'dataset_version') return `/catalog/${data.slug}`;
  if (ownOrganizationId && data.organizationId === ownOrganizationId && data.ownerId) return `/console/products/${data.ownerId}`;
  return `/products/${data.slug}`;
}
