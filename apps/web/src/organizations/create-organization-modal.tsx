import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { CreatableOrganizationKind, CreateOrganizationRequest } from '../api/schema-types';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { OneTimeSecret } from '../components/one-time-secret';
import { CreateModalFooter } from '../components/create-modal-footer';

// Agencies and finance departments are created by the platform; vendors and enterprises sign up.
const kindIsCreatable: Record<CreatableOrganizationKind, true> = { agency: true, finance: true };
const creatableKinds = Object.keys(kindIsCreatable) as CreatableOrganizationKind[];

export function CreateOrganizationModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateOrganizationRequest>();
  const handleError = useFormErrorHandler(form);

  const create = useMutation({
    mutationFn: (values: CreateOrganizationRequest) => unwrap(api.POST('/api/v1/organizations', { body: values })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.organizationsAll }),
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
      title={t('organizations.createTitle')}
      onCancel={close}
      destroyOnHidden
      footer={
        <CreateModalFooter
          created={Boolean(created)}
          pending={create.isPending}
          submitLabel={t('organizations.create')}
          testIdPrefix="organization"
          onSubmit={() => form.submit()}
          onClose={close}
        />
      }
    >
      {created ? (
        <>
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('organizations.created', { name: created.organization.name, email: created.invitation.email })}
          />
          <OneTimeSecret
            kind="invitation"
            items={[
              { label: t('invitations.acceptUrl'), value: created.invitation.acceptUrl, testId: 'organization-invitation-url' },
              { label: t('invitations.token'), value: created.invitation.token, testId: 'organization-invitation-token' },
            ]}
          />
        </>
      ) : (
        <Form<CreateOrganizationRequest>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ kind: 'agency' }}
          onFinish={(values) => create.mutate(values)}
          noValidate
        >
          <Form.Item name="kind" label={t('organizations.kind')} rules={[{ required: true, message: t('validation.required') }]}>
            <Radio.Group
              data-testid="organization-kind"
              options={creatableKinds.map((kind) => ({ value: kind, label: t(`organizationKinds.${kind}`) }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('organizations.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input data-testid="organization-name" />
          </Form.Item>
          <Form.Item
            name="adminEmail"
            label={t('organizations.adminEmail')}
            extra={t('organizations.adminEmailHint')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" data-testid="organization-admin-email" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
