import { DatabaseOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { ClassificationTag } from '../catalog/catalog-tags';
import { facetOptions } from '../catalog/facets';
import { SearchBox } from '../catalog/search-box';
import { toSearchParams, withFacet, withQuery, emptySearchState } from '../catalog/search-state';
import { classifications, isOneOf, themes } from '../catalog/vocabulary';
import { formatCount } from '../components/number-format';
import { PublicLayout } from '../components/public-layout';

type AudienceKey = 'agencies' | 'vendors' | 'enterprises' | 'finance';

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
                  <ClassificationTag classification={key} />
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
        <CatalogTeaser />
      </section>
    </PublicLayout>
  );
}

const teaserQuery = { page: 1, pageSize: 1 };

/** The catalog at a glance: a search box, how many datasets, and the themes they cover. */
function CatalogTeaser() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const overview = useQuery({
    queryKey: queryKeys.catalogSearch(teaserQuery),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets', { params: { query: teaserQuery } })),
  });
  const openCatalog = (params: URLSearchParams) => navigate({ pathname: '/catalog', search: params.toString() });

  if (overview.isPending) return <Skeleton active />;
  const total = overview.data?.total ?? 0;
  if (total === 0) {
    return (
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
    );
  }
  const facets = overview.data?.facets ?? [];
  const themeCounts = facetOptions(facets, 'theme', undefined).filter((option) => isOneOf(themes, option.value));
  const classificationCounts = facetOptions(facets, 'classification', undefined).filter((option) => isOneOf(classifications, option.value));

  return (
    <Card>
      <Flex vertical gap={16}>
        <Typography.Text data-testid="landing-catalog-total">{t('landing.catalogTotal', { formatted: formatCount(total, i18n.language) })}</Typography.Text>
        <SearchBox initial="" onSearch={(words) => openCatalog(toSearchParams(withQuery(emptySearchState, words)))} testId="landing-search-input" />
        <Space wrap size={[8, 8]}>
          {classificationCounts.map((option) =>
            isOneOf(classifications, option.value) ? (
              <Link key={option.value} to={`/catalog?${toSearchParams(withFacet(emptySearchState, 'classification', option.value)).toString()}`}>
                <Space size={4}>
                  <ClassificationTag classification={option.value} />
                  <Typography.Text type="secondary">{formatCount(option.count, i18n.language)}</Typography.Text>
                </Space>
              </Link>
            ) : null,
          )}
        </Space>
        <Space wrap size={[8, 8]} data-testid="landing-themes">
          {themeCounts.map((option) =>
            isOneOf(themes, option.value) ? (
              <Link key={option.value} to={`/catalog?${toSearchParams(withFacet(emptySearchState, 'theme', option.value)).toString()}`}>
                <Tag style={{ fontSize: 14, padding: '4px 10px', cursor: 'pointer' }}>
                  {t(`vocab.themes.${option.value}`)} {formatCount(option.count, i18n.language)}
                </Tag>
              </Link>
            ) : null,
          )}
        </Space>
        <div>
          <Link to="/catalog">
            <Button type="primary" data-testid="landing-browse-catalog">
              {t('landing.browseCatalog')}
            </Button>
          </Link>
        </div>
      </Flex>
    </Card>
  );
}
