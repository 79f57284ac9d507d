import { ReadOutlined } from '@ant-design/icons';
import { Button, Flex, Grid, Layout, Space, Spin, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
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
  // Below the md breakpoint (phones) the header keeps icons only and the sider folds away.
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [navCollapsed, setNavCollapsed] = useState(false);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        breakpoint="lg"
        collapsedWidth={0}
        width={232}
        collapsed={navCollapsed}
        onCollapse={setNavCollapsed}
        data-testid="console-sider"
      >
        {/* Folded to zero width on small screens: render nothing, or its text would peek out. */}
        {navCollapsed ? null : (
          <>
            <Link to="/" style={{ display: 'block', padding: '16px 24px' }}>
              <Typography.Text strong>{t('app.name')}</Typography.Text>
            </Link>
            <ConsoleNav permissions={me.permissions} />
          </>
        )}
      </Layout.Sider>
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header style={{ background: token.colorBgContainer, paddingInline: narrow ? 12 : 24 }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }} gap={16}>
            <OrganizationSwitcher />
            <Space size="middle">
              <Button type="link" href="/api/docs" target="_blank" rel="noopener noreferrer" icon={<ReadOutlined />} aria-label={t('console.apiDocs')}>
                {narrow ? null : t('console.apiDocs')}
              </Button>
              <LanguageSwitch />
              <UserMenu />
            </Space>
          </Flex>
        </Layout.Header>
        {/* On phones the folded navigation's tab sits at the top left: keep page titles below it. */}
        <Layout.Content style={{ margin: narrow ? 12 : 24, marginTop: narrow ? 60 : 24, minWidth: 0 }}>
          <OrganizationStatusBanner status={me.organization.status} kind={me.organization.kind} />
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
