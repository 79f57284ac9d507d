import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../auth/auth-context';
import { useShowApiError } from '../components/api-error-feedback';

export function UserMenu() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useTranslation();
  const showError = useShowApiError();

  const items: MenuProps['items'] = [
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
      <Button type="text" data-testid="user-menu" icon={<Avatar size="small" icon={<UserOutlined />} />}>
        {me.user.displayName}
      </Button>
    </Dropdown>
  );
}
