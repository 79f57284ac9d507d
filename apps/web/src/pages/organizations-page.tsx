import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { PageHeader } from '../components/page-header';
import { CreateOrganizationModal } from '../organizations/create-organization-modal';
import { OrganizationsTable } from '../organizations/organizations-table';

export function OrganizationsPage() {
  const me = useMe();
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const canManage = hasPermission(me.permissions, 'organizations:manage');

  return (
    <>
      <PageHeader
        title={t('organizations.title')}
        description={t('organizations.description')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="organization-create-open">
              {t('organizations.create')}
            </Button>
          ) : null
        }
      />
      <OrganizationsTable />
      {canManage ? <CreateOrganizationModal open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
