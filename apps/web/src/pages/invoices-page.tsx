import { useQuery } from '@tanstack/react-query';
import { Empty, Flex, Table, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Invoice } from '../api/schema-types';
import { bilingual, InvoiceStatusTag, Money, signedTotal } from '../commerce/commerce-display';
import { BankTransferInstructions, CardOnFileNote, DateOnly, InvoiceView } from '../commerce/payment';
import { PageHeader } from '../components/page-header';
import { PaidAmount } from '../finance/invoice-payments';

/** The organization's invoices: what is open (with how to pay it), what was paid. */
export function InvoicesPage() {
  const { t, i18n } = useTranslation();
  const invoices = useQuery({ queryKey: queryKeys.invoices, queryFn: () => unwrap(api.GET('/api/v1/invoices')) });
  const columns: TableColumnsType<Invoice> = [
    { key: 'number', title: t('commerce.invoices.number'), render: (_, invoice) => <Typography.Text style={{ whiteSpace: 'nowrap' }}>{invoice.number}</Typography.Text> },
    {
      key: 'product',
      title: t('commerce.invoices.product'),
      render: (_, invoice) => (
        <Link to={`/console/licenses/${invoice.licenseId}`} style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>
          {bilingual(invoice.product.titleZh, invoice.product.titleEn, i18n.language)}
        </Link>
      ),
    },
    { key: 'status', title: t('commerce.invoices.status'), render: (_, invoice) => <InvoiceStatusTag invoice={invoice} /> },
    { key: 'total', title: t('commerce.invoices.total'), render: (_, invoice) => <Money amount={signedTotal(invoice)} currency={invoice.currency} strong /> },
    // A credit note is settled, not paid: its status and its settlements say how.
    { key: 'paid', title: t('commerce.invoices.amountPaid'), render: (_, invoice) => (invoice.kind === 'credit_note' ? t('common.none') : <PaidAmount invoice={invoice} />) },
    { key: 'due', title: t('commerce.invoices.due'), render: (_, invoice) => <DateOnly value={invoice.dueAt} /> },
    { key: 'paidAt', title: t('commerce.invoices.paidAt'), render: (_, invoice) => <DateOnly value={invoice.paidAt} /> },
    { key: 'provider', title: t('commerce.invoices.provider'), render: (_, invoice) => t(`commerce.vocab.providers.${invoice.provider}`) },
  ];
  return (
    <>
      <PageHeader title={t('commerce.invoices.buyerTitle')} description={t('commerce.invoices.buyerDescription')} />
      <Table<Invoice>
        data-testid="invoices-table"
        size="small"
        rowKey="id"
        loading={invoices.isPending}
        columns={columns}
        dataSource={invoices.data?.items}
        pagination={(invoices.data?.items.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (invoice) => (
            <Flex vertical gap={12} style={{ maxWidth: 720 }}>
              {invoice.status === 'open' ? <BankTransferInstructions invoice={invoice} /> : null}
              <CardOnFileNote invoice={invoice} />
              <InvoiceView invoice={invoice} />
            </Flex>
          ),
        }}
        onRow={(invoice) => ({ 'data-testid': 'invoice-row', 'data-invoice-number': invoice.number, 'data-status': invoice.status }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: invoices.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.invoices.none')} /> }}
      />
    </>
  );
}
