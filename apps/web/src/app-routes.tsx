import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { RequirePermission } from './auth/require-permission';
import { ConsoleLayout } from './console/console-layout';
import { CatalogPage } from './pages/catalog-page';
import { InvitePage } from './pages/invite-page';
import { LandingPage } from './pages/landing-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignupPage } from './pages/signup-page';

// Console pages load on demand: visitors of the storefront never download them.
const ConsoleHomePage = lazy(() => import('./pages/console-home-page').then((module) => ({ default: module.ConsoleHomePage })));
const MembersPage = lazy(() => import('./pages/members-page').then((module) => ({ default: module.MembersPage })));
const ApiKeysPage = lazy(() => import('./pages/api-keys-page').then((module) => ({ default: module.ApiKeysPage })));
const AuditPage = lazy(() => import('./pages/audit-page').then((module) => ({ default: module.AuditPage })));
const OrganizationsPage = lazy(() => import('./pages/organizations-page').then((module) => ({ default: module.OrganizationsPage })));
const DatasetsPage = lazy(() => import('./pages/datasets-page').then((module) => ({ default: module.DatasetsPage })));
const DatasetManagePage = lazy(() => import('./pages/dataset-manage-page').then((module) => ({ default: module.DatasetManagePage })));
const AccessRequestsPage = lazy(() => import('./pages/access-requests-page').then((module) => ({ default: module.AccessRequestsPage })));
const MyAccessPage = lazy(() => import('./pages/my-access-page').then((module) => ({ default: module.MyAccessPage })));
// The dataset page carries the charts library: loaded when a dataset is opened.
const DatasetPage = lazy(() => import('./pages/dataset-page').then((module) => ({ default: module.DatasetPage })));
// Products: the workspace carries the SQL editor, product pages the lineage graph (React Flow, dagre).
const ProductsPage = lazy(() => import('./pages/products-page').then((module) => ({ default: module.ProductsPage })));
const ProductWorkspacePage = lazy(() => import('./pages/product-workspace-page').then((module) => ({ default: module.ProductWorkspacePage })));
const ProductReviewsPage = lazy(() => import('./pages/product-reviews-page').then((module) => ({ default: module.ProductReviewsPage })));
const ProductReviewPage = lazy(() => import('./pages/product-review-page').then((module) => ({ default: module.ProductReviewPage })));
const StorefrontProductsPage = lazy(() => import('./pages/storefront-products-page').then((module) => ({ default: module.StorefrontProductsPage })));
const StorefrontProductPage = lazy(() => import('./pages/storefront-product-page').then((module) => ({ default: module.StorefrontProductPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route path="/catalog" element={<CatalogPage />} />
      <Route
        path="/catalog/:slug"
        element={
          <Suspense fallback={<Spin fullscreen />}>
            <DatasetPage />
          </Suspense>
        }
      />
      <Route
        path="/products"
        element={
          <Suspense fallback={<Spin fullscreen />}>
            <StorefrontProductsPage />
          </Suspense>
        }
      />
      <Route
        path="/products/:slug"
        element={
          <Suspense fallback={<Spin fullscreen />}>
            <StorefrontProductPage />
          </Suspense>
        }
      />
      <Route element={<RequireAuth />}>
        <Route path="/console" element={<ConsoleLayout />}>
          <Route index element={<ConsoleHomePage />} />
          <Route
            path="datasets"
            element={
              <RequirePermission permission="datasets:manage">
                <DatasetsPage />
              </RequirePermission>
            }
          />
          <Route
            path="datasets/:id"
            element={
              <RequirePermission permission="datasets:manage">
                <DatasetManagePage />
              </RequirePermission>
            }
          />
          <Route
            path="products"
            element={
              <RequirePermission permission="products:manage">
                <ProductsPage />
              </RequirePermission>
            }
          />
          <Route
            path="products/:id"
            element={
              <RequirePermission permission="products:manage">
                <ProductWorkspacePage />
              </RequirePermission>
            }
          />
          <Route
            path="product-reviews"
            element={
              <RequirePermission permission="products:review">
                <ProductReviewsPage />
              </RequirePermission>
            }
          />
          <Route
            path="product-reviews/:id"
            element={
              <RequirePermission permission="products:review">
                <ProductReviewPage />
              </RequirePermission>
            }
          />
          <Route
            path="access-requests"
            element={
              <RequirePermission permission="access_requests:decide">
                <AccessRequestsPage />
              </RequirePermission>
            }
          />
          <Route
            path="my-access"
            element={
              <RequirePermission permission="access_requests:read">
                <MyAccessPage />
              </RequirePermission>
            }
          />
          <Route
            path="members"
            element={
              <RequirePermission permission="members:read">
                <MembersPage />
              </RequirePermission>
            }
          />
          <Route
            path="api-keys"
            element={
              <RequirePermission permission="api_keys:read">
                <ApiKeysPage />
              </RequirePermission>
            }
          />
          <Route
            path="audit"
            element={
              <RequirePermission permission="audit:read">
                <AuditPage />
              </RequirePermission>
            }
          />
          <Route
            path="organizations"
            element={
              <RequirePermission permission="organizations:read">
                <OrganizationsPage />
              </RequirePermission>
            }
          />
          <Route path="*" element={<NotFoundPage inConsole />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
