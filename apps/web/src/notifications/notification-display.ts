import type { InboxNotification, NotificationTarget, NotificationTargetType } from '../api/schema-types';

/** The console page each kind of target opens: the thing the notice is about. */
const targetPages: Record<NotificationTargetType, (id: string) => string> = {
  product: (id) => `/console/products/${id}`,
  product_review: (id) => `/console/product-reviews/${id}`,
  license: (id) => `/console/licenses/${id}`,
  // Purchases to approve are decided in their list (it has no page per purchase).
  license_approval: () => '/console/license-approvals',
  // Access requests are decided, and followed, in their lists.
  access_request: () => '/console/access-requests',
  dataset_access: () => '/console/my-access',
};

export function notificationHref(target: NotificationTarget | null): string | null {
  return target ? targetPages[target.type](encodeURIComponent(target.id)) : null;
}

/** The subject in the reader's language (Chinese for zh-*, English otherwise). */
export function notificationSubject(notice: Pick<InboxNotification, 'subjectZh' | 'subjectEn'>, language: string): string {
  return language.toLowerCase().startsWith('zh') ? notice.subjectZh : notice.subjectEn;
}
