import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { RequirePermission } from './auth/require-permission';
import { ConsoleLayout } from './console/console-layout';
import { CatalogPage } from './pages/catalog-page';
import { DisclosurePage } from './pages/disclosure-page';
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
const LeakTracePage = lazy(() => import('./pages/leak-trace-page').then((module) => ({ default: module.LeakTracePage })));
const ProductReviewsPage = lazy(() => import('./pages/product-reviews-page').then((module) => ({ default: module.ProductReviewsPage })));
const ProductReviewPage = lazy(() => import('./pages/product-review-page').then((module) => ({ default: module.ProductReviewPage })));
const StorefrontProductsPage = lazy(() => import('./pages/storefront-products-page').then((module) => ({ default: module.StorefrontProductsPage })));
const StorefrontProductPage = lazy(() => import('./pages/storefront-product-page').then((module) => ({ default: module.StorefrontProductPage })));
// Licensing and commerce: buying, the buyer's licences and invoices, selling, approving, finance, pricing rules, payouts.
const CheckoutPage = lazy(() => import('./pages/checkout-page').then((module) => ({ default: module.CheckoutPage })));
const LicensesPage = lazy(() => import('./pages/licenses-page').then((module) => ({ default: module.LicensesPage })));
const LicensePage = lazy(() => import('./pages/license-page').then((module) => ({ default: module.LicensePage })));
const InvoicesPage = lazy(() => import('./pages/invoices-page').then((module) => ({ default: module.InvoicesPage })));
const SalesPage = lazy(() => import('./pages/sales-page').then((module) => ({ default: module.SalesPage })));
const SalePage = lazy(() => import('./pages/sale-page').then((module) => ({ default: module.SalePage })));
const LicenseApprovalsPage = lazy(() => import('./pages/license-approvals-page').then((module) => ({ default: module.LicenseApprovalsPage })));
const FinanceInvoicesPage = lazy(() => import('./pages/finance-invoices-page').then((module) => ({ default: module.FinanceInvoicesPage })));
const PriceCapsPage = lazy(() => import('./pages/price-caps-page').then((module) => ({ default: module.PriceCapsPage })));
const LicenseTemplatesPage = lazy(() => import('./pages/license-templates-page').then((module) => ({ default: module.LicenseTemplatesPage })));
const PayoutsPage = lazy(() => import('./pages/payouts-page').then((module) => ({ default: module.PayoutsPage })));
// Government finance's console (revenue, ledger, receivables, reconciliation, periods, policy) and sellers' statements.
const RevenuePage = lazy(() => import('./finance/revenue-page').then((module) => ({ default: module.RevenuePage })));
const LedgerPage = lazy(() => import('./finance/ledger-page').then((module) => ({ default: module.LedgerPage })));
const ReceivablesPage = lazy(() => import('./finance/receivables-page').then((module) => ({ default: module.ReceivablesPage })));
const ReconciliationPage = lazy(() => import('./finance/reconciliation-page').then((module) => ({ default: module.ReconciliationPage })));
const PeriodsPage = lazy(() => import('./finance/periods-page').then((module) => ({ default: module.PeriodsPage })));
const PolicyPage = lazy(() => import('./finance/policy-page').then((module) => ({ default: module.PolicyPage })));
const SettlementsPage = lazy(() => import('./finance/settlements-page').then((module) => ({ default: module.SettlementsPage })));
const StatementPage = lazy(() => import('./finance/statement-page').then((module) => ({ default: module.StatementPage })));

const financePages = [
  { path: 'finance/revenue', Page: RevenuePage },
  { path: 'finance/ledger', Page: LedgerPage },
  { path: 'finance/receivables', Page: ReceivablesPage },
  { path: 'finance/reconciliation', Page: ReconciliationPage },
  { path: 'finance/settlements', Page: SettlementsPage },
  { path: 'finance/periods', Page: PeriodsPage },
  { path: 'finance/policy', Page: PolicyPage },
] as const;

/** Stripe sends buyers back to /licenses/:id and vendors to /payouts (PUBLIC_WEB_URL): the console pages, query string kept. */
function ConsoleRedirect({ to }: { to: (params: Readonly<Record<string, string | undefined>>) => string }) {
  const params = useParams();
  const location = useLocation();
  return <Navigate to={`${to(params)}${location.search}`} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route path="/catalog" element={<CatalogPage />} />
      <Route path="/disclosure" element={<DisclosurePage />} />
      <Route path="/disclosure/:year" element={<DisclosurePage />} />
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
        <Route
          path="/licenses/new"
          element={
            <Suspense fallback={<Spin fullscreen />}>
              <CheckoutPage />
            </Suspense>
          }
        />
        <Route path="/licenses/:id" element={<ConsoleRedirect to={({ id }) => `/console/licenses/${id ?? ''}`} />} />
        <Route path="/payouts" element={<ConsoleRedirect to={() => '/console/payouts'} />} />
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
            path="products/:id/leak-trace"
            element={
              <RequirePermission permission="products:manage">
                <LeakTracePage />
              </RequirePermission>
            }
          />
          <Route
            path="product-reviews"
            element={
              <RequirePermission permission="product_reviews:read">
                <ProductReviewsPage />
              </RequirePermission>
            }
          />
          <Route
            path="product-reviews/:id"
            element={
              <RequirePermission permission="product_reviews:read">
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
            path="licenses"
            element={
              <RequirePermission permission="licenses:read">
                <LicensesPage />
              </RequirePermission>
            }
          />
          <Route
            path="licenses/:id"
            element={
              <RequirePermission permission="licenses:read">
                <LicensePage />
              </RequirePermission>
            }
          />
          <Route
            path="invoices"
            element={
              <RequirePermission permission="licenses:read">
                <InvoicesPage />
              </RequirePermission>
            }
          />
          <Route
            path="sales"
            element={
              <RequirePermission permission="offers:manage">
                <SalesPage />
              </RequirePermission>
            }
          />
          <Route
            path="sales/:licenseId"
            element={
              <RequirePermission permission="offers:manage">
                <SalePage />
              </RequirePermission>
            }
          />
          <Route
            path="license-approvals"
            element={
              <RequirePermission permission="licenses:decide">
                <LicenseApprovalsPage />
              </RequirePermission>
            }
          />
          <Route
            path="finance/invoices"
            element={
              <RequirePermission permission="invoices:read">
                <FinanceInvoicesPage />
              </RequirePermission>
            }
          />
          {financePages.map(({ path, Page }) => (
            <Route
              key={path}
              path={path}
              element={
                <RequirePermission permission="finance:read">
                  <Page />
                </RequirePermission>
              }
            />
          ))}
          <Route
            path="revenue"
            element={
              <RequirePermission permission="revenue:read">
                <StatementPage />
              </RequirePermission>
            }
          />
          <Route
            path="price-caps"
            element={
              <RequirePermission permission="pricing:manage">
                <PriceCapsPage />
              </RequirePermission>
            }
          />
          <Route
            path="license-templates"
            element={
              <RequirePermission permission="license_templates:manage">
                <LicenseTemplatesPage />
              </RequirePermission>
            }
          />
          <Route
            path="payouts"
            element={
              <RequirePermission permission="payouts:manage">
                <PayoutsPage />
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
