import { DatabaseOutlined, LockOutlined, SafetyCertificateOutlined, UnlockOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Row, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { PublicLayout } from '../components/public-layout';

type ClassificationKey = 'open' | 'conditional' | 'restricted';
type AudienceKey = 'agencies' | 'vendors' | 'enterprises' | 'finance';

const classificationIcons: Record<ClassificationKey, ReactNode> = {
  open: <UnlockOutlined />,
  conditional: <SafetyCertificateOutlined />,
  restricted: <LockOutlined />,
};
const classificationColors: Record<ClassificationKey, string> = { open: 'green', conditional: 'gold', restricted: 'red' };
const classifications: ClassificationKey[] = ['open', 'conditional', 'restricted'];
const audiences: AudienceKey[] = ['agencies', 'vendors', 'enterprises', 'finance'];

const sectionStyle = { maxWidth: 1120, margin: '0 auto', padding: '48px 24px' };

export function LandingPage() {
  const { t } = useTranslation();
  const { session } = useAuth();

  return (
    <PublicLayout>
      <section style={{ ...sectionStyle, paddingTop: 72 }}>
        <Typography.Title data-testid="page-title">{t('landing.heroTitle')}</Typography.Title>
        <Typography.Paragraph style={{ fontSize: 18, maxWidth: 760 }}>{t('landing.heroSubtitle')}</Typography.Paragraph>
        <Space size="middle">
          {session.status === 'authenticated' ? (
            <Link to="/console">
              <Button type="primary" size="large">
                {t('public.openConsole')}
              </Button>
            </Link>
          ) : (
            <>
              <Link to="/signup">
                <Button type="primary" size="large" data-testid="hero-signup">
                  {t('landing.ctaSignup')}
                </Button>
              </Link>
              <Link to="/login">
                <Button size="large" data-testid="hero-login">
                  {t('landing.ctaLogin')}
                </Button>
              </Link>
            </>
          )}
        </Space>
      </section>

      <section style={sectionStyle} data-testid="classification-section">
        <Typography.Title level={2}>{t('landing.classificationTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('landing.classificationIntro')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {classifications.map((key) => (
            <Col xs={24} md={8} key={key}>
              <Card style={{ height: '100%' }}>
                <Space orientation="vertical">
                  <Tag icon={classificationIcons[key]} color={classificationColors[key]}>
                    {t(`classification.${key}.name`)}
                  </Tag>
                  <Typography.Text>{t(`classification.${key}.description`)}</Typography.Text>
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      </section>

      <section style={sectionStyle} data-testid="audience-section">
        <Typography.Title level={2}>{t('landing.audienceTitle')}</Typography.Title>
        <Row gutter={[16, 16]}>
          {audiences.map((key) => (
            <Col xs={24} sm={12} lg={6} key={key}>
              <Card title={t(`landing.audiences.${key}.title`)} style={{ height: '100%' }}>
                <Typography.Text>{t(`landing.audiences.${key}.description`)}</Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
      </section>

      <section style={sectionStyle} id="catalog" data-testid="catalog-section">
        <Typography.Title level={2}>{t('landing.catalogTitle')}</Typography.Title>
        <Card>
          <Flex vertical align="center">
            <Empty
              image={<DatabaseOutlined style={{ fontSize: 48 }} />}
              description={
                <Space orientation="vertical">
                  <Typography.Text strong data-testid="catalog-empty">
                    {t('landing.catalogEmptyTitle')}
                  </Typography.Text>
                  <Typography.Text type="secondary">{t('landing.catalogEmptyDescription')}</Typography.Text>
                </Space>
              }
            />
          </Flex>
        </Card>
      </section>
    </PublicLayout>
  );
}
