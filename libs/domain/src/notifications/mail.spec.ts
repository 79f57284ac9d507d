import { outboxMailText, outboxMessageId } from './mail.js';

describe('outbox mail', () => {
  it("gives an invitation's link and expiry in both languages", () => {
    const text = outboxMailText(
      { id: 'm1', subject: '邀请您加入市交通局 / Invitation to City Transport', body: { acceptUrl: 'https://data.example.gov.cn/invite/abc', expiresAt: '2026-12-01T00:00:00.000Z' } },
      'https://data.example.gov.cn/',
    );
    expect(text.split('\n').slice(0, 6)).toEqual([
      '邀请您加入市交通局 / Invitation to City Transport',
      '',
      '接受邀请 / Accept the invitation:',
      'https://data.example.gov.cn/invite/abc',
      '',
      '链接有效期至 / The link expires at: 2026-12-01T00:00:00.000Z',
    ]);
    expect(text).not.toContain('/console');
  });

  it('sends other notices to the console, whatever their body holds', () => {
    const text = outboxMailText({ id: 'm2', subject: '审核通过：拥堵指数 / Approved: Congestion index', body: { productId: 'p', acceptUrl: 42 } }, 'https://data.example.gov.cn/');
    expect(text).toContain('Open it in the console:\nhttps://data.example.gov.cn/console\n');
    expect(text).not.toContain('Accept the invitation');
    expect(text.endsWith('please do not reply.\n')).toBe(true);
  });

  it('names each message once, on the web host', () => {
    expect(outboxMessageId({ id: '6f1c2a4e-0d8b-4c6e-9a51-3f2e7b9d1c08' }, 'https://data.example.gov.cn')).toBe('<6f1c2a4e-0d8b-4c6e-9a51-3f2e7b9d1c08@data.example.gov.cn>');
    expect(outboxMessageId({ id: 'x' }, 'http://localhost:5173')).toBe('<x@localhost>');
  });
});
