import { lineageGraph } from '../test/product-fixtures';
import { agencyShareRows, layoutLineage, LINEAGE_NODE_SIZE, lineageNodeLink } from './lineage-layout';

describe('layoutLineage', () => {
  it('puts the product first and its datasets last, left to right', () => {
    const layout = layoutLineage(lineageGraph(), 'en', 'LR');
    const x = Object.fromEntries(layout.nodes.map((node) => [node.id, node.position.x]));
    expect(x['pv-root']).toBeLessThan(x['pv-sub']!);
    expect(x['pv-sub']).toBeLessThan(x['dv-weather']!);
    expect(x['pv-root']).toBeLessThan(x['dv-traffic']!);
    expect(layout.width).toBeGreaterThan(2 * LINEAGE_NODE_SIZE.width);
  });

  it('stacks top to bottom on narrow screens', () => {
    const layout = layoutLineage(lineageGraph(), 'en', 'TB');
    const y = Object.fromEntries(layout.nodes.map((node) => [node.id, node.position.y]));
    expect(y['pv-root']).toBeLessThan(y['pv-sub']!);
    expect(y['pv-sub']).toBeLessThan(y['dv-weather']!);
  });

  it('draws each input edge once, from the product to what it reads, with weight and share', () => {
    const layout = layoutLineage(lineageGraph(), 'en');
    expect(layout.edges).toEqual([
      { id: 'pv-root->dv-traffic', source: 'pv-root', target: 'dv-traffic', weight: 3, share: 0.75 },
      { id: 'pv-root->pv-sub', source: 'pv-root', target: 'pv-sub', weight: 1, share: 0.25 },
      { id: 'pv-sub->dv-weather', source: 'pv-sub', target: 'dv-weather', weight: 1, share: 1 },
    ]);
  });

  it("titles nodes in the reader's language and marks the root", () => {
    const chinese = layoutLineage(lineageGraph(), 'zh-CN');
    expect(chinese.nodes[0]!.data).toMatchObject({ title: '道路拥堵指数', subtitle: 'Road congestion index', root: true, kind: 'product_version' });
    expect(chinese.nodes.filter((node) => node.data.root)).toHaveLength(1);
    const traffic = chinese.nodes.find((node) => node.id === 'dv-traffic')!;
    expect(traffic.data).toMatchObject({ kind: 'dataset_version', classification: 'open', organizationName: 'Transport Bureau', slug: 'road-traffic-flow-hourly' });
  });

  it('lays out nothing for an empty graph', () => {
    expect(layoutLineage({ nodes: [], edges: [], agencies: [] }, 'en').nodes).toEqual([]);
  });
});

describe('agencyShareRows', () => {
  it('lists agencies by share, largest first, with percents', () => {
    expect(agencyShareRows(lineageGraph().agencies).map((row) => [row.agencyName, row.share, row.percent])).toEqual([
      ['Transport Bureau', '3/4', 75],
      ['Meteorological Bureau', '1/4', 25],
    ]);
  });
});

describe('lineageNodeLink', () => {
  const base = { slug: 'x', ownerId: 'p1', organizationId: 'org-a', root: false };
  it('leads datasets to the catalog, products to the storefront or, when owned, the workspace', () => {
    expect(lineageNodeLink({ ...base, kind: 'dataset_version' }, 'org-a')).toBe('/catalog/x');
    expect(lineageNodeLink({ ...base, kind: 'product_version' })).toBe('/products/x');
    expect(lineageNodeLink({ ...base, kind: 'product_version' }, 'org-b')).toBe('/products/x');
    expect(lineageNodeLink({ ...base, kind: 'product_version' }, 'org-a')).toBe('/console/products/p1');
  });

  it('leads nowhere from the graph’s own product or a node without a page', () => {
    expect(lineageNodeLink({ ...base, kind: 'product_version', root: true })).toBeNull();
    expect(lineageNodeLink({ ...base, kind: 'dataset_version', slug: null })).toBeNull();
  });
});
