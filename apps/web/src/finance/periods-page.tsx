import { LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Empty, Flex, Form, Input, Modal, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { fetchPeriods, financeKeys } from './finance-api';
import { FinanceErrorAlert } from './finance-errors';
import { formatPeriod, isPeriod, shiftPeriod } from './finance-format';
import type { PeriodSummary } from './finance-types';
import { Amount, LoadFailed, useNarrow } from './finance-ui';

/** Whether a period may be signed off: it has ended and is still open. */
export function isClosable(period: PeriodSummary, currentPeriod: string): boolean {
  return !period.closed && period.period < currentPeriod;
}

/**
 * The periods the API lists (those with entries or a close, and the current one), plus last
 * month when it had no entries: it still has to be closed.
 */
export function withPreviousPeriod(items: PeriodSummary[], currentPeriod: string): PeriodSummary[] {
  if (!isPeriod(currentPeriod)) return items;
  const previous = shiftPeriod(currentPeriod, -1);
  if (items.some((item) => item.period === previous)) return items;
  const quiet: PeriodSummary = { period: previous, entries: 0, netRevenue: {}, closed: false, closedAt: null, closedBy: null, note: null };
  return [...items, quiet].sort((a, b) => b.period.localeCompare(a.period));
}

/** Accounting periods: their activity and net revenue, and the monthly close that locks them (finance analysts only). */
export function PeriodsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canClose = hasPermission(me.permissions, 'finance:manage');
  const periods = useQuery({ queryKey: financeKeys.periods, queryFn: fetchPeriods });
  const [closing, setClosing] = useState<PeriodSummary | null>(null);
  const narrow = useNarrow();
  const current = periods.data?.currentPeriod ?? '';
  const items = withPreviousPeriod(periods.data?.items ?? [], current);

  const statusTag = (period: PeriodSummary) =>
    period.closed ? (
      <Tag icon={<LockOutlined />} color="default" style={{ marginInlineEnd: 0 }} data-testid="period-status" data-value="closed">
        {t('finance.periods.closed')}
      </Tag>
    ) : period.period === current ? (
      <Tag icon={<UnlockOutlined />} color="blue" style={{ marginInlineEnd: 0 }} data-testid="period-status" data-value="current">
        {t('finance.periods.current')}
      </Tag>
    ) : (
      <Tag icon={<UnlockOutlined />} color="gold" style={{ marginInlineEnd: 0 }} data-testid="period-status" data-value="open">
        {t('finance.periods.open')}
      </Tag>
    );

  // On phones the status and the close go under the period; the net revenue and the action stay in view.
  const columns: TableColumnsType<PeriodSummary> = [
    {
      key: 'period',
      title: t('finance.periods.period'),
      fixed: 'left',
      render: (_, period) => (
        <Flex vertical gap={4} align="flex-start" style={narrow ? { maxWidth: 170 } : undefined}>
          <Link to={`/console/finance/ledger?tab=journal&period=${period.period}`} style={{ whiteSpace: 'nowrap' }} data-testid="period-journal-link">
            {formatPeriod(period.period, i18n.language, 'long')}
          </Link>
          {narrow ? statusTag(period) : null}
          {narrow && period.closed ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {period.closedBy ?? ''} · <DateTime value={period.closedAt} />
              {period.note ? ` · ${period.note}` : ''}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { key: 'status', title: t('finance.periods.status'), responsive: ['md'], render: (_, period) => statusTag(period) },
    {
      key: 'net',
      title: t('finance.periods.netRevenue'),
      align: 'right',
      render: (_, period) => {
        const amounts = Object.entries(period.netRevenue);
        if (amounts.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
        return (
          <Flex vertical align="flex-end">
            {amounts.map(([currency, amount]) => (
              <Amount key={currency} value={amount} currency={currency} strong testId="period-net" />
            ))}
          </Flex>
        );
      },
    },
    { key: 'entries', title: t('finance.periods.entries'), align: 'right', responsive: ['sm'], render: (_, period) => <span data-testid="period-entries">{formatCount(period.entries, i18n.language)}</span> },
    {
      key: 'closedBy',
      title: t('finance.periods.closedBy'),
      responsive: ['md'],
      render: (_, period) =>
        period.closed ? (
          <span style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>
            {period.closedBy ?? t('common.none')}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              <DateTime value={period.closedAt} />
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    {
      key: 'note',
      title: t('finance.periods.note'),
      responsive: ['md'],
      render: (_, period) => (period.note ? <span style={{ display: 'inline-block', minWidth: 120, maxWidth: 280 }}>{period.note}</span> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>),
    },
  ];
  if (canClose) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, period) =>
        isClosable(period, current) ? (
          <Button size="small" type="primary" icon={<LockOutlined />} onClick={() => setClosing(period)} data-testid={`period-close-${period.period}`}>
            {t('finance.periods.close')}
          </Button>
        ) : null,
    });
  }

  return (
    <>
      <PageHeader title={t('finance.periods.title')} description={canClose ? t('finance.periods.description') : t('finance.periods.descriptionReadOnly')} />
      {canClose ? null : <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('finance.periods.readOnly')} data-testid="periods-read-only" />}
      {periods.isError ? (
        <LoadFailed error={periods.error} />
      ) : (
        <Table<PeriodSummary>
          data-testid="periods-table"
          size="small"
          rowKey="period"
          loading={periods.isPending}
          columns={columns}
          dataSource={items}
          pagination={items.length > 24 ? { pageSize: 24, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          onRow={(period) => ({ 'data-testid': 'period-row', 'data-period': period.period, 'data-closed': String(period.closed) }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.periods.empty')} /> }}
        />
      )}
      {closing ? <ClosePeriodModal key={closing.period} period={closing} onClose={() => setClosing(null)} /> : null}
    </>
  );
}

function ClosePeriodModal({ period, onClose }: { period: PeriodSummary; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const label = formatPeriod(period.period, i18n.language, 'long');
  const close = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/finance/periods/{period}/close', { params: { path: { period: period.period } }, body: note.trim() ? { note: note.trim() } : {} })),
    onSuccess: async (list) => {
      queryClient.setQueryData(financeKeys.periods, list);
      await queryClient.invalidateQueries({ queryKey: financeKeys.all });
      void message.success(t('finance.periods.closedMessage', { period: label }));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('finance.periods.closeTitle', { period: label })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose} data-testid="period-close-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="primary" danger icon={<LockOutlined />} loading={close.isPending} onClick={() => close.mutate()} data-testid="period-close-confirm">
            {t('finance.periods.closeConfirm', { period: label })}
          </Button>
        </>
      }
    >
      {close.isError ? <FinanceErrorAlert error={close.error} period={label} testId="period-close-error" /> : null}
      <Typography.Paragraph>{t('finance.periods.closeExplanation', { period: label })}</Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          ...Object.entries(period.netRevenue).map(([currency, amount]) => ({ key: `net-${currency}`, label: t('finance.periods.netRevenue'), children: <Amount value={amount} currency={currency} strong /> })),
          { key: 'entries', label: t('finance.periods.entries'), children: formatCount(period.entries, i18n.language) },
        ]}
      />
      <Form layout="vertical">
        <Form.Item label={t('finance.periods.note')} extra={t('finance.periods.noteHint')}>
          <Input.TextArea rows={3} maxLength={1000} showCount value={note} onChange={(event) => setNote(event.target.value)} data-testid="period-close-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
