import { decodeInboxCursor, encodeInboxCursor, showsInInbox } from './inbox.js';
import { notificationSubject, notificationText } from './subjects.js';

describe('inbox cursor', () => {
  const position = { createdAt: '2026-03-01T08:15:30.123456Z', id: '3f2b8c1e-9a4d-4e2f-8b7a-1c2d3e4f5a6b' };

  it('round-trips a position to the microsecond', () => {
    const cursor = encodeInboxCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeInboxCursor(cursor)).toEqual(position);
  });

  it('refuses cursors it did not give out', () => {
    const forged = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    expect(decodeInboxCursor('not a cursor')).toBeNull();
    expect(decodeInboxCursor(forged(`2026-03-01T08:15:30.123Z|${position.id}`))).toBeNull();
    expect(decodeInboxCursor(forged(`${position.createdAt}|42`))).toBeNull();
    expect(decodeInboxCursor(forged(`${position.createdAt}|${position.id}|extra`))).toBeNull();
    expect(decodeInboxCursor(forged(`2026-13-45T08:15:30.123456Z|${position.id}`))).toBeNull();
    expect(decodeInboxCursor('A'.repeat(200))).toBeNull();
  });
});

describe('what the inbox shows', () => {
  it('keeps invitations (their link is a bearer token) out and everything else in', () => {
    expect(showsInInbox('invitation')).toBe(false);
    expect(showsInInbox('product.rejected')).toBe(true);
    expect(showsInInbox('license.active')).toBe(true);
  });

  it('gives each language its own subject, the same words the mail subject joins', () => {
    const subject = { kind: 'product.policy_changed', product: { titleZh: '道路拥堵指数', titleEn: 'Road congestion index' }, mustRunAgain: true } as const;
    const text = notificationText(subject);
    expect(text).toEqual({
      zh: '隐私设置已变更：道路拥堵指数 须重新生成后才能上架',
      en: 'Privacy settings changed: Road congestion index must be run again before it can be listed',
    });
    expect(notificationSubject(subject)).toBe(`${text.zh} / ${text.en}`);
    expect(notificationText({ ...subject, mustRunAgain: false }).en).toBe('Privacy settings changed: run Road congestion index again to derive it under them');
  });
});
