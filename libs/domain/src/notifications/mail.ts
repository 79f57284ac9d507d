/** What an outbox message says by e-mail. */
export interface OutboxMail {
  id: string;
  subject: string;
  body: Record<string, unknown>;
}

const SIGN_OFF = ['——', '此邮件由城市数据市场自动发送，请勿回复。', 'Sent automatically by the civic data marketplace; please do not reply.'];

/**
 * The plain-text body of an outbox message, in Chinese and English: its subject, then what to
 * open: an invitation's link (and when it expires), otherwise the console, where the notice
 * waits in the inbox with its link.
 */
export function outboxMailText(message: OutboxMail, webUrl: string): string {
  const lines = [message.subject, ''];
  const acceptUrl = message.body.acceptUrl;
  if (typeof acceptUrl === 'string') {
    lines.push('接受邀请 / Accept the invitation:', acceptUrl);
    const expiresAt = message.body.expiresAt;
    if (typeof expiresAt === 'string') lines.push('', `链接有效期至 / The link expires at: ${expiresAt}`);
  } else {
    lines.push('在控制台中查看 / Open it in the console:', `${webUrl.replace(/\/$/, '')}/console`);
  }
  return [...lines, '', ...SIGN_OFF, ''].join('\n');
}

/** A message's Message-ID, the same on every attempt, so a message sent twice reads as one. */
export function outboxMessageId(message: Pick<OutboxMail, 'id'>, webUrl: string): string {
  const host = new URL(webUrl).hostname || 'localhost';
  return `<${message.id}@${host}>`;
}
