import { randomUUID } from 'node:crypto';
import { auditTargetLabels, createDataSource, LABELLED_AUDIT_TARGETS } from '@civic/db';
import { usePlatform } from '../support/platform.js';
import { login, signUp } from '../support/http.js';

describe('audit log', () => {
  const ctx = usePlatform();

  it('records key creation and revocation with who, where and which request', async () => {
    const owner = await signUp(ctx.http);
    const key = await ctx.http.post('/api/v1/api-keys', { name: 'audited', scopes: ['catalog:read'] }, { token: owner.token, headers: { 'x-request-id': 'req-audit-test-1' } });
    await ctx.http.delete(`/api/v1/api-keys/${key.body.id}`, { token: owner.token });
    const admin = await login(ctx.http, 'admin@platform.demo');
    const events = (await ctx.http.get(`/api/v1/audit-events?organizationId=${owner.me.organization.id}`, { token: admin.token })).body.items;
    const created = events.find((event: { action: string }) => event.action === 'api_key.created');
    expect(created).toMatchObject({
      actorUserId: owner.me.user.id,
      actorEmail: owner.email,
      organizationName: owner.me.organization.name,
      targetType: 'api_key',
      targetId: key.body.id,
      requestId: 'req-audit-test-1',
      ip: '127.0.0.1',
      data: { prefix: key.body.prefix, scopes: ['catalog:read'] },
      // The target by its name, in both languages (a key has one).
      targetLabel: { zh: 'audited', en: 'audited' },
    });
    const signup = events.find((event: { action: string }) => event.action === 'organization.signup');
    expect(signup).toMatchObject({ targetType: 'organization', targetLabel: { zh: owner.me.organization.name, en: owner.me.organization.name } });
    expect(JSON.stringify(created)).not.toContain(key.body.key);
    expect(events.map((event: { action: string }) => event.action)).toEqual(expect.arrayContaining(['api_key.revoked', 'organization.signup']));
    // A family filter and an actor email find the same two key events.
    const family = await ctx.http.get(`/api/v1/audit-events?action=api_key&actorEmail=${encodeURIComponent(owner.email.toUpperCase())}`, { token: admin.token });
    expect(family.body.items.map((event: { action: string }) => event.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    // A family is a whole dotted prefix, not any prefix.
    const partial = await ctx.http.get('/api/v1/audit-events?action=api_ke', { token: admin.token });
    expect(partial.body.items).toEqual([]);
  });

  it('names targets of every labelled kind by what they are called now, a licence by its product', async () => {
    const db = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await db.initialize();
    try {
      // Every kind's query runs (an unknown id names nothing); ids that are no uuid and unknown kinds are left out.
      const unknown = await auditTargetLabels(db, [...LABELLED_AUDIT_TARGETS.map((targetType) => ({ targetType, targetId: randomUUID() })), { targetType: 'product', targetId: 'not-a-uuid' }, { targetType: 'harvest_job', targetId: randomUUID() }]);
      expect(LABELLED_AUDIT_TARGETS.length).toBeGreaterThanOrEqual(11);
      expect(unknown.size).toBe(0);
      const [product]: Array<{ id: string; title_zh: string; title_en: string }> = await db.query(`SELECT id, title_zh, title_en FROM products ORDER BY created_at LIMIT 1`);
      const [license]: Array<{ id: string; title_en: string }> = await db.query(`SELECT l.id, p.title_en FROM licenses l JOIN products p ON p.id = l.product_id LIMIT 1`);
      const named = await auditTargetLabels(db, [
        { targetType: 'product', targetId: product!.id.toUpperCase() },
        ...(license ? [{ targetType: 'license', targetId: license.id }] : []),
      ]);
      expect(named.get(`product:${product!.id}`)).toEqual({ zh: product!.title_zh, en: product!.title_en });
      if (license) expect(named.get(`license:${license.id}`)?.en).toBe(license.title_en);
    } finally {
      await db.destroy();
    }
  });

  it('filters by action and pages with a seq cursor, newest first', async () => {
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    for (let index = 0; index < 3; index += 1) await login(ctx.http, 'member@harbor.demo');
    const first = await ctx.http.get('/api/v1/audit-events?action=auth.login&limit=2', { token: supervisor.token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].seq).toBeGreaterThan(first.body.items[1].seq);
    expect(first.body.items.every((event: { action: string }) => event.action === 'auth.login')).toBe(true);
    const second = await ctx.http.get(`/api/v1/audit-events?action=auth.login&limit=2&before=${first.body.nextCursor}`, { token: supervisor.token });
    expect(second.body.items[0].seq).toBeLessThan(first.body.items[1].seq);
    const future = await ctx.http.get(`/api/v1/audit-events?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, { token: supervisor.token });
    expect(future.body).toEqual({ items: [], nextCursor: null });
  });

  it('verifies the chain through the API', async () => {
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    const verification = await ctx.http.get('/api/v1/audit-events/verify', { token: supervisor.token });
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({ ok: true, firstTampered: null });
    expect(verification.body.checked).toBe(verification.body.headSeq);
    expect(verification.body.checked).toBeGreaterThan(0);
  });
});
