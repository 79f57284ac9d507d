import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useShowApiError } from '../components/api-error-feedback';

/** How often the bell asks whether something new arrived (and the open list reloads). */
export const NOTIFICATIONS_POLL_MS = 30_000;
const PAGE_SIZE = 20;

/** The bell's unread count: polled, and asked again whenever the window gets the focus back. */
export function useUnreadNotificationCount() {
  return useQuery({
    queryKey: queryKeys.notificationsUnread,
    queryFn: () => unwrap(api.GET('/api/v1/me/notifications/unread-count')),
    refetchInterval: NOTIFICATIONS_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

/** The inbox newest first, page after page; read only while `enabled` (the drawer is open). */
export function useNotifications(unreadOnly: boolean, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.notifications(unreadOnly),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/me/notifications', { params: { query: { unread: unreadOnly, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    enabled,
    refetchInterval: enabled ? NOTIFICATIONS_POLL_MS : false,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

/** Marking read changes the count and both lists: all of the inbox is read again. */
function useInboxInvalidation() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.notificationsAll });
}

export function useMarkNotificationRead() {
  const invalidate = useInboxInvalidation();
  const showError = useShowApiError();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: invalidate,
    onError: showError,
  });
}

export function useMarkAllNotificationsRead() {
  const invalidate = useInboxInvalidation();
  const showError = useShowApiError();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/notifications/read-all')),
    onSuccess: invalidate,
    onError: showError,
  });
}
