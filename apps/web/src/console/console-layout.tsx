import { MenuOutlined, ReadOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Grid, Layout, Space, Spin, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useMe } from '../auth/auth-context';
import { LanguageSwitch } from '../i18n/language-switch';
import { NotificationBell } from '../notifications/notification-bell';
import { ConsoleNav } from './console-nav';
import { OrganizationStatusBanner } from './organization-status-banner';
import { OrganizationSwitcher } from './organization-switcher';
import { UserMenu } from './user-menu';

const SIDER_WIDTH = 232;
const DRAWER_WIDTH = 280;

export function ConsoleLayout() {
  const me = useMe();
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  // Below md (phones) the header keeps icons only; below lg the navigation is a drawer over the page, never beside it.
  const narrow = !screens.md;
  const drawerNav = !screens.lg;
  // The drawer belongs to the location it was opened at: any navigation closes it.
  const [navOpenedAt, setNavOpenedAt] = useState<string | null>(null);
  const navOpen = drawerNav && navOpenedAt === location.key;
  const closeNav = () => setNavOpenedAt(null);

  const apiDocs = (
    <Button type="link" href="/api/docs" target="_blank" rel="noopener noreferrer" icon={<ReadOutlined />} data-testid="console-api-docs">
      {t('console.apiDocs')}
    </Button>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {drawerNav ? null : (
        <Layout.Sider theme="light" width={SIDER_WIDTH} data-testid="console-sider">
          <Link to="/" style={{ display: 'block', padding: '16px 24px' }}>
            <Typography.Text strong>{t('app.name')}</Typography.Text>
          </Link>
          <ConsoleNav permissions={me.permissions} organizationKind={me.organization.kind} />
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header style={{ background: token.colorBgContainer, paddingInline: narrow ? 8 : 24, lineHeight: 'normal' }}>
          <Flex align="center" style={{ height: '100%' }} gap={narrow ? 8 : 16}>
            {drawerNav ? (
              <Button
                type="text"
                icon={<MenuOutlined />}
                onClick={() => setNavOpenedAt(location.key)}
                aria-label={t('console.openMenu')}
                aria-expanded={navOpen}
                aria-controls="console-nav-drawer"
                data-testid="console-menu-button"
                style={{ flex: 'none' }}
              />
            ) : null}
            {/* The organization's name takes the room left and shortens; the controls on the right never move under it. */}
            <div style={{ flex: '1 1 auto', minWidth: 0 }}>
              <OrganizationSwitcher />
            </div>
            <Space size={narrow ? 4 : 'middle'} style={{ flex: 'none' }}>
              {narrow ? null : apiDocs}
              <NotificationBell />
              <LanguageSwitch />
              <UserMenu />
            </Space>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ margin: narrow ? 12 : 24, minWidth: 0 }}>
          <OrganizationStatusBanner status={me.organization.status} kind={me.organization.kind} />
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {drawerNav ? (
        <Drawer
          open={navOpen}
          onClose={closeNav}
          placement="left"
          size={DRAWER_WIDTH}
          title={
            <Link to="/" onClick={closeNav}>
              {t('app.name')}
            </Link>
          }
          styles={{ body: { padding: 0 }, header: { paddingInline: 16 } }}
        >
          <nav id="console-nav-drawer" aria-label={t('console.menu')} data-testid="console-nav-drawer">
            <ConsoleNav permissions={me.permissions} organizationKind={me.organization.kind} onNavigate={closeNav} />
            {narrow ? <div style={{ padding: '8px 12px 16px' }}>{apiDocs}</div> : null}
          </nav>
        </Drawer>
      ) : null}
    </Layout>
  );
}
