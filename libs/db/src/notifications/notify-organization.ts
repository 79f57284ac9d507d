import { notificationSubject, notificationText, showsInInbox, type NotificationSubject, type NotificationTarget } from '@civic/domain';
import type { EntityManager } from 'typeorm';

/** A notice to an organization's administrators: mailed (outbox) and shown in each one's inbox. */
export interface OrganizationNotice {
  /** The outbox kind (`product.rejected`, `license.active`, …). */
  kind: string;
  /** With the kind and the recipient, what makes the message unique: writing it twice sends it once. */
  reference: string;
  subject: NotificationSubject;
  /** What the notice is about, linked from the inbox; null when there is nothing to open. */
  target: NotificationTarget | null;
  /** The mail's body; never shown in the inbox. */
  body: Record<string, unknown>;
}

/**
 * Writes one outbox message per administrator of the organization (the people who act on
 * notices) and, beside each, the notice in that user's inbox for this organization, in the
 * caller's transaction. Returns the message ids to queue after commit.
 */
export async function notifyOrganization(manager: EntityManager, organizationId: string, notice: OrganizationNotice): Promise<string[]> {
  const recipients: Array<{ userId: string; email: string }> = await manager.query(
    `SELECT u.id AS "userId", u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.organization_id = $1 AND m.role IN ('steward','vendor_admin','buyer_admin','finance_analyst','platform_admin')
      ORDER BY u.email`,
    [organizationId],
  );
  const subject = notificationSubject(notice.subject);
  const text = notificationText(notice.subject);
  const inbox = showsInInbox(notice.kind);
  const ids: string[] = [];
  for (const { userId, email } of recipients) {
    // For INSERT … RETURNING, TypeORM answers the rows (for UPDATE it is [rows, count]).
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbox_messages (kind, reference, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [notice.kind, `${notice.reference}:${email}`, email, subject, JSON.stringify(notice.body)],
    );
    // A message already written (a retried job) already has its notice.
    if (!row) continue;
    ids.push(row.id);
    if (!inbox) continue;
    await manager.query(
      `INSERT INTO notifications (user_id, organization_id, outbox_message_id, kind, subject_zh, subject_en, target_type, target_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [userId, organizationId, row.id, notice.kind, text.zh, text.en, notice.target?.type ?? null, notice.target?.id ?? null],
    );
  }
  return ids;
}

/**
 * Marks read the unread notices of `kind` about `target` (of one organization, or of every one),
 * once what they asked for is done — a review decided, a request answered — so that no inbox
 * keeps calling for an action nobody can take any more. Returns how many it marked.
 */
export async function settleNotices(manager: EntityManager, notice: { kind: string; target: NotificationTarget; organizationId?: string }): Promise<number> {
  const parameters = [notice.kind, notice.target.type, notice.target.id];
  const byOrganization = notice.organizationId ? ` AND organization_id = $${parameters.push(notice.organizationId)}` : '';
  // For UPDATE, TypeORM answers [rows, count].
  const [, count] = (await manager.query(
    `UPDATE notifications SET read_at = now()
      WHERE kind = $1 AND target_type = $2 AND target_id = $3 AND read_at IS NULL${byOrganization}`,
    parameters,
  )) as [unknown[], number];
  return count;
}
