import { Descriptions, Empty, Flex, Space, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Invoice, License, LicenseEvent } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { InvoiceStatusTag, LicenceText, Money, optionalText, signedTotal, TermsHash } from './commerce-display';
import { licenseEventText } from './commerce-vocabulary';
import { DateOnly, InvoiceView } from './payment';

// Parts of a licence's page shared by the buyer's view and the seller's.

/** What happened, oldest first: acceptance, approvals, payments, renewals, cancellation… each named in words. */
export function LicenseTimeline({ events }: { events: LicenseEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.licenses.noHistory')} />;
  return (
    <Timeline
      data-testid="license-timeline"
      items={events.map((event, index) => {
        const reason = typeof event.details.reason === 'string' ? event.details.reason : null;
        return {
          key: index,
          color: event.toState === 'active' ? 'green' : event.toState === 'revoked' || event.toState === 'cancelled' ? 'red' : 'blue',
          content: (
            <Flex vertical gap={2} data-testid="license-event" data-event={event.event} data-to={event.toState}>
              <Typography.Text strong>{licenseEventText(event, t)}</Typography.Text>
              <Typography.Text type="secondary">
                {event.fromState && event.fromState !== event.toState
                  ? t('commerce.licenses.transition', { from: t(`commerce.vocab.licenseStates.${event.fromState}`), to: t(`commerce.vocab.licenseStates.${event.toState}`) })
                  : t(`commerce.vocab.licenseStates.${event.toState}`)}
              </Typography.Text>
              {reason ? <Typography.Text>{reason}</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <DateTime value={event.occurredAt} /> · {optionalText(event.actorEmail) ?? t(`commerce.vocab.sources.${event.source}`)}
              </Typography.Text>
            </Flex>
          ),
        };
      })}
    />
  );
}

/** The licence's invoices; a row opens to its lines (and, while open and offline, how to pay). */
export function LicenseInvoices({ invoices }: { invoices: Invoice[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Invoice> = [
    { key: 'number', title: t('commerce.invoices.number'), render: (_, invoice) => <Typography.Text style={{ whiteSpace: 'nowrap' }}>{invoice.number}</Typography.Text> },
    { key: 'status', title: t('commerce.invoices.status'), render: (_, invoice) => <InvoiceStatusTag invoice={invoice} /> },
    { key: 'total', title: t('commerce.invoices.total'), render: (_, invoice) => <Money amount={signedTotal(invoice)} currency={invoice.currency} /> },
    { key: 'due', title: t('commerce.invoices.due'), render: (_, invoice) => <DateOnly value={invoice.dueAt} /> },
    { key: 'paid', title: t('commerce.invoices.paidAt'), render: (_, invoice) => <DateOnly value={invoice.paidAt} /> },
  ];
  return (
    <Table<Invoice>
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={columns}
      dataSource={invoices}
      // Without invoices there is nothing to expand: no empty expand column either.
      expandable={invoices.length > 0 ? { expandedRowRender: (invoice) => <InvoiceView invoice={invoice} /> } : undefined}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.invoices.none')} /> }}
    />
  );
}

/** Who must approve a purpose-bound purchase, and what each decided. */
export function LicenseApprovals({ license }: { license: License }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      {license.approvals.map((approval) => (
        <Flex key={approval.organization.id} vertical gap={2} data-testid="license-approval" data-decision={approval.decision ?? 'pending'}>
          <Space wrap size={[8, 4]}>
            <Typography.Text strong>{approval.organization.name}</Typography.Text>
            <Typography.Text type="secondary">{t(`commerce.vocab.approverKinds.${approval.approverKind}`)}</Typography.Text>
            <Tag color={approval.decision === 'approve' ? 'green' : approval.decision === 'reject' ? 'red' : 'gold'}>
              {t(`commerce.approvals.decisions.${approval.decision ?? 'pending'}`)}
            </Tag>
          </Space>
          {approval.reason ? <Typography.Text type="secondary">{approval.reason}</Typography.Text> : null}
          {optionalText(approval.decidedAt) ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <DateTime value={optionalText(approval.decidedAt)} />
            </Typography.Text>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}

/** The terms as accepted: by whom, when, from where, their sha256, the stated purpose, and the text. */
export function AcceptedTerms({ license }: { license: License }) {
  const { t } = useTranslation();
  const purpose = optionalText(license.purpose);
  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'by', label: t('commerce.licenses.acceptedBy'), children: optionalText(license.acceptedByEmail) ?? t('common.none') },
          { key: 'at', label: t('commerce.licenses.acceptedAt'), children: <DateTime value={license.acceptedAt} /> },
          { key: 'ip', label: t('commerce.licenses.acceptedIp'), children: <Typography.Text code>{license.acceptedIp}</Typography.Text> },
          { key: 'hash', label: t('commerce.terms.hash'), children: <TermsHash sha256={license.termsSha256} /> },
          ...(purpose ? [{ key: 'purpose', label: t('commerce.checkout.purpose'), children: t(`vocab.purposes.${purpose as 'research'}`, { defaultValue: purpose }) }] : []),
          ...(license.purposeDetail ? [{ key: 'detail', label: t('commerce.checkout.purposeDetail'), children: license.purposeDetail }] : []),
          ...(license.intendedUse ? [{ key: 'use', label: t('commerce.checkout.intendedUse'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{license.intendedUse}</span> }] : []),
        ]}
      />
      <LicenceText text={license.text} />
    </Flex>
  );
}
