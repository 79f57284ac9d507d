import { useMutation } from '@tanstack/react-query';
import { Alert, Card, Form, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth/auth-context';
import { LoginForm, type LoginFormValues } from '../auth/login-form';
import type { LoginRedirectState } from '../auth/require-auth';
import { applyValidationIssues, describeApiError } from '../components/api-error-feedback';
import { PublicFormColumn, PublicLayout } from '../components/public-layout';

/** Only same-app paths are followed after login, never an arbitrary URL. */
function safeReturnPath(from: string | undefined): string {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/console';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { session, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const redirect = (location.state ?? {}) as LoginRedirectState;
  const [form] = Form.useForm<LoginFormValues>();
  const [errorText, setErrorText] = useState<string | null>(null);

  const login = useMutation({
    mutationFn: (values: LoginFormValues) => unwrap(api.POST('/api/v1/auth/login', { body: values })),
    onSuccess: (tokens) => {
      signIn(tokens);
      navigate(safeReturnPath(redirect.from), { replace: true });
    },
    onError: (error) => {
      applyValidationIssues(form, error);
      setErrorText(describeApiError(error, t));
    },
  });

  if (session.status === 'authenticated' && !login.isPending) {
    return <Navigate to={safeReturnPath(redirect.from)} replace />;
  }

  return (
    <PublicLayout>
      <PublicFormColumn>
        <Card>
          <Typography.Title level={3} data-testid="page-title">
            {t('login.title')}
          </Typography.Title>
          {redirect.reason === 'expired' ? (
            <Alert type="info" showIcon title={t('login.sessionExpired')} style={{ marginBottom: 16 }} data-testid="session-expired" />
          ) : null}
          <LoginForm
            form={form}
            submitting={login.isPending}
            errorText={errorText}
            onSubmit={(values) => {
              setErrorText(null);
              login.mutate(values);
            }}
          />
          <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
            {t('login.noAccount')} <Link to="/signup">{t('login.signupLink')}</Link>
          </Typography.Paragraph>
        </Card>
      </PublicFormColumn>
    </PublicLayout>
  );
}
