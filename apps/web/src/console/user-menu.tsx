import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Grid, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../auth/auth-context';
import { useShowApiError } from '../components/api-error-feedback';

export function UserMenu() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useTranslation();
  const showError = useShowApiError();
  const narrow = !Grid.useBreakpoint().md;

  const items: MenuProps['items'] = [
    ...(narrow ? [{ key: 'who', label: me.user.displayName, disabled: true }] : []),
    { key: 'email', label: me.user.email, disabled: true },
    { key: 'role', label: t(`roles.${me.role}`), disabled: true },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('console.logout')}</span>,
      onClick: () => {
        logout().catch(showError);
      },
    },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']}>
      <Button type="text" data-testid="user-menu" icon={<Avatar size="small" icon={<UserOutlined />} />} aria-label={me.user.displayName}>
        {/* On phones the avatar alone opens the menu; the name is inside it. */}
        {narrow ? null : me.user.displayName}
      </Button>
    </Dropdown>
  );
}
