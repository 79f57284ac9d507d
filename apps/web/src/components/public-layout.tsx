import { AppstoreOutlined, ReadOutlined } from '@ant-design/icons';
import { Button, Flex, Grid, Layout, Space, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { LanguageSwitch } from '../i18n/language-switch';

/** Header and footer shared by the storefront, login, sign-up and invitation pages. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const { token } = theme.useToken();
  // Phones: the catalog and products links keep their icons only, so the header fits on one line.
  const narrow = !Grid.useBreakpoint().sm;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* The brand keeps its whole name: when the links do not fit beside it, they move to a second line. */}
      <Layout.Header
        style={{
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          paddingInline: narrow ? 12 : 24,
          height: 'auto',
          minHeight: 64,
          lineHeight: 'normal',
          paddingBlock: 12,
        }}
      >
        <Flex justify="space-between" align="center" wrap style={{ minHeight: 40 }} gap={8}>
          <Link to="/" data-testid="brand" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
            <Typography.Text strong style={{ fontSize: 16 }}>
              {t('app.name')}
            </Typography.Text>
          </Link>
          <Space size={narrow ? 4 : 8} style={{ marginInlineStart: 'auto' }}>
            <Link to="/catalog" data-testid="header-catalog" aria-label={t('public.catalog')}>
              <Button type="text" icon={<ReadOutlined />}>
                {narrow ? null : t('public.catalog')}
              </Button>
            </Link>
            <Link to="/products" data-testid="header-products" aria-label={t('public.products')}>
              <Button type="text" icon={<AppstoreOutlined />}>
                {narrow ? null : t('public.products')}
              </Button>
            </Link>
            <LanguageSwitch />
            {session.status === 'authenticated' ? (
              <Link to="/console">
                <Button type="primary" data-testid="open-console">
                  {t('public.openConsole')}
                </Button>
              </Link>
            ) : (
              <>
                <Link to="/login">
                  <Button data-testid="header-login">{t('public.login')}</Button>
                </Link>
                <Link to="/signup">
                  <Button type="primary" data-testid="header-signup">
                    {t('public.signup')}
                  </Button>
                </Link>
              </>
            )}
          </Space>
        </Flex>
      </Layout.Header>
      <Layout.Content>{children}</Layout.Content>
      <Layout.Footer style={{ textAlign: 'center' }}>
        <Space wrap separator={<Typography.Text type="secondary">|</Typography.Text>} style={{ justifyContent: 'center' }}>
          <Typography.Text type="secondary">{t('public.footer')}</Typography.Text>
          <Link to="/disclosure" data-testid="footer-disclosure">
            {t('public.disclosure')}
          </Link>
          <a href="/api/docs" target="_blank" rel="noopener noreferrer">
            {t('public.apiDocs')}
          </a>
        </Space>
      </Layout.Footer>
    </Layout>
  );
}

/** A narrow card column for the login, sign-up and invitation forms. */
export function PublicFormColumn({ children }: { children: ReactNode }) {
  return <div style={{ maxWidth: 480, margin: '48px auto', padding: '0 16px' }}>{children}</div>;
}
