import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, Segmented, Skeleton, Table, Typography, theme, type TableColumnsType } from 'antd';
import { DateTime } from '../components/date-time';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useMe } from '../auth/auth-context';
import { bilingual } from '../commerce/commerce-display';
import { formatMoney } from '../commerce/money';
import { formatCount } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { fetchOwnSettlements, fetchStatement, financeKeys } from './finance-api';
import { currenciesByWeight, formatPeriod, isPeriod, periodsBetween, shareColors, sumByCurrency } from './finance-format';
import type { Settlement, StatementLine } from './finance-types';
import { Amount, defaultPeriodRange, LoadFailed, MoneyStatistic, PeriodRangePicker, useNarrow } from './finance-ui';
import { useMoneyAxis } from './money-axis';
import { SettlementStatusTag, StatementDownloads } from './settlement-ui';

/**
 * A seller's own statement: a vendor's earnings (its share of each payment for its products), an
 * agency's royalties (its share for products built on its datasets), by period, and what the
 * platform owes it now.
 */
export function StatementPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const defaults = defaultPeriodRange();
  const from = params.get('from');
  const to = params.get('to');
  const range = isPeriod(from) && isPeriod(to) && from <= to ? { from, to } : defaults;
  const statement = useQuery({ queryKey: financeKeys.statement(range.from, range.to), queryFn: () => fetchStatement(range.from, range.to), placeholderData: (previous) => previous });
  const [chosenCurrency, setChosenCurrency] = useState<string | null>(null);
  const narrow = useNarrow();
  // The role comes with the statement; until it answers, the organization's kind tells.
  const agency = (statement.data?.role ?? (me.organization.kind === 'agency' ? 'agency' : 'vendor')) === 'agency';
  const lines = statement.data?.lines ?? [];
  const balances = statement.data?.balances ?? [];
  const earned = sumByCurrency(lines, (line) => line.currency, (line) => line.amount);
  const currencies = currenciesByWeight(lines, (line) => line.currency, (line) => line.amount);
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? 'CNY');
  const color = agency ? shareColors.agencies : shareColors.vendors;

  const byPeriod = new Map<string, number>();
  for (const line of lines) if (line.currency === currency) byPeriod.set(line.period, (byPeriod.get(line.period) ?? 0) + line.amount);
  const chartData = periodsBetween(range.from, range.to).map((period) => ({ period, amount: byPeriod.get(period) ?? 0 }));
  const tick = { fontSize: 12, fill: token.colorTextSecondary };
  const amountAxis = useMoneyAxis('y', currency, i18n.language);

  const columns: TableColumnsType<StatementLine> = [
    { key: 'period', title: t('finance.statement.period'), render: (_, line) => <span style={{ whiteSpace: 'nowrap' }}>{formatPeriod(line.period, i18n.language, narrow ? 'short' : 'long')}</span> },
    {
      key: 'product',
      title: t('finance.statement.product'),
      render: (_, line) => (
        <span style={{ display: 'inline-block', minWidth: 110, maxWidth: narrow ? 150 : 260 }}>
          {bilingual(line.productTitleZh, line.productTitleEn, i18n.language)}
          {narrow && agency && line.datasetId ? (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {bilingual(line.datasetTitleZh ?? '', line.datasetTitleEn ?? '', i18n.language)}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    ...(agency && !narrow
      ? [
          {
            key: 'dataset',
            title: t('finance.statement.dataset'),
            render: (_: unknown, line: StatementLine) =>
              line.datasetId ? (
                <span style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>{bilingual(line.datasetTitleZh ?? '', line.datasetTitleEn ?? '', i18n.language)}</span>
              ) : (
                <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
              ),
          },
        ]
      : []),
    { key: 'payments', title: t('finance.statement.payments'), align: 'right', responsive: ['md'], render: (_, line) => formatCount(line.payments, i18n.language) },
    { key: 'amount', title: agency ? t('finance.statement.royalty') : t('finance.statement.share'), align: 'right', render: (_, line) => <Amount value={line.amount} currency={line.currency} strong testId="statement-amount" /> },
  ];

  return (
    <>
      <PageHeader title={agency ? t('finance.statement.royaltiesTitle') : t('finance.statement.earningsTitle')} description={agency ? t('finance.statement.royaltiesDescription') : t('finance.statement.earningsDescription')} />
      <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
        <PeriodRangePicker value={range} onChange={(next) => setParams({ from: next.from, to: next.to })} />
      </Flex>
      {statement.isError ? (
        <LoadFailed error={statement.error} />
      ) : statement.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16} style={{ opacity: statement.isFetching ? 0.6 : 1, transition: 'opacity 0.2s' }} data-testid="statement" data-role={statement.data.role}>
          <Card size="small">
            <Flex wrap gap={16}>
              {(earned.length ? earned : [{ currency: 'CNY', amount: 0 }]).map((total) => (
                <MoneyStatistic
                  key={`earned-${total.currency}`}
                  title={agency ? t('finance.statement.royaltiesInRange') : t('finance.statement.earningsInRange')}
                  value={total.amount}
                  currency={total.currency}
                  color={color}
                  testId="statement-earned"
                />
              ))}
              {(balances.length ? balances : [{ account: '', currency: 'CNY', balance: 0 }]).map((balance) => (
                <MoneyStatistic key={`owed-${balance.account}-${balance.currency}`} title={agency ? t('finance.statement.owedAgency') : t('finance.statement.owed')} value={-balance.balance} currency={balance.currency} testId="statement-owed" />
              ))}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {agency ? t('finance.statement.owedHelpAgency') : t('finance.statement.owedHelpVendor')}
            </Typography.Text>
          </Card>
          <Card
            size="small"
            title={t('finance.statement.chartTitle')}
            extra={currencies.length > 1 ? <Segmented size="small" value={currency} onChange={(value) => setChosenCurrency(String(value))} options={currencies} /> : null}
          >
            {lines.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={agency ? t('finance.statement.emptyAgency') : t('finance.statement.emptyVendor')} data-testid="statement-empty" />
            ) : (
              <div data-testid="statement-chart" data-currency={currency} role="img" aria-label={t('finance.statement.chartTitle')}>
                <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 640, height: 240 }}>
                  <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
                    <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
                    <XAxis dataKey="period" tickFormatter={(period: string) => formatPeriod(period, i18n.language)} tick={tick} minTickGap={8} />
                    <YAxis tickFormatter={amountAxis.format} tick={tick} width="auto" />
                    {amountAxis.probe}
                    <Tooltip
                      labelFormatter={(period) => formatPeriod(String(period), i18n.language, 'long')}
                      formatter={(value) => [formatMoney(Number(value), currency, i18n.language), agency ? t('finance.statement.royalty') : t('finance.statement.share')]}
                      cursor={{ fill: token.colorFillTertiary }}
                    />
                    <Bar dataKey="amount" fill={color} isAnimationActive={false} radius={[3, 3, 0, 0]} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            )}
          </Card>
          <Table<StatementLine>
            data-testid="statement-table"
            size="small"
            rowKey={(line) => `${line.period}|${line.productId}|${line.datasetId ?? ''}|${line.currency}`}
            columns={columns}
            dataSource={lines}
            pagination={lines.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            onRow={(line) => ({ 'data-testid': 'statement-row', 'data-period': line.period, 'data-product-id': line.productId, 'data-amount': line.amount }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={agency ? t('finance.statement.emptyAgency') : t('finance.statement.emptyVendor')} /> }}
            summary={() =>
              earned.length === 0 ? null : (
                <Table.Summary>
                  {earned.map((total) => (
                    <Table.Summary.Row key={total.currency} data-testid="statement-summary">
                      <Table.Summary.Cell index={0} colSpan={columns.length - (narrow ? 2 : 1)}>
                        <Typography.Text strong>{t('finance.statement.total')}</Typography.Text>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={columns.length - (narrow ? 2 : 1)} align="right">
                        <Amount value={total.amount} currency={total.currency} strong />
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  ))}
                </Table.Summary>
              )
            }
          />
          <OwnSettlements agency={agency} />
        </Flex>
      )}
    </>
  );
}

/** The organization's own payouts (a vendor) or remittances (an agency), each with its statement. */
function OwnSettlements({ agency }: { agency: boolean }) {
  const { t, i18n } = useTranslation();
  const narrow = useNarrow();
  const settlements = useQuery({ queryKey: financeKeys.ownSettlements, queryFn: fetchOwnSettlements });
  const items = settlements.data?.items ?? [];
  const columns: TableColumnsType<Settlement> = [
    {
      key: 'period',
      title: t('finance.settlements.period'),
      render: (_, settlement) => (
        <Flex vertical gap={4} align="flex-start">
          <span style={{ whiteSpace: 'nowrap' }}>{formatPeriod(settlement.period, i18n.language, narrow ? 'short' : 'long')}</span>
          {narrow ? <SettlementStatusTag settlement={settlement} /> : null}
        </Flex>
      ),
    },
    { key: 'method', title: t('finance.settlements.method'), responsive: ['md'], render: (_, settlement) => <span style={{ whiteSpace: 'nowrap' }}>{t(`finance.settlements.methods.${settlement.method}`)}</span> },
    { key: 'status', title: t('finance.settlements.status'), responsive: ['md'], render: (_, settlement) => <SettlementStatusTag settlement={settlement} /> },
    { key: 'paidAt', title: t('finance.settlements.paidAt'), responsive: ['md'], render: (_, settlement) => <DateTime value={settlement.paidAt} empty={t('common.none')} /> },
    { key: 'amount', title: t('finance.settlements.amount'), align: 'right', render: (_, settlement) => <Amount value={settlement.amount} currency={settlement.currency} strong testId="own-settlement-amount" /> },
    { key: 'statement', title: t('finance.settlements.statement'), render: (_, settlement) => <StatementDownloads settlement={settlement} own /> },
  ];
  return (
    <Card size="small" title={agency ? t('finance.settlements.ownRemittances') : t('finance.settlements.ownPayouts')} data-testid="own-settlements">
      {settlements.isError ? (
        <LoadFailed error={settlements.error} />
      ) : (
        <Table<Settlement>
          data-testid="own-settlements-table"
          size="small"
          rowKey="id"
          loading={settlements.isPending}
          columns={columns}
          dataSource={items}
          pagination={items.length > 24 ? { pageSize: 24, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          onRow={(settlement) => ({ 'data-testid': 'own-settlement-row', 'data-status': settlement.status, 'data-period': settlement.period }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.settlements.ownEmpty')} /> }}
        />
      )}
    </Card>
  );
}
