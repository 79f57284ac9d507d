import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WorkerConfig } from '@civic/config';
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The same on every attempt (`outboxMessageId`). */
  messageId: string;
}

/** What became of a mail: sent (or logged, without a relay), or refused for good by the relay. */
export type MailOutcome = { sent: true } | { sent: false; refused: string };

/**
 * E-mail through the SMTP relay of `SMTP_URL` (nodemailer, at most two pooled connections).
 * Without a relay, the envelope is logged and the mail counts as sent: the platform runs on a
 * laptop with nothing to send through. A permanent refusal (a 5xx answer, such as an unknown
 * recipient) is answered as such; anything else (the relay down, a 4xx answer) is thrown, to be
 * tried again.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;

  constructor(private readonly config: WorkerConfig) {
    // Short timeouts: a delivery holds its outbox row while it talks to the relay.
    this.transport = config.SMTP_URL
      ? nodemailer.createTransport({ url: config.SMTP_URL, pool: true, maxConnections: 2, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 })
      : null;
  }

  async send(mail: Mail): Promise<MailOutcome> {
    if (!this.transport) {
      // The body may carry a secret (an invitation link is a bearer token): log only the envelope.
      this.logger.log({ to: mail.to, subject: mail.subject, messageId: mail.messageId }, 'no SMTP_URL: mail logged, not sent');
      return { sent: true };
    }
    try {
      await this.transport.sendMail({ from: this.config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
      return { sent: true };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) return { sent: false, refused: String((error as { response?: string }).response ?? (error as Error).message).slice(0, 500) };
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
