import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig, WorkerConfig } from '@civic/config';
import { createDataSource, OutboxMessage } from '@civic/db';
import { Logger } from '@nestjs/common';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { DeliverHandler } from './deliver.handler.js';
import { Mailer } from './mailer.js';

const WEB = 'https://data.example.gov.cn';

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives, refuses `bounce@…`
 * for good (550) and `later@…` for now (451) while `deferring` is set.
 */
async function startRelay(): Promise<{ url: string; received: ParsedMail[]; deferring: { on: boolean }; close(): Promise<void> }> {
  const received: ParsedMail[] = [];
  const deferring = { on: true };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce@')) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      if (address.address.startsWith('later@') && deferring.on) return callback(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, deferring, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('outbox delivery by e-mail', () => {
  let dataSource: DataSource;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let mailer: Mailer;
  let handler: DeliverHandler;

  const config = (smtpUrl?: string) =>
    loadConfig(WorkerConfig, { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:6379', PUBLIC_WEB_URL: WEB, MAIL_FROM: 'City Data <no-reply@data.example.gov.cn>', ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) });
  const job = (outboxMessageId: string) => ({ id: `job-${outboxMessageId}`, name: 'notifications.deliver' as const, data: { outboxMessageId }, attemptsMade: 0, updateProgress: async () => undefined });
  const message = (recipient: string, body: Record<string, unknown> = { productId: randomUUID() }) =>
    dataSource.manager.save(dataSource.manager.create(OutboxMessage, { kind: 'product.approved', reference: randomUUID(), recipient, subject: '审核通过：拥堵指数 / Approved: Congestion index', body }));
  const reread = (id: string) => dataSource.manager.findOneByOrFail(OutboxMessage, { id });
  const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((address) => address?.value.map((entry) => entry.address) ?? []);

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await dataSource.initialize();
    relay = await startRelay();
    const withRelay = config(relay.url);
    mailer = new Mailer(withRelay);
    handler = new DeliverHandler(dataSource, mailer, withRelay);
  });
  afterAll(async () => {
    mailer?.onModuleDestroy();
    await relay?.close();
    await dataSource?.destroy();
  });

  it('sends an invitation through the relay with its link, in both languages, once however often the job runs', async () => {
    const invitation = await dataSource.manager.save(
      dataSource.manager.create(OutboxMessage, {
        kind: 'invitation',
        reference: randomUUID(),
        recipient: 'new.member@example.test',
        subject: '邀请您加入市交通局 / Invitation to City Transport',
        body: { organizationName: '市交通局', role: 'steward', acceptUrl: `${WEB}/invite/secret-token`, expiresAt: '2026-12-01T00:00:00.000Z' },
      }),
    );
    const before = relay.received.length;
    const results = await Promise.all([handler.handle(job(invitation.id)), handler.handle(job(invitation.id))]);
    expect(results.map((result) => result.delivered).sort()).toEqual([false, true]);
    expect(await handler.handle(job(invitation.id))).toEqual({ delivered: false });
    const mails = relay.received.slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(to(mail)).toEqual(['new.member@example.test']);
    expect(mail.from?.value[0]).toEqual({ name: 'City Data', address: 'no-reply@data.example.gov.cn' });
    expect(mail.subject).toBe('邀请您加入市交通局 / Invitation to City Transport');
    expect(mail.messageId).toBe(`<${invitation.id}@data.example.gov.cn>`);
    expect(mail.text).toContain(`接受邀请 / Accept the invitation:\n${WEB}/invite/secret-token`);
    expect((await reread(invitation.id)).deliveredAt).not.toBeNull();
  });

  it('links a notice to the console', async () => {
    const notice = await message('vendor.admin@example.test');
    const before = relay.received.length;
    expect(await handler.handle(job(notice.id))).toEqual({ delivered: true });
    expect(relay.received.slice(before).map((mail) => [to(mail), mail.text?.includes(`${WEB}/console`)])).toEqual([[['vendor.admin@example.test'], true]]);
  });

  it('marks a message the relay refuses for good as failed, with the reason, and never tries it again', async () => {
    const bounced = await message('bounce@example.test');
    const result = await handler.handle(job(bounced.id));
    expect(result.delivered).toBe(false);
    expect(result.refused).toContain('No such user');
    const row = await reread(bounced.id);
    expect([row.deliveredAt, row.failedAt !== null, row.failure]).toEqual([null, true, expect.stringContaining('550')]);
    expect(await handler.handle(job(bounced.id))).toEqual({ delivered: false });
    const [{ waiting }] = await dataSource.query(`SELECT count(*)::int AS waiting FROM outbox_messages WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL`, [bounced.id]);
    expect(waiting).toBe(0);
  });

  it('leaves a message the relay defers, or cannot be reached for, undelivered for the retry', async () => {
    const deferred = await message('later@example.test');
    relay.deferring.on = true;
    await expect(handler.handle(job(deferred.id))).rejects.toMatchObject({ responseCode: 451 });
    expect(await reread(deferred.id)).toMatchObject({ deliveredAt: null, failedAt: null });

    // No relay at all: a closed port.
    const nowhere = config('smtp://127.0.0.1:9');
    const unreachable = new Mailer(nowhere);
    await expect(new DeliverHandler(dataSource, unreachable, nowhere).handle(job(deferred.id))).rejects.toThrow();
    unreachable.onModuleDestroy();
    expect(await reread(deferred.id)).toMatchObject({ deliveredAt: null, failedAt: null });

    relay.deferring.on = false;
    const before = relay.received.length;
    expect(await handler.handle(job(deferred.id))).toEqual({ delivered: true });
    expect(relay.received.slice(before).map(to)).toEqual([['later@example.test']]);
  });

  it('without a relay, logs the envelope and marks the message delivered', async () => {
    const plain = config();
    const logged = await message('someone@example.test');
    const before = relay.received.length;
    expect(await new DeliverHandler(dataSource, new Mailer(plain), plain).handle(job(logged.id))).toEqual({ delivered: true });
    expect(relay.received.length).toBe(before);
    expect((await reread(logged.id)).deliveredAt).not.toBeNull();
  });
});
