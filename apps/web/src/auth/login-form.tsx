import { Alert, Button, Form, Input } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoginRequest } from '../api/schema-types';

export type LoginFormValues = Pick<LoginRequest, 'email' | 'password'>;

export interface LoginFormProps {
  form: FormInstance<LoginFormValues>;
  onSubmit(values: LoginFormValues): void;
  submitting?: boolean;
  /** A failure that belongs to the whole form (wrong credentials, locked account). */
  errorText?: string | null;
}

export function LoginForm({ form, onSubmit, submitting = false, errorText }: LoginFormProps) {
  const { t } = useTranslation();
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={onSubmit} data-testid="login-form" noValidate>
      <Form.Item
        name="email"
        label={t('login.email')}
        rules={[
          { required: true, message: t('validation.required') },
          { type: 'email', message: t('validation.email') },
        ]}
      >
        <Input data-testid="login-email" type="email" autoComplete="username" />
      </Form.Item>
      <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.required') }]}>
        <Input.Password data-testid="login-password" autoComplete="current-password" />
      </Form.Item>
      {errorText ? <Alert type="error" showIcon title={errorText} data-testid="login-error" style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );
}
