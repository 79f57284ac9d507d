import { Button, Form, Input, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { confirmPasswordRules, passwordRules } from './password-rules';

export interface AcceptInvitationValues {
  /** Absent when accepting with an existing account. */
  displayName?: string;
  password: string;
}

export type AcceptInvitationFields = AcceptInvitationValues & { confirmPassword?: string };

/**
 * New users choose a name and password; someone who already has an account (the preview's
 * `existingAccount`) proves it is theirs with its password.
 */
export function AcceptInvitationForm({
  form,
  existingAccount,
  submitting,
  onSubmit,
}: {
  form: FormInstance<AcceptInvitationFields>;
  existingAccount: boolean;
  submitting: boolean;
  onSubmit(values: AcceptInvitationValues): void;
}) {
  const { t } = useTranslation();
  return (
    <Form<AcceptInvitationFields>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={({ displayName, password }) => onSubmit(existingAccount ? { password } : { displayName, password })}
      noValidate
    >
      {existingAccount ? (
        <Form.Item name="password" label={t('invite.existingPassword')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password data-testid="invite-password" autoComplete="current-password" />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="displayName" label={t('signup.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input data-testid="invite-display-name" autoComplete="name" maxLength={80} />
          </Form.Item>
          <Form.Item name="password" label={t('signup.password')} rules={passwordRules(t)} extra={t('signup.passwordHint')}>
            <Input.Password data-testid="invite-password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirmPassword" label={t('signup.confirmPassword')} dependencies={['password']} rules={confirmPasswordRules(t)}>
            <Input.Password data-testid="invite-confirm-password" autoComplete="new-password" />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" block loading={submitting} data-testid="invite-accept">
        {t('invite.accept')}
      </Button>
    </Form>
  );
}
