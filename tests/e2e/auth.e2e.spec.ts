import { usePlatform } from '../support/platform.js';
import { login, signUp, TEST_PASSWORD, uniqueEmail } from '../support/http.js';

describe('authentication and sessions', () => {
  const ctx = usePlatform({ REFRESH_REUSE_GRACE_SECONDS: '0' });

  it('signs in with the demo password and sets httpOnly, SameSite=Strict, path-limited cookies', async () => {
    const result = await ctx.http.post('/api/v1/auth/login', { email: 'Steward@Transport.demo ', password: TEST_PASSWORD });
    expect(result.status).toBe(200);
    expect(result.body.me).toMatchObject({ role: 'steward', organization: { kind: 'agency', status: 'active' }, user: { email: 'steward@transport.demo' } });
    expect(result.body.me.permissions).toEqual(expect.arrayContaining(['members:manage', 'api_keys:manage']));
    expect(result.body.expiresIn).toBe(900);
    const setCookie = result.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/civic_refresh=[^;]+;.*Path=\/api\/v1\/auth;.*HttpOnly;.*SameSite=Strict/);
    expect(setCookie).toMatch(/civic_access=[^;]+;.*Path=\/admin;.*HttpOnly/);
    // The session marker: readable by the web app (not HttpOnly), on every path, no credential.
    const marker = result.headers.getSetCookie().find((line) => line.startsWith('civic_session='));
    expect(marker).toMatch(/^civic_session=1;.*Path=\/;.*SameSite=Strict/);
    expect(marker).not.toMatch(/HttpOnly/);
    const me = await ctx.http.get('/api/v1/me', { token: result.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('steward@transport.demo');
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrong = await ctx.http.post('/api/v1/auth/login', { email: 'steward@ecology.demo', password: 'not-the-password' });
    const unknown = await ctx.http.post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'whatever-it-is' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('auth.invalid_credentials');
  });

  it('locks an account after repeated failures, with a retry-after, and records it', async () => {
    const account = await signUp(ctx.http);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await ctx.http.post('/api/v1/auth/login', { email: account.email, password: 'wrong-password-x' })).status).toBe(401);
    }
    const locked = await ctx.http.post('/api/v1/auth/login', { email: account.email, password: 'a-strong-password-1' });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('auth.locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThan(0);

    const admin = await login(ctx.http, 'admin@platform.demo');
    const events = await ctx.http.get(`/api/v1/audit-events?actorUserId=${account.me.user.id}&limit=20`, { token: admin.token });
    const actions = events.body.items.map((event: { action: string }) => event.action);
    expect(actions.filter((action: string) => action === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toContain('auth.login_locked');
  });

  it('rotates refresh tokens and revokes the family when an old one is replayed', async () => {
    const session = await login(ctx.http, 'buyer@sunrise.demo');
    const first = await ctx.http.post('/api/v1/auth/refresh', undefined, { cookie: `civic_refresh=${session.refresh}` });
    expect(first.status).toBe(200);
    const rotated = first.cookies.civic_refresh;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(session.refresh);

    const replay = await ctx.http.post('/api/v1/auth/refresh', undefined, { cookie: `civic_refresh=${session.refresh}` });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('auth.refresh_invalid');
    // The theft signal ended the whole family, including the newest token.
    const afterReplay = await ctx.http.post('/api/v1/auth/refresh', undefined, { cookie: `civic_refresh=${rotated}` });
    expect(afterReplay.status).toBe(401);
  });

  it('logs out: the refresh cookie stops working', async () => {
    const session = await login(ctx.http, 'vendor@greengrid.demo');
    const logout = await ctx.http.post('/api/v1/auth/logout', undefined, { cookie: `civic_refresh=${session.refresh}` });
    expect(logout.status).toBe(204);
    // The session marker goes with the session.
    expect(logout.headers.getSetCookie().find((line) => line.startsWith('civic_session='))).toMatch(/^civic_session=;.*Path=\/;.*Expires=Thu, 01 Jan 1970/);
    const refused = await ctx.http.post('/api/v1/auth/refresh', undefined, { cookie: `civic_refresh=${session.refresh}` });
    expect(refused.status).toBe(401);
    expect(refused.cookies.civic_session).toBe('');
  });

  it('signs up an enterprise as active and a vendor as pending until a platform admin approves', async () => {
    const enterprise = await signUp(ctx.http, 'enterprise');
    expect(enterprise.me).toMatchObject({ role: 'buyer_admin', organization: { kind: 'enterprise', status: 'active' } });

    const vendor = await signUp(ctx.http, 'vendor');
    expect(vendor.me).toMatchObject({ role: 'vendor_admin', organization: { kind: 'vendor', status: 'pending_approval' }, permissions: ['members:read'] });
    const blocked = await ctx.http.post('/api/v1/api-keys', { name: 'too early', scopes: ['catalog:read'] }, { token: vendor.token });
    expect(blocked.status).toBe(403);

    const admin = await login(ctx.http, 'admin@platform.demo');
    const approved = await ctx.http.post(`/api/v1/organizations/${vendor.me.organization.id}/approve`, undefined, { token: admin.token });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('active');
    // Permissions follow the organization's state on the very next request.
    const allowed = await ctx.http.post('/api/v1/api-keys', { name: 'now fine', scopes: ['catalog:read'] }, { token: vendor.token });
    expect(allowed.status).toBe(201);
    expect((await ctx.http.post(`/api/v1/organizations/${vendor.me.organization.id}/approve`, undefined, { token: admin.token })).status).toBe(409);
  });

  it('refuses a second account with the same email', async () => {
    const first = await signUp(ctx.http);
    const again = await ctx.http.post('/api/v1/auth/signup', { kind: 'enterprise', organizationName: 'Copycat Ltd', email: first.email.toUpperCase(), password: 'another-password-1', displayName: 'Copy' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('identity.email_taken');
  });

  it('switches organization only into organizations the user belongs to', async () => {
    const session = await login(ctx.http, 'buyer@harbor.demo');
    const foreign = await login(ctx.http, 'buyer@sunrise.demo');
    const refused = await ctx.http.post('/api/v1/auth/switch-organization', { organizationId: foreign.me.organization.id }, { token: session.token });
    expect(refused.status).toBe(403);
    const same = await ctx.http.post('/api/v1/auth/switch-organization', { organizationId: session.me.organization.id }, { token: session.token });
    expect(same.status).toBe(200);
  });
});
