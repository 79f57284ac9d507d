import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, Grid, Row, Select, Skeleton, Statistic, Table, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ClassificationTag } from '../catalog/catalog-tags';
import { formatMoney } from '../commerce/money';
import { formatCount } from '../components/number-format';
import { PublicLayout } from '../components/public-layout';
import { CategoryTick, labelUnits } from '../finance/category-tick';
import { Amount, LoadFailed } from '../finance/finance-ui';
import { useMoneyAxis } from '../finance/money-axis';

type Report = components['schemas']['DisclosureReportDto'];
type DatasetRow = components['schemas']['DisclosureDatasetDto'];
type PriceRow = components['schemas']['DisclosurePriceDto'];

const YEARS_SHOWN = 5;
/** Room per agency in the chart: a name on two lines and a gap to the next. */
const AGENCY_ROW_HEIGHT = 56;

/**
 * The annual public disclosure of revenue from government data: what it earned by agency and
 * dataset (the agencies' part is government non-tax revenue), the price list, and how many
 * organizations held licences. Open to everyone, no login.
 */
export function DisclosurePage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const navigate = useNavigate();
  const narrow = !Grid.useBreakpoint().md;
  const thisYear = new Date().getFullYear();
  const { year: yearParam } = useParams();
  const year = Number(yearParam ?? thisYear);
  const report = useQuery({
    queryKey: ['public-disclosure', year],
    queryFn: () => unwrap(api.GET('/api/v1/public/disclosure/{year}', { params: { path: { year: String(year) } } })),
  });
  const data: Report | undefined = report.data;
  const currencies = data ? Object.keys(data.netRevenue) : [];

  const datasetColumns: TableColumnsType<DatasetRow> = [
    {
      key: 'title',
      title: t('disclosure.dataset'),
      render: (_, row) => (
        <Flex vertical>
          <Typography.Text>{zh ? row.titleZh : row.titleEn}</Typography.Text>
          {/* Phones: the agency beneath the dataset, its column being hidden. */}
          {narrow ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.agencyName}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { key: 'agency', title: t('disclosure.agency'), dataIndex: 'agencyName', responsive: ['md'] },
    { key: 'classification', title: t('disclosure.classification'), responsive: ['lg'], render: (_, row) => <ClassificationTag classification={row.classification as 'open'} /> },
    { key: 'products', title: t('disclosure.products'), align: 'right', responsive: ['md'], render: (_, row) => formatCount(row.products, i18n.language) },
    { key: 'royalties', title: t('disclosure.royalties'), align: 'right', render: (_, row) => <Amount value={row.royalties} currency={row.currency} /> },
  ];
  const productCell = (row: PriceRow) => (
    <Flex vertical>
      <Typography.Link href={`/products/${row.productSlug}`}>{zh ? row.productTitleZh : row.productTitleEn}</Typography.Link>
      <Typography.Text type="secondary">{row.sellerName}</Typography.Text>
    </Flex>
  );
  // Phones: two columns that wrap (the product with its seller and offer; the price with its licensees), nothing cut off at the right.
  const priceColumns: TableColumnsType<PriceRow> = narrow
    ? [
        {
          key: 'product',
          title: t('disclosure.product'),
          width: '46%',
          render: (_, row) => (
            <Flex vertical gap={2}>
              {productCell(row)}
              <Typography.Text style={{ fontSize: 12 }}>{zh ? row.offerNameZh : row.offerNameEn}</Typography.Text>
            </Flex>
          ),
        },
        {
          key: 'price',
          title: t('disclosure.price'),
          render: (_, row) => (
            <Flex vertical gap={2}>
              <span style={{ overflowWrap: 'anywhere' }}>{zh ? row.priceZh : row.priceEn}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('disclosure.licensees')} {formatCount(row.licensees, i18n.language)}
              </Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        { key: 'product', title: t('disclosure.product'), render: (_, row) => <div style={{ minWidth: 180 }}>{productCell(row)}</div> },
        { key: 'offer', title: t('disclosure.offer'), render: (_, row) => <div style={{ minWidth: 120 }}>{zh ? row.offerNameZh : row.offerNameEn}</div> },
        { key: 'price', title: t('disclosure.price'), render: (_, row) => <div style={{ minWidth: 200 }}>{zh ? row.priceZh : row.priceEn}</div> },
        { key: 'licensees', title: t('disclosure.licensees'), align: 'right', render: (_, row) => formatCount(row.licensees, i18n.language) },
      ];
  const agencyCurrency = data?.agencies[0]?.currency ?? 'CNY';
  const labelWidth = narrow ? 150 : 260;

  return (
    <PublicLayout>
      <Flex vertical gap={16} style={{ maxWidth: 1200, margin: '0 auto', width: '100%', padding: narrow ? '16px 12px' : '24px 24px' }} data-testid="disclosure-page">
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Title level={narrow ? 3 : 2} style={{ margin: 0 }}>
            {t('disclosure.title', { year })}
          </Typography.Title>
          <Select
            aria-label={t('disclosure.year')}
            value={year}
            style={{ width: 120 }}
            options={Array.from({ length: YEARS_SHOWN }, (_, index) => thisYear - index).map((value) => ({ value, label: String(value) }))}
            onChange={(value) => navigate(`/disclosure/${value}`)}
          />
        </Flex>
        <Typography.Paragraph type="secondary">{t('disclosure.intro')}</Typography.Paragraph>
        {report.isPending ? (
          <Skeleton active />
        ) : report.isError ? (
          <LoadFailed error={report.error} />
        ) : (
          <>
            <Row gutter={[16, 16]}>
              {[
                { key: 'net', label: t('disclosure.netRevenue'), values: data!.netRevenue },
                { key: 'agencies', label: t('disclosure.agencyRoyalties'), values: data!.agencyRoyalties },
                { key: 'platform', label: t('disclosure.platformFees'), values: data!.platformFees },
              ].map((card) => (
                <Col xs={24} sm={12} lg={6} key={card.key}>
                  <Card size="small">
                    <Statistic
                      title={card.label}
                      value={currencies.length ? currencies.map((currency) => formatMoney(card.values[currency] ?? 0, currency, i18n.language)).join(' · ') : formatMoney(0, 'CNY', i18n.language)}
                      data-testid={`disclosure-${card.key}`}
                    />
                  </Card>
                </Col>
              ))}
              <Col xs={24} sm={12} lg={6}>
                <Card size="small">
                  <Statistic title={t('disclosure.licenseesTotal')} value={formatCount(data!.licensees, i18n.language)} data-testid="disclosure-licensees" />
                </Card>
              </Col>
            </Row>
            <Card title={t('disclosure.byAgency')} size="small">
              {data!.agencies.length === 0 ? (
                <Empty description={t('disclosure.none')} />
              ) : (
                <AgencyChart agencies={data!.agencies} currency={agencyCurrency} labelWidth={labelWidth} />
              )}
            </Card>
            <Card title={t('disclosure.byDataset')} size="small">
              <Table rowKey={(row) => `${row.datasetId}-${row.currency}`} size="small" columns={datasetColumns} dataSource={data!.datasets} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('disclosure.none') }} />
            </Card>
            <Card title={t('disclosure.priceList')} size="small">
              <Table
                rowKey={(row) => `${row.productSlug}-${row.offerNameEn}`}
                size="small"
                columns={priceColumns}
                dataSource={data!.prices}
                pagination={false}
                tableLayout={narrow ? 'fixed' : undefined}
                scroll={narrow ? undefined : { x: 720 }}
                data-testid="disclosure-prices"
              />
            </Card>
            <Typography.Text type="secondary">{t('disclosure.generated', { at: new Date(data!.generatedAt).toLocaleString(i18n.language) })}</Typography.Text>
          </>
        )}
      </Flex>
    </PublicLayout>
  );
}

/** Royalties by agency: one bar each, spaced so that names on two lines never touch; the whole name on hover. */
function AgencyChart({ agencies, currency, labelWidth }: { agencies: Report['agencies']; currency: string; labelWidth: number }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const narrow = !Grid.useBreakpoint().md;
  const amountAxis = useMoneyAxis('x', currency, i18n.language);
  const height = Math.max(160, agencies.length * AGENCY_ROW_HEIGHT + 40);
  return (
    <div style={{ width: '100%' }} data-testid="disclosure-agency-chart" data-bars={agencies.length}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <BarChart data={agencies} layout="vertical" margin={{ top: 4, left: 4, right: 24, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={amountAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} tickCount={narrow ? 3 : 5} />
          <YAxis
            type="category"
            dataKey="agencyName"
            width={labelWidth}
            interval={0}
            tick={(props: object) => <CategoryTick {...props} units={labelUnits(labelWidth)} fill={token.colorText} />}
          />
          <Tooltip formatter={(value) => [formatMoney(Number(value), currency, i18n.language), t('disclosure.royalties')]} cursor={{ fill: token.colorFillTertiary }} />
          <Bar dataKey="royalties" name={t('disclosure.royalties')} fill="#389e0d" maxBarSize={28} isAnimationActive={false} />
          {amountAxis.probe}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
