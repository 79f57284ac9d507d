import { BankOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Checkout, Invoice } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { formatCount, formatDate } from '../components/number-format';
import { bilingual, InvoiceStatusTag, Money, optionalText } from './commerce-display';
import { browserNavigation } from './purchase';

/**
 * Pays for a licence awaiting payment: Stripe answers with its hosted checkout page (the browser
 * goes there), the offline provider with the invoice to pay by bank transfer.
 */
export function usePayLicense(onInvoice?: (checkout: Checkout) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (licenseId: string) => unwrap(api.POST('/api/v1/licenses/{id}/checkout', { params: { path: { id: licenseId } } })),
    onSuccess: async (checkout) => {
      const url = optionalText(checkout.url);
      if (checkout.provider === 'stripe' && url) {
        browserNavigation.assign(url);
        return;
      }
      queryClient.setQueryData(queryKeys.license(checkout.license.id), checkout.license);
      await queryClient.invalidateQueries({ queryKey: queryKeys.licensesAll });
      onInvoice?.(checkout);
    },
  });
}

type PaymentInstructions = NonNullable<Invoice['paymentInstructions']>;

function instructionsOf(invoice: Invoice): PaymentInstructions | null {
  return invoice.paymentInstructions ?? null;
}

/** A calendar date (due dates, payment dates) in the reader's language. */
export function DateOnly({ value }: { value: unknown }) {
  const { t, i18n } = useTranslation();
  const text = optionalText(value);
  return (
    <span style={{ whiteSpace: 'nowrap' }} title={text ?? undefined}>
      {text ? formatDate(text, i18n.language) : t('common.none')}
    </span>
  );
}

/** An open invoice Stripe collects: it is charged to the card on file, there is nothing to transfer. */
export function CardOnFileNote({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  if (invoice.provider !== 'stripe' || invoice.status !== 'open') return null;
  const url = invoice.payOnlineUrl;
  return (
    <Alert
      type={invoice.overdue ? 'warning' : 'info'}
      showIcon
      data-testid="card-on-file"
      title={t('commerce.payment.cardOnFile')}
      description={
        url ? (
          // A declined card: Stripe's invoice page takes another card or method.
          <Typography.Link href={url} target="_blank" rel="noopener noreferrer" data-testid="pay-online">
            {t('commerce.payment.payOnline')}
          </Typography.Link>
        ) : undefined
      }
    />
  );
}

/** How to pay an open offline invoice: the payee, the reference to quote (the invoice number), the amount and the due date. */
export function BankTransferInstructions({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const instructions = instructionsOf(invoice);
  if (!instructions) return null;
  return (
    <Card
      size="small"
      data-testid="bank-transfer"
      data-invoice-number={invoice.number}
      title={
        <Flex gap={8} align="center">
          <BankOutlined />
          <span>{t('commerce.payment.bankTransferTitle')}</span>
        </Flex>
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          ...(instructions.payee && instructions.bank && instructions.accountNumber
            ? [
                { key: 'payee', label: t('commerce.payment.payee'), children: <span data-testid="bank-transfer-payee">{instructions.payee}</span> },
                { key: 'bank', label: t('commerce.payment.bank'), children: <span data-testid="bank-transfer-bank">{instructions.bank}</span> },
                {
                  key: 'account',
                  label: t('commerce.payment.accountNumber'),
                  children: (
                    <Typography.Text strong copyable={{ text: instructions.accountNumber.replace(/[ -]/g, '') }} data-testid="bank-transfer-account" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {instructions.accountNumber}
                    </Typography.Text>
                  ),
                },
              ]
            : [{ key: 'payee', label: t('commerce.payment.payee'), children: <Typography.Text type="warning" data-testid="bank-transfer-no-account">{t('commerce.payment.noAccount')}</Typography.Text> }]),
          {
            key: 'reference',
            label: t('commerce.payment.reference'),
            children: (
              <Typography.Text strong copyable data-testid="bank-transfer-reference">
                {instructions.reference}
              </Typography.Text>
            ),
          },
          { key: 'amount', label: t('commerce.payment.amount'), children: <Money amount={instructions.amount} currency={instructions.currency} strong testId="bank-transfer-amount" /> },
          { key: 'due', label: t('commerce.payment.due'), children: <DateOnly value={invoice.dueAt} /> },
        ]}
      />
      <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('commerce.payment.bankTransferNote', { reference: instructions.reference })} />
    </Card>
  );
}

/** An invoice's (or a credit note's) header facts, its lines, and the credits that settled it. */
export function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation();
  const creditNote = invoice.kind === 'credit_note';
  const credits = invoice.credits ?? [];
  return (
    <Flex vertical gap={12} data-testid="invoice-view" data-invoice-number={invoice.number}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'number', label: t('commerce.invoices.number'), children: <Typography.Text copyable>{invoice.number}</Typography.Text> },
          { key: 'status', label: t('commerce.invoices.status'), children: <InvoiceStatusTag invoice={invoice} /> },
          { key: 'kind', label: t('commerce.invoices.kind'), children: t(`commerce.vocab.invoiceKinds.${invoice.kind}`) },
          { key: 'provider', label: t('commerce.invoices.provider'), children: t(`commerce.vocab.providers.${invoice.provider}`) },
          ...(creditNote
            ? [
                { key: 'total', label: t('commerce.credits.amount'), children: <Money amount={invoice.total} currency={invoice.currency} strong testId="credit-note-amount" /> },
                { key: 'settled', label: t('commerce.credits.settled'), children: <Money amount={invoice.amountCredited} currency={invoice.currency} testId="credit-note-settled" /> },
                { key: 'left', label: t('commerce.credits.left'), children: <Money amount={invoice.amountDue} currency={invoice.currency} strong testId="credit-note-left" /> },
                { key: 'issued', label: t('commerce.invoices.issued'), children: <DateTime value={optionalText(invoice.issuedAt)} empty={t('common.none')} /> },
                { key: 'paidAt', label: t('commerce.credits.settledAt'), children: <DateTime value={optionalText(invoice.paidAt)} empty={t('common.none')} /> },
              ]
            : [
                { key: 'total', label: t('commerce.invoices.total'), children: <Money amount={invoice.total} currency={invoice.currency} strong /> },
                { key: 'paid', label: t('commerce.invoices.amountPaid'), children: <Money amount={invoice.amountPaid} currency={invoice.currency} /> },
                ...(invoice.amountCredited > 0
                  ? [
                      { key: 'credited', label: t('commerce.credits.credited'), children: <Money amount={invoice.amountCredited} currency={invoice.currency} testId="invoice-credited" /> },
                      { key: 'dueAmount', label: t('commerce.credits.stillDue'), children: <Money amount={invoice.amountDue} currency={invoice.currency} strong testId="invoice-amount-due" /> },
                    ]
                  : []),
                { key: 'issued', label: t('commerce.invoices.issued'), children: <DateTime value={optionalText(invoice.issuedAt)} empty={t('common.none')} /> },
                { key: 'due', label: t('commerce.invoices.due'), children: <DateOnly value={invoice.dueAt} /> },
                { key: 'paidAt', label: t('commerce.invoices.paidAt'), children: <DateTime value={optionalText(invoice.paidAt)} empty={t('common.none')} /> },
              ]),
          ...(optionalText(invoice.periodStart)
            ? [
                {
                  key: 'period',
                  label: t('commerce.invoices.period'),
                  children: (
                    <span>
                      <DateTime value={optionalText(invoice.periodStart)} /> – <DateTime value={optionalText(invoice.periodEnd)} />
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Table
        size="small"
        rowKey="position"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={invoice.lines.map((line, position) => ({ ...line, position }))}
        columns={[
          { key: 'description', title: t('commerce.invoices.line'), render: (_, line) => <span style={{ display: 'inline-block', minWidth: 160, maxWidth: 480 }}>{bilingual(line.descriptionZh, line.descriptionEn, i18n.language)}</span> },
          { key: 'quantity', title: t('commerce.invoices.quantity'), align: 'right', render: (_, line) => <span data-testid="invoice-line-quantity">{formatCount(line.quantity, i18n.language)}</span> },
          { key: 'amount', title: t('commerce.invoices.lineAmount'), align: 'right', render: (_, line) => <Money amount={line.amount} currency={invoice.currency} /> },
        ]}
      />
      {credits.length ? (
        <Table
          size="small"
          rowKey={(credit) => `${credit.creditNoteId}-${credit.invoiceId ?? credit.refundId ?? ''}`}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="invoice-credits"
          title={() => <Typography.Text strong>{creditNote ? t('commerce.credits.howSettled') : t('commerce.credits.appliedHere')}</Typography.Text>}
          dataSource={credits}
          columns={[
            {
              key: 'what',
              title: creditNote ? t('commerce.credits.settledBy') : t('commerce.credits.creditNote'),
              render: (_, credit) =>
                creditNote ? (credit.invoiceNumber ? t('commerce.credits.setAgainst', { number: credit.invoiceNumber }) : t('commerce.credits.refunded')) : credit.creditNoteNumber,
            },
            { key: 'when', title: t('commerce.credits.appliedAt'), render: (_, credit) => <DateTime value={credit.appliedAt} /> },
            { key: 'amount', title: t('commerce.invoices.lineAmount'), align: 'right', render: (_, credit) => <Money amount={credit.amount} currency={invoice.currency} /> },
          ]}
        />
      ) : null}
    </Flex>
  );
}
