import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Grid, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, expectNoContent, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ApiKey } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DateTime } from '../components/date-time';
import { apiKeyStatus, type ApiKeyStatus } from './api-key-status';

const statusColors: Record<ApiKeyStatus, string> = { active: 'green', revoked: 'red', expired: 'default' };

export function ApiKeysTable() {
  const me = useMe();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const canManage = hasPermission(me.permissions, 'api_keys:manage');
  const narrow = !Grid.useBreakpoint().md;

  const apiKeys = useQuery({ queryKey: queryKeys.apiKeys, queryFn: () => unwrap(api.GET('/api/v1/api-keys')) });

  const revoke = useMutation({
    mutationFn: (id: string) => expectNoContent(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
      notifySuccess('apiKeyRevoked');
    },
    onError: showError,
  });

  const statusTag = (key: ApiKey) => {
    const status = apiKeyStatus(key);
    return (
      <Tag color={statusColors[status]} data-testid={`api-key-status-${key.id}`}>
        {t(`apiKeys.statuses.${status}`)}
      </Tag>
    );
  };
  const scopeTags = (key: ApiKey) => (
    <Space size={[0, 4]} wrap>
      {key.scopes.map((scope) => (
        <Tag key={scope}>{scope}</Tag>
      ))}
    </Space>
  );

  // Phones: one column tells a key (name, prefix, state, scopes, dates), beside the action.
  const columns: TableColumnsType<ApiKey> = narrow
    ? [
        {
          key: 'key',
          title: t('apiKeys.name'),
          render: (_, key) => (
            <Flex vertical gap={4} align="flex-start" style={{ minWidth: 0 }}>
              <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
                {key.name}
              </Typography.Text>
              <Space size={[8, 4]} wrap>
                <Typography.Text code>{key.prefix}</Typography.Text>
                {statusTag(key)}
              </Space>
              {scopeTags(key)}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('apiKeys.lastUsedAt')}: <DateTime value={key.lastUsedAt} empty={t('apiKeys.neverUsed')} />
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('apiKeys.expiresAt')}: <DateTime value={key.expiresAt} empty={t('apiKeys.noExpiry')} />
              </Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        {
          key: 'name',
          title: t('apiKeys.name'),
          // A long name wraps, and the date it was made goes under it, so the state stays in view.
          render: (_, key) => (
            <Flex vertical gap={0} style={{ minWidth: 160, maxWidth: 260 }}>
              <Typography.Text style={{ overflowWrap: 'anywhere' }}>{key.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('apiKeys.createdAt')}: <DateTime value={key.createdAt} />
              </Typography.Text>
            </Flex>
          ),
        },
        { key: 'prefix', title: t('apiKeys.prefix'), render: (_, key) => <Typography.Text code>{key.prefix}</Typography.Text> },
        { key: 'scopes', title: t('apiKeys.scopes'), render: (_, key) => scopeTags(key) },
        { key: 'lastUsedAt', title: t('apiKeys.lastUsedAt'), render: (_, key) => <DateTime value={key.lastUsedAt} empty={t('apiKeys.neverUsed')} /> },
        { key: 'expiresAt', title: t('apiKeys.expiresAt'), render: (_, key) => <DateTime value={key.expiresAt} empty={t('apiKeys.noExpiry')} /> },
        { key: 'status', title: t('apiKeys.status'), render: (_, key) => statusTag(key) },
      ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, key) =>
        apiKeyStatus(key) === 'active' ? (
          <Popconfirm
            title={t('apiKeys.revokeConfirmTitle', { name: key.name })}
            description={t('apiKeys.revokeConfirmDescription')}
            okText={t('apiKeys.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke.mutateAsync(key.id).catch(() => undefined)}
          >
            <Button size="small" danger data-testid={`api-key-revoke-${key.id}`}>
              {t('apiKeys.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    });
  }

  return (
    <Table<ApiKey>
      scroll={narrow ? undefined : { x: 'max-content' }}
      rowKey="id"
      data-testid="api-keys-table"
      loading={apiKeys.isPending}
      dataSource={apiKeys.data?.items}
      columns={columns}
      pagination={false}
      locale={{ emptyText: apiKeys.isError ? t('common.loadFailed') : t('apiKeys.empty') }}
    />
  );
}
