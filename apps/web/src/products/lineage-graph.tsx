import { AppstoreOutlined, DatabaseOutlined } from '@ant-design/icons';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Card, Empty, Flex, Grid, Progress, Space, Table, Typography, theme } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { LineageGraph } from '../api/schema-types';
import { ClassificationTag } from '../catalog/catalog-tags';
import { formatPercent } from '../components/number-format';
import { agencyShareRows, layoutLineage, LINEAGE_NODE_SIZE, lineageNodeLink, type LineageDirection, type LineageNodeData } from './lineage-layout';

type LineageFlowNode = Node<LineageNodeData & { direction: LineageDirection; link: string | null }, 'lineage'>;

function LineageNodeView({ data }: NodeProps<LineageFlowNode>) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const isProduct = data.kind === 'product_version';
  const title = (
    <Typography.Text strong ellipsis={{ tooltip: data.title }} style={{ maxWidth: LINEAGE_NODE_SIZE.width - 48, fontSize: 13 }}>
      {data.title}
    </Typography.Text>
  );
  const link = data.link;
  const [source, target] = data.direction === 'LR' ? [Position.Right, Position.Left] : [Position.Bottom, Position.Top];
  return (
    <div
      data-testid="lineage-node"
      data-kind={data.kind}
      data-slug={data.slug ?? ''}
      data-link={link ?? ''}
      style={{
        width: LINEAGE_NODE_SIZE.width,
        height: LINEAGE_NODE_SIZE.height,
        boxSizing: 'border-box',
        padding: '8px 10px',
        borderRadius: 8,
        background: data.root ? token.colorPrimaryBg : token.colorBgContainer,
        border: `1px solid ${data.root ? token.colorPrimary : isProduct ? token.colorPrimaryBorder : token.colorBorder}`,
        boxShadow: token.boxShadowTertiary,
      }}
    >
      <Handle type="target" position={target} style={{ opacity: 0 }} isConnectable={false} />
      <Flex vertical gap={2}>
        <Space size={6}>
          {isProduct ? <AppstoreOutlined style={{ color: token.colorPrimary }} /> : <DatabaseOutlined style={{ color: token.colorTextSecondary }} />}
          {link ? (
            <Link to={link} className="nodrag nopan" data-testid="lineage-node-link">
              {title}
            </Link>
          ) : (
            title
          )}
        </Space>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: LINEAGE_NODE_SIZE.width - 24 }}>
          {data.organizationName}
        </Typography.Text>
        <Space size={4}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {isProduct ? t('products.lineage.productVersion', { version: data.version ?? '' }) : t('products.lineage.datasetVersion', { version: data.version ?? '' })}
          </Typography.Text>
          {data.classification ? <ClassificationTag classification={data.classification} /> : null}
        </Space>
      </Flex>
      <Handle type="source" position={source} style={{ opacity: 0 }} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { lineage: LineageNodeView };

/** Room around the graph when it is drawn at its own size (phones). */
const NARROW_PADDING = 12;

/**
 * The lineage of a product version drawn with React Flow and laid out by dagre: the product,
 * the products and datasets it reads, down to the government datasets, with each input's
 * weight and share on its edge. Left to right on wide screens, fitted to the width; top to bottom
 * on phones at its own size (text stays readable), scrolling sideways when wider than the screen.
 */
export function LineageGraphView({ graph, height, ownOrganizationId }: { graph: LineageGraph; height?: number; ownOrganizationId?: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const narrow = !Grid.useBreakpoint().md;
  const direction: LineageDirection = narrow ? 'TB' : 'LR';
  const layout = useMemo(() => layoutLineage(graph, i18n.language, direction), [graph, i18n.language, direction]);

  const nodes: LineageFlowNode[] = layout.nodes.map((node) => {
    const link = lineageNodeLink(node.data, ownOrganizationId);
    // React Flow makes nodes that are neither draggable nor selectable transparent to the pointer;
    // a node that leads somewhere takes clicks (the whole card) and does not start a pan.
    return {
      id: node.id,
      type: 'lineage',
      position: node.position,
      data: { ...node.data, direction, link },
      draggable: false,
      connectable: false,
      className: link ? 'nopan' : undefined,
      style: link ? { pointerEvents: 'all', cursor: 'pointer' } : undefined,
    };
  });
  const edges: Edge[] = layout.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    label: t('products.lineage.edgeLabel', { weight: edge.weight, share: formatPercent(edge.share, i18n.language) }),
    labelStyle: { fontSize: 11, fill: token.colorText },
    labelBgStyle: { fill: token.colorBgContainer },
    labelBgPadding: [4, 2],
    style: { stroke: token.colorTextTertiary },
    markerEnd: { type: MarkerType.ArrowClosed, color: token.colorTextTertiary },
  }));
  const fitted = height ?? Math.min(560, Math.max(220, layout.height + 48));
  const scroller = useRef<HTMLDivElement>(null);
  const rootCentre = (layout.nodes.find((node) => node.data.root)?.position.x ?? 0) + LINEAGE_NODE_SIZE.width / 2 + NARROW_PADDING;
  // On a phone the graph opens with its product in view: scrolled so the root is centred.
  useEffect(() => {
    const element = scroller.current;
    if (narrow && element) element.scrollLeft = Math.max(0, rootCentre - element.clientWidth / 2);
  }, [narrow, rootCentre]);

  if (graph.nodes.length === 0) return <Empty description={t('products.lineage.empty')} data-testid="lineage-empty" />;
  const frame = { border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadius, background: token.colorFillQuaternary };
  const flow = (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodeClick={(event, node) => {
        // The title is a link of its own; a click elsewhere on the card follows the same link.
        if (event.target instanceof Element && event.target.closest('a')) return;
        if (node.data.link) void navigate(node.data.link);
      }}
      {...(narrow
        ? // At its own size: no fitting, panning or zooming; the page scrolls the graph sideways.
          { defaultViewport: { x: NARROW_PADDING, y: NARROW_PADDING, zoom: 1 }, panOnDrag: false, zoomOnPinch: false, zoomOnDoubleClick: false, minZoom: 1, maxZoom: 1 }
        : { fitView: true, fitViewOptions: { padding: 0.12, maxZoom: 1 }, minZoom: 0.2, maxZoom: 1.5 })}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      zoomOnScroll={false}
      preventScrolling={false}
      proOptions={{ hideAttribution: false }}
    >
      <Background gap={20} color={token.colorBorderSecondary} />
      {narrow ? null : <Controls showInteractive={false} position="bottom-right" />}
    </ReactFlow>
  );
  if (narrow) {
    return (
      <div ref={scroller} data-testid="lineage-graph" data-nodes={graph.nodes.length} data-fit="scroll" style={{ ...frame, width: '100%', overflowX: 'auto', overflowY: 'hidden' }}>
        <div style={{ width: layout.width + 2 * NARROW_PADDING, minWidth: '100%', height: height ?? layout.height + 2 * NARROW_PADDING }}>{flow}</div>
      </div>
    );
  }
  return (
    <div data-testid="lineage-graph" data-nodes={graph.nodes.length} data-fit="view" style={{ ...frame, height: fitted, width: '100%' }}>
      {flow}
    </div>
  );
}

/** Each agency's share of the product (from the input weights), exact and as a bar. */
export function AgencySharesTable({ graph }: { graph: LineageGraph }) {
  const { t, i18n } = useTranslation();
  const rows = agencyShareRows(graph.agencies);
  return (
    <Table
      data-testid="agency-shares"
      size="small"
      rowKey="agencyId"
      pagination={false}
      dataSource={rows}
      // No sideways scrolling: agency names wrap, so the share stays in view on a phone.
      tableLayout="auto"
      locale={{ emptyText: t('products.lineage.noAgencies') }}
      columns={[
        { key: 'agency', title: t('products.lineage.agency'), render: (_, row) => <Typography.Text strong>{row.agencyName}</Typography.Text> },
        {
          key: 'bar',
          title: t('products.lineage.share'),
          render: (_, row) => (
            <Progress
              percent={row.percent}
              format={() => formatPercent(row.basisPoints / 10_000, i18n.language)}
              size="small"
              style={{ minWidth: 96, margin: 0 }}
              data-testid="agency-share-bar"
            />
          ),
        },
        { key: 'exact', title: t('products.lineage.exact'), render: (_, row) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{row.share}</Typography.Text> },
      ]}
    />
  );
}

/** The lineage section of a product page: the graph and the agencies' shares. */
export function LineageSection({ graph, loading, ownOrganizationId }: { graph: LineageGraph | undefined; loading?: boolean; ownOrganizationId?: string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} data-testid="lineage-section">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('products.lineage.intro')}
      </Typography.Paragraph>
      <Card size="small" loading={loading} styles={{ body: { padding: 0 } }}>
        {graph ? <LineageGraphView graph={graph} ownOrganizationId={ownOrganizationId} /> : null}
      </Card>
      {graph && graph.agencies.length > 0 ? (
        <Card size="small" title={t('products.lineage.sharesTitle')}>
          <Typography.Paragraph type="secondary">{t('products.lineage.sharesIntro')}</Typography.Paragraph>
          <AgencySharesTable graph={graph} />
        </Card>
      ) : null}
    </Flex>
  );
}
