import { FilterOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Drawer, Empty, Flex, Grid, Pagination, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { FacetField, SearchSort } from '../api/schema-types';
import { DatasetCard } from '../catalog/dataset-card';
import { FacetPanel, useFacetLabel } from '../catalog/facet-panel';
import { SearchBox } from '../catalog/search-box';
import { facetOptions } from '../catalog/facets';
import {
  activeFilters,
  CATALOG_PAGE_SIZE,
  effectiveSort,
  emptySearchState,
  hasCriteria,
  parseSearchState,
  toApiQuery,
  toSearchParams,
  withFacet,
  withFacetValue,
  withPage,
  withQuery,
  withSort,
  type CatalogSearchState,
} from '../catalog/search-state';
import { searchSorts } from '../catalog/vocabulary';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { PublicLayout } from '../components/public-layout';

/** The storefront catalog: search, facets, sort and pages, all held in the URL. */
export function CatalogPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseSearchState(params), [params]);
  const narrow = !Grid.useBreakpoint().lg;
  const [filtersOpen, setFiltersOpen] = useState(false);
  const facetLabel = useFacetLabel();

  const query = toApiQuery(state);
  const search = useQuery({
    queryKey: queryKeys.catalogSearch(query),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const navigate = (next: CatalogSearchState) => setParams(toSearchParams(next));
  useEffect(() => {
    window.scrollTo?.({ top: 0 });
  }, [state.page]);

  const facets = search.data?.facets ?? [];
  const filters = activeFilters(state);
  const sort = effectiveSort(state);
  const total = search.data?.total ?? 0;
  const facetPanel = (
    <FacetPanel
      facets={facets}
      state={state}
      onToggle={(field, value, selected) => navigate(withFacetValue(state, field, value, selected))}
      onClear={(field) => navigate(withFacet(state, field, undefined))}
    />
  );

  const filterLabel = (field: FacetField, value: string) => {
    const option = facetOptions(facets, field, [value]).find((candidate) => candidate.value === value);
    return facetLabel(field, option ?? { value });
  };

  return (
    <PublicLayout>
      <div style={{ maxWidth: 1200, margin: '0 auto', padding: narrow ? '16px 12px 32px' : '32px 24px 48px' }}>
        <Typography.Title level={2} data-testid="page-title" style={{ marginTop: 0 }}>
          {t('catalog.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('catalog.intro')}</Typography.Paragraph>
        <div style={{ marginBottom: 24 }}>
          <SearchBox initial={state.q} onSearch={(words) => navigate(withQuery(state, words))} testId="catalog-search-input" />
        </div>
        <Row gutter={[24, 16]}>
          {narrow ? null : (
            <Col lg={6}>
              <Card size="small" title={t('catalog.filters')}>
                {search.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : facetPanel}
              </Card>
            </Col>
          )}
          <Col xs={24} lg={18}>
            <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
              <Space wrap size={[8, 8]}>
                {narrow ? (
                  <Badge count={filters.length} size="small">
                    <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)} data-testid="catalog-filters-open">
                      {t('catalog.filters')}
                    </Button>
                  </Badge>
                ) : null}
                <Typography.Text data-testid="catalog-total">
                  {search.data ? t('catalog.total', { count: total, formatted: formatCount(total, i18n.language) }) : t('common.loading')}
                </Typography.Text>
              </Space>
              <Space size={8}>
                <Typography.Text type="secondary">{t('catalog.sortLabel')}</Typography.Text>
                <Select<SearchSort>
                  value={sort}
                  onChange={(value) => navigate(withSort(state, value))}
                  data-testid="catalog-sort"
                  aria-label={t('catalog.sortLabel')}
                  popupMatchSelectWidth={false}
                  options={searchSorts.map((value) => ({
                    value,
                    label: t(`catalog.sorts.${value}`),
                    disabled: value === 'relevance' && !state.q,
                  }))}
                />
              </Space>
            </Flex>
            {filters.length > 0 || state.q ? (
              <Space wrap size={[4, 8]} style={{ marginBottom: 12 }} data-testid="catalog-active-filters">
                {state.q ? (
                  <Tag closable onClose={() => navigate(withQuery(state, ''))} data-testid="active-filter-q">
                    {t('catalog.queryChip', { q: state.q })}
                  </Tag>
                ) : null}
                {filters.map(({ field, value }) => (
                  <Tag
                    key={`${field}:${value}`}
                    closable
                    onClose={(event) => {
                      // The URL is the state: the tag goes when the search no longer holds the value.
                      event.preventDefault();
                      navigate(withFacetValue(state, field, value, false));
                    }}
                    data-testid={`active-filter-${field}-${value}`}
                  >
                    {t(`catalog.facets.${field}`)}: {filterLabel(field, value)}
                  </Tag>
                ))}
                <Button type="link" size="small" onClick={() => navigate(emptySearchState)} data-testid="catalog-clear">
                  {t('catalog.clearAll')}
                </Button>
              </Space>
            ) : null}
            <CatalogResults
              loading={search.isPending}
              error={search.isError ? describeApiError(search.error, t) : null}
              items={search.data?.items ?? []}
              filtered={hasCriteria(state)}
              onClear={() => navigate(emptySearchState)}
            />
            {total > CATALOG_PAGE_SIZE ? (
              <Flex justify="center" style={{ marginTop: 24 }}>
                <Pagination
                  current={state.page}
                  pageSize={CATALOG_PAGE_SIZE}
                  total={total}
                  showSizeChanger={false}
                  simple={narrow}
                  onChange={(page) => navigate(withPage(state, page))}
                  data-testid="catalog-pagination"
                />
              </Flex>
            ) : null}
          </Col>
        </Row>
      </div>
      <Drawer
        open={narrow && filtersOpen}
        onClose={() => setFiltersOpen(false)}
        title={t('catalog.filters')}
        placement="left"
        size="min(320px, 85vw)"
        footer={
          <Button type="primary" block onClick={() => setFiltersOpen(false)}>
            {t('catalog.showResults', { count: total, formatted: formatCount(total, i18n.language) })}
          </Button>
        }
      >
        {facetPanel}
      </Drawer>
    </PublicLayout>
  );
}

function CatalogResults({
  loading,
  error,
  items,
  filtered,
  onClear,
}: {
  loading: boolean;
  error: string | null;
  items: Parameters<typeof DatasetCard>[0]['dataset'][];
  filtered: boolean;
  onClear(): void;
}) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (error) return <Alert type="error" showIcon title={t('catalog.loadFailed')} description={error} data-testid="catalog-error" />;
  if (items.length === 0) {
    return (
      <Card>
        <Empty data-testid="catalog-empty" description={filtered ? t('catalog.noMatches') : t('catalog.emptyCatalog')}>
          {filtered ? (
            <Button onClick={onClear} data-testid="catalog-empty-clear">
              {t('catalog.clearAll')}
            </Button>
          ) : null}
        </Empty>
      </Card>
    );
  }
  return (
    <Flex vertical gap={12} data-testid="catalog-results">
      {items.map((dataset) => (
        <DatasetCard key={dataset.id} dataset={dataset} />
      ))}
    </Flex>
  );
}
