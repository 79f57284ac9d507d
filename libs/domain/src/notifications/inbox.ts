/**
 * The in-app inbox: each notice the platform sends a registered user (beside its outbox message),
 * what it is about, and how its pages are cut.
 */

/** What a notice is about. The web app links each type to its page; the API never builds URLs. */
export const NOTIFICATION_TARGET_TYPES = [
  // The owner's product (its workspace).
  'product',
  // A product waiting for the reader's review.
  'product_review',
  // The reader's organization's licence.
  'license',
  // A purchase waiting for the reader's approval.
  'license_approval',
  // An access request to the reader's agency's conditional data.
  'access_request',
  // The reader's organization's access request (and its grant).
  'dataset_access',
] as const;
export type NotificationTargetType = (typeof NOTIFICATION_TARGET_TYPES)[number];

export interface NotificationTarget {
  type: NotificationTargetType;
  id: string;
}

/**
 * Kinds whose message carries a secret (an invitation's link is a bearer token): they go by mail
 * only. The inbox is read by whoever holds a session, for as long as it keeps notices, and a link
 * that lets anyone join an organization does not belong there.
 */
export const MAIL_ONLY_NOTIFICATION_KINDS: readonly string[] = ['invitation'];

export function showsInInbox(kind: string): boolean {
  return !MAIL_ONLY_NOTIFICATION_KINDS.includes(kind);
}

export const INBOX_PAGE_DEFAULT = 20;
export const INBOX_PAGE_MAX = 100;

/**
 * A position in an inbox read newest first: the last notice of a page, by (created_at, id).
 * `createdAt` keeps PostgreSQL's microseconds (ISO 8601 with six decimals, UTC): a JavaScript Date
 * would round them to milliseconds, and notices of the same millisecond would be skipped or shown
 * twice at a page boundary.
 */
export interface InboxCursor {
  createdAt: string;
  id: string;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeInboxCursor(position: InboxCursor): string {
  return Buffer.from(`${position.createdAt}|${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or null for anything this API did not give out. */
export function decodeInboxCursor(cursor: string): InboxCursor | null {
  if (cursor.length > 128 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !createdAt || !id || !CURSOR_TIME.test(createdAt) || !UUID.test(id)) return null;
  if (Number.isNaN(Date.parse(createdAt))) return null;
  return { createdAt, id };
}
