import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDetail } from '../api/schema-types';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DatasetMetadataFields, fromDataset, toMetadataRequest, type DatasetMetadataFormValues } from './dataset-metadata-form';

/** Edits the DCAT metadata of a dataset (classification has its own confirmed action). */
export function DatasetMetadataEditor({ dataset }: { dataset: DatasetDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notifySuccess = useNotifySuccess();
  const [form] = Form.useForm<DatasetMetadataFormValues>();
  const handleError = useFormErrorHandler(form);

  const save = useMutation({
    mutationFn: (values: DatasetMetadataFormValues) =>
      unwrap(api.PATCH('/api/v1/agency/datasets/{id}', { params: { path: { id: dataset.id } }, body: toMetadataRequest(values) })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll }),
        queryClient.invalidateQueries({ queryKey: queryKeys.agencyDatasets }),
      ]);
      form.resetFields();
      notifySuccess('datasetSaved');
    },
    onError: handleError,
  });

  return (
    <Form<DatasetMetadataFormValues>
      // A new server copy (after saving) resets the form to it.
      key={dataset.updatedAt}
      form={form}
      layout="vertical"
      requiredMark={false}
      noValidate
      initialValues={fromDataset(dataset)}
      onFinish={(values) => save.mutate(values)}
      data-testid="dataset-metadata-form"
    >
      <DatasetMetadataFields />
      <Flex justify="flex-end" gap={8}>
        <Button onClick={() => form.resetFields()}>{t('common.reset')}</Button>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="dataset-metadata-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
