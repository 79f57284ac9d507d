import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkerConfig } from '@civic/config';
import { outboxMailText, outboxMessageId } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { Mailer } from './mailer.js';

/**
 * E-mails an outbox message. The message's row stays locked while the mail goes out and is marked
 * delivered in the same transaction: a second delivery of the job at the same time skips the row,
 * a later one finds it delivered, and a mail the relay did not take (or a worker that died before
 * the commit) leaves it undelivered for the retry and the sweep. So a message goes out once, or
 * twice with one Message-ID if a worker dies between the relay's answer and the commit. A message
 * the relay refuses for good is marked failed with the reason and not tried again.
 */
@Injectable()
@HandlesJob('notifications.deliver')
export class DeliverHandler implements JobHandler<'notifications.deliver'> {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly config: WorkerConfig,
  ) {}

  async handle(job: JobContext<'notifications.deliver'>): Promise<{ delivered: boolean; refused?: string }> {
    return this.dataSource.transaction(async (manager) => {
      const [message]: Array<{ id: string; recipient: string; subject: string; body: Record<string, unknown> }> = await manager.query(
        `SELECT id, recipient, subject, body FROM outbox_messages WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL FOR UPDATE SKIP LOCKED`,
        [job.data.outboxMessageId],
      );
      if (!message) return { delivered: false };
      const outcome = await this.mailer.send({
        to: message.recipient,
        subject: message.subject,
        text: outboxMailText(message, this.config.PUBLIC_WEB_URL),
        messageId: outboxMessageId(message, this.config.PUBLIC_WEB_URL),
      });
      if (!outcome.sent) {
        await manager.query(`UPDATE outbox_messages SET failed_at = now(), failure = $2 WHERE id = $1`, [message.id, outcome.refused]);
        this.logger.warn({ messageId: message.id, to: message.recipient, reason: outcome.refused }, 'mail refused by the relay');
        return { delivered: false, refused: outcome.refused };
      }
      await manager.query(`UPDATE outbox_messages SET delivered_at = now() WHERE id = $1`, [message.id]);
      return { delivered: true };
    });
  }
}
