import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './auth-context';

export interface LoginRedirectState {
  from?: string;
  reason?: 'expired';
}

/** Guards the console: waits for the session to be restored, else sends to /login. */
export function RequireAuth() {
  const { session } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (session.status === 'restoring') {
    return <Spin fullscreen description={t('common.loading')} />;
  }
  if (session.status === 'anonymous') {
    // After an explicit logout there is nothing to come back to.
    const state: LoginRedirectState =
      session.reason === 'logged_out'
        ? {}
        : { from: location.pathname + location.search, reason: session.reason === 'expired' ? 'expired' : undefined };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}
