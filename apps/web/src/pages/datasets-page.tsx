import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/page-header';
import { AgencyDatasetsTable } from '../datasets/agency-datasets-table';
import { CreateDatasetModal } from '../datasets/create-dataset-modal';

/** The steward's datasets: every state, and a way to create a new one. */
export function DatasetsPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title={t('datasets.title')}
        description={t('datasets.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="dataset-create-open">
            {t('datasets.create')}
          </Button>
        }
      />
      <AgencyDatasetsTable />
      <CreateDatasetModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
