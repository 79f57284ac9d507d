import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Checkbox, Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ApiKeyScope } from '../api/schema-types';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { OneTimeSecret } from '../components/one-time-secret';
import { apiKeyScopes } from './api-key-status';
import { CreateModalFooter } from '../components/create-modal-footer';

interface CreateApiKeyFormValues {
  name: string;
  scopes: ApiKeyScope[];
  expiresInDays?: number | null;
}

export function CreateApiKeyModal({ open, onClose, scopes = ['catalog:read'] }: { open: boolean; onClose(): void; scopes?: ApiKeyScope[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateApiKeyFormValues>();
  const handleError = useFormErrorHandler(form);

  const create = useMutation({
    mutationFn: ({ name, scopes, expiresInDays }: CreateApiKeyFormValues) =>
      unwrap(api.POST('/api/v1/api-keys', { body: { name, scopes, ...(expiresInDays ? { expiresInDays } : {}) } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
    onError: handleError,
  });

  const close = () => {
    form.resetFields();
    create.reset();
    onClose();
  };
  const created = create.data;

  return (
    <Modal
      open={open}
      title={t('apiKeys.createTitle')}
      onCancel={close}
      destroyOnHidden
      footer={
        <CreateModalFooter
          created={Boolean(created)}
          pending={create.isPending}
          submitLabel={t('apiKeys.create')}
          testIdPrefix="api-key"
          onSubmit={() => form.submit()}
          onClose={close}
        />
      }
    >
      {created ? (
        <OneTimeSecret items={[{ label: t('apiKeys.key'), value: created.key, testId: 'api-key-secret' }]} />
      ) : (
        <Form<CreateApiKeyFormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ scopes }}
          onFinish={(values) => create.mutate(values)}
          noValidate
        >
          <Form.Item name="name" label={t('apiKeys.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input data-testid="api-key-name" maxLength={80} />
          </Form.Item>
          <Form.Item name="scopes" label={t('apiKeys.scopes')} rules={[{ required: true, type: 'array', min: 1, message: t('apiKeys.scopesRequired') }]}>
            <Checkbox.Group
              data-testid="api-key-scopes"
              options={apiKeyScopes.map((scope) => ({ value: scope, label: t(`apiKeys.scopeLabels.${scope}`) }))}
            />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('apiKeys.expiresInDays')} extra={t('apiKeys.expiresInDaysHint')}>
            <InputNumber min={1} max={730} precision={0} style={{ width: '100%' }} data-testid="api-key-expires" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
