import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../api/schema-types';
import { useMe } from './auth-context';
import { hasPermission } from './permissions';

/** Explains a missing permission instead of showing a page whose every call would be refused. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!hasPermission(me.permissions, permission)) {
    return <Result status="403" title={t('errors.forbiddenTitle')} subTitle={t('errors.forbiddenDescription')} data-testid="forbidden" />;
  }
  return children;
}
