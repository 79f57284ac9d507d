import { Card, Col, Descriptions, List, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OrganizationStatus } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { navLabelKey, visibleNavItems } from '../console/console-nav-items';
import { upcomingCapabilitiesByRole } from '../console/role-capabilities';
import { NotYetAvailableTag } from '../components/not-yet-available-tag';
import { PageHeader } from '../components/page-header';

const statusColors: Record<OrganizationStatus, string> = { active: 'green', pending_approval: 'gold', suspended: 'red' };

/** Role home: who you are here, what works today, and what is coming (clearly marked). */
export function ConsoleHomePage() {
  const me = useMe();
  const { t } = useTranslation();
  const availableNow = visibleNavItems(me.permissions).filter((item) => item.key !== 'home');
  const upcoming = upcomingCapabilitiesByRole[me.role];

  return (
    <>
      <PageHeader title={t(`home.titles.${me.role}`)} description={t(`home.intros.${me.role}`)} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('home.yourOrganization')} data-testid="home-organization">
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'organization', label: t('home.organization'), children: me.organization.name },
                { key: 'kind', label: t('home.organizationKind'), children: t(`organizationKinds.${me.organization.kind}`) },
                {
                  key: 'status',
                  label: t('home.organizationStatus'),
                  children: <Tag color={statusColors[me.organization.status]}>{t(`organizationStatuses.${me.organization.status}`)}</Tag>,
                },
                { key: 'role', label: t('home.role'), children: <span data-testid="home-role">{t(`roles.${me.role}`)}</span> },
                { key: 'user', label: t('home.user'), children: `${me.user.displayName} <${me.user.email}>` },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('home.availableNow')} data-testid="home-available">
            {availableNow.length === 0 ? (
              <Typography.Text type="secondary">{t('home.nothingAvailableYet')}</Typography.Text>
            ) : (
              <List
                dataSource={availableNow}
                renderItem={(item) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        item.external ? (
                          <a href={item.path} target="_blank" rel="noopener noreferrer">
                            {t(navLabelKey(item.key, me.organization.kind))}
                          </a>
                        ) : (
                          <Link to={item.path}>{t(navLabelKey(item.key, me.organization.kind))}</Link>
                        )
                      }
                      description={
                        isReadOnly(item.key, me.permissions) ? t(`home.navDescriptionsReadOnly.${item.key}`) : t(`home.navDescriptions.${item.key}`)
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        {upcoming.length === 0 ? null : (
          <Col xs={24}>
            <Card title={t('home.comingLater')} data-testid="home-upcoming">
              <Typography.Paragraph type="secondary">{t('home.comingLaterNote')}</Typography.Paragraph>
              <List
                dataSource={upcoming}
                renderItem={(capability) => (
                  <List.Item extra={<NotYetAvailableTag />}>
                    <List.Item.Meta title={t(`capabilities.${capability}.title`)} description={t(`capabilities.${capability}.description`)} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}

/** Pages a role may open but not change: describe them without promising actions it cannot take. */
const MANAGE_PERMISSION = {
  members: 'members:manage',
  'api-keys': 'api_keys:manage',
  organizations: 'organizations:manage',
  'my-access': 'access_requests:file',
  licenses: 'licenses:buy',
  invoices: 'licenses:buy',
  'finance-invoices': 'invoices:settle',
  'finance-settlements': 'finance:manage',
  'finance-periods': 'finance:manage',
  'finance-policy': 'finance:manage',
} as const;

function isReadOnly(key: string, permissions: readonly string[]): key is keyof typeof MANAGE_PERMISSION {
  return key in MANAGE_PERMISSION && !permissions.includes(MANAGE_PERMISSION[key as keyof typeof MANAGE_PERMISSION]);
}
