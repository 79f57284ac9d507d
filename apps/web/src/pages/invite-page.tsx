import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { confirmPasswordRules, passwordRules } from '../auth/password-rules';
import { describeApiError, useFormErrorHandler } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { PublicFormColumn, PublicLayout } from '../components/public-layout';

interface AcceptFormValues {
  displayName: string;
  password: string;
  confirmPassword: string;
}

export function InvitePage() {
  const { token = '' } = useParams<{ token: string }>();
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<AcceptFormValues>();
  const handleError = useFormErrorHandler(form);

  const preview = useQuery({
    queryKey: queryKeys.invitationPreview(token),
    queryFn: () => unwrap(api.POST('/api/v1/invitations/preview', { body: { token } })),
    enabled: token.length > 0,
  });

  const accept = useMutation({
    mutationFn: ({ displayName, password }: AcceptFormValues) =>
      unwrap(api.POST('/api/v1/invitations/accept', { body: { token, displayName, password } })),
    onSuccess: (tokens) => {
      signIn(tokens);
      navigate('/console', { replace: true });
    },
    onError: handleError,
  });

  let content;
  if (preview.isPending) {
    content = <Spin />;
  } else if (preview.isError) {
    content = (
      <Result
        status="warning"
        title={t('invite.invalidTitle')}
        subTitle={describeApiError(preview.error, t)}
        extra={
          <Link to="/">
            <Button>{t('notFound.backHome')}</Button>
          </Link>
        }
        data-testid="invite-invalid"
      />
    );
  } else {
    const invitation = preview.data;
    content = (
      <>
        <Typography.Paragraph>
          {t('invite.intro', { organization: invitation.organizationName, role: t(`roles.${invitation.role}`) })}
        </Typography.Paragraph>
        <Descriptions
          column={1}
          size="small"
          bordered
          style={{ marginBottom: 24 }}
          data-testid="invite-preview"
          items={[
            { key: 'organization', label: t('invite.organization'), children: invitation.organizationName },
            { key: 'kind', label: t('invite.organizationKind'), children: t(`organizationKinds.${invitation.organizationKind}`) },
            { key: 'email', label: t('invite.email'), children: invitation.email },
            { key: 'role', label: t('invite.role'), children: t(`roles.${invitation.role}`) },
            { key: 'expiresAt', label: t('invite.expiresAt'), children: <DateTime value={invitation.expiresAt} /> },
          ]}
        />
        {invitation.organizationKind === 'vendor' ? <Alert type="info" showIcon title={t('signup.vendorApprovalNote')} style={{ marginBottom: 16 }} /> : null}
        <Form<AcceptFormValues> form={form} layout="vertical" requiredMark={false} onFinish={(values) => accept.mutate(values)} noValidate>
          <Form.Item name="displayName" label={t('signup.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input data-testid="invite-display-name" autoComplete="name" />
          </Form.Item>
          <Form.Item name="password" label={t('signup.password')} rules={passwordRules(t)} extra={t('signup.passwordHint')}>
            <Input.Password data-testid="invite-password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirmPassword" label={t('signup.confirmPassword')} dependencies={['password']} rules={confirmPasswordRules(t)}>
            <Input.Password data-testid="invite-confirm-password" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={accept.isPending} data-testid="invite-accept">
            {t('invite.accept')}
          </Button>
        </Form>
      </>
    );
  }

  return (
    <PublicLayout>
      <PublicFormColumn>
        <Card>
          <Typography.Title level={3} data-testid="page-title">
            {t('invite.title')}
          </Typography.Title>
          {content}
        </Card>
      </PublicFormColumn>
    </PublicLayout>
  );
}
