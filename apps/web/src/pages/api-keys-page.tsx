import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiKeysTable } from '../api-keys/api-keys-table';
import { CreateApiKeyModal } from '../api-keys/create-api-key-modal';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { PageHeader } from '../components/page-header';

export function ApiKeysPage() {
  const me = useMe();
  const { t } = useTranslation();
  // `?create=data` (the licence page's link) opens the form with the data:read scope chosen.
  const [params] = useSearchParams();
  const forData = params.get('create') === 'data';
  const [creating, setCreating] = useState(forData);
  const canManage = hasPermission(me.permissions, 'api_keys:manage');

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        description={t('apiKeys.description')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-create-open">
              {t('apiKeys.create')}
            </Button>
          ) : null
        }
      />
      <ApiKeysTable />
      {canManage ? <CreateApiKeyModal open={creating} onClose={() => setCreating(false)} scopes={forData ? ['data:read'] : undefined} /> : null}
    </>
  );
}
