import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { MemberRole } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { OneTimeSecret } from '../components/one-time-secret';
import { rolesByOrganizationKind } from './member-roles';
import { CreateModalFooter } from '../components/create-modal-footer';

interface InviteFormValues {
  email: string;
  role: MemberRole;
}

export function InviteMemberModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const me = useMe();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<InviteFormValues>();
  const handleError = useFormErrorHandler(form);
  const roles = rolesByOrganizationKind[me.organization.kind];

  const invite = useMutation({
    mutationFn: (values: InviteFormValues) => unwrap(api.POST('/api/v1/invitations', { body: values })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations }),
    onError: handleError,
  });

  const close = () => {
    form.resetFields();
    invite.reset();
    onClose();
  };

  const created = invite.data;

  return (
    <Modal
      open={open}
      title={t('invitations.createTitle')}
      onCancel={close}
      destroyOnHidden
      footer={
        <CreateModalFooter
          created={Boolean(created)}
          pending={invite.isPending}
          submitLabel={t('invitations.send')}
          testIdPrefix="invite"
          onSubmit={() => form.submit()}
          onClose={close}
        />
      }
    >
      {created ? (
        <OneTimeSecret
          kind="invitation"
          items={[
            { label: t('invitations.acceptUrl'), value: created.acceptUrl, testId: 'invitation-accept-url' },
            { label: t('invitations.token'), value: created.token, testId: 'invitation-token' },
          ]}
        />
      ) : (
        <Form<InviteFormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ role: roles[0] }}
          onFinish={(values) => invite.mutate(values)}
          noValidate
        >
          <Form.Item
            name="email"
            label={t('members.email')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" data-testid="invite-email" />
          </Form.Item>
          <Form.Item name="role" label={t('members.role')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select<MemberRole> data-testid="invite-role" options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
