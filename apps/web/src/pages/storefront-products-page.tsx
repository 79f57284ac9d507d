import { AppstoreOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Flex, Grid, Row, Select, Skeleton, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductSummary, Theme } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { SearchBox } from '../catalog/search-box';
import { THEME_LIST_HEIGHT, themes } from '../catalog/vocabulary';
import { formatMoney } from '../commerce/money';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount, formatDate } from '../components/number-format';
import { PublicLayout } from '../components/public-layout';
import { ProductKindTag } from '../products/product-tags';
import { PRODUCT_SEARCH_MAX_LENGTH, storefrontListParams, storefrontListQuery } from '../products/storefront-state';

/** The storefront's data products: what vendors and agencies offer, built on the city's data. */
export function StorefrontProductsPage() {
  const { t, i18n } = useTranslation();
  const narrow = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const query = storefrontListQuery(params);
  const { theme, q } = query;
  const products = useQuery({
    queryKey: queryKeys.catalogProducts(query),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products', { params: { query } })),
  });
  const items = products.data?.items ?? [];

  return (
    <PublicLayout>
      <div style={{ maxWidth: 1200, margin: '0 auto', padding: narrow ? '16px 12px 32px' : '24px 24px 48px' }}>
        <div style={{ maxWidth: 760, marginBottom: 16 }}>
          <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
            {t('products.storefront.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('products.storefront.intro')}
          </Typography.Paragraph>
        </div>
        <Flex gap={12} wrap={narrow ? 'wrap' : 'nowrap'} style={{ marginBottom: 16 }}>
          <div style={{ flex: '1 1 320px', minWidth: 0 }}>
            <SearchBox
              initial={q ?? ''}
              onSearch={(words) => setParams(storefrontListParams({ theme, q: words.trim() }))}
              testId="storefront-search"
              maxLength={PRODUCT_SEARCH_MAX_LENGTH}
              placeholder={t('products.storefront.searchPlaceholder')}
              label={t('products.storefront.searchLabel')}
              size="middle"
            />
          </div>
          <Select<Theme>
            allowClear
            value={theme}
            placeholder={t('products.storefront.allThemes')}
            onChange={(value) => setParams(storefrontListParams({ q, theme: value }))}
            options={themes.map((value) => ({ value, label: t(`vocab.themes.${value}`) }))}
            listHeight={THEME_LIST_HEIGHT}
            style={{ minWidth: 220, width: narrow ? '100%' : undefined }}
            aria-label={t('products.fields.theme')}
            data-testid="storefront-theme"
          />
        </Flex>
        {products.isPending ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : products.isError ? (
          <Alert type="error" showIcon title={t('common.loadFailed')} description={describeApiError(products.error, t)} />
        ) : items.length === 0 ? (
          <Card>
            <Empty image={<AppstoreOutlined style={{ fontSize: 48 }} />} description={q ? t('products.storefront.emptySearch', { q }) : theme ? t('products.storefront.emptyTheme') : t('products.storefront.empty')} data-testid="storefront-empty" />
          </Card>
        ) : (
          <>
            <Typography.Paragraph type="secondary" data-testid="storefront-total">
              {t('products.storefront.total', { count: items.length, formatted: formatCount(items.length, i18n.language) })}
            </Typography.Paragraph>
            <Row gutter={[16, 16]}>
              {items.map((product) => (
                <Col xs={24} md={12} xl={8} key={product.id}>
                  <ProductCard product={product} />
                </Col>
              ))}
            </Row>
          </>
        )}
      </div>
    </PublicLayout>
  );
}

function ProductCard({ product }: { product: ProductSummary }) {
  const { t, i18n } = useTranslation();
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);
  return (
    <Card size="small" style={{ height: '100%' }} data-testid="product-card" data-slug={product.slug}>
      <Flex vertical gap={8}>
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>
            <Link to={`/products/${product.slug}`} data-testid="product-card-title">
              {title.primary}
            </Link>
          </Typography.Title>
          {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
        </div>
        <Space wrap size={[8, 4]}>
          <ProductKindTag kind={product.kind} />
          <Typography.Text type="secondary">{t(`vocab.themes.${product.theme}`)}</Typography.Text>
        </Space>
        <Typography.Text data-testid="product-card-publisher">{product.organizationName}</Typography.Text>
        {product.entryPrice ? (
          <Typography.Text strong data-testid="product-card-price" data-kind={product.entryPrice.kind}>
            {entryPriceText(product.entryPrice, t, i18n.language)}
          </Typography.Text>
        ) : null}
        <Typography.Text type="secondary">
          {[
            product.rowCount !== null ? t('catalog.rows', { formatted: formatCount(product.rowCount, i18n.language) }) : null,
            product.version !== null ? t('versions.version', { version: product.version }) : null,
            t('catalog.updatedOn', { date: formatDate(product.updatedAt, i18n.language) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

/** A card's price: free, from the smallest fee (per month, per year or once), or priced by usage. */
function entryPriceText(price: NonNullable<ProductSummary['entryPrice']>, t: TFunction, language: string): string {
  if (price.kind === 'usage') return t('products.storefront.price.usage');
  if (price.kind === 'free' && price.amount === undefined) return t('products.storefront.price.free');
  const amount = formatMoney(price.amount ?? 0, price.currency ?? 'CNY', language);
  const per = price.interval ?? 'once';
  return price.kind === 'free' ? t('products.storefront.price.freeAndPaid', { paid: t(`products.storefront.price.paid_${per}`, { amount }) }) : t(`products.storefront.price.from_${per}`, { amount });
}
