import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../api/schema-types';

/** The expanded row: the event's payload and its place in the hash chain. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid={`audit-event-details-${event.seq}`}
      items={[
        { key: 'requestId', label: t('audit.requestId'), children: event.requestId ?? t('common.none') },
        { key: 'ip', label: t('audit.ip'), children: event.ip ?? t('common.none') },
        { key: 'actorUserId', label: t('audit.actorUserId'), children: event.actorUserId ?? t('common.none') },
        { key: 'actorOrganizationId', label: t('audit.actorOrganizationId'), children: event.actorOrganizationId ?? t('common.none') },
        { key: 'prevHash', label: t('audit.prevHash'), children: <Typography.Text code copyable>{event.prevHash}</Typography.Text> },
        { key: 'hash', label: t('audit.hash'), children: <Typography.Text code copyable>{event.hash}</Typography.Text> },
        {
          key: 'data',
          label: t('audit.data'),
          children: <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(event.data, null, 2)}</pre>,
        },
      ]}
    />
  );
}
