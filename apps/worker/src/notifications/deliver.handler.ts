import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OutboxMessage } from '@civic/db';
import { IsNull, type DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';

/**
 * Delivers an outbox message. No mail relay is wired yet: delivery records the envelope in
 * the log and marks the message delivered; its body stays in the outbox table. `delivered_at` is set with a conditional update, so
 * a redelivered job sends nothing twice.
 */
@Injectable()
@HandlesJob('notifications.deliver')
export class DeliverHandler implements JobHandler<'notifications.deliver'> {
  private readonly logger = new Logger('Mailbox');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(job: JobContext<'notifications.deliver'>): Promise<{ delivered: boolean }> {
    const claimed = await this.dataSource.manager.update(
      OutboxMessage,
      { id: job.data.outboxMessageId, deliveredAt: IsNull() },
      { deliveredAt: new Date() },
    );
    if (!claimed.affected) return { delivered: false };
    const message = await this.dataSource.manager.findOneByOrFail(OutboxMessage, { id: job.data.outboxMessageId });
    // The body carries secrets (an invitation link is a bearer token): log only the envelope.
    this.logger.log({ to: message.recipient, subject: message.subject, kind: message.kind, messageId: message.id }, 'message delivered');
    return { delivered: true };
  }
}
