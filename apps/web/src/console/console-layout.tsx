import { ReadOutlined } from '@ant-design/icons';
import { Button, Flex, Layout, Space, Spin, Typography, theme } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useMe } from '../auth/auth-context';
import { LanguageSwitch } from '../i18n/language-switch';
import { ConsoleNav } from './console-nav';
import { OrganizationStatusBanner } from './organization-status-banner';
import { OrganizationSwitcher } from './organization-switcher';
import { UserMenu } from './user-menu';

export function ConsoleLayout() {
  const me = useMe();
  const { t } = useTranslation();
  const { token } = theme.useToken();

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" breakpoint="lg" collapsedWidth={0} width={232} data-testid="console-sider">
        <Link to="/" style={{ display: 'block', padding: '16px 24px' }}>
          <Typography.Text strong>{t('app.name')}</Typography.Text>
        </Link>
        <ConsoleNav permissions={me.permissions} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: token.colorBgContainer, paddingInline: 24 }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }} gap={16}>
            <OrganizationSwitcher />
            <Space size="middle">
              <Button type="link" href="/api/docs" target="_blank" rel="noopener noreferrer" icon={<ReadOutlined />}>
                {t('console.apiDocs')}
              </Button>
              <LanguageSwitch />
              <UserMenu />
            </Space>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <OrganizationStatusBanner status={me.organization.status} kind={me.organization.kind} />
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
