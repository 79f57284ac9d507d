import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Notification, TenantRepository, type TenantScope } from '@civic/db';
import { decodeInboxCursor, DomainError, encodeInboxCursor, type NotificationTargetType } from '@civic/domain';
import { IsNull, type DataSource } from 'typeorm';

/** Whose inbox: a user, acting for one organization (their notices for other organizations are not in it). */
export interface InboxOwner extends TenantScope {
  userId: string;
}

export type InboxNotification = Pick<Notification, 'id' | 'kind' | 'subjectZh' | 'subjectEn' | 'targetType' | 'targetId' | 'createdAt' | 'readAt'>;

/**
 * The in-app inbox of the signed-in user. Every read and write is bound to the user and the
 * acting organization, so another user's notice answers exactly as a missing one.
 */
@Injectable()
export class NotificationsService {
  private readonly notifications: TenantRepository<Notification>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.notifications = new TenantRepository(dataSource.manager, Notification);
  }

  /** A page newest first; `nextCursor` names the page's last notice when older ones remain. */
  async list(owner: InboxOwner, query: { unread: boolean; cursor?: string; limit: number }): Promise<{ items: InboxNotification[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? null : decodeInboxCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw new DomainError('request.invalid', 'The cursor is not one this API gave out.', [{ field: 'cursor', messages: ['is not a cursor of this inbox'] }]);
    }
    const parameters: unknown[] = [owner.userId, owner.organizationId, query.limit + 1];
    const conditions = ['user_id = $1', 'organization_id = $2'];
    if (query.unread) conditions.push('read_at IS NULL');
    if (after) {
      parameters.push(after.createdAt, after.id);
      conditions.push('(created_at, id) < ($4::timestamptz, $5::uuid)');
    }
    const rows: Array<InboxNotification & { position: string }> = await this.dataSource.query(
      `SELECT id, kind, subject_zh AS "subjectZh", subject_en AS "subjectEn", target_type AS "targetType", target_id AS "targetId",
              created_at AS "createdAt", read_at AS "readAt",
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM notifications
        WHERE ${conditions.join(' AND ')}
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      parameters,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeInboxCursor({ createdAt: last.position, id: last.id }) : null;
    return { items: items.map(({ position: _position, ...notice }) => ({ ...notice, targetType: notice.targetType as NotificationTargetType | null })), nextCursor };
  }

  unreadCount(owner: InboxOwner): Promise<number> {
    return this.notifications.count(owner, { userId: owner.userId, readAt: IsNull() });
  }

  /** Marks one notice read (a notice already read keeps the time it was first read). */
  async markRead(owner: InboxOwner, id: string): Promise<InboxNotification> {
    const notice = await this.notifications.findOne(owner, { id, userId: owner.userId });
    if (!notice) throw new DomainError('notifications.not_found', 'Notification not found.');
    if (notice.readAt) return notice;
    const readAt = new Date();
    // Another tab may have marked it meanwhile: only an unread notice gets this time.
    await this.notifications.update(owner, { id, userId: owner.userId, readAt: IsNull() }, { readAt });
    return (await this.notifications.findOne(owner, { id, userId: owner.userId })) ?? { ...notice, readAt };
  }

  /** Marks every unread notice of the inbox read; answers how many that was. */
  markAllRead(owner: InboxOwner): Promise<number> {
    return this.notifications.update(owner, { userId: owner.userId, readAt: IsNull() }, { readAt: new Date() });
  }
}
