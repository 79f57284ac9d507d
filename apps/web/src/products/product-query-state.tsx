import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { Alert, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { ApiError } from '../api/api-error';
import type { Product } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';

/**
 * The loading, not-found and failure states of a page showing one product; renders `children`
 * with the product once it is there. A missing or foreign product (404) and a malformed id (400)
 * look the same.
 */
export function ProductQueryState({
  query,
  notFound,
  children,
}: {
  query: UseQueryResult<Product>;
  notFound: { testId: string; title: string; backTo: string; backLabel: string };
  children: (product: Product) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (query.isError) {
    return query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400) ? (
      <Result
        status="404"
        title={<span data-testid={notFound.testId}>{notFound.title}</span>}
        extra={<Link to={notFound.backTo}>{notFound.backLabel}</Link>}
      />
    ) : (
      <Alert type="error" showIcon title={t('products.workspace.loadFailed')} description={describeApiError(query.error, t)} />
    );
  }
  return <>{children(query.data)}</>;
}

/** A page of the owner's console about the product in the URL (`:id`): loads it, then renders `children`. */
export function OwnProductPage({ children }: { children: (product: Product) => ReactNode }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const product = useQuery({
    queryKey: queryKeys.product(id),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}', { params: { path: { id } } })),
  });
  return (
    <ProductQueryState
      query={product}
      notFound={{ testId: 'product-not-found', title: t('products.workspace.notFound'), backTo: '/console/products', backLabel: t('products.workspace.backToList') }}
    >
      {children}
    </ProductQueryState>
  );
}
