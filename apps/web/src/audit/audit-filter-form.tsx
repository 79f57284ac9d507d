import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Select, Space, type GetProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { paths } from '../api/schema';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';

export type AuditEventFilters = Omit<NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>, 'before' | 'limit'>;

type RangeValue = GetProps<typeof DatePicker.RangePicker>['value'];

interface AuditFilterFormValues {
  action?: string;
  organizationId?: string;
  /** An email or a user id. */
  actor?: string;
  period?: RangeValue;
}

/** Drops empty inputs so they are not sent as `?action=`. */
function toFilters(values: AuditFilterFormValues): AuditEventFilters {
  const filters: AuditEventFilters = {};
  const action = values.action?.trim();
  const organizationId = values.organizationId;
  const actor = values.actor?.trim();
  if (action) filters.action = action;
  if (organizationId) filters.organizationId = organizationId;
  if (actor) {
    if (actor.includes('@')) filters.actorEmail = actor;
    else filters.actorUserId = actor;
  }
  const [from, to] = values.period ?? [];
  if (from) filters.from = from.toISOString();
  if (to) filters.to = to.toISOString();
  return filters;
}

export function AuditFilterForm({ onChange }: { onChange(filters: AuditEventFilters): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AuditFilterFormValues>();
  // Operators and supervisors pick an organization by name; an organization's own log has nothing else to filter.
  const acrossOrganizations = hasPermission(useMe().permissions, 'organizations:read');
  const organizations = useQuery({
    queryKey: queryKeys.organizations({}),
    queryFn: () => unwrap(api.GET('/api/v1/organizations', { params: { query: {} } })),
    enabled: acrossOrganizations,
    staleTime: 5 * 60_000,
  });
  return (
    <Form<AuditFilterFormValues> form={form} layout="inline" onFinish={(values) => onChange(toFilters(values))} data-testid="audit-filters" style={{ rowGap: 8, marginBottom: 16 }}>
      <Form.Item name="action" label={t('audit.action')}>
        <Input allowClear placeholder={t('audit.actionPlaceholder')} style={{ width: 240 }} data-testid="audit-filter-action" />
      </Form.Item>
      {acrossOrganizations ? (
        <Form.Item name="organizationId" label={t('audit.organization')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={organizations.isPending}
            placeholder={t('audit.organizationPlaceholder')}
            options={(organizations.data?.items ?? []).map((organization) => ({ value: organization.id, label: organization.name }))}
            style={{ minWidth: 240 }}
            data-testid="audit-filter-organization"
          />
        </Form.Item>
      ) : null}
      <Form.Item name="actor" label={t('audit.actorFilter')}>
        <Input allowClear placeholder={t('audit.actorFilterPlaceholder')} data-testid="audit-filter-actor" />
      </Form.Item>
      <Form.Item name="period" label={t('audit.period')}>
        <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onChange({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
