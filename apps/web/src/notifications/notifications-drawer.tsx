import { Alert, Badge, Button, Drawer, Empty, Flex, Grid, Segmented, Spin, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InboxNotification } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { notificationHref, notificationSubject } from './notification-display';
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications, useUnreadNotificationCount } from './notification-queries';

dayjs.extend(relativeTime);

const DRAWER_WIDTH = 420;

/** The signed-in user's notices, newest first: all or unread only, each linked to what it is about. */
export function NotificationsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const narrow = !Grid.useBreakpoint().md;
  const [unreadOnly, setUnreadOnly] = useState(false);
  const notices = useNotifications(unreadOnly, open);
  const unread = useUnreadNotificationCount().data?.unread ?? 0;
  const markAll = useMarkAllNotificationsRead();
  const items = notices.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      placement="right"
      size={narrow ? '100%' : DRAWER_WIDTH}
      title={t('notifications.title')}
      extra={
        <Button size="small" onClick={() => markAll.mutate()} disabled={unread === 0} loading={markAll.isPending} data-testid="notifications-mark-all">
          {t('notifications.markAllRead')}
        </Button>
      }
      styles={{ body: { padding: 0 }, header: { paddingInline: 16 } }}
    >
      <section id="notifications-drawer" aria-label={t('notifications.title')} data-testid="notifications-drawer">
        <div style={{ padding: '12px 16px 4px' }}>
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(value) => setUnreadOnly(value === 'unread')}
            options={[
              { value: 'all', label: t('notifications.all') },
              { value: 'unread', label: unread > 0 ? t('notifications.unreadCount', { count: unread }) : t('notifications.unread') },
            ]}
            data-testid="notifications-filter"
          />
        </div>
        {notices.isPending ? (
          <Flex justify="center" style={{ padding: 32 }}>
            <Spin />
          </Flex>
        ) : notices.isError ? (
          <Alert type="error" showIcon style={{ margin: 16 }} title={t('notifications.loadFailed')} description={describeApiError(notices.error, t)} />
        ) : items.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            style={{ padding: '32px 16px' }}
            description={unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')}
            data-testid="notifications-empty"
          />
        ) : (
          <>
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="notifications-list">
              {items.map((notice) => (
                <NotificationItem key={notice.id} notice={notice} />
              ))}
            </ul>
            {notices.hasNextPage ? (
              <Flex justify="center" style={{ padding: 12 }}>
                <Button onClick={() => notices.fetchNextPage()} loading={notices.isFetchingNextPage} data-testid="notifications-more">
                  {t('notifications.loadMore')}
                </Button>
              </Flex>
            ) : null}
          </>
        )}
      </section>
    </Drawer>
  );
}

function NotificationItem({ notice }: { notice: InboxNotification }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const markRead = useMarkNotificationRead();
  const unread = notice.readAt === null;
  const subject = notificationSubject(notice, i18n.language);
  const href = notificationHref(notice.target);
  const created = dayjs(notice.createdAt).locale(i18n.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en');

  return (
    <li
      data-testid={`notification-${notice.id}`}
      data-unread={unread}
      style={{ padding: '12px 16px', borderBottom: `1px solid ${token.colorSplit}`, background: unread ? token.colorFillAlter : undefined }}
    >
      <Flex gap={10} align="flex-start" style={{ width: '100%', minWidth: 0 }}>
        {/* The dot marks unread notices; its text is for screen readers and the tooltip. */}
        <Badge status={unread ? 'processing' : 'default'} title={unread ? t('notifications.unread') : t('notifications.read')} style={{ visibility: unread ? 'visible' : 'hidden', paddingTop: 2 }} />
        <Flex vertical gap={2} style={{ flex: 1, minWidth: 0 }}>
          {href ? (
            // Following the link reads the notice; the drawer closes with the navigation.
            <Link to={href} onClick={() => (unread ? markRead.mutate(notice.id) : undefined)} style={{ color: token.colorText, fontWeight: unread ? 600 : 400, overflowWrap: 'anywhere' }} data-testid="notification-link">
              {subject}
            </Link>
          ) : (
            <Typography.Text strong={unread} style={{ overflowWrap: 'anywhere' }}>
              {subject}
            </Typography.Text>
          )}
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <time dateTime={notice.createdAt} title={created.format('YYYY-MM-DD HH:mm')}>
                {created.fromNow()}
              </time>
            </Typography.Text>
            {unread ? (
              <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => markRead.mutate(notice.id)} loading={markRead.isPending} data-testid="notification-mark-read">
                {t('notifications.markRead')}
              </Button>
            ) : null}
          </Flex>
        </Flex>
      </Flex>
    </li>
  );
}
