import { Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AccessRequest, AccessRequestStatus, DatasetSummary, Grant, GrantState } from '../api/schema-types';
import { ClassificationTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { daysUntil, formatDate } from '../components/number-format';

export const requestStatusColors: Record<AccessRequestStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red', withdrawn: 'default' };
export const grantStateColors: Record<GrantState, string> = { active: 'green', expired: 'default', revoked: 'red' };

/** Pending requests first (oldest waiting first), then the decided ones, newest first. */
export function sortForReview(requests: readonly AccessRequest[]): AccessRequest[] {
  return [...requests].sort((a, b) => {
    const pendingA = a.status === 'pending' ? 0 : 1;
    const pendingB = b.status === 'pending' ? 0 : 1;
    if (pendingA !== pendingB) return pendingA - pendingB;
    return pendingA === 0 ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt);
  });
}

/** The grants made from an agency's requests (the API lists them with their request). */
export function grantsOf(requests: readonly AccessRequest[]): Grant[] {
  return requests.flatMap((request) => (request.grant ? [request.grant] : [])).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
}

export function RequestStatusTag({ status }: { status: AccessRequestStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={requestStatusColors[status]} data-testid="access-request-status" data-value={status}>
      {t(`access.statuses.${status}`)}
    </Tag>
  );
}

export function GrantStateTag({ state }: { state: GrantState }) {
  const { t } = useTranslation();
  return (
    <Tag color={grantStateColors[state]} data-testid="grant-state" data-value={state}>
      {t(`access.grantStates.${state}`)}
    </Tag>
  );
}

/** A dataset named in the reader's language, linking to its catalog page. */
export function DatasetLink({ dataset }: { dataset: Pick<DatasetSummary, 'slug' | 'titleZh' | 'titleEn' | 'classification'> }) {
  const { i18n } = useTranslation();
  const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language).primary;
  return (
    <Space size={4} wrap style={{ maxWidth: 280 }}>
      <Link to={`/catalog/${dataset.slug}`}>{title}</Link>
      {dataset.classification === 'conditional' ? null : <ClassificationTag classification={dataset.classification} />}
    </Space>
  );
}

/** A grant's period, with the days left while it is in force. */
export function GrantTerm({ grant }: { grant: Grant }) {
  const { t } = useTranslation();
  const days = daysUntil(grant.expiresAt);
  return (
    <Space orientation="vertical" size={0}>
      <GrantPeriod grant={grant} />
      {grant.state === 'active' ? (
        <Typography.Text type={days <= 30 ? 'warning' : 'secondary'} data-testid="grant-days-left">
          {t('access.daysLeft', { days: Math.max(days, 0) })}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

/** A request's purpose, with the term asked for beneath. */
export function PurposeAndTerm({ request }: { request: AccessRequest }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={0}>
      <span>{t(`vocab.purposes.${request.purpose}`)}</span>
      <Typography.Text type="secondary">{t('access.days', { days: request.requestedDays })}</Typography.Text>
    </Space>
  );
}

export function GrantPeriod({ grant }: { grant: Grant }) {
  const { t, i18n } = useTranslation();
  return <span>{t('access.grantPeriod', { start: formatDate(grant.startsAt, i18n.language), end: formatDate(grant.expiresAt, i18n.language) })}</span>;
}

/**
 * Everything a request says, for the agency deciding on it or the organization that filed it.
 * `inTable`: beneath its table row, without what the row already shows.
 */
export function RequestDetails({ request, inTable = false }: { request: AccessRequest; inTable?: boolean }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="access-request-details"
      styles={{ label: { width: 160 } }}
      items={[
        ...(inTable
          ? []
          : [
              { key: 'dataset', label: t('access.fields.dataset'), children: <DatasetLink dataset={request.dataset} /> },
              { key: 'organization', label: t('access.fields.organization'), children: request.organization.name },
              { key: 'agency', label: t('access.fields.agency'), children: request.agency.name },
            ]),
        { key: 'requestedBy', label: t('access.fields.requestedBy'), children: request.requestedByEmail ?? none },
        { key: 'purpose', label: t('access.fields.purpose'), children: t(`vocab.purposes.${request.purpose}`) },
        {
          key: 'purposeDetail',
          label: t('access.fields.purposeDetail'),
          children: request.purposeDetail ? <span style={{ whiteSpace: 'pre-line' }}>{request.purposeDetail}</span> : none,
        },
        { key: 'intendedUse', label: t('access.fields.intendedUse'), children: <span style={{ whiteSpace: 'pre-line' }}>{request.intendedUse}</span> },
        { key: 'term', label: t('access.fields.requestedDays'), children: t('access.days', { days: request.requestedDays }) },
        { key: 'filed', label: t('access.fields.filed'), children: <DateTime value={request.createdAt} /> },
        ...(inTable ? [] : [{ key: 'status', label: t('access.fields.status'), children: <RequestStatusTag status={request.status} /> }]),
        ...(request.decidedAt
          ? [
              { key: 'decidedAt', label: t('access.fields.decidedAt'), children: <DateTime value={request.decidedAt} /> },
              { key: 'reason', label: t('access.fields.decisionReason'), children: request.decisionReason ?? none },
            ]
          : []),
        ...(request.grant
          ? [
              {
                key: 'grant',
                label: t('access.fields.grant'),
                children: (
                  <Space wrap>
                    <GrantStateTag state={request.grant.state} />
                    <GrantTerm grant={request.grant} />
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
