import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { InboxNotification } from '../api/schema-types';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { apiError, clearMockApi, mockApi, type MockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { NotificationBell } from './notification-bell';
import { notificationHref, notificationSubject } from './notification-display';

const vendor = member('vendor_admin', ['products:manage'], 'vendor');
const rejected: InboxNotification = {
  id: 'b1000000-0000-4000-8000-000000000001',
  kind: 'product.rejected',
  subjectZh: '退回修改：道路拥堵指数',
  subjectEn: 'Sent back for changes: Road congestion index',
  target: { type: 'product', id: 'c1000000-0000-4000-8000-000000000001' },
  createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  readAt: null,
};
const licence: InboxNotification = {
  id: 'b1000000-0000-4000-8000-000000000002',
  kind: 'license.active',
  subjectZh: '许可状态：生效中',
  subjectEn: 'Licence active',
  target: { type: 'license', id: 'd1000000-0000-4000-8000-000000000001' },
  createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  readAt: '2026-11-20T08:00:00.000Z',
};

/** An inbox the mock API keeps: lists (all or unread), counts and marks as the API does. */
function inboxApi(notices: InboxNotification[]): MockApi {
  const inbox = notices.map((notice) => ({ ...notice }));
  const unread = () => inbox.filter((notice) => notice.readAt === null);
  return mockApi({
    'GET /api/v1/me/notifications': (request: Request) => ({
      items: new URL(request.url).searchParams.get('unread') === 'true' ? unread() : inbox,
      nextCursor: null,
    }),
    'GET /api/v1/me/notifications/unread-count': () => ({ unread: unread().length }),
    'POST /api/v1/me/notifications/:id/read': (request: Request) => {
      const notice = inbox.find((candidate) => request.url.includes(`/notifications/${candidate.id}/read`));
      if (!notice) return apiError(404, 'notifications.not_found', 'Notification not found.');
      notice.readAt ??= new Date().toISOString();
      return notice;
    },
    'POST /api/v1/me/notifications/read-all': () => {
      const marked = unread();
      for (const notice of marked) notice.readAt = new Date().toISOString();
      return { marked: marked.length };
    },
  });
}

const posts = (api: MockApi) => api.requests.filter((request) => request.method === 'POST').map((request) => new URL(request.url).pathname);

async function openBell() {
  fireEvent.click(screen.getByTestId('notification-bell'));
  await settle();
  return screen.findByTestId('notifications-drawer');
}

describe('<NotificationBell>', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('shows the unread count and lists notices in English, each linked to what it is about', async () => {
    inboxApi([rejected, licence]);
    await renderPage(<NotificationBell />, { path: '/console/*', route: '/console', me: vendor });
    await waitFor(() => expect(screen.getByTestId('notification-bell')).toHaveAttribute('aria-label', 'Notifications, 1 unread'));
    expect(screen.getByTestId('notification-badge')).toHaveTextContent('1');

    const drawer = await openBell();
    const first = await within(drawer).findByTestId(`notification-${rejected.id}`);
    expect(first).toHaveAttribute('data-unread', 'true');
    expect(within(first).getByTestId('notification-link')).toHaveTextContent('Sent back for changes: Road congestion index');
    expect(within(first).getByTestId('notification-link')).toHaveAttribute('href', `/console/products/${rejected.target!.id}`);
    expect(first).toHaveTextContent('5 minutes ago');
    const second = within(drawer).getByTestId(`notification-${licence.id}`);
    expect(second).toHaveAttribute('data-unread', 'false');
    expect(within(second).getByTestId('notification-link')).toHaveAttribute('href', `/console/licenses/${licence.target!.id}`);
    // A notice already read has nothing left to mark.
    expect(within(second).queryByTestId('notification-mark-read')).toBeNull();
    expect(drawer).not.toHaveTextContent('退回修改');
  });

  it('marks one notice read, then all, and the badge follows', async () => {
    const api = inboxApi([rejected, { ...licence, id: 'b1000000-0000-4000-8000-000000000003', readAt: null }]);
    await renderPage(<NotificationBell />, { path: '/console/*', route: '/console', me: vendor });
    await waitFor(() => expect(screen.getByTestId('notification-badge')).toHaveTextContent('2'));
    const drawer = await openBell();

    fireEvent.click(within(await within(drawer).findByTestId(`notification-${rejected.id}`)).getByTestId('notification-mark-read'));
    await waitFor(() => expect(screen.getByTestId('notification-badge')).toHaveTextContent('1'));
    expect(posts(api)).toEqual([`/api/v1/me/notifications/${rejected.id}/read`]);
    await waitFor(() => expect(within(drawer).getByTestId(`notification-${rejected.id}`)).toHaveAttribute('data-unread', 'false'));

    fireEvent.click(within(drawer).getByRole('radio', { name: 'Unread (1)' }));
    await waitFor(() => expect(within(drawer).queryByTestId(`notification-${rejected.id}`)).toBeNull());

    fireEvent.click(screen.getByTestId('notifications-mark-all'));
    await waitFor(() => expect(screen.getByTestId('notification-bell')).toHaveAttribute('aria-label', 'Notifications'));
    expect(posts(api)).toEqual([`/api/v1/me/notifications/${rejected.id}/read`, '/api/v1/me/notifications/read-all']);
    expect(await within(drawer).findByTestId('notifications-empty')).toHaveTextContent('No unread notifications.');
    expect(screen.getByTestId('notifications-mark-all')).toBeDisabled();
  });

  it('opens what a notice is about, marks it read and closes', async () => {
    const api = inboxApi([rejected]);
    await renderPage(<NotificationBell />, { path: '/console/*', route: '/console', me: vendor });
    const drawer = await openBell();
    fireEvent.click(within(await within(drawer).findByTestId(`notification-${rejected.id}`)).getByTestId('notification-link'));
    await settle();
    expect(screen.getByTestId('test-location')).toHaveTextContent(`/console/products/${rejected.target!.id}`);
    await waitFor(() => expect(posts(api)).toEqual([`/api/v1/me/notifications/${rejected.id}/read`]));
    expect(screen.getByTestId('notification-bell')).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(document.querySelector('.ant-drawer-open')).toBeNull());
  });

  it('says so when there is nothing, in Chinese too', async () => {
    await i18n.changeLanguage('zh-CN');
    inboxApi([]);
    await renderPage(<NotificationBell />, { path: '/console/*', route: '/console', me: vendor });
    await waitFor(() => expect(screen.getByTestId('notification-bell')).toHaveAttribute('aria-label', '通知'));
    expect(screen.getByTestId('notification-badge')).not.toHaveTextContent(/\d/);
    const drawer = await openBell();
    expect(await within(drawer).findByTestId('notifications-empty')).toHaveTextContent('暂无通知');
    expect(screen.getByTestId('notifications-mark-all')).toHaveTextContent('全部标为已读');
  });

  it('shows a notice in Chinese to a Chinese reader', async () => {
    await i18n.changeLanguage('zh-CN');
    inboxApi([rejected]);
    await renderPage(<NotificationBell />, { path: '/console/*', route: '/console', me: vendor });
    const drawer = await openBell();
    const item = await within(drawer).findByTestId(`notification-${rejected.id}`);
    expect(within(item).getByTestId('notification-link')).toHaveTextContent('退回修改：道路拥堵指数');
    expect(item).toHaveTextContent('5 分钟前');
  });
});

describe('notification links and subjects', () => {
  it('opens the page of each kind of target', () => {
    expect(notificationHref({ type: 'product', id: 'p1' })).toBe('/console/products/p1');
    expect(notificationHref({ type: 'product_review', id: 'p1' })).toBe('/console/product-reviews/p1');
    expect(notificationHref({ type: 'license', id: 'l1' })).toBe('/console/licenses/l1');
    expect(notificationHref({ type: 'license_approval', id: 'l1' })).toBe('/console/license-approvals');
    expect(notificationHref(null)).toBeNull();
  });

  it('picks the reader’s language', () => {
    expect(notificationSubject(rejected, 'zh-CN')).toBe(rejected.subjectZh);
    expect(notificationSubject(rejected, 'en')).toBe(rejected.subjectEn);
  });
});
