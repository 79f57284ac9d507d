import { CheckOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, Modal, Select, Skeleton, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { applyValidationIssues } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { receivedAtOf } from '../pages/finance-invoices-page';
import { fetchSettlements, financeKeys } from './finance-api';
import { describeFinanceError } from './finance-errors';
import { formatPeriod, isPeriod, periodOf, shiftPeriod, sumByCurrency } from './finance-format';
import type { Settlement, SettlementKind } from './finance-types';
import { Amount, LoadFailed, MoneyStatistic, useNarrow } from './finance-ui';
import { SettlementKindTag, SettlementStatusTag, StatementDownloads } from './settlement-ui';

export const settlementKinds: readonly SettlementKind[] = ['payout', 'remittance'];

/** The ended months settlements can be prepared for: last month first, a year back. */
export function endedPeriods(now: Date = new Date(), count = 12): string[] {
  const current = periodOf(now);
  return Array.from({ length: count }, (_, index) => shiftPeriod(current, -(index + 1)));
}

/** Whether finance records the payment itself: a bank transfer or remittance still pending, or a Stripe transfer that failed. */
export function isMarkable(settlement: Pick<Settlement, 'method' | 'status'>): boolean {
  return settlement.status === 'failed' || (settlement.status === 'pending' && settlement.method !== 'stripe_transfer');
}

/** Settlement errors in the reader's language: the ones this page meets, then finance's and the console's usual wording. */
export function describeSettlementError(error: unknown, t: TFunction, period: string): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'billing.period_open':
        return t('finance.settlements.errors.periodOpen', { period });
      case 'billing.period_closed':
        return t('finance.settlements.errors.alreadyPaid');
      case 'billing.not_offline':
        return t('finance.settlements.errors.notOffline');
      case 'billing.settlement_not_found':
        return t('finance.settlements.errors.notFound');
    }
  }
  return describeFinanceError(error, t, { period });
}

/**
 * Settlements of an ended month: what each vendor is paid out and each agency's royalties
 * remitted (government non-tax revenue), with their statements. Finance analysts prepare
 * them and record the bank transfers and remittances; supervision follows.
 */
export function SettlementsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const canManage = hasPermission(me.permissions, 'finance:manage');
  const queryClient = useQueryClient();
  const narrow = useNarrow();
  const [params, setParams] = useSearchParams();
  const choices = endedPeriods();
  const requested = params.get('period');
  const period = isPeriod(requested) && requested < periodOf() ? requested : (choices[0] ?? periodOf());
  const label = formatPeriod(period, i18n.language, 'long');
  const settlements = useQuery({ queryKey: financeKeys.settlements(period), queryFn: () => fetchSettlements(period) });
  const [paying, setPaying] = useState<Settlement | null>(null);
  const items = settlements.data?.items ?? [];

  const prepare = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/finance/settlements/run', { body: { period } })),
    onSuccess: async (list) => {
      queryClient.setQueryData(financeKeys.settlements(period), list);
      await queryClient.invalidateQueries({ queryKey: financeKeys.all });
      void message.success(t('finance.settlements.prepared', { period: label, count: list.items.length }));
    },
  });

  const kindTag = (settlement: Settlement) => <SettlementKindTag kind={settlement.kind} />;
  const method = (settlement: Settlement) => t(`finance.settlements.methods.${settlement.method}`);

  const actions = (settlement: Settlement) => (
    <Flex gap={6} wrap align="center">
      <StatementDownloads settlement={settlement} />
      {canManage && isMarkable(settlement) ? (
        <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setPaying(settlement)} data-testid="settlement-mark-paid">
          {t('finance.settlements.markPaid')}
        </Button>
      ) : null}
    </Flex>
  );

  // On phones the kind, method, status, reference and the actions fold under the payee; the amount stays beside it.
  const columns: TableColumnsType<Settlement> = [
    {
      key: 'payee',
      title: t('finance.settlements.payee'),
      render: (_, settlement) => (
        <Flex vertical gap={4} align="flex-start" style={{ minWidth: narrow ? 0 : 160, maxWidth: narrow ? 210 : 280 }}>
          <span data-testid="settlement-payee">{settlement.organizationName}</span>
          {narrow ? (
            <>
              {kindTag(settlement)}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {method(settlement)}
                {settlement.providerReference ? ` · ${settlement.providerReference}` : ''}
              </Typography.Text>
              <SettlementStatusTag settlement={settlement} />
              {settlement.paidAt ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <DateTime value={settlement.paidAt} />
                </Typography.Text>
              ) : null}
              {actions(settlement)}
            </>
          ) : null}
        </Flex>
      ),
    },
    // The kind with how it is paid under it, the status with when: the table fits a 1366 px screen beside the menu.
    {
      key: 'kind',
      title: t('finance.settlements.kind'),
      responsive: ['md'],
      render: (_, settlement) => (
        <Flex vertical gap={2} align="flex-start">
          {kindTag(settlement)}
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="settlement-method">
            {method(settlement)}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'amount', title: t('finance.settlements.amount'), align: 'right', render: (_, settlement) => <Amount value={settlement.amount} currency={settlement.currency} strong testId="settlement-amount" /> },
    {
      key: 'status',
      title: t('finance.settlements.status'),
      responsive: ['md'],
      render: (_, settlement) => (
        <Flex vertical gap={2} align="flex-start">
          <SettlementStatusTag settlement={settlement} />
          {settlement.paidAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} title={settlement.paidAt} data-testid="settlement-paid-at">
              {formatDate(settlement.paidAt, i18n.language)}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'reference',
      title: t('finance.settlements.reference'),
      responsive: ['md'],
      render: (_, settlement) =>
        settlement.providerReference ? (
          <Typography.Text style={{ wordBreak: 'break-all', display: 'inline-block', maxWidth: 170 }} data-testid="settlement-reference">
            {settlement.providerReference}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    ...(narrow ? [] : [{ key: 'actions', title: t('common.actions'), fixed: 'right' as const, render: (_: unknown, settlement: Settlement) => actions(settlement) }]),
  ];

  const totals = settlementKinds.map((kind) => ({ kind, amounts: sumByCurrency(items.filter((item) => item.kind === kind), (item) => item.currency, (item) => item.amount) }));

  return (
    <>
      <PageHeader title={t('finance.settlements.title')} description={canManage ? t('finance.settlements.description') : t('finance.settlements.descriptionReadOnly')} />
      {canManage ? null : <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('finance.settlements.readOnly')} data-testid="settlements-read-only" />}
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">{t('finance.settlements.period')}</Typography.Text>
          <Select<string>
            value={period}
            onChange={(next) => {
              prepare.reset();
              setParams({ period: next });
            }}
            options={choices.map((choice) => ({ value: choice, label: formatPeriod(choice, i18n.language, 'long') }))}
            style={{ width: 170 }}
            aria-label={t('finance.settlements.period')}
            data-testid="settlements-period"
          />
        </Flex>
        {canManage ? (
          <Button type="primary" icon={<SendOutlined />} loading={prepare.isPending} onClick={() => prepare.mutate()} data-testid="settlements-prepare">
            {t('finance.settlements.prepare')}
          </Button>
        ) : null}
      </Flex>
      {canManage ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>
          {t('finance.settlements.prepareHint')}
        </Typography.Paragraph>
      ) : null}
      {prepare.isError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={describeSettlementError(prepare.error, t, label)}
          data-testid="settlements-prepare-error"
          data-code={prepare.error instanceof ApiError ? prepare.error.code : ''}
        />
      ) : null}
      {settlements.isError ? (
        <LoadFailed error={settlements.error} />
      ) : settlements.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Flex vertical gap={16}>
          <Card size="small">
            <Flex wrap gap={16} data-testid="settlements-totals">
              {totals.map(({ kind, amounts }) =>
                (amounts.length ? amounts : [{ currency: 'CNY', amount: 0 }]).map((total) => (
                  <MoneyStatistic
                    key={`${kind}-${total.currency}`}
                    title={t(`finance.settlements.totals.${kind}`)}
                    value={total.amount}
                    currency={total.currency}
                    testId={`settlements-total-${kind}`}
                  />
                )),
              )}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('finance.settlements.remittanceNote')}
            </Typography.Text>
          </Card>
          <Table<Settlement>
            data-testid="settlements-table"
            size="small"
            rowKey="id"
            loading={settlements.isFetching}
            columns={columns}
            dataSource={items}
            pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            onRow={(settlement) =>
              ({ 'data-testid': 'settlement-row', 'data-kind': settlement.kind, 'data-status': settlement.status, 'data-method': settlement.method, 'data-id': settlement.id }) as HTMLAttributes<HTMLElement>
            }
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={canManage ? t('finance.settlements.emptyManage', { period: label }) : t('finance.settlements.empty', { period: label })}
                  data-testid="settlements-empty"
                />
              ),
            }}
          />
        </Flex>
      )}
      {paying ? <MarkSettlementPaidModal key={paying.id} settlement={paying} onClose={() => setPaying(null)} /> : null}
    </>
  );
}

interface MarkPaidValues {
  reference?: string;
  paidAt?: Dayjs;
}

/** Records the bank transfer of a payout or the treasury remittance of an agency's royalties. */
function MarkSettlementPaidModal({ settlement, onClose }: { settlement: Settlement; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<MarkPaidValues>();
  const label = formatPeriod(settlement.period, i18n.language, 'long');
  const markPaid = useMutation({
    mutationFn: (values: MarkPaidValues) =>
      unwrap(
        api.POST('/api/v1/finance/settlements/{id}/mark-paid', {
          params: { path: { id: settlement.id } },
          body: { reference: (values.reference ?? '').trim(), paidAt: receivedAtOf(values.paidAt) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: financeKeys.all });
      void message.success(t('finance.settlements.markedPaid', { payee: settlement.organizationName }));
      onClose();
    },
    onError: (error) => {
      applyValidationIssues(form, error, t);
    },
  });
  return (
    <Modal
      open
      title={t('finance.settlements.markPaidTitle', { payee: settlement.organizationName })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={markPaid.isPending} onClick={() => form.submit()} data-testid="settlement-mark-paid-submit">
            {t('finance.settlements.markPaid')}
          </Button>
        </>
      }
    >
      {markPaid.isError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={describeSettlementError(markPaid.error, t, label)}
          data-testid="settlement-mark-paid-error"
          data-code={markPaid.error instanceof ApiError ? markPaid.error.code : ''}
        />
      ) : null}
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'kind', label: t('finance.settlements.kind'), children: t(`finance.settlements.kinds.${settlement.kind}`) },
          { key: 'period', label: t('finance.settlements.period'), children: label },
          { key: 'method', label: t('finance.settlements.method'), children: t(`finance.settlements.methods.${settlement.method}`) },
          { key: 'amount', label: t('finance.settlements.amount'), children: <Amount value={settlement.amount} currency={settlement.currency} strong /> },
        ]}
      />
      <Form<MarkPaidValues> form={form} layout="vertical" requiredMark={false} noValidate initialValues={{ paidAt: dayjs() }} onFinish={(values) => markPaid.mutate(values)}>
        <Form.Item
          name="reference"
          label={t('finance.settlements.reference')}
          extra={settlement.kind === 'remittance' ? t('finance.settlements.referenceHintRemittance') : t('finance.settlements.referenceHint')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { min: 3, message: t('validation.minLength', { count: 3 }) },
          ]}
        >
          <Input maxLength={200} data-testid="settlement-mark-paid-reference" />
        </Form.Item>
        <Form.Item name="paidAt" label={t('finance.settlements.paidAt')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(date) => date.isAfter(dayjs(), 'day')} allowClear={false} data-testid="settlement-mark-paid-date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
