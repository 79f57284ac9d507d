import type { NotificationTargetType } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A notice in one user's in-app inbox, for the organization that made them its recipient: written
 * beside the outbox message (mail) in the same transaction, read and marked read by the user while
 * acting for that organization. Holds the subject in both languages and what the notice is about;
 * never the message's body (mail-only kinds such as invitations carry secrets and have no notice).
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'outbox_message_id', type: 'uuid', nullable: true })
  outboxMessageId: string | null;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'subject_zh', type: 'text' })
  subjectZh: string;

  @Column({ name: 'subject_en', type: 'text' })
  subjectEn: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: NotificationTargetType | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
