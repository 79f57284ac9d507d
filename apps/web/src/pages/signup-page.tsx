import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { SignupKind, SignupRequest } from '../api/schema-types';
import { useAuth } from '../auth/auth-context';
import { confirmPasswordRules, passwordRules } from '../auth/password-rules';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { PublicFormColumn, PublicLayout } from '../components/public-layout';
import { currentLanguage } from '../i18n/i18n';

type SignupFormValues = Omit<SignupRequest, 'locale'> & { confirmPassword: string };

const signupKinds: SignupKind[] = ['enterprise', 'vendor'];

export function SignupPage() {
  const { t } = useTranslation();
  const { session, signIn } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<SignupFormValues>();
  const kind = Form.useWatch('kind', form);
  const handleError = useFormErrorHandler(form);

  const signup = useMutation({
    mutationFn: ({ confirmPassword: _confirm, ...values }: SignupFormValues) =>
      unwrap(api.POST('/api/v1/auth/signup', { body: { ...values, locale: currentLanguage() } })),
    onSuccess: (tokens) => {
      signIn(tokens);
      navigate('/console', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'identity.email_taken') {
        form.setFields([{ name: 'email', errors: [t('errors.emailTaken')] }]);
      }
      handleError(error);
    },
  });

  if (session.status === 'authenticated' && !signup.isPending) return <Navigate to="/console" replace />;

  return (
    <PublicLayout>
      <PublicFormColumn>
        <Card>
          <Typography.Title level={3} data-testid="page-title">
            {t('signup.title')}
          </Typography.Title>
          <Form<SignupFormValues>
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{ kind: 'enterprise' }}
            onFinish={(values) => signup.mutate(values)}
            noValidate
          >
            <Form.Item name="kind" label={t('signup.kind')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group data-testid="signup-kind">
                <Space orientation="vertical">
                  {signupKinds.map((value) => (
                    <Radio value={value} key={value} data-testid={`signup-kind-${value}`}>
                      <Typography.Text strong>{t(`signup.kinds.${value}.title`)}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">{t(`signup.kinds.${value}.description`)}</Typography.Text>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
            {kind === 'vendor' ? (
              <Alert type="info" showIcon title={t('signup.vendorApprovalNote')} style={{ marginBottom: 16 }} data-testid="vendor-approval-note" />
            ) : null}
            <Form.Item name="organizationName" label={t('signup.organizationName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input data-testid="signup-organization-name" autoComplete="organization" />
            </Form.Item>
            <Form.Item name="displayName" label={t('signup.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input data-testid="signup-display-name" autoComplete="name" maxLength={80} />
            </Form.Item>
            <Form.Item
              name="email"
              label={t('signup.email')}
              rules={[
                { required: true, message: t('validation.required') },
                { type: 'email', message: t('validation.email') },
              ]}
            >
              <Input data-testid="signup-email" type="email" autoComplete="email" />
            </Form.Item>
            <Form.Item name="password" label={t('signup.password')} rules={passwordRules(t)} extra={t('signup.passwordHint')}>
              <Input.Password data-testid="signup-password" autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="confirmPassword" label={t('signup.confirmPassword')} dependencies={['password']} rules={confirmPasswordRules(t)}>
              <Input.Password data-testid="signup-confirm-password" autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={signup.isPending} data-testid="signup-submit">
              {t('signup.submit')}
            </Button>
          </Form>
          <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
            {t('signup.haveAccount')} <Link to="/login">{t('signup.loginLink')}</Link>
          </Typography.Paragraph>
        </Card>
      </PublicFormColumn>
    </PublicLayout>
  );
}
