import { randomUUID } from 'node:crypto';
import { apiOk, login, type Http } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const SURVEY = 'urban-channel-construction-survey-2011-2015';
const INBOX = '/api/v1/me/notifications';

interface Notice {
  id: string;
  kind: string;
  subjectZh: string;
  subjectEn: string;
  target: { type: string; id: string } | null;
  createdAt: string;
  readAt: string | null;
}

async function waitForRun(http: Http, token: string, productId: string, runId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await apiOk(http, token, 'GET', `/api/v1/products/${productId}/runs/${runId}`);
    if (!['queued', 'running'].includes(run.status)) return run.status;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Every notice of the caller's inbox (all pages), newest first. */
async function inbox(http: Http, token: string, query = ''): Promise<Notice[]> {
  const notices: Notice[] = [];
  let cursor: string | null = null;
  do {
    const separator = query ? '&' : '';
    const page: { items: Notice[]; nextCursor: string | null } = await apiOk(http, token, 'GET', `${INBOX}?${query}${separator}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    notices.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return notices;
}

const unread = async (http: Http, token: string): Promise<number> => (await apiOk(http, token, 'GET', `${INBOX}/unread-count`)).unread;

describe('the in-app inbox', () => {
  const ctx = usePlatform({}, { worker: true });

  it('tells a vendor their product was sent back, in both languages with a link, and only them', async () => {
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const operator = await login(ctx.http, 'admin@platform.demo');
    const stranger = await login(ctx.http, 'vendor@greengrid.demo');
    const slug = `e2e-inbox-${Date.now().toString(36)}`;
    const survey = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body.id;
    const product = await apiOk(ctx.http, vendor.token, 'POST', '/api/v1/products', {
      kind: 'derived',
      slug,
      titleZh: `收件箱测试 ${slug}`,
      titleEn: `Inbox test ${slug}`,
      descriptionEn: 'Channel construction by year.',
      theme: 'statistics',
      sql: 'SELECT "年份" AS year FROM survey ORDER BY year',
      inputs: [{ name: 'survey', datasetId: survey }],
    });
    const run = await apiOk(ctx.http, vendor.token, 'POST', `/api/v1/products/${product.id}/runs`, {});
    expect(await waitForRun(ctx.http, vendor.token, product.id, run.id)).toBe('succeeded');
    const unreadBefore = await unread(ctx.http, vendor.token);

    await apiOk(ctx.http, vendor.token, 'POST', `/api/v1/products/${product.id}/submit`, {});
    // The reviewer is told there is something to review, linked to the review.
    const toReview = (await inbox(ctx.http, operator.token)).filter((notice) => notice.target?.id === product.id);
    expect(toReview).toEqual([
      expect.objectContaining({ kind: 'product.review_requested', subjectEn: `Product to review: Inbox test ${slug}`, target: { type: 'product_review', id: product.id }, readAt: null }),
    ]);

    await apiOk(ctx.http, operator.token, 'POST', `/api/v1/product-reviews/${product.id}/decision`, { decision: 'reject', reason: 'Describe the method.' });
    // Decided, the review no longer waits in the reviewer's inbox.
    expect((await inbox(ctx.http, operator.token, 'unread=true')).map((notice) => notice.target?.id)).not.toContain(product.id);
    expect((await inbox(ctx.http, operator.token)).filter((notice) => notice.target?.id === product.id)).toEqual([
      expect.objectContaining({ id: toReview[0]!.id, readAt: expect.any(String) }),
    ]);
    expect(await unread(ctx.http, vendor.token)).toBe(unreadBefore + 1);
    const [rejected, ...others] = (await inbox(ctx.http, vendor.token)).filter((notice) => notice.target?.id === product.id);
    expect(others).toEqual([]);
    expect(rejected).toEqual({
      id: expect.any(String),
      kind: 'product.rejected',
      subjectZh: `退回修改：收件箱测试 ${slug}`,
      subjectEn: `Sent back for changes: Inbox test ${slug}`,
      target: { type: 'product', id: product.id },
      createdAt: expect.any(String),
      readAt: null,
    });
    expect((await inbox(ctx.http, vendor.token, 'unread=true')).map((notice) => notice.id)).toContain(rejected.id);

    // Another user cannot see or mark it: their answer is the one for a notice that does not exist.
    const foreign = await ctx.http.post(`${INBOX}/${rejected.id}/read`, {}, { token: stranger.token });
    const missing = await ctx.http.post(`${INBOX}/${randomUUID()}/read`, {}, { token: stranger.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.error.code).toBe('notifications.not_found');
    expect((await inbox(ctx.http, stranger.token)).map((notice) => notice.id)).not.toContain(rejected.id);
    // Neither can the reviewer, who made the decision.
    expect((await ctx.http.post(`${INBOX}/${rejected.id}/read`, {}, { token: operator.token })).status).toBe(404);
    expect(await unread(ctx.http, vendor.token)).toBe(unreadBefore + 1);

    // The owner marks it read: once, and marking again keeps the first time.
    const marked = await apiOk<Notice>(ctx.http, vendor.token, 'POST', `${INBOX}/${rejected.id}/read`, {});
    expect(marked).toMatchObject({ id: rejected.id, readAt: expect.any(String) });
    expect(await unread(ctx.http, vendor.token)).toBe(unreadBefore);
    expect((await inbox(ctx.http, vendor.token, 'unread=true')).map((notice) => notice.id)).not.toContain(rejected.id);
    expect((await apiOk<Notice>(ctx.http, vendor.token, 'POST', `${INBOX}/${rejected.id}/read`, {})).readAt).toBe(marked.readAt);

    // Resubmitted and approved: a newer notice, first in the inbox; pages of one follow each other.
    await apiOk(ctx.http, vendor.token, 'POST', `/api/v1/products/${product.id}/submit`, {});
    await apiOk(ctx.http, operator.token, 'POST', `/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' });
    const first = await apiOk(ctx.http, vendor.token, 'GET', `${INBOX}?limit=1`);
    expect(first.items).toEqual([expect.objectContaining({ kind: 'product.approved', subjectEn: `Approved: Inbox test ${slug}`, target: { type: 'product', id: product.id } })]);
    const second = await apiOk(ctx.http, vendor.token, 'GET', `${INBOX}?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((notice: Notice) => notice.id)).toEqual([rejected.id]);
    const bad = await ctx.http.get(`${INBOX}?cursor=not-a-cursor`, { token: vendor.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'request.invalid', details: [{ field: 'cursor' }] });

    // Mark all read: the unread count falls to zero, and nothing is left to mark.
    expect(await unread(ctx.http, vendor.token)).toBeGreaterThan(0);
    const operatorUnread = (await inbox(ctx.http, operator.token, 'unread=true')).map((notice) => notice.id);
    const all = await apiOk(ctx.http, vendor.token, 'POST', `${INBOX}/read-all`, {});
    expect(all.marked).toBeGreaterThan(0);
    expect(await unread(ctx.http, vendor.token)).toBe(0);
    expect(await inbox(ctx.http, vendor.token, 'unread=true')).toEqual([]);
    expect((await apiOk(ctx.http, vendor.token, 'POST', `${INBOX}/read-all`, {})).marked).toBe(0);
    // The reviewer's own notices are untouched by the vendor's.
    expect((await inbox(ctx.http, operator.token, 'unread=true')).map((notice) => notice.id)).toEqual(operatorUnread);
  });

  it('keeps invitations (their link is a credential) out of the invitee’s inbox', async () => {
    const harbor = await login(ctx.http, 'buyer@harbor.demo');
    const invitee = await login(ctx.http, 'vendor@greengrid.demo');
    const invited = await apiOk(ctx.http, harbor.token, 'POST', '/api/v1/invitations', { email: 'vendor@greengrid.demo', role: 'buyer_member' });
    expect(invited.token).toEqual(expect.any(String));
    const seen = JSON.stringify(await inbox(ctx.http, invitee.token));
    expect(seen).not.toContain(invited.token);
    expect(seen).not.toContain('/invite/');
    expect(seen).not.toContain('"kind":"invitation"');
    // The invitation itself went out, to the outbox.
    expect((await ctx.http.post('/api/v1/invitations/preview', { token: invited.token })).status).toBe(200);
  });

  it('refuses API keys: an inbox belongs to a person', async () => {
    const harbor = await login(ctx.http, 'buyer@harbor.demo');
    const key = await apiOk(ctx.http, harbor.token, 'POST', '/api/v1/api-keys', { name: 'inbox', scopes: ['data:read'] });
    const refused = await ctx.http.get(`${INBOX}/unread-count`, { apiKey: key.key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');
  });
});
