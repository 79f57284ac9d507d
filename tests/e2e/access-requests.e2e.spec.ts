import { login, signUp } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const HOUSING = 'second-hand-housing-transactions';
const SURVEY = 'urban-channel-construction-survey-2011-2015';
const HOSPITAL = 'hospital-outpatient-visits';

const request = (datasetId: string, overrides: Record<string, unknown> = {}) => ({
  datasetId,
  purpose: 'risk_management',
  intendedUse: 'Price models for mortgage insurance, results published only as district aggregates.',
  requestedDays: 90,
  ...overrides,
});

describe('supervised access to conditional data', () => {
  const ctx = usePlatform();

  /** The reader's inbox notices about one access request. */
  async function noticesAbout(token: string, requestId: string): Promise<Array<Record<string, unknown>>> {
    const inbox = await ctx.http.get('/api/v1/me/notifications?limit=100', { token });
    expect(inbox.status).toBe(200);
    return inbox.body.items.filter((notice: { target: { id: string } | null }) => notice.target?.id === requestId);
  }

  it('files a request, lets the owning agency approve it as a time-limited grant, then delivers rows, audited', async () => {
    const buyer = await signUp(ctx.http);
    const housing = await login(ctx.http, 'steward@housing.demo');
    const dataset = (await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}`)).body;
    expect(dataset.classification).toBe('conditional');

    const denied = await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}/download`, { token: buyer.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('catalog.rows_not_available');

    const filed = await ctx.http.post('/api/v1/access-requests', request(dataset.id), { token: buyer.token });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'pending', agency: { slug: 'housing-bureau' }, requestedByEmail: buyer.email, grant: null });
    const twice = await ctx.http.post('/api/v1/access-requests', request(dataset.id), { token: buyer.token });
    expect(twice.body.error.code).toBe('access.already_pending');

    const queue = await ctx.http.get('/api/v1/agency/access-requests?status=pending', { token: housing.token });
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(filed.body.id);
    // The agency's steward is told in the console's inbox, linked to the request.
    expect(await noticesAbout(housing.token, filed.body.id)).toEqual([
      expect.objectContaining({ kind: 'access.requested', subjectEn: `Access request to decide: ${dataset.titleEn}`, subjectZh: `待审批数据使用申请：${dataset.titleZh}`, target: { type: 'access_request', id: filed.body.id } }),
    ]);

    const approved = await ctx.http.post(`/api/v1/agency/access-requests/${filed.body.id}/approve`, { days: 30 }, { token: housing.token });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const expiresIn = new Date(approved.body.grant.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 86_400_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 86_400_000);
    expect((await ctx.http.post(`/api/v1/agency/access-requests/${filed.body.id}/approve`, {}, { token: housing.token })).body.error.code).toBe('access.invalid_state');
    // The steward's notice is settled by the decision: nothing left to act on.
    expect(await noticesAbout(housing.token, filed.body.id)).toEqual([expect.objectContaining({ kind: 'access.requested', readAt: expect.any(String) })]);
    // The requester is told the decision, once.
    expect(await noticesAbout(buyer.token, filed.body.id)).toEqual([
      expect.objectContaining({ kind: 'access.decided', subjectEn: `Access granted: ${dataset.titleEn}`, target: { type: 'dataset_access', id: filed.body.id } }),
    ]);

    const detail = await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}`, { token: buyer.token });
    expect(detail.body).toMatchObject({ rowAccess: 'granted', previewAvailable: false });
    const file = await ctx.http.bytes(`/api/v1/catalog/datasets/${HOUSING}/download?format=csv`, { token: buyer.token });
    expect(file.status).toBe(200);
    expect(file.body.toString('utf8').split('\n').length).toBeGreaterThan(10);
    const grants = await ctx.http.get('/api/v1/access-grants', { token: buyer.token });
    expect(grants.body.items[0]).toMatchObject({ state: 'active', dataset: { slug: HOUSING } });

    // The decision and the delivery are in the audit log, filed under both organizations.
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    const audit = await ctx.http.get('/api/v1/audit-events?action=dataset.rows_delivered', { token: supervisor.token });
    const delivered = audit.body.items.find((item: { data: { recipientOrganizationId: string } }) => item.data.recipientOrganizationId === buyer.me.organization.id);
    expect(delivered.data).toMatchObject({ channel: 'download', format: 'csv', grantId: approved.body.grant.id });
    const decisions = await ctx.http.get(`/api/v1/audit-events?action=access_request&organizationId=${buyer.me.organization.id}`, { token: supervisor.token });
    expect(decisions.body.items.map((item: { action: string }) => item.action)).toEqual(expect.arrayContaining(['access_request.filed', 'access_request.approved']));

    const given = await ctx.http.get('/api/v1/agency/access-grants', { token: housing.token });
    expect(given.body.items.map((grant: { id: string }) => grant.id)).toContain(approved.body.grant.id);
    const transportGrants = await ctx.http.get('/api/v1/agency/access-grants', { token: (await login(ctx.http, 'steward@transport.demo')).token });
    expect(transportGrants.body.items.map((grant: { id: string }) => grant.id)).not.toContain(approved.body.grant.id);

    // Revoking stops delivery at once.
    const revoked = await ctx.http.post(`/api/v1/agency/access-grants/${approved.body.grant.id}/revoke`, { reason: 'purpose changed' }, { token: housing.token });
    expect(revoked.body.state).toBe('revoked');
    expect((await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}/download`, { token: buyer.token })).status).toBe(403);
  });

  it('rejects with a reason, and lets the requester withdraw', async () => {
    const buyer = await signUp(ctx.http);
    const housing = await login(ctx.http, 'steward@housing.demo');
    const dataset = (await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}`)).body;
    const filed = await ctx.http.post('/api/v1/access-requests', request(dataset.id), { token: buyer.token });
    expect((await ctx.http.post(`/api/v1/agency/access-requests/${filed.body.id}/reject`, {}, { token: housing.token })).status).toBe(400);
    const rejected = await ctx.http.post(`/api/v1/agency/access-requests/${filed.body.id}/reject`, { reason: 'The intended use needs row-level data we cannot release.' }, { token: housing.token });
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: 'The intended use needs row-level data we cannot release.' });
    const mine = await ctx.http.get(`/api/v1/access-requests/${filed.body.id}`, { token: buyer.token });
    expect(mine.body.status).toBe('rejected');
    expect(await noticesAbout(buyer.token, filed.body.id)).toEqual([expect.objectContaining({ kind: 'access.decided', subjectEn: `Access request declined: ${dataset.titleEn}` })]);
    expect(await noticesAbout(housing.token, filed.body.id)).toEqual([expect.objectContaining({ kind: 'access.requested', readAt: expect.any(String) })]);

    const again = await ctx.http.post('/api/v1/access-requests', request(dataset.id, { purpose: 'research' }), { token: buyer.token });
    expect(again.status).toBe(201);
    const withdrawn = await ctx.http.post(`/api/v1/access-requests/${again.body.id}/withdraw`, {}, { token: buyer.token });
    expect(withdrawn.body.status).toBe('withdrawn');
    // Withdrawn, it no longer waits in the steward's inbox either.
    expect(await noticesAbout(housing.token, again.body.id)).toEqual([expect.objectContaining({ kind: 'access.requested', readAt: expect.any(String) })]);
    expect((await ctx.http.post(`/api/v1/agency/access-requests/${again.body.id}/approve`, {}, { token: housing.token })).body.error.code).toBe('access.invalid_state');
  });

  it('refuses requests for open and restricted data, invalid purposes and foreign decisions', async () => {
    const buyer = await signUp(ctx.http);
    const survey = (await ctx.http.get(`/api/v1/catalog/datasets/${SURVEY}`)).body;
    const hospital = (await ctx.http.get(`/api/v1/catalog/datasets/${HOSPITAL}`)).body;
    const housing = (await ctx.http.get(`/api/v1/catalog/datasets/${HOUSING}`)).body;
    expect((await ctx.http.post('/api/v1/access-requests', request(survey.id), { token: buyer.token })).body.error.code).toBe('access.not_conditional');
    expect((await ctx.http.post('/api/v1/access-requests', request(hospital.id), { token: buyer.token })).body.error.code).toBe('access.not_conditional');
    const bad = await ctx.http.post('/api/v1/access-requests', request(housing.id, { purpose: 'spying', requestedDays: 5000, intendedUse: 'x' }), { token: buyer.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['intendedUse', 'purpose', 'requestedDays']);
    const unexplained = await ctx.http.post('/api/v1/access-requests', request(housing.id, { purpose: 'other' }), { token: buyer.token });
    expect(unexplained.body.error.details).toEqual([{ field: 'purposeDetail', messages: ['required when purpose is other'] }]);

    const filed = await ctx.http.post('/api/v1/access-requests', request(housing.id), { token: buyer.token });
    // Another agency cannot see or decide it; another buyer cannot see or withdraw it.
    const transport = await login(ctx.http, 'steward@transport.demo');
    expect((await ctx.http.post(`/api/v1/agency/access-requests/${filed.body.id}/approve`, {}, { token: transport.token })).status).toBe(404);
    const incoming = await ctx.http.get('/api/v1/agency/access-requests', { token: transport.token });
    expect(incoming.body.items.map((item: { id: string }) => item.id)).not.toContain(filed.body.id);
    const other = await signUp(ctx.http);
    expect((await ctx.http.get(`/api/v1/access-requests/${filed.body.id}`, { token: other.token })).status).toBe(404);
    expect((await ctx.http.post(`/api/v1/access-requests/${filed.body.id}/withdraw`, {}, { token: other.token })).status).toBe(404);
    // A buyer member may read the organization's requests but not file them.
    const member = await login(ctx.http, 'member@harbor.demo');
    expect((await ctx.http.get('/api/v1/access-requests', { token: member.token })).status).toBe(200);
    expect((await ctx.http.post('/api/v1/access-requests', request(housing.id), { token: member.token })).status).toBe(403);
  });
});
