import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { AcceptInvitationForm, type AcceptInvitationFields, type AcceptInvitationValues } from '../auth/accept-invitation-form';
import { describeApiError, useFormErrorHandler } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { PublicFormColumn, PublicLayout } from '../components/public-layout';

export function InvitePage() {
  const { token = '' } = useParams<{ token: string }>();
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<AcceptInvitationFields>();
  const handleError = useFormErrorHandler(form);

  const preview = useQuery({
    queryKey: queryKeys.invitationPreview(token),
    queryFn: () => unwrap(api.POST('/api/v1/invitations/preview', { body: { token } })),
    enabled: token.length > 0,
  });

  const accept = useMutation({
    mutationFn: ({ displayName, password }: AcceptInvitationValues) =>
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
        {invitation.existingAccount ? (
          <Alert type="info" showIcon title={t('invite.existingAccount', { email: invitation.email })} style={{ marginBottom: 16 }} data-testid="invite-existing-account" />
        ) : null}
        <AcceptInvitationForm
          form={form}
          existingAccount={invitation.existingAccount}
          submitting={accept.isPending}
          onSubmit={(values) => accept.mutate(values)}
        />
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
