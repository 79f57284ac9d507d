import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Result, Skeleton, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { fetchReconciliation, financeKeys } from './finance-api';
import type { ProviderTotal, ReconciliationIssue, ReconciliationReport } from './finance-types';
import { Amount, LoadFailed } from './finance-ui';

const PROVIDERS = ['offline', 'stripe'] as const;

/**
 * The currency of an issue's amounts: written in the reference of a provider total
 * ("offline:CNY"); otherwise the report's only currency. Null when it cannot be told (the
 * amounts are then shown as minor units), and for the count of unbalanced entries.
 */
export function issueCurrency(issue: ReconciliationIssue, report: Pick<ReconciliationReport, 'providers'>): string | null {
  if (issue.currency) return issue.currency;
  if (issue.kind === 'unbalanced_entry') return null;
  const written = /:([A-Z]{3})$/.exec(issue.reference)?.[1];
  if (written) return written;
  const currencies = [...new Set(report.providers.map((total) => total.currency))];
  return currencies.length === 1 ? (currencies[0] ?? null) : null;
}

/** The ledger checked against the payment and refund records: agreed or every difference listed. */
export function ReconciliationPage() {
  const { t, i18n } = useTranslation();
  const report = useQuery({ queryKey: financeKeys.reconciliation, queryFn: fetchReconciliation });
  const data = report.data;

  const providerName = (provider: string) => ((PROVIDERS as readonly string[]).includes(provider) ? t(`commerce.vocab.providers.${provider as (typeof PROVIDERS)[number]}`) : provider);
  const providerColumns: TableColumnsType<ProviderTotal> = [
    { key: 'provider', title: t('finance.reconciliation.provider'), render: (_, total) => <span style={{ whiteSpace: 'nowrap' }}>{providerName(total.provider)}</span> },
    { key: 'currency', title: t('finance.reconciliation.currency'), dataIndex: 'currency', responsive: ['md'] },
    { key: 'providerNet', title: t('finance.reconciliation.providerNet'), align: 'right', render: (_, total) => <Amount value={total.providerNet} currency={total.currency} testId="provider-net" /> },
    { key: 'ledgerNet', title: t('finance.reconciliation.ledgerNet'), align: 'right', render: (_, total) => <Amount value={total.ledgerNet} currency={total.currency} testId="ledger-net" /> },
    { key: 'difference', title: t('finance.reconciliation.difference'), align: 'right', render: (_, total) => <Amount value={total.ledgerNet - total.providerNet} currency={total.currency} /> },
    {
      key: 'status',
      title: t('finance.reconciliation.status'),
      render: (_, total) =>
        total.providerNet === total.ledgerNet ? (
          <Tag color="green" style={{ marginInlineEnd: 0 }}>{t('finance.reconciliation.agrees')}</Tag>
        ) : (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>{t('finance.reconciliation.differs')}</Tag>
        ),
    },
  ];

  const amount = (issue: ReconciliationIssue, value: number | null) => {
    if (value === null) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
    const currency = data ? issueCurrency(issue, data) : null;
    return currency ? <Amount value={value} currency={currency} /> : formatCount(value, i18n.language);
  };
  const issueColumns: TableColumnsType<ReconciliationIssue> = [
    {
      key: 'kind',
      title: t('finance.reconciliation.issueKind'),
      render: (_, issue) => (
        <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="issue-kind" data-value={issue.kind}>
          {t(`finance.reconciliation.issueKinds.${issue.kind}`)}
        </Tag>
      ),
    },
    { key: 'reference', title: t('finance.reconciliation.reference'), render: (_, issue) => <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{issue.reference}</Typography.Text> },
    {
      key: 'message',
      title: t('finance.reconciliation.message'),
      render: (_, issue) => (
        <span style={{ display: 'inline-block', minWidth: 200, maxWidth: 360 }}>
          {t(`finance.reconciliation.issueHelp.${issue.kind}`)}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {issue.message}
          </Typography.Text>
        </span>
      ),
    },
    { key: 'expected', title: t('finance.reconciliation.expected'), align: 'right', render: (_, issue) => amount(issue, issue.expected) },
    { key: 'actual', title: t('finance.reconciliation.actual'), align: 'right', render: (_, issue) => amount(issue, issue.actual) },
  ];

  return (
    <>
      <PageHeader
        title={t('finance.reconciliation.title')}
        description={t('finance.reconciliation.description')}
        extra={
          <Button icon={<ReloadOutlined />} loading={report.isFetching} onClick={() => void report.refetch()} data-testid="reconciliation-rerun">
            {t('finance.reconciliation.rerun')}
          </Button>
        }
      />
      {report.isError ? (
        <LoadFailed error={report.error} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16} data-testid="reconciliation-report" data-matched={String(data.matched)} data-issues={data.issues.length}>
          <Card size="small">
            <Result
              style={{ padding: '16px 8px' }}
              status={data.matched ? 'success' : 'error'}
              icon={data.matched ? <CheckCircleFilled /> : <CloseCircleFilled />}
              title={<span data-testid="reconciliation-status">{data.matched ? t('finance.reconciliation.matched') : t('finance.reconciliation.unmatched', { count: data.issues.length })}</span>}
              subTitle={data.matched ? t('finance.reconciliation.matchedHelp') : t('finance.reconciliation.unmatchedHelp')}
            />
            <Flex wrap gap={16} justify="center">
              <Statistic title={t('finance.reconciliation.paymentsChecked')} value={data.paymentsChecked} formatter={(value) => formatCount(Number(value), i18n.language)} style={{ flex: '1 1 100px', maxWidth: 200, textAlign: 'center' }} data-testid="reconciliation-payments" />
              <Statistic title={t('finance.reconciliation.invoicesChecked')} value={data.invoicesChecked} formatter={(value) => formatCount(Number(value), i18n.language)} style={{ flex: '1 1 100px', maxWidth: 200, textAlign: 'center' }} data-testid="reconciliation-invoices" />
              <Statistic
                title={t('finance.reconciliation.issues')}
                value={data.issues.length}
                formatter={(value) => formatCount(Number(value), i18n.language)}
                styles={{ content: { color: data.issues.length ? '#cf1322' : undefined } }}
                style={{ flex: '1 1 100px', maxWidth: 200, textAlign: 'center' }}
              />
            </Flex>
          </Card>
          <Card size="small" title={t('finance.reconciliation.providersTitle')}>
            <Table<ProviderTotal>
              data-testid="reconciliation-providers"
              size="small"
              rowKey={(total) => `${total.provider}|${total.currency}`}
              columns={providerColumns}
              dataSource={data.providers}
              pagination={false}
              scroll={{ x: 'max-content' }}
              onRow={(total) => ({ 'data-testid': 'provider-row', 'data-provider': total.provider, 'data-agrees': String(total.providerNet === total.ledgerNet) }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.reconciliation.noPayments')} /> }}
            />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {t('finance.reconciliation.providersNote')}
            </Typography.Paragraph>
          </Card>
          {data.providerRecords && (
            <Card size="small" title={t('finance.reconciliation.stripeTitle')} data-testid="reconciliation-stripe" data-matched={data.providerRecords.matched} data-movements={data.providerRecords.movements}>
              {data.providerRecords.error ? (
                <Typography.Text type="danger">{t('finance.reconciliation.stripeUnreachable', { error: data.providerRecords.error })}</Typography.Text>
              ) : (
                <Flex wrap gap={16} justify="center">
                  <Statistic title={t('finance.reconciliation.stripeMovements')} value={data.providerRecords.movements} formatter={(value) => formatCount(Number(value), i18n.language)} style={{ flex: '1 1 100px', maxWidth: 200, textAlign: 'center' }} />
                  <Statistic title={t('finance.reconciliation.stripeMatched')} value={data.providerRecords.matched} formatter={(value) => formatCount(Number(value), i18n.language)} style={{ flex: '1 1 100px', maxWidth: 200, textAlign: 'center' }} />
                  {data.providerRecords.totals.map((total) => (
                    <Flex key={total.currency} vertical align="center" style={{ flex: '1 1 160px', maxWidth: 260 }} data-testid="stripe-total" data-currency={total.currency} data-agrees={String(total.provider === total.recorded)}>
                      <Typography.Text type="secondary">{t('finance.reconciliation.stripeProvider')} / {t('finance.reconciliation.stripeRecorded')}</Typography.Text>
                      <span>
                        <Amount value={total.provider} currency={total.currency} /> / <Amount value={total.recorded} currency={total.currency} />
                      </span>
                    </Flex>
                  ))}
                </Flex>
              )}
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
                {t('finance.reconciliation.stripeNote')}
              </Typography.Paragraph>
            </Card>
          )}
          <Card size="small" title={t('finance.reconciliation.issuesTitle', { count: data.issues.length })}>
            {data.issues.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.reconciliation.noIssues')} data-testid="reconciliation-no-issues" />
            ) : (
              <Table<ReconciliationIssue>
                data-testid="reconciliation-issues"
                size="small"
                rowKey={(issue, index) => `${issue.kind}|${issue.reference}|${index}`}
                columns={issueColumns}
                dataSource={data.issues}
                pagination={data.issues.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                scroll={{ x: 'max-content' }}
                onRow={(issue) => ({ 'data-testid': 'issue-row', 'data-kind': issue.kind }) as HTMLAttributes<HTMLElement>}
              />
            )}
          </Card>
        </Flex>
      )}
    </>
  );
}
