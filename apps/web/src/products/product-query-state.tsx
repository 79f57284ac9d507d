import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
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
