import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, Segmented, Skeleton, Table, Tag, Typography, theme, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from '../commerce/money';
import { DateTime } from '../components/date-time';
import { formatCount, formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { fetchAgeing, financeKeys } from './finance-api';
import { ageingBuckets, ageingColors, currenciesByWeight } from './finance-format';
import type { AgeingBucket, AgeingInvoice } from './finance-types';
import { Amount, LoadFailed, MoneyStatistic, useNarrow } from './finance-ui';
import { useMoneyAxis } from './money-axis';

/** Money buyers owe: open invoices by days past due, the oldest first. */
export function ReceivablesPage() {
  const { t, i18n } = useTranslation();
  const ageing = useQuery({ queryKey: financeKeys.ageing, queryFn: fetchAgeing });
  const [chosenCurrency, setChosenCurrency] = useState<string | null>(null);
  const narrow = useNarrow();
  const buckets = ageing.data?.buckets ?? [];
  const invoices = ageing.data?.invoices ?? [];
  const openCredits = ageing.data?.openCredits ?? [];
  const currencies = currenciesByWeight(buckets, (bucket) => bucket.currency, (bucket) => bucket.outstanding);
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? 'CNY');

  const columns: TableColumnsType<AgeingInvoice> = [
    {
      key: 'number',
      title: t('finance.receivables.invoice'),
      fixed: 'left',
      render: (_, invoice) => (
        <span style={{ display: 'inline-block', maxWidth: narrow ? 150 : undefined }}>
          <Link to={`/console/finance/ledger?tab=journal&invoiceId=${invoice.id}`} style={{ whiteSpace: 'nowrap' }} data-testid="receivable-invoice-link">
            {invoice.number}
          </Link>
          {narrow ? (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {invoice.buyerName}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    { key: 'buyer', title: t('finance.receivables.buyer'), responsive: ['md'], render: (_, invoice) => <span style={{ display: 'inline-block', minWidth: 120, maxWidth: 240 }}>{invoice.buyerName}</span> },
    { key: 'outstanding', title: t('finance.receivables.outstanding'), align: 'right', render: (_, invoice) => <Amount value={invoice.outstanding} currency={invoice.currency} strong testId="receivable-outstanding" /> },
    { key: 'due', title: t('finance.receivables.dueAt'), render: (_, invoice) => <span style={{ whiteSpace: 'nowrap' }}>{invoice.dueAt ? formatDate(invoice.dueAt, i18n.language) : t('common.none')}</span> },
    {
      key: 'overdue',
      title: t('finance.receivables.daysOverdue'),
      align: 'right',
      render: (_, invoice) => (invoice.daysOverdue > 0 ? <Typography.Text type="danger">{formatCount(invoice.daysOverdue, i18n.language)}</Typography.Text> : t('common.none')),
    },
    {
      key: 'bucket',
      title: t('finance.receivables.bucket'),
      responsive: ['sm'],
      render: (_, invoice) => (
        <Tag color={ageingColors[invoice.bucket as AgeingBucket['bucket']] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="receivable-bucket" data-value={invoice.bucket}>
          {t(`finance.receivables.buckets.${invoice.bucket as AgeingBucket['bucket']}`)}
        </Tag>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('finance.receivables.title')} description={t('finance.receivables.description')} />
      {ageing.isError ? (
        <LoadFailed error={ageing.error} />
      ) : ageing.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16} data-testid="receivables-report">
          <Card size="small">
            <Flex wrap gap={16}>
              {currencies.map((code) => (
                <MoneyStatistic
                  key={code}
                  title={t('finance.receivables.totalOutstanding', { currency: code })}
                  value={buckets.filter((bucket) => bucket.currency === code).reduce((sum, bucket) => sum + bucket.outstanding, 0)}
                  currency={code}
                  testId="receivables-total"
                />
              ))}
              {currencies.map((code) => {
                const overdue = buckets.filter((bucket) => bucket.currency === code && bucket.bucket !== 'current').reduce((sum, bucket) => sum + bucket.outstanding, 0);
                return (
                  <MoneyStatistic
                    key={`overdue-${code}`}
                    title={t('finance.receivables.totalOverdue', { currency: code })}
                    value={overdue}
                    currency={code}
                    color={overdue > 0 ? ageingColors['61-90'] : undefined}
                    testId="receivables-overdue"
                  />
                );
              })}
              <div style={{ flex: '1 1 150px' }}>
                <Typography.Text type="secondary">{t('finance.receivables.openInvoices')}</Typography.Text>
                <div style={{ fontSize: 20 }} data-testid="receivables-count">
                  {formatCount(invoices.length, i18n.language)}
                </div>
              </div>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('finance.receivables.asOf')} <DateTime value={ageing.data.asOf} />
            </Typography.Text>
          </Card>
          <Card
            size="small"
            title={t('finance.receivables.chartTitle')}
            extra={currencies.length > 1 ? <Segmented size="small" value={currency} onChange={(value) => setChosenCurrency(String(value))} options={currencies} /> : null}
          >
            {buckets.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.receivables.none')} data-testid="receivables-empty" />
            ) : (
              <AgeingChart buckets={buckets.filter((bucket) => bucket.currency === currency)} currency={currency} />
            )}
          </Card>
          {openCredits.length ? (
            <Card
              size="small"
              title={t('finance.receivables.openCredits', { count: openCredits.length })}
              extra={<Link to="/console/finance/invoices?kind=credit_note&status=open">{t('finance.receivables.refundCredits')}</Link>}
              data-testid="receivables-open-credits"
            >
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
                {t('finance.receivables.openCreditsHint')}
              </Typography.Paragraph>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={openCredits}
                onRow={(credit) => ({ 'data-testid': 'open-credit-row', 'data-number': credit.number }) as HTMLAttributes<HTMLElement>}
                columns={[
                  { key: 'number', title: t('commerce.credits.creditNote'), render: (_, credit) => <span style={{ whiteSpace: 'nowrap' }}>{credit.number}</span> },
                  { key: 'buyer', title: t('finance.receivables.buyer'), render: (_, credit) => credit.buyerName },
                  { key: 'amount', title: t('commerce.credits.left'), align: 'right', render: (_, credit) => <Amount value={credit.amount} currency={credit.currency} strong testId="open-credit-amount" /> },
                  { key: 'issued', title: t('commerce.invoices.issued'), render: (_, credit) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(credit.issuedAt, i18n.language)}</span> },
                ]}
              />
            </Card>
          ) : null}
          <Table<AgeingInvoice>
            data-testid="receivables-table"
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={invoices}
            pagination={invoices.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            onRow={(invoice) => ({ 'data-testid': 'receivable-row', 'data-invoice-number': invoice.number, 'data-bucket': invoice.bucket }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.receivables.none')} /> }}
          />
        </Flex>
      )}
    </>
  );
}

function AgeingChart({ buckets, currency }: { buckets: AgeingBucket[]; currency: string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const byName = new Map(buckets.map((bucket) => [bucket.bucket, bucket]));
  const narrow = useNarrow();
  const data = ageingBuckets.map((name) => ({ name, label: narrow ? t(`finance.receivables.bucketsShort.${name}`) : t(`finance.receivables.buckets.${name}`), outstanding: byName.get(name)?.outstanding ?? 0, invoices: byName.get(name)?.invoices ?? 0 }));
  const tick = { fontSize: 12, fill: token.colorTextSecondary };
  const amountAxis = useMoneyAxis('y', currency, i18n.language);
  return (
    <div data-testid="ageing-chart" data-currency={currency} role="img" aria-label={t('finance.receivables.chartTitle')}>
      <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 640, height: 240 }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
          <XAxis dataKey="label" tick={tick} interval={0} />
          <YAxis tickFormatter={amountAxis.format} tick={tick} width="auto" />
          {amountAxis.probe}
          <Tooltip
            formatter={(value, _name, item) => [
              `${formatMoney(Number(value), currency, i18n.language)} · ${t('finance.receivables.invoiceCount', { count: (item.payload as { invoices: number }).invoices })}`,
              t('finance.receivables.outstanding'),
            ]}
            cursor={{ fill: token.colorFillTertiary }}
          />
          <Bar dataKey="outstanding" isAnimationActive={false} radius={[3, 3, 0, 0]} minPointSize={0}>
            {data.map((entry) => (
              <Cell key={entry.name} fill={ageingColors[entry.name]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
