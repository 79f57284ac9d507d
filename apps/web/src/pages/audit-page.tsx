import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuditEventDetails } from '../audit/audit-event-details';
import { auditActionLabel, auditTargetLabel } from '../audit/audit-labels';
import { AuditFilterForm, type AuditEventFilters } from '../audit/audit-filter-form';
import { AuditVerifyButton } from '../audit/audit-verify-button';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AuditEvent } from '../api/schema-types';
import { useShowApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { PageHeader } from '../components/page-header';

const pageSize = 50;

export function AuditPage() {
  const { t } = useTranslation();
  const showError = useShowApiError();
  const [filters, setFilters] = useState<AuditEventFilters>({});

  // Newest first; each page's nextCursor is the `before` of the next (older) page.
  const events = useInfiniteQuery({
    queryKey: queryKeys.auditEvents(filters),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/audit-events', { params: { query: { ...filters, before: pageParam, limit: pageSize } } })),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });

  useEffect(() => {
    if (events.error) showError(events.error);
  }, [events.error, showError]);

  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: TableColumnsType<AuditEvent> = [
    { dataIndex: 'seq', title: t('audit.seq'), width: 90 },
    { key: 'occurredAt', title: t('audit.occurredAt'), render: (_, event) => <DateTime value={event.occurredAt} /> },
    {
      key: 'action',
      title: t('audit.action'),
      // The action in words, its code under it (the code is what the filter takes).
      render: (_, event) => {
        const label = auditActionLabel(event.action, t);
        return (
          <Flex vertical gap={0} data-testid="audit-action" data-action={event.action}>
            {label ? <span style={{ whiteSpace: 'nowrap' }}>{label}</span> : null}
            <Typography.Text code={!label} type={label ? 'secondary' : undefined} style={{ whiteSpace: 'nowrap', fontSize: label ? 12 : undefined }}>
              {event.action}
            </Typography.Text>
          </Flex>
        );
      },
    },
    { key: 'actor', title: t('audit.actor'), render: (_, event) => event.actorEmail ?? event.actorUserId ?? t('audit.systemActor') },
    // Whose trail the event is in (the one it concerns), not necessarily the actor's own.
    { key: 'organization', title: t('audit.recordedFor'), render: (_, event) => event.organizationName ?? event.organizationId ?? t('common.none') },
    {
      key: 'target',
      title: t('audit.target'),
      render: (_, event) =>
        event.targetType ? (
          // A name may be long: it wraps, the id stays in the tooltip.
          <span style={event.targetLabel ? { display: 'inline-block', maxWidth: 240 } : { whiteSpace: 'nowrap' }} title={event.targetId ?? undefined} data-testid="audit-target">
            {auditTargetLabel(event.targetType, event.targetId, t, event.targetLabel)}
          </span>
        ) : (
          t('common.none')
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <AuditVerifyButton />
      <AuditFilterForm onChange={setFilters} />
      <Table<AuditEvent>
        scroll={{ x: 'max-content' }}
        rowKey="seq"
        data-testid="audit-table"
        size="small"
        loading={events.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        expandable={{ expandedRowRender: (event) => <AuditEventDetails event={event} /> }}
        locale={{ emptyText: events.isError ? t('common.loadFailed') : t('audit.empty') }}
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {events.hasNextPage ? (
          <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} data-testid="audit-load-more">
            {t('audit.loadMore')}
          </Button>
        ) : rows.length > 0 ? (
          <Typography.Text type="secondary">{t('audit.end')}</Typography.Text>
        ) : null}
      </Flex>
    </>
  );
}
