import { usePlatform } from '../support/platform.js';
import { signUp } from '../support/http.js';

describe('API keys', () => {
  const ctx = usePlatform();

  it('shows the secret once, lists by prefix, records last use and revokes at once', async () => {
    const owner = await signUp(ctx.http);
    const created = await ctx.http.post('/api/v1/api-keys', { name: 'nightly export', scopes: ['data:read', 'catalog:read'], expiresInDays: 30 }, { token: owner.token });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^cdm_[a-z0-9x]{8}_[A-Za-z0-9_-]{32}$/);
    expect(created.body.key.startsWith(`${created.body.prefix}_`)).toBe(true);
    expect(new Date(created.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const listed = await ctx.http.get('/api/v1/api-keys', { token: owner.token });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ prefix: created.body.prefix, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const asKey = await ctx.http.get('/api/v1/api-keys/current', { apiKey: created.body.key });
    expect(asKey.status).toBe(200);
    const viaBearer = await ctx.http.get('/api/v1/api-keys/current', { token: created.body.key });
    expect(viaBearer.status).toBe(200);
    expect((await ctx.http.get('/api/v1/api-keys', { token: owner.token })).body.items[0].lastUsedAt).not.toBeNull();

    // A key acts within its scopes only: no user-level management.
    expect((await ctx.http.get('/api/v1/members', { apiKey: created.body.key })).status).toBe(403);
    expect((await ctx.http.post('/api/v1/api-keys', { name: 'escalate', scopes: ['data:read'] }, { apiKey: created.body.key })).status).toBe(403);

    expect((await ctx.http.delete(`/api/v1/api-keys/${created.body.id}`, { token: owner.token })).status).toBe(204);
    const revoked = await ctx.http.get('/api/v1/api-keys/current', { apiKey: created.body.key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('auth.api_key_invalid');
    expect((await ctx.http.get('/api/v1/api-keys', { token: owner.token })).body.items[0].revokedAt).not.toBeNull();
  });

  it('names what a refused key lacks: the scope, or a signed-in user with a permission', async () => {
    const owner = await signUp(ctx.http);
    const catalogOnly = await ctx.http.post('/api/v1/api-keys', { name: 'catalog only', scopes: ['catalog:read'] }, { token: owner.token });
    const noScope = await ctx.http.get('/api/v1/data/road-congestion-index-by-district-hour-weather/rows?limit=1', { apiKey: catalogOnly.body.key });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.code).toBe('auth.forbidden');
    expect(noScope.body.error.message).toContain('data:read');
    expect(noScope.body.error.details).toEqual({ requiredScopes: ['data:read'], missingScopes: ['data:read'], keyScopes: ['catalog:read'] });

    // A licence's usage takes a key with usage:read (or a signed-in user with licenses:read).
    const dataOnly = await ctx.http.post('/api/v1/api-keys', { name: 'data only', scopes: ['data:read'] }, { token: owner.token });
    const usagePath = '/api/v1/licenses/00000000-0000-4000-8000-000000000000/usage';
    const usage = await ctx.http.get(usagePath, { apiKey: dataOnly.body.key });
    expect(usage.status).toBe(403);
    expect(usage.body.error.message).toContain('usage:read');
    expect(usage.body.error.details).toEqual({ requiredScopes: ['usage:read'], missingScopes: ['usage:read'], keyScopes: ['data:read'] });
    const usageKey = await ctx.http.post('/api/v1/api-keys', { name: 'usage', scopes: ['usage:read'] }, { token: owner.token });
    expect((await ctx.http.get(usagePath, { apiKey: usageKey.body.key })).body.error.code).toBe('licensing.not_found');

    const members = await ctx.http.get('/api/v1/members', { apiKey: dataOnly.body.key });
    expect(members.status).toBe(403);
    expect(members.body.error.message).not.toBe('You are not allowed to do this.');
    expect(members.body.error.details.requires).toBe('user');
  });

  it('rejects forged and malformed keys the same way', async () => {
    const owner = await signUp(ctx.http);
    const created = await ctx.http.post('/api/v1/api-keys', { name: 'real', scopes: ['catalog:read'] }, { token: owner.token });
    const forged = `${created.body.prefix}_${'A'.repeat(32)}`;
    const a = await ctx.http.get('/api/v1/api-keys/current', { apiKey: forged });
    const b = await ctx.http.get('/api/v1/api-keys/current', { apiKey: 'cdm_nonsense' });
    expect(a.status).toBe(401);
    expect(a.body).toEqual(b.body);
  });

  it('validates scopes and names', async () => {
    const owner = await signUp(ctx.http);
    const bad = await ctx.http.post('/api/v1/api-keys', { name: '', scopes: ['root:all'] }, { token: owner.token });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['name', 'scopes']);
  });
});
