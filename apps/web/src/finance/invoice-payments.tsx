import { RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Radio, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Invoice } from '../api/schema-types';
import { Money } from '../commerce/commerce-display';
import { decimalToMinor, formatMoney, minorToDecimal } from '../commerce/money';
import { MoneyInput, moneyRules } from '../commerce/money-input';
import { applyValidationIssues, describeApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { financeKeys } from './finance-api';
import { formatBasisPoints } from './finance-format';
import type { InvoicePayment, RecordRefundRequest } from './finance-types';
import { useNarrow } from './finance-ui';

type RefundKind = NonNullable<RecordRefundRequest['kind']>;

/** What can still be given back on a payment, in minor units. */
export function remainingOf(payment: Pick<InvoicePayment, 'amount' | 'refunded'>): number {
  return Math.max(0, payment.amount - payment.refunded);
}

/** A reference is asked for when no provider makes one: an offline payment's transfer back, or a chargeback's dispute id. */
export function needsReference(provider: InvoicePayment['provider'], kind: RefundKind): boolean {
  return provider === 'offline' || kind === 'chargeback';
}

export interface RefundValues {
  amount?: string;
  reason?: string;
  kind?: RefundKind;
  reference?: string;
}

/** The API's request of what the form holds: the amount typed in currency units as integer minor units, never a float. */
export function refundRequestOf(values: RefundValues, currency: string, provider: InvoicePayment['provider'], creditNoteId?: string): RecordRefundRequest {
  const kind = creditNoteId ? 'refund' : (values.kind ?? 'refund');
  const reference = values.reference?.trim();
  return {
    amount: decimalToMinor(values.amount ?? '', currency) ?? 0,
    kind,
    reason: (values.reason ?? '').trim(),
    ...(needsReference(provider, kind) && reference ? { reference } : {}),
    ...(creditNoteId ? { creditNoteId } : {}),
  };
}

/** How much of what was paid on an invoice went back to the buyer: none, part or all of it. */
export function refundStatusOf(invoice: Pick<Invoice, 'amountPaid' | 'amountRefunded'>): 'none' | 'partly_refunded' | 'refunded' {
  if (invoice.amountRefunded <= 0) return 'none';
  return invoice.amountRefunded >= invoice.amountPaid ? 'refunded' : 'partly_refunded';
}

/**
 * An invoice's amount paid for a list row, marked when some or all of it was refunded (with how
 * much). `labelled` writes "Paid" before it, where no column heading says so.
 */
export function PaidAmount({ invoice, labelled = false, align = 'flex-start' }: { invoice: Pick<Invoice, 'amountPaid' | 'amountRefunded' | 'currency'>; labelled?: boolean; align?: 'flex-start' | 'flex-end' }) {
  const { t, i18n } = useTranslation();
  const status = refundStatusOf(invoice);
  return (
    <Flex vertical gap={2} align={align}>
      <span style={{ whiteSpace: 'nowrap' }}>
        {labelled ? <Typography.Text type="secondary">{t('commerce.invoices.amountPaid')} </Typography.Text> : null}
        <Money amount={invoice.amountPaid} currency={invoice.currency} testId="invoice-paid" />
      </span>
      {status === 'none' ? null : (
        <>
          <Tag color={status === 'refunded' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }} data-testid="invoice-refund-status" data-value={status}>
            {status === 'refunded' ? t('finance.refunds.fullyRefunded') : t('finance.refunds.partlyRefunded')}
          </Tag>
          <Typography.Text type="danger" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="invoice-row-refunded" data-amount={invoice.amountRefunded}>
            {t('finance.refunds.refundedAmount', { amount: formatMoney(invoice.amountRefunded, invoice.currency, i18n.language) })}
          </Typography.Text>
        </>
      )}
    </Flex>
  );
}

/** An invoice's VAT and its payments with what was given back; finance analysts refund from here. */
export function InvoicePayments({ invoice, canRefund }: { invoice: Invoice; canRefund: boolean }) {
  const { t, i18n } = useTranslation();
  const narrow = useNarrow();
  const [refunding, setRefunding] = useState<InvoicePayment | null>(null);
  const payments = invoice.payments ?? [];

  const refunded = (payment: InvoicePayment) =>
    payment.refunded > 0 ? (
      <Typography.Text type="danger" style={{ whiteSpace: 'nowrap' }} data-testid="payment-refunded" data-amount={payment.refunded}>
        {narrow ? t('finance.refunds.refundedAmount', { amount: formatMoney(payment.refunded, invoice.currency, i18n.language) }) : formatMoney(payment.refunded, invoice.currency, i18n.language)}
      </Typography.Text>
    ) : narrow ? null : (
      <Typography.Text type="secondary" data-testid="payment-refunded" data-amount={0}>
        {t('common.none')}
      </Typography.Text>
    );
  const refundButton = (payment: InvoicePayment) =>
    canRefund && remainingOf(payment) > 0 ? (
      <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setRefunding(payment)} data-testid="payment-refund">
        {t('finance.refunds.refund')}
      </Button>
    ) : null;

  const columns: TableColumnsType<InvoicePayment> = [
    {
      key: 'reference',
      title: t('finance.refunds.reference'),
      render: (_, payment) => (
        <Flex vertical gap={2} style={{ minWidth: narrow ? 0 : 120, maxWidth: narrow ? 150 : 260 }}>
          <Typography.Text style={{ wordBreak: 'break-all' }}>{payment.reference}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`commerce.vocab.providers.${payment.provider}`)}
            {narrow ? (
              <>
                {' · '}
                <DateTime value={payment.receivedAt} />
              </>
            ) : null}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'received', title: t('finance.refunds.receivedAt'), responsive: ['md'], render: (_, payment) => <DateTime value={payment.receivedAt} /> },
    {
      key: 'amount',
      title: t('finance.refunds.amount'),
      align: 'right',
      render: (_, payment) =>
        narrow ? (
          // Phones: what was refunded and the action beneath the amount, in view without scrolling sideways.
          <Flex vertical gap={4} align="flex-end">
            <Money amount={payment.amount} currency={invoice.currency} strong testId="payment-amount" />
            {refunded(payment)}
            {refundButton(payment)}
          </Flex>
        ) : (
          <Money amount={payment.amount} currency={invoice.currency} strong testId="payment-amount" />
        ),
    },
  ];
  if (!narrow) {
    columns.push({ key: 'refunded', title: t('finance.refunds.refunded'), align: 'right', render: (_, payment) => refunded(payment) });
    if (canRefund) columns.push({ key: 'actions', title: t('common.actions'), render: (_, payment) => refundButton(payment) });
  }

  return (
    <Flex vertical gap={8} data-testid="invoice-payments">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 3 }}
        items={[
          { key: 'subtotal', label: t('finance.refunds.subtotal'), children: <Money amount={invoice.subtotal} currency={invoice.currency} /> },
          {
            key: 'tax',
            label: t('finance.refunds.vat', { rate: formatBasisPoints(invoice.taxRateBp, i18n.language) }),
            children: (
              <span data-testid="invoice-vat" data-amount={invoice.tax}>
                <Money amount={invoice.tax} currency={invoice.currency} />
              </span>
            ),
          },
          {
            key: 'refunded',
            label: t('finance.refunds.amountRefunded'),
            children: (
              <span data-testid="invoice-refunded" data-amount={invoice.amountRefunded}>
                <Money amount={invoice.amountRefunded} currency={invoice.currency} />
              </span>
            ),
          },
        ]}
      />
      <Typography.Text strong>{t('finance.refunds.payments')}</Typography.Text>
      <Table<InvoicePayment>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={payments}
        columns={columns}
        onRow={(payment) => ({ 'data-testid': 'payment-row', 'data-provider': payment.provider, 'data-reference': payment.reference }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('finance.refunds.noPayments') }}
      />
      {refunding ? <RefundModal key={refunding.id} invoice={invoice} payment={refunding} onClose={() => setRefunding(null)} /> : null}
    </Flex>
  );
}

/**
 * A credit note still to settle: the payments of its licence it can be refunded from, each with
 * what can still go back. Refunding here pays the credit out (no tax or receivable is touched
 * twice: the note already took them off).
 */
export function CreditNoteRefunds({ creditNote, canRefund }: { creditNote: Invoice; canRefund: boolean }) {
  const { t } = useTranslation();
  const [refunding, setRefunding] = useState<{ invoice: Invoice; payment: InvoicePayment } | null>(null);
  const licence = useQuery({
    queryKey: queryKeys.financeInvoices({ licenseId: creditNote.licenseId }),
    queryFn: () => unwrap(api.GET('/api/v1/finance/invoices', { params: { query: { licenseId: creditNote.licenseId } } })),
    enabled: creditNote.amountDue > 0,
  });
  if (creditNote.amountDue <= 0) {
    return <Alert type="success" showIcon title={t('commerce.credits.fullySettled')} data-testid="credit-note-settled-note" />;
  }
  const rows = (licence.data?.items ?? [])
    .filter((invoice) => invoice.kind !== 'credit_note' && invoice.currency === creditNote.currency)
    .flatMap((invoice) => (invoice.payments ?? []).filter((payment) => remainingOf(payment) > 0).map((payment) => ({ invoice, payment })));
  return (
    <Flex vertical gap={8} data-testid="credit-note-refunds">
      <Alert type="warning" showIcon title={t('commerce.credits.toRefund')} />
      <Table
        size="small"
        rowKey={(row) => row.payment.id}
        loading={licence.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        locale={{ emptyText: licence.isError ? t('common.loadFailed') : t('finance.refunds.noPayments') }}
        onRow={(row) => ({ 'data-testid': 'credit-refund-row', 'data-reference': row.payment.reference }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'invoice', title: t('commerce.invoices.number'), render: (_, row) => row.invoice.number },
          { key: 'reference', title: t('finance.refunds.reference'), render: (_, row) => <Typography.Text style={{ wordBreak: 'break-all' }}>{row.payment.reference}</Typography.Text> },
          { key: 'remaining', title: t('finance.refunds.remaining'), align: 'right', render: (_, row) => <Money amount={remainingOf(row.payment)} currency={creditNote.currency} /> },
          ...(canRefund
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, row: { invoice: Invoice; payment: InvoicePayment }) => (
                    <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setRefunding(row)} data-testid="credit-refund">
                      {t('commerce.credits.refundCredit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {refunding ? <RefundModal key={refunding.payment.id} invoice={refunding.invoice} payment={refunding.payment} creditNote={creditNote} onClose={() => setRefunding(null)} /> : null}
    </Flex>
  );
}

/** Gives money back on one payment (Stripe refunds card payments itself) or records a chargeback; with a credit note, pays that credit out. */
function RefundModal({ invoice, payment, creditNote, onClose }: { invoice: Invoice; payment: InvoicePayment; creditNote?: Invoice; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RefundValues>();
  const watchedKind = Form.useWatch('kind', form);
  const kind = creditNote ? 'refund' : (watchedKind ?? 'refund');
  const remaining = creditNote ? Math.min(remainingOf(payment), creditNote.amountDue) : remainingOf(payment);
  const remainingText = formatMoney(remaining, invoice.currency, i18n.language);
  const askReference = needsReference(payment.provider, kind);
  // Above the limit, the field's error says the limit: the hint beneath would say it again.
  const typed: unknown = Form.useWatch('amount', form);
  const typedMinor = typeof typed === 'string' ? decimalToMinor(typed, invoice.currency) : null;
  const overLimit = typedMinor !== null && typedMinor > remaining;

  const refund = useMutation({
    mutationFn: (values: RefundValues) =>
      unwrap(api.POST('/api/v1/finance/payments/{id}/refunds', { params: { path: { id: payment.id } }, body: refundRequestOf(values, invoice.currency, payment.provider, creditNote?.id) })),
    onSuccess: async (recorded) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.financeInvoicesAll }), queryClient.invalidateQueries({ queryKey: financeKeys.all })]);
      void message.success(t(recorded.kind === 'chargeback' ? 'finance.refunds.recordedChargeback' : 'finance.refunds.refundedMessage', { amount: formatMoney(recorded.amount, recorded.currency, i18n.language), number: invoice.number }));
      onClose();
    },
    onError: (error) => {
      applyValidationIssues(form, error, t);
    },
  });

  const errorText = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'billing.refund_exceeds_payment') {
      const detail = Array.isArray(error.details) ? (error.details[0] as { remaining?: unknown } | undefined) : undefined;
      const left = typeof detail?.remaining === 'number' ? formatMoney(detail.remaining, invoice.currency, i18n.language) : remainingText;
      return t('finance.refunds.exceeds', { remaining: left });
    }
    return describeApiError(error, t);
  };

  return (
    <Modal
      open
      title={creditNote ? t('commerce.credits.refundTitle', { number: creditNote.number }) : t('finance.refunds.title', { number: invoice.number })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger loading={refund.isPending} onClick={() => form.submit()} data-testid="refund-submit">
            {kind === 'chargeback' ? t('finance.refunds.submitChargeback') : t('finance.refunds.submit')}
          </Button>
        </>
      }
    >
      {refund.isError ? (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(refund.error)} data-testid="refund-error" data-code={refund.error instanceof ApiError ? refund.error.code : ''} />
      ) : null}
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'reference', label: t('finance.refunds.reference'), children: <Typography.Text style={{ wordBreak: 'break-all' }}>{payment.reference}</Typography.Text> },
          { key: 'provider', label: t('commerce.invoices.provider'), children: t(`commerce.vocab.providers.${payment.provider}`) },
          { key: 'amount', label: t('finance.refunds.amount'), children: <Money amount={payment.amount} currency={invoice.currency} /> },
          { key: 'remaining', label: t('finance.refunds.remaining'), children: <Money amount={remaining} currency={invoice.currency} strong testId="refund-remaining" /> },
        ]}
      />
      <Form<RefundValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={{ kind: 'refund', amount: minorToDecimal(remaining, invoice.currency) }}
        onFinish={(values) => refund.mutate(values)}
      >
        {creditNote ? null : (
          <Form.Item name="kind" label={t('finance.refunds.kind')}>
            <Radio.Group
              optionType="button"
              options={(['refund', 'chargeback'] as const).map((value) => ({ value, label: t(`finance.refunds.kinds.${value}`) }))}
              data-testid="refund-kind"
            />
          </Form.Item>
        )}
        <Form.Item
          name="amount"
          label={t('finance.refunds.refundAmount')}
          extra={overLimit ? undefined : t('finance.refunds.amountHint', { remaining: remainingText })}
          rules={[
            ...moneyRules(invoice.currency, t, { required: true, positive: true }),
            {
              validator: async (_rule, value: unknown) => {
                const minor = typeof value === 'string' ? decimalToMinor(value, invoice.currency) : null;
                if (minor !== null && minor > remaining) throw new Error(t('finance.refunds.exceeds', { remaining: remainingText }));
              },
            },
          ]}
        >
          <MoneyInput currency={invoice.currency} data-testid="refund-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('finance.refunds.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="refund-reason" />
        </Form.Item>
        {askReference ? (
          <Form.Item
            name="reference"
            label={kind === 'chargeback' ? t('finance.refunds.disputeId') : t('finance.refunds.bankReference')}
            extra={kind === 'chargeback' ? undefined : t('finance.refunds.bankReferenceHint')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={200} data-testid="refund-reference" />
          </Form.Item>
        ) : (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('finance.refunds.stripeNote')} data-testid="refund-stripe-note" />
        )}
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {creditNote ? t('commerce.credits.refundEffect') : t('finance.refunds.effect')}
      </Typography.Text>
    </Modal>
  );
}
