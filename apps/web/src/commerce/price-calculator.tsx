import { CalculatorOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Flex, Form, Grid, InputNumber, Row, Skeleton, Table, Tag, theme, Typography, type TableColumnsType } from 'antd';
import { lazy, Suspense, useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { MeteredUnit, Offer, OfferEstimate } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { bilingual, Money, pairText } from './commerce-display';
import { formatMoney } from './money';

// recharts is loaded with the chart, not with the product page.
const EstimateChart = lazy(() => import('./estimate-chart').then((module) => ({ default: module.EstimateChart })));

export const ESTIMATE_LIMITS = { months: { min: 1, max: 60, default: 12 }, quantity: { min: 0, max: 1_000_000_000_000, default: 100_000 } } as const;

/** A value that follows `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** What an expected use (months, units per month) costs under each offer: a chart (cheapest first) and the line breakdown. */
export function PriceCalculator({ productRef, offers }: { productRef: string; offers: readonly Offer[] }) {
  const { t, i18n } = useTranslation();
  const [months, setMonths] = useState<number>(ESTIMATE_LIMITS.months.default);
  const [quantity, setQuantity] = useState<number>(ESTIMATE_LIMITS.quantity.default);
  const input = useDebounced({ months, quantity }, 300);
  const estimate = useQuery({
    queryKey: queryKeys.priceEstimate(productRef, input.months, input.quantity),
    queryFn: () =>
      unwrap(api.GET('/api/v1/catalog/products/{ref}/price-estimate', { params: { path: { ref: productRef }, query: { months: input.months, quantityPerMonth: input.quantity } } })),
    placeholderData: keepPreviousData,
  });
  const units = [...new Set(offers.flatMap((offer) => (offer.pricePlan.metered ? [offer.pricePlan.metered.unit] : [])))] as MeteredUnit[];
  const items = estimate.data?.items ?? [];
  const oneCurrency = new Set(items.map((item) => item.currency)).size <= 1;
  const narrow = !Grid.useBreakpoint().md;

  return (
    <Card
      data-testid="price-calculator"
      size={narrow ? 'small' : 'default'}
      title={
        <Flex gap={8} align="center">
          <CalculatorOutlined />
          <span>{t('commerce.calculator.title')}</span>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('commerce.calculator.intro')}</Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Row gutter={16}>
          <Col xs={24} sm={10} md={8}>
            <Form.Item label={t('commerce.calculator.months')} extra={t('commerce.calculator.monthsHint', { max: ESTIMATE_LIMITS.months.max })}>
              <InputNumber
                min={ESTIMATE_LIMITS.months.min}
                max={ESTIMATE_LIMITS.months.max}
                precision={0}
                value={months}
                onChange={(value) => setMonths(typeof value === 'number' ? value : ESTIMATE_LIMITS.months.min)}
                style={{ width: '100%' }}
                data-testid="calculator-months"
              />
            </Form.Item>
          </Col>
          {/* Usage matters only to usage-priced offers: without any, the field would only mislead. */}
          {units.length > 0 ? (
          <Col xs={24} sm={14} md={10}>
            <Form.Item
              label={t('commerce.calculator.quantity')}
              extra={
                t('commerce.calculator.quantityHint', { units: units.map((unit) => t(`commerce.vocab.units.${unit}`)).join(t('commerce.calculator.unitSeparator')) })
              }
            >
              <InputNumber
                min={ESTIMATE_LIMITS.quantity.min}
                max={ESTIMATE_LIMITS.quantity.max}
                precision={0}
                step={10_000}
                value={quantity}
                onChange={(value) => setQuantity(typeof value === 'number' ? value : 0)}
                formatter={(value) => (value === undefined ? '' : formatCount(Number(value), i18n.language))}
                parser={(text) => Number((text ?? '').replace(/[^\d]/g, '') || 0)}
                style={{ width: '100%' }}
                data-testid="calculator-quantity"
              />
            </Form.Item>
          </Col>
          ) : (
            <Col xs={24} sm={14} md={16}>
              <Typography.Paragraph type="secondary" style={{ marginTop: 30 }} data-testid="calculator-no-usage">
                {t('commerce.calculator.quantityUnused')}
              </Typography.Paragraph>
            </Col>
          )}
        </Row>
      </Form>
      {estimate.isPending ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : estimate.isError ? (
        <Alert type="error" showIcon title={describeApiError(estimate.error, t)} />
      ) : (
        <Flex vertical gap={16} data-testid="calculator-result" data-months={estimate.data.months} data-quantity={estimate.data.quantityPerMonth}>
          <Typography.Text strong>
            {units.length > 0
              ? t('commerce.calculator.summary', { count: estimate.data.months, quantity: formatCount(estimate.data.quantityPerMonth, i18n.language) })
              : t('commerce.calculator.summaryNoUsage', { count: estimate.data.months })}
          </Typography.Text>
          {oneCurrency && items.length > 0 ? (
            <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 160 }} />}>
              <EstimateChart items={items} />
            </Suspense>
          ) : null}
          <EstimateTable items={items} />
        </Flex>
      )}
    </Card>
  );
}

/** The estimates: a table on wide screens, one block per offer on phones (no sideways scrolling). */
function EstimateTable({ items }: { items: OfferEstimate[] }) {
  const narrow = !Grid.useBreakpoint().md;
  return narrow ? <EstimateList items={items} /> : <EstimateColumns items={items} />;
}

const rowAttributes = (item: OfferEstimate) => ({ 'data-testid': 'estimate-row', 'data-offer-id': item.offerId, 'data-total': item.total, 'data-trial-days': item.trialDays }) as HTMLAttributes<HTMLElement>;

function OfferName({ item, cheapest }: { item: OfferEstimate; cheapest: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
        {bilingual(item.nameZh, item.nameEn, i18n.language)}
      </Typography.Text>
      {cheapest ? (
        <Tag color="green" style={{ alignSelf: 'flex-start' }} data-testid="estimate-cheapest">
          {t('commerce.calculator.cheapest')}
        </Tag>
      ) : null}
    </Flex>
  );
}

/** The total, and what a free trial took off it. */
function EstimateTotal({ item }: { item: OfferEstimate }) {
  const { t, i18n } = useTranslation();
  return (
    <Flex vertical gap={0} align="flex-end" style={{ textAlign: 'end' }}>
      <Money amount={item.total} currency={item.currency} strong testId="estimate-total" />
      {item.trialSavings > 0 ? (
        <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="estimate-trial-savings" data-amount={item.trialSavings}>
          {t('commerce.calculator.trialSaves', { amount: formatMoney(item.trialSavings, item.currency, i18n.language) })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

/**
 * What each period costs: with a free trial, the first days cost nothing and the paid periods
 * follow ("first 14 days free, then ¥1,200.00 a month; 12 paid months after the trial").
 */
export function PeriodSummary({ item }: { item: OfferEstimate }) {
  const { t, i18n } = useTranslation();
  if (!item.interval) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const amount = formatMoney(item.perPeriod, item.currency, i18n.language);
  if (item.trialDays === 0) {
    return (
      <Flex vertical gap={0}>
        <Typography.Text data-amount={item.perPeriod}>{t(`commerce.calculator.everyPeriod.${item.interval}`, { amount })}</Typography.Text>
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
          {t(`commerce.calculator.periods.${item.interval}`, { count: item.periods })}
        </Typography.Text>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={2} align="flex-start" data-testid="estimate-trial" data-trial-days={item.trialDays}>
      <Tag color="green" style={{ marginInlineEnd: 0 }}>
        {t('commerce.calculator.trialFirst', { count: item.trialDays })}
      </Tag>
      <Typography.Text data-testid="estimate-after-trial" data-amount={item.perPeriod}>
        {t(`commerce.calculator.afterTrial.${item.interval}`, { amount })}
      </Typography.Text>
      <Typography.Text type="secondary">
        {item.periods === 0 ? t('commerce.calculator.trialCoversAll') : t(`commerce.calculator.paidAfterTrial.${item.interval}`, { count: item.periods })}
      </Typography.Text>
    </Flex>
  );
}

function EstimateLines({ item }: { item: OfferEstimate }) {
  const { t, i18n } = useTranslation();
  if (item.lines.length === 0) return <Typography.Text type="secondary">{t('commerce.calculator.noCharges')}</Typography.Text>;
  return (
    <Flex vertical gap={2} style={{ minWidth: 0, maxWidth: 420 }} data-testid="estimate-lines">
      {item.lines.map((line, index) => (
        <Flex key={index} justify="space-between" gap={12}>
          <Typography.Text type="secondary" style={{ minWidth: 0 }}>
            {pairText(line.description, i18n.language)}
          </Typography.Text>
          <Money amount={line.amount} currency={item.currency} />
        </Flex>
      ))}
    </Flex>
  );
}

function EstimateColumns({ items }: { items: OfferEstimate[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<OfferEstimate> = [
    {
      key: 'offer',
      title: t('commerce.calculator.offer'),
      render: (_, item, index) => (
        <div style={{ minWidth: 140, maxWidth: 240 }}>
          <OfferName item={item} cheapest={index === 0} />
        </div>
      ),
    },
    { key: 'total', title: t('commerce.calculator.total'), align: 'end', render: (_, item) => <EstimateTotal item={item} /> },
    { key: 'oneTime', title: t('commerce.calculator.oneTime'), render: (_, item) => <Money amount={item.oneTime} currency={item.currency} /> },
    { key: 'perPeriod', title: t('commerce.calculator.perPeriod'), render: (_, item) => <PeriodSummary item={item} /> },
    {
      key: 'lines',
      title: t('commerce.calculator.breakdown'),
      render: (_, item) => (
        <div style={{ minWidth: 220 }}>
          <EstimateLines item={item} />
        </div>
      ),
    },
  ];
  return (
    <Table<OfferEstimate>
      data-testid="estimate-table"
      size="small"
      rowKey="offerId"
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={columns}
      dataSource={items}
      onRow={rowAttributes}
    />
  );
}

function EstimateList({ items }: { items: OfferEstimate[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex vertical gap={8} data-testid="estimate-table">
      {items.map((item, index) => (
        <Flex key={item.offerId} vertical gap={8} style={{ border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG, padding: 12 }} {...rowAttributes(item)}>
          <Flex justify="space-between" align="flex-start" gap={12}>
            <OfferName item={item} cheapest={index === 0} />
            <EstimateTotal item={item} />
          </Flex>
          {item.interval ? <PeriodSummary item={item} /> : null}
          {item.oneTime > 0 ? (
            <Flex justify="space-between" gap={12}>
              <Typography.Text type="secondary">{t('commerce.calculator.oneTime')}</Typography.Text>
              <Money amount={item.oneTime} currency={item.currency} />
            </Flex>
          ) : null}
          {item.lines.length > 0 ? (
            <div style={{ borderTop: `1px solid ${token.colorBorderSecondary}`, paddingTop: 8 }}>
              <EstimateLines item={item} />
            </div>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}
