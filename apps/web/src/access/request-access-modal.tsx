import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AccessPurpose, AccessRequest } from '../api/schema-types';
import { accessPurposes, GRANT_DAYS } from '../catalog/vocabulary';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';

interface RequestAccessFormValues {
  purpose: AccessPurpose;
  purposeDetail?: string;
  intendedUse: string;
  requestedDays: number;
}

const INTENDED_USE = { min: 10, max: 4000 } as const;

/** Files a request for a conditional dataset on behalf of the user's organization. */
export function RequestAccessModal({
  open,
  datasetId,
  datasetTitle,
  agencyName,
  onClose,
  onFiled,
}: {
  open: boolean;
  datasetId: string;
  datasetTitle: string;
  agencyName: string;
  onClose(): void;
  onFiled?(request: AccessRequest): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notifySuccess = useNotifySuccess();
  const [form] = Form.useForm<RequestAccessFormValues>();
  const handleError = useFormErrorHandler(form);
  const purpose = Form.useWatch('purpose', form);

  const file = useMutation({
    mutationFn: (values: RequestAccessFormValues) =>
      unwrap(
        api.POST('/api/v1/access-requests', {
          body: {
            datasetId,
            purpose: values.purpose,
            intendedUse: values.intendedUse,
            requestedDays: values.requestedDays,
            ...(values.purposeDetail?.trim() ? { purposeDetail: values.purposeDetail.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.accessRequestsAll });
      notifySuccess('accessRequested');
      form.resetFields();
      onFiled?.(request);
      onClose();
    },
    onError: handleError,
  });

  return (
    <Modal
      open={open}
      title={t('access.request.title')}
      onCancel={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={file.isPending} onClick={() => form.submit()} data-testid="access-request-submit">
            {t('access.request.submit')}
          </Button>
        </>
      }
      destroyOnHidden
      width={640}
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('access.request.intro', { dataset: datasetTitle, agency: agencyName })} />
      <Form<RequestAccessFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ requestedDays: GRANT_DAYS.default }}
        onFinish={(values) => file.mutate(values)}
        noValidate
        data-testid="access-request-form"
      >
        <Form.Item name="purpose" label={t('access.fields.purpose')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select
            data-testid="access-request-purpose"
            placeholder={t('access.request.purposePlaceholder')}
            options={accessPurposes.map((value) => ({ value, label: t(`vocab.purposes.${value}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="purposeDetail"
          label={t('access.fields.purposeDetail')}
          extra={purpose === 'other' ? t('access.request.purposeDetailRequired') : t('access.request.purposeDetailOptional')}
          dependencies={['purpose']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                getFieldValue('purpose') === 'other' && !value?.trim() ? Promise.reject(new Error(t('access.request.purposeDetailRequired'))) : Promise.resolve(),
            }),
          ]}
        >
          <Input.TextArea rows={2} maxLength={1000} showCount data-testid="access-request-purpose-detail" />
        </Form.Item>
        <Form.Item
          name="intendedUse"
          label={t('access.fields.intendedUse')}
          extra={t('access.request.intendedUseHint')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { min: INTENDED_USE.min, message: t('validation.minLength', { count: INTENDED_USE.min }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={INTENDED_USE.max} showCount data-testid="access-request-intended-use" />
        </Form.Item>
        <Form.Item
          name="requestedDays"
          label={t('access.fields.requestedDays')}
          extra={t('access.request.daysHint', { max: GRANT_DAYS.max })}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <InputNumber min={GRANT_DAYS.min} max={GRANT_DAYS.max} precision={0} style={{ width: '100%' }} data-testid="access-request-days" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
