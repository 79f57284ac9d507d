import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { RequirePermission } from './auth/require-permission';
import { ConsoleLayout } from './console/console-layout';
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

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route element={<RequireAuth />}>
        <Route path="/console" element={<ConsoleLayout />}>
          <Route index element={<ConsoleHomePage />} />
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
