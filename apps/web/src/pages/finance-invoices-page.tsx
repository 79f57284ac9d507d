import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Descriptions, Empty, Flex, Form, Input, Modal, Select, Switch, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Invoice, InvoiceKind, InvoiceStatus, PaymentProvider } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { bilingual, InvoiceStatusTag, Money, signedTotal } from '../commerce/commerce-display';
import { invoiceKinds, invoiceStatuses } from '../commerce/commerce-vocabulary';
import { decimalToMinor, formatMoney, minorToDecimal } from '../commerce/money';
import { MoneyInput, moneyRules } from '../commerce/money-input';
import { DateOnly, InvoiceView } from '../commerce/payment';
import { applyValidationIssues, describeApiError } from '../components/api-error-feedback';
import { PageHeader } from '../components/page-header';
import { CreditNoteRefunds, InvoicePayments, PaidAmount } from '../finance/invoice-payments';
import { useNarrow } from '../finance/finance-ui';

interface Filters {
  status?: InvoiceStatus;
  provider?: PaymentProvider;
  kind?: InvoiceKind;
}

/** Filters a link may open the page with (`?kind=credit_note&status=open`). */
export function filtersOf(search: URLSearchParams): Filters {
  const status = search.get('status');
  const kind = search.get('kind');
  return {
    ...(status && (invoiceStatuses as readonly string[]).includes(status) ? { status: status as InvoiceStatus } : {}),
    ...(kind && (invoiceKinds as readonly string[]).includes(kind) ? { kind: kind as InvoiceKind } : {}),
  };
}

/** Every invoice of the platform for government finance and supervision; finance records the bank transfers that pay offline invoices. */
export function FinanceInvoicesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canSettle = hasPermission(me.permissions, 'invoices:settle');
  const canRefund = hasPermission(me.permissions, 'finance:manage');
  const [search] = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => filtersOf(search));
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [settling, setSettling] = useState<Invoice | null>(null);
  const invoices = useQuery({
    queryKey: queryKeys.financeInvoices(filters),
    queryFn: () => unwrap(api.GET('/api/v1/finance/invoices', { params: { query: filters } })),
  });
  const all = invoices.data?.items ?? [];
  const rows = overdueOnly ? all.filter((invoice) => invoice.overdue) : all;
  const overdueCount = all.filter((invoice) => invoice.overdue).length;
  const narrow = useNarrow();

  const product = (invoice: Invoice) => bilingual(invoice.product.titleZh, invoice.product.titleEn, i18n.language);
  const markPaid = (invoice: Invoice) =>
    canSettle && invoice.status === 'open' && invoice.provider === 'offline' && invoice.kind !== 'credit_note' ? (
      <Button size="small" type="primary" onClick={() => setSettling(invoice)} data-testid={`invoice-mark-paid-${invoice.number}`}>
        {t('commerce.finance.markPaid')}
      </Button>
    ) : null;

  // Phones: the invoice (buyer, product, status, due date) and its money (total, paid, refunded, the action) in two columns, nothing off-screen.
  const columns: TableColumnsType<Invoice> = narrow
    ? [
        {
          key: 'invoice',
          title: t('commerce.invoices.number'),
          render: (_, invoice) => (
            <Flex vertical gap={2} align="flex-start" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              <Typography.Text style={{ whiteSpace: 'nowrap' }}>{invoice.number}</Typography.Text>
              <Typography.Text style={{ fontSize: 12 }}>{invoice.buyer.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {product(invoice)}
              </Typography.Text>
              <InvoiceStatusTag invoice={invoice} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('commerce.invoices.due')} <DateOnly value={invoice.dueAt} /> · {t(`commerce.vocab.providers.${invoice.provider}`)}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          key: 'total',
          title: t('commerce.invoices.total'),
          align: 'right',
          width: 132,
          render: (_, invoice) => (
            <Flex vertical gap={4} align="flex-end">
              <Money amount={signedTotal(invoice)} currency={invoice.currency} strong />
              {invoice.kind === 'credit_note' ? null : <PaidAmount invoice={invoice} labelled align="flex-end" />}
              {markPaid(invoice)}
            </Flex>
          ),
        },
      ]
    : [
        { key: 'number', title: t('commerce.invoices.number'), render: (_, invoice) => <Typography.Text style={{ whiteSpace: 'nowrap' }}>{invoice.number}</Typography.Text> },
        { key: 'buyer', title: t('commerce.invoices.buyer'), render: (_, invoice) => <span style={{ display: 'inline-block', minWidth: 120, maxWidth: 200 }}>{invoice.buyer.name}</span> },
        { key: 'product', title: t('commerce.invoices.product'), render: (_, invoice) => <span style={{ display: 'inline-block', minWidth: 140, maxWidth: 220 }}>{product(invoice)}</span> },
        {
          key: 'status',
          title: t('commerce.invoices.status'),
          // How it is paid beneath its status: one column less, so the table fits beside the menu.
          render: (_, invoice) => (
            <Flex vertical gap={2} align="flex-start">
              <InvoiceStatusTag invoice={invoice} />
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="invoice-provider">
                {t(`commerce.vocab.providers.${invoice.provider}`)}
              </Typography.Text>
            </Flex>
          ),
        },
        { key: 'total', title: t('commerce.invoices.total'), render: (_, invoice) => <Money amount={signedTotal(invoice)} currency={invoice.currency} strong /> },
        // A credit note is settled, not paid: its status says how far.
        { key: 'paid', title: t('commerce.invoices.amountPaid'), render: (_, invoice) => (invoice.kind === 'credit_note' ? t('common.none') : <PaidAmount invoice={invoice} />) },
        { key: 'due', title: t('commerce.invoices.due'), render: (_, invoice) => <span style={{ whiteSpace: 'nowrap' }}><DateOnly value={invoice.dueAt} /></span> },
        ...(canSettle ? [{ key: 'actions', title: t('common.actions'), fixed: 'right' as const, render: (_: unknown, invoice: Invoice) => markPaid(invoice) }] : []),
      ];

  return (
    <>
      <PageHeader title={t('commerce.finance.title')} description={canSettle ? t('commerce.finance.description') : t('commerce.finance.descriptionReadOnly')} />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Select<InvoiceStatus>
          allowClear
          placeholder={t('commerce.finance.filterStatus')}
          style={{ minWidth: 160 }}
          value={filters.status}
          onChange={(status) => setFilters((current) => ({ ...current, status }))}
          options={invoiceStatuses.map((status) => ({ value: status, label: t(`commerce.vocab.invoiceStatuses.${status}`) }))}
          data-testid="finance-filter-status"
        />
        <Select<InvoiceKind>
          allowClear
          placeholder={t('commerce.finance.filterKind')}
          style={{ minWidth: 160 }}
          value={filters.kind}
          onChange={(kind) => setFilters((current) => ({ ...current, kind }))}
          options={invoiceKinds.map((kind) => ({ value: kind, label: t(`commerce.vocab.invoiceKinds.${kind}`) }))}
          data-testid="finance-filter-kind"
        />
        <Select<PaymentProvider>
          allowClear
          placeholder={t('commerce.finance.filterProvider')}
          style={{ minWidth: 160 }}
          value={filters.provider}
          onChange={(provider) => setFilters((current) => ({ ...current, provider }))}
          options={(['offline', 'stripe'] as const).map((provider) => ({ value: provider, label: t(`commerce.vocab.providers.${provider}`) }))}
          data-testid="finance-filter-provider"
        />
        <Flex gap={8} align="center">
          <Switch checked={overdueOnly} onChange={setOverdueOnly} size="small" data-testid="finance-filter-overdue" />
          <Typography.Text type={overdueCount > 0 ? 'danger' : 'secondary'}>{t('commerce.finance.overdueOnly', { count: overdueCount })}</Typography.Text>
        </Flex>
      </Flex>
      <Table<Invoice>
        data-testid="finance-invoices-table"
        size="small"
        rowKey="id"
        loading={invoices.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        // Phones: a fixed layout the width of the screen, so an opened invoice (its lines, its payments) wraps inside it instead of widening the table.
        tableLayout={narrow ? 'fixed' : undefined}
        scroll={narrow ? undefined : { x: 'max-content' }}
        rowClassName={(invoice) => (invoice.overdue ? 'invoice-row-overdue' : '')}
        expandable={{
          expandedRowRender: (invoice) => (
            <Flex vertical gap={16} style={{ maxWidth: 720 }}>
              <InvoiceView invoice={invoice} />
              {invoice.kind === 'credit_note' ? <CreditNoteRefunds creditNote={invoice} canRefund={canRefund} /> : <InvoicePayments invoice={invoice} canRefund={canRefund} />}
            </Flex>
          ),
        }}
        onRow={(invoice) => ({ 'data-testid': 'finance-invoice-row', 'data-invoice-number': invoice.number, 'data-status': invoice.status, 'data-overdue': String(invoice.overdue) }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: invoices.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.invoices.none')} /> }}
      />
      {settling ? <MarkPaidModal key={settling.id} invoice={settling} onClose={() => setSettling(null)} /> : null}
    </>
  );
}

interface MarkPaidValues {
  reference?: string;
  amount?: string;
  receivedAt?: Dayjs;
  note?: string;
}

/** The day the money arrived as an instant the API accepts (never in the future): now for today, local noon for an earlier day. */
export function receivedAtOf(day: Dayjs | undefined, now: Dayjs = dayjs()): string {
  if (!day || !day.isBefore(now, 'day')) return now.toISOString();
  return day.hour(12).minute(0).second(0).millisecond(0).toISOString();
}

/** Records the bank transfer that pays an offline invoice: reference, amount received (must equal what is due), date received. */
function MarkPaidModal({ invoice, onClose }: { invoice: Invoice; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<MarkPaidValues>();
  const due = invoice.amountDue;

  const markPaid = useMutation({
    mutationFn: ({ invoice, values }: { invoice: Invoice; values: MarkPaidValues }) =>
      unwrap(
        api.POST('/api/v1/finance/invoices/{id}/mark-paid', {
          params: { path: { id: invoice.id } },
          body: {
            reference: (values.reference ?? '').trim(),
            amount: decimalToMinor(values.amount ?? '', invoice.currency) ?? 0,
            receivedAt: receivedAtOf(values.receivedAt),
            ...(values.note?.trim() ? { note: values.note.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (paid) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.financeInvoicesAll });
      void message.success(t('commerce.finance.markedPaid', { number: paid.number }));
      onClose();
    },
    onError: (error) => {
      applyValidationIssues(form, error, t);
    },
  });

  return (
    <Modal
      open
      title={t('commerce.finance.markPaidTitle', { number: invoice.number })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={markPaid.isPending} onClick={() => form.submit()} data-testid="mark-paid-submit">
            {t('commerce.finance.markPaid')}
          </Button>
        </>
      }
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'buyer', label: t('commerce.invoices.buyer'), children: invoice.buyer.name },
          { key: 'product', label: t('commerce.invoices.product'), children: bilingual(invoice.product.titleZh, invoice.product.titleEn, i18n.language) },
          { key: 'due', label: t('commerce.finance.amountDue'), children: <Money amount={due} currency={invoice.currency} strong /> },
        ]}
      />
      {markPaid.isError ? <MarkPaidError error={markPaid.error} currency={invoice.currency} /> : null}
      <Form<MarkPaidValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={{ amount: minorToDecimal(due, invoice.currency), receivedAt: dayjs() }}
        onFinish={(values) => markPaid.mutate({ invoice, values })}
      >
        <Form.Item
          name="reference"
          label={t('commerce.finance.reference')}
          extra={t('commerce.finance.referenceHint', { number: invoice.number })}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { min: 3, message: t('validation.minLength', { count: 3 }) },
          ]}
        >
          <Input maxLength={200} data-testid="mark-paid-reference" />
        </Form.Item>
        <Form.Item name="amount" label={t('commerce.finance.amountReceived')} rules={moneyRules(invoice.currency, t, { required: true, positive: true })}>
          <MoneyInput currency={invoice.currency} data-testid="mark-paid-amount" />
        </Form.Item>
        <Form.Item name="receivedAt" label={t('commerce.finance.receivedAt')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(date) => date.isAfter(dayjs(), 'day')} allowClear={false} data-testid="mark-paid-date" />
        </Form.Item>
        <Form.Item name="note" label={t('commerce.finance.note')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="mark-paid-note" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('commerce.finance.markPaidEffect', { amount: formatMoney(due, invoice.currency, i18n.language) })}
      </Typography.Text>
    </Modal>
  );
}

function MarkPaidError({ error, currency }: { error: unknown; currency: string }) {
  const { t, i18n } = useTranslation();
  if (error instanceof ApiError && error.code === 'billing.amount_mismatch') {
    const detail = Array.isArray(error.details) ? (error.details[0] as { due?: unknown; received?: unknown } | undefined) : undefined;
    const due = typeof detail?.due === 'number' ? formatMoney(detail.due, currency, i18n.language) : null;
    const received = typeof detail?.received === 'number' ? formatMoney(detail.received, currency, i18n.language) : null;
    return (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="mark-paid-error"
        data-code={error.code}
        title={due && received ? t('commerce.finance.amountMismatch', { due, received }) : describeApiError(error, t)}
      />
    );
  }
  return <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="mark-paid-error" data-code={error instanceof ApiError ? error.code : ''} title={describeApiError(error, t)} />;
}
