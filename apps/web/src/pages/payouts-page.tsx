import { BankOutlined, CheckCircleOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ConnectAccount } from '../api/schema-types';
import { optionalText } from '../commerce/commerce-display';
import { browserNavigation } from '../commerce/purchase';
import { describeApiError, useShowApiError } from '../components/api-error-feedback';
import { PageHeader } from '../components/page-header';

/** Where the vendor's share is paid: a Stripe Connect account (onboarded on Stripe's pages), or bank transfer when the platform runs offline. */
export function PayoutsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const onboarding = params.get('onboarding');
  const { token } = theme.useToken();
  const config = useQuery({ queryKey: queryKeys.paymentsConfig, queryFn: () => unwrap(api.GET('/api/v1/payments/config')) });
  const stripe = config.data?.provider === 'stripe';
  const account = useQuery({
    queryKey: queryKeys.connectAccount,
    queryFn: () => unwrap(api.GET('/api/v1/payouts/stripe/account')),
    enabled: stripe,
  });

  let body;
  if (config.isPending || (stripe && account.isPending)) body = <Skeleton active paragraph={{ rows: 5 }} />;
  else if (config.isError) body = <Alert type="error" showIcon title={describeApiError(config.error, t)} />;
  else if (!stripe) {
    body = (
      <Card data-testid="payouts-offline">
        <Result icon={<BankOutlined style={{ color: token.colorPrimary }} />} title={t('commerce.payouts.offlineTitle')} subTitle={t('commerce.payouts.offlineDescription')} />
      </Card>
    );
  } else if (account.isError) body = <Alert type="error" showIcon title={describeApiError(account.error, t)} />;
  else if (account.data) body = <StripeAccount account={account.data} />;

  return (
    <>
      <PageHeader title={t('commerce.payouts.title')} description={t('commerce.payouts.description')} />
      {onboarding === 'done' ? <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('commerce.payouts.returned')} data-testid="payouts-returned" /> : null}
      {onboarding === 'refresh' ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('commerce.payouts.linkExpired')} data-testid="payouts-refresh" /> : null}
      {body}
    </>
  );
}

function StripeAccount({ account }: { account: ConnectAccount }) {
  const { t } = useTranslation();
  const showError = useShowApiError();
  const link = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/payouts/stripe/account-link')),
    onSuccess: ({ url }) => browserNavigation.assign(url),
    onError: showError,
  });
  const accountId = optionalText(account.accountId);
  const ready = account.detailsSubmitted && account.payoutsEnabled;
  const flag = (on: boolean, testId: string) =>
    on ? (
      <Tag color="green" icon={<CheckCircleOutlined />} data-testid={testId} data-value="true">
        {t('commerce.payouts.yes')}
      </Tag>
    ) : (
      <Tag color="default" icon={<ClockCircleOutlined />} data-testid={testId} data-value="false">
        {t('commerce.payouts.notYet')}
      </Tag>
    );
  return (
    <Card data-testid="payouts-stripe" data-ready={String(ready)}>
      <Typography.Paragraph>{accountId ? (ready ? t('commerce.payouts.ready') : t('commerce.payouts.unfinished')) : t('commerce.payouts.noAccount')}</Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'account', label: t('commerce.payouts.account'), children: accountId ? <Typography.Text code>{accountId}</Typography.Text> : t('common.none') },
          { key: 'details', label: t('commerce.payouts.detailsSubmitted'), children: flag(account.detailsSubmitted, 'payouts-details') },
          { key: 'charges', label: t('commerce.payouts.chargesEnabled'), children: flag(account.chargesEnabled, 'payouts-charges') },
          { key: 'payouts', label: t('commerce.payouts.payoutsEnabled'), children: flag(account.payoutsEnabled, 'payouts-enabled') },
        ]}
      />
      <Button type={ready ? 'default' : 'primary'} loading={link.isPending} onClick={() => link.mutate()} data-testid="payouts-onboard">
        {accountId ? (ready ? t('commerce.payouts.update') : t('commerce.payouts.continue')) : t('commerce.payouts.start')}
      </Button>
    </Card>
  );
}
