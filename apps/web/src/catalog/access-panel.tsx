import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RequestAccessModal } from '../access/request-access-modal';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDetail } from '../api/schema-types';
import { useAuth } from '../auth/auth-context';
import type { LoginRedirectState } from '../auth/require-auth';
import { formatDate } from '../components/number-format';
import { accessSituation, type AccessSituation } from './access-situation';
import { ClassificationTag } from './catalog-tags';
import { DownloadButtons } from './download-buttons';
import { localizedText } from './localized-text';

/** What the visitor may do with the rows, in one sentence, and the action that follows. */
export function AccessPanel({ dataset }: { dataset: DatasetDetail }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [requesting, setRequesting] = useState(false);
  const signedIn = me !== undefined;
  const permissions = me?.permissions ?? [];
  // The organization's own requests and grants matter only for conditional data it does not own.
  const needsOwnAccess = signedIn && dataset.classification === 'conditional' && dataset.rowAccess !== 'owner' && permissions.includes('access_requests:read');

  const requests = useQuery({
    queryKey: queryKeys.myAccessRequests,
    queryFn: () => unwrap(api.GET('/api/v1/access-requests')),
    enabled: needsOwnAccess && dataset.rowAccess === 'denied',
  });
  const grants = useQuery({
    queryKey: queryKeys.accessGrants,
    queryFn: () => unwrap(api.GET('/api/v1/access-grants')),
    enabled: needsOwnAccess && dataset.rowAccess === 'granted',
  });

  const situation = accessSituation(dataset, { signedIn, permissions }, requests.data?.items, grants.data?.items);
  const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language).primary;

  return (
    <Card title={t('dataset.access.title')} size="small" data-testid="access-panel" data-situation={situation.kind}>
      <Flex vertical gap={12}>
        <div>
          <ClassificationTag classification={dataset.classification} />
        </div>
        <Typography.Text data-testid="classification-explained">{t(`dataset.access.explain.${dataset.classification}`)}</Typography.Text>
        <SituationBlock situation={situation} dataset={dataset} signedIn={signedIn} onRequest={() => setRequesting(true)} />
      </Flex>
      {situation.kind === 'requestAccess' ? (
        <RequestAccessModal
          open={requesting}
          datasetId={dataset.id}
          datasetTitle={title}
          agencyName={dataset.agency.name}
          onClose={() => setRequesting(false)}
        />
      ) : null}
    </Card>
  );
}

function SituationBlock({
  situation,
  dataset,
  signedIn,
  onRequest,
}: {
  situation: AccessSituation;
  dataset: DatasetDetail;
  signedIn: boolean;
  onRequest(): void;
}) {
  const { t, i18n } = useTranslation();
  const loginState: LoginRedirectState = { from: `/catalog/${dataset.slug}` };

  switch (situation.kind) {
    case 'download':
      return (
        <>
          {situation.reason === 'owner' ? <Typography.Text type="secondary">{t('dataset.access.owner')}</Typography.Text> : null}
          {situation.reason === 'granted' ? (
            <Alert
              type="success"
              showIcon
              data-testid="access-granted"
              title={
                situation.grant
                  ? t('dataset.access.grantedUntil', { date: formatDate(situation.grant.expiresAt, i18n.language) })
                  : t('dataset.access.granted')
              }
            />
          ) : null}
          <DownloadButtons datasetRef={dataset.slug} signedIn={signedIn} />
        </>
      );
    case 'restricted':
      return <Alert type="warning" showIcon data-testid="restricted-notice" title={t('dataset.access.restrictedTitle')} description={t('dataset.access.restrictedNotice')} />;
    case 'noData':
      return <Typography.Text type="secondary">{t('dataset.access.noData')}</Typography.Text>;
    case 'signIn':
      return (
        <>
          <Typography.Text type="secondary">{t('dataset.access.signInInvite')}</Typography.Text>
          <Link to="/login" state={loginState}>
            <Button type="primary" data-testid="access-sign-in">
              {t('dataset.access.signIn')}
            </Button>
          </Link>
        </>
      );
    case 'requestAccess':
      return (
        <>
          <Typography.Text type="secondary">{t('dataset.access.requestInvite')}</Typography.Text>
          <div>
            <Button type="primary" onClick={onRequest} data-testid="request-access-open">
              {t('dataset.access.request')}
            </Button>
          </div>
        </>
      );
    case 'pending':
      return (
        <Alert
          type="info"
          showIcon
          data-testid="access-pending"
          title={t('dataset.access.pending', { date: formatDate(situation.request.createdAt, i18n.language) })}
          description={<Link to="/console/my-access">{t('dataset.access.followRequest')}</Link>}
        />
      );
    case 'askAdministrator':
      return (
        <Typography.Text type="secondary" data-testid="access-ask-admin">
          {t('dataset.access.askAdministrator')}
        </Typography.Text>
      );
  }
}
