import { createDataSource, OutboxMessage } from '@civic/db';
import type { DataSource } from 'typeorm';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { Http, login, signUp, uniqueEmail } from '../support/http.js';

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe('organizations, invitations and members', () => {
  let platform: RunningPlatform;
  let http: Http;
  let dataSource: DataSource;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: true });
    http = new Http(platform.baseUrl);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await platform?.close();
  });

  it('invites a member who accepts, and the worker delivers the invitation exactly once', async () => {
    const owner = await signUp(http);
    const email = uniqueEmail('invitee');
    const created = await http.post('/api/v1/invitations', { email, role: 'buyer_member' }, { token: owner.token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'buyer_member', status: 'pending' });
    expect(created.body.acceptUrl).toContain(`/invite/${created.body.token}`);

    const listed = await http.get('/api/v1/invitations', { token: owner.token });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const delivered = await eventually(
      () => dataSource.manager.findBy(OutboxMessage, { kind: 'invitation', reference: created.body.id }),
      (messages) => messages.length === 1 && messages[0].deliveredAt !== null,
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0].recipient).toBe(email);
    expect(delivered[0].body.acceptUrl).toBe(created.body.acceptUrl);

    const preview = await http.post('/api/v1/invitations/preview', { token: created.body.token });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ email, role: 'buyer_member', existingAccount: false });

    const nameless = await http.post('/api/v1/invitations/accept', { token: created.body.token, password: 'member-password-1' });
    expect(nameless.status).toBe(400);
    expect(nameless.body.error.details).toEqual([expect.objectContaining({ field: 'displayName' })]);
    const accepted = await http.post('/api/v1/invitations/accept', { token: created.body.token, displayName: 'New Member', password: 'member-password-1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.me).toMatchObject({ role: 'buyer_member', organization: { id: owner.me.organization.id } });

    const reused = await http.post('/api/v1/invitations/accept', { token: created.body.token, displayName: 'Again', password: 'member-password-1' });
    expect(reused.status).toBe(404);
    expect(reused.body.error.code).toBe('identity.invitation_invalid');

    const members = await http.get('/api/v1/members', { token: owner.token });
    expect(members.body.items.map((member: { user: { email: string } }) => member.user.email).sort()).toEqual([owner.email, email].sort());
  });

  it('changes roles, protects the last admin, and ends a removed member’s access at once', async () => {
    const owner = await signUp(http);
    const email = uniqueEmail('member');
    const invitation = await http.post('/api/v1/invitations', { email, role: 'buyer_member' }, { token: owner.token });
    const member = await http.post('/api/v1/invitations/accept', { token: invitation.body.token, displayName: 'Member', password: 'member-password-1' });
    const members = (await http.get('/api/v1/members', { token: owner.token })).body.items as Array<{ id: string; user: { email: string } }>;
    const ownerMembership = members.find((item) => item.user.email === owner.email)!;
    const memberMembership = members.find((item) => item.user.email === email)!;

    const lastAdmin = await http.patch(`/api/v1/members/${ownerMembership.id}`, { role: 'buyer_member' }, { token: owner.token });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.error.code).toBe('identity.last_admin');
    expect((await http.delete(`/api/v1/members/${ownerMembership.id}`, { token: owner.token })).status).toBe(409);

    const wrongRole = await http.patch(`/api/v1/members/${memberMembership.id}`, { role: 'steward' }, { token: owner.token });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.error.code).toBe('identity.role_not_allowed');

    expect((await http.get('/api/v1/me', { token: member.body.accessToken })).body.permissions).not.toContain('members:manage');
    const promoted = await http.patch(`/api/v1/members/${memberMembership.id}`, { role: 'buyer_admin' }, { token: owner.token });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('buyer_admin');
    // The same access token now carries the new role: memberships are read per request.
    expect((await http.get('/api/v1/me', { token: member.body.accessToken })).body.permissions).toContain('members:manage');

    expect((await http.delete(`/api/v1/members/${memberMembership.id}`, { token: owner.token })).status).toBe(204);
    const afterRemoval = await http.get('/api/v1/me', { token: member.body.accessToken });
    expect(afterRemoval.status).toBe(401);
    const refresh = await http.post('/api/v1/auth/refresh', undefined, { cookie: `civic_refresh=${member.cookies.civic_refresh}` });
    expect(refresh.status).toBe(401);

    const admin = await login(http, 'admin@platform.demo');
    const events = await http.get(`/api/v1/audit-events?organizationId=${owner.me.organization.id}&limit=50`, { token: admin.token });
    const actions = events.body.items.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['membership.role_changed', 'membership.removed', 'invitation.created', 'invitation.accepted']));
    const change = events.body.items.find((event: { action: string }) => event.action === 'membership.role_changed');
    expect(change.data).toMatchObject({ from: 'buyer_member', to: 'buyer_admin' });
  });

  it('lets an existing user join a second organization with their own password', async () => {
    const first = await signUp(http);
    const second = await signUp(http);
    const invitation = await http.post('/api/v1/invitations', { email: first.email, role: 'buyer_member' }, { token: second.token });
    const preview = await http.post('/api/v1/invitations/preview', { token: invitation.body.token });
    expect(preview.body.existingAccount).toBe(true);
    const wrong = await http.post('/api/v1/invitations/accept', { token: invitation.body.token, displayName: 'x', password: 'not-my-password' });
    expect(wrong.status).toBe(401);
    // An existing account needs no name: only its password.
    const accepted = await http.post('/api/v1/invitations/accept', { token: invitation.body.token, password: 'a-strong-password-1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.me.memberships).toHaveLength(2);
    const switched = await http.post('/api/v1/auth/switch-organization', { organizationId: first.me.organization.id }, { token: accepted.body.accessToken });
    expect(switched.body.me).toMatchObject({ role: 'buyer_admin', organization: { id: first.me.organization.id } });
  });

  it('supersedes a pending invitation when the same person is invited again', async () => {
    const owner = await signUp(http);
    const email = uniqueEmail('twice');
    const first = await http.post('/api/v1/invitations', { email, role: 'buyer_member' }, { token: owner.token });
    const second = await http.post('/api/v1/invitations', { email, role: 'buyer_admin' }, { token: owner.token });
    expect((await http.post('/api/v1/invitations/preview', { token: first.body.token })).status).toBe(404);
    expect((await http.post('/api/v1/invitations/preview', { token: second.body.token })).body.role).toBe('buyer_admin');
    const statuses = (await http.get('/api/v1/invitations', { token: owner.token })).body.items.map((item: { id: string; status: string }) => [item.id, item.status]);
    expect(statuses).toEqual(expect.arrayContaining([[first.body.id, 'revoked'], [second.body.id, 'pending']]));
  });

  it('revokes pending invitations and refuses inviting current members', async () => {
    const owner = await signUp(http);
    expect((await http.post('/api/v1/invitations', { email: owner.email, role: 'buyer_member' }, { token: owner.token })).status).toBe(409);
    const invitation = await http.post('/api/v1/invitations', { email: uniqueEmail('later'), role: 'buyer_admin' }, { token: owner.token });
    expect((await http.delete(`/api/v1/invitations/${invitation.body.id}`, { token: owner.token })).status).toBe(204);
    expect((await http.post('/api/v1/invitations/preview', { token: invitation.body.token })).status).toBe(404);
  });

  it('lets platform admins create an agency whose first steward is invited', async () => {
    const admin = await login(http, 'admin@platform.demo');
    const email = uniqueEmail('steward');
    const created = await http.post('/api/v1/organizations', { kind: 'agency', name: '市水务局 Water Authority', adminEmail: email }, { token: admin.token });
    expect(created.status).toBe(201);
    expect(created.body.organization).toMatchObject({ kind: 'agency', status: 'active' });
    expect(created.body.organization.slug).toMatch(/^water-authority-[0-9a-f]{6}$/);
    expect(created.body.invitation).toMatchObject({ email, role: 'steward' });
    const steward = await http.post('/api/v1/invitations/accept', { token: created.body.invitation.token, displayName: 'Water Steward', password: 'steward-password-1' });
    expect(steward.body.me).toMatchObject({ role: 'steward', organization: { id: created.body.organization.id } });
    const listed = await http.get('/api/v1/organizations?kind=agency', { token: admin.token });
    expect(listed.body.items.map((organization: { id: string }) => organization.id)).toContain(created.body.organization.id);
    expect(listed.body.items.every((organization: { kind: string }) => organization.kind === 'agency')).toBe(true);
  });
});
