import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useUnreadNotificationCount } from './notification-queries';
import { NotificationsDrawer } from './notifications-drawer';

/** The console header's bell: the unread count, and the inbox in a drawer. */
export function NotificationBell() {
  const { t } = useTranslation();
  const location = useLocation();
  // The drawer belongs to the location it was opened at: following a notice's link closes it.
  const [openedAt, setOpenedAt] = useState<string | null>(null);
  const open = openedAt === location.key;
  const unread = useUnreadNotificationCount().data?.unread ?? 0;

  return (
    <>
      <Badge count={unread} overflowCount={99} size="small" offset={[-6, 6]} data-testid="notification-badge">
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          onClick={() => setOpenedAt(location.key)}
          aria-label={unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}
          aria-expanded={open}
          aria-controls="notifications-drawer"
          data-testid="notification-bell"
        />
      </Badge>
      <NotificationsDrawer open={open} onClose={() => setOpenedAt(null)} />
    </>
  );
}
