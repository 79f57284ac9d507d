import { screen } from '@testing-library/react';
import { lineageGraph } from '../test/product-fixtures';
import { renderWithProviders } from '../test/render-with-providers';
import { screenWidth } from '../test/screen-width';
import { AgencySharesTable, LineageGraphView } from './lineage-graph';
import { layoutLineage, LINEAGE_NODE_SIZE } from './lineage-layout';

describe('<LineageGraphView>', () => {
  it('on a phone draws the graph at its own size, scrolling sideways, instead of shrinking it to fit', () => {
    const restore = screenWidth(false);
    try {
      renderWithProviders(<LineageGraphView graph={lineageGraph()} />);
      const graph = screen.getByTestId('lineage-graph');
      expect(graph).toHaveAttribute('data-fit', 'scroll');
      expect(graph).toHaveStyle({ overflowX: 'auto' });
      const canvas = graph.firstElementChild as HTMLElement;
      const layout = layoutLineage(lineageGraph(), 'en', 'TB');
      // Wider than a 390 px phone: it scrolls rather than zooming out.
      expect(layout.width).toBeGreaterThan(390);
      expect(canvas.style.width).toBe(`${layout.width + 24}px`);
      expect(canvas.style.height).toBe(`${layout.height + 24}px`);
      expect(layout.height).toBeGreaterThan(3 * LINEAGE_NODE_SIZE.height);
    } finally {
      restore();
    }
  });

  it('on a wide screen fits the graph to the width', () => {
    const restore = screenWidth(true);
    try {
      renderWithProviders(<LineageGraphView graph={lineageGraph()} />);
      expect(screen.getByTestId('lineage-graph')).toHaveAttribute('data-fit', 'view');
    } finally {
      restore();
    }
  });
});

describe('<AgencySharesTable>', () => {
  it('wraps agency names rather than scrolling sideways, so the share stays in view on a phone', () => {
    renderWithProviders(<AgencySharesTable graph={lineageGraph()} />);
    const table = screen.getByTestId('agency-shares');
    expect(table.querySelector('.ant-table-content')?.getAttribute('style') ?? '').not.toMatch(/overflow/);
    expect(table.querySelector('table')?.getAttribute('style') ?? '').not.toMatch(/max-content/);
    expect(screen.getAllByTestId('agency-share-bar')).toHaveLength(2);
  });
});
