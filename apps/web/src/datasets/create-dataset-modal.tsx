import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Classification } from '../api/schema-types';
import { ClassificationTag } from '../catalog/catalog-tags';
import { classifications, defaultLicense } from '../catalog/vocabulary';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DatasetMetadataFields, toMetadataRequest, type DatasetMetadataFormValues } from './dataset-metadata-form';

interface CreateDatasetFormValues extends DatasetMetadataFormValues {
  classification: Classification;
  slug?: string;
}

const SLUG = /^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/;

/** Creates a draft dataset, then opens its page to upload the first file. */
export function CreateDatasetModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notifySuccess = useNotifySuccess();
  const [form] = Form.useForm<CreateDatasetFormValues>();
  const handleError = useFormErrorHandler(form);

  const create = useMutation({
    mutationFn: (values: CreateDatasetFormValues) => {
      // Suppressing small cells is the default: only the stricter choice needs saying.
      const { smallCells, ...metadata } = toMetadataRequest(values);
      return unwrap(
        api.POST('/api/v1/agency/datasets', {
          body: {
            ...metadata,
            ...(smallCells === 'fail' ? { smallCells } : {}),
            classification: values.classification,
            ...(values.slug?.trim() ? { slug: values.slug.trim() } : {}),
          },
        }),
      );
    },
    onSuccess: async (dataset) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.agencyDatasets });
      notifySuccess('datasetCreated');
      form.resetFields();
      onClose();
      navigate(`/console/datasets/${dataset.id}`);
    },
    onError: handleError,
  });

  return (
    <Modal
      open={open}
      title={t('datasets.createTitle')}
      onCancel={onClose}
      width={820}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="dataset-create-submit">
            {t('datasets.create')}
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">{t('datasets.createIntro')}</Typography.Paragraph>
      <Form<CreateDatasetFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        data-testid="dataset-create-form"
        initialValues={{ classification: 'open', licenseId: defaultLicense.open, updateFrequency: 'irregular', keywords: [], smallCells: 'suppress' }}
        onValuesChange={(changed: Partial<CreateDatasetFormValues>) => {
          // The licence follows the classification until the steward picks one.
          if (changed.classification && !form.isFieldTouched('licenseId')) form.setFieldValue('licenseId', defaultLicense[changed.classification]);
        }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="classification" label={t('datasets.fields.classification')} rules={[{ required: true, message: t('validation.required') }]}>
          <Radio.Group data-testid="dataset-form-classification" style={{ width: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {classifications.map((value) => (
                <Radio key={value} value={value} data-testid={`dataset-form-classification-${value}`}>
                  <Space orientation="vertical" size={0}>
                    <ClassificationTag classification={value} />
                    <Typography.Text type="secondary">{t(`classification.${value}.description`)}</Typography.Text>
                  </Space>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <DatasetMetadataFields />
        <Form.Item
          name="slug"
          label={t('datasets.fields.slug')}
          extra={t('datasets.fields.slugHint')}
          rules={[{ pattern: SLUG, message: t('datasets.fields.slugInvalid') }]}
        >
          <Input maxLength={80} placeholder={t('datasets.fields.slugPlaceholder')} data-testid="dataset-form-slug" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
