import { createDataSource } from '@civic/db';
import type { DataSource } from 'typeorm';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { Http, signUp } from '../support/http.js';
import { connect } from 'node:net';

/** Sends raw bytes to the server and answers everything it writes back until it closes. */
function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('bad input gets a clear 4xx and changes nothing', () => {
  let platform: RunningPlatform;
  let http: Http;
  let dataSource: DataSource;

  const counts = async () => {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM organizations)::int AS organizations,
              (SELECT count(*) FROM api_keys)::int AS keys, (SELECT count(*) FROM memberships)::int AS memberships`,
    );
    return row;
  };

  beforeAll(async () => {
    platform = await startPlatform({ BODY_LIMIT_BYTES: '4096' });
    http = new Http(platform.baseUrl);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await platform?.close();
  });

  it('rejects malformed JSON with 400 request.malformed_json', async () => {
    const result = await http.request('POST', '/api/v1/auth/signup', undefined, { raw: '{"kind": "enterprise", ' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('request.malformed_json');
  });

  it('rejects wrong types and unknown fields, naming each field', async () => {
    const owner = await signUp(http);
    const before = await counts();
    const result = await http.post('/api/v1/api-keys', { name: 42, scopes: 'data:read', isAdmin: true }, { token: owner.token });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('request.invalid');
    expect(result.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['isAdmin', 'name', 'scopes']);
    expect(await counts()).toEqual(before);
  });

  it('rejects oversized bodies with 413 and unsupported content types with 415', async () => {
    const big = await http.post('/api/v1/auth/login', { email: 'a@b.test', password: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('request.too_large');
    expect(big.body.error.details).toEqual({ limitBytes: 4096 });
    const xml = await http.request('POST', '/api/v1/auth/login', undefined, { raw: '<login/>', contentType: 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('request.unsupported_media_type');
  });

  it('answers a request whose headers are too large, or that is not HTTP, in the standard body', async () => {
    const long = await http.get(`/api/v1/catalog/datasets?q=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(long.body.error).toMatchObject({ code: 'request.headers_too_large', message: expect.stringContaining('POST') });
    const garbage = await rawExchange(http.baseUrl, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).error.code).toBe('request.malformed');
  });

  it('treats SQL metacharacters as plain data', async () => {
    const before = await counts();
    const injection = await http.post('/api/v1/auth/login', { email: "x' OR '1'='1@example.test", password: "' OR 1=1; DROP TABLE users; --" });
    expect([400, 401]).toContain(injection.status);
    const weird = await signUp(http);
    const named = await http.post('/api/v1/api-keys', { name: "Robert'); DROP TABLE api_keys;--", scopes: ['catalog:read'] }, { token: weird.token });
    expect(named.status).toBe(201);
    const listed = await http.get('/api/v1/api-keys', { token: weird.token });
    expect(listed.body.items[0].name).toBe("Robert'); DROP TABLE api_keys;--");
    const after = await counts();
    expect(after.users).toBe(before.users + 1);
    expect(after.keys).toBe(before.keys + 1);
    const query = await http.get(`/api/v1/audit-events?action=${encodeURIComponent("x'; DELETE FROM audit_events;--")}`, { token: weird.token });
    expect(query.status).toBe(403);
  });

  it('answers bad path ids with 400 and unknown routes with 404, in the standard body', async () => {
    const owner = await signUp(http);
    const badId = await http.delete('/api/v1/api-keys/not-a-uuid', { token: owner.token });
    expect(badId.status).toBe(400);
    expect(badId.body.error.code).toBe('request.invalid');
    const nowhere = await http.get('/api/v1/no-such-thing', { token: owner.token });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('request.not_found');
  });

  it('rejects a sign-up with a short password without creating anything', async () => {
    const before = await counts();
    const result = await http.post('/api/v1/auth/signup', { kind: 'enterprise', organizationName: 'Short Pw Ltd', email: 'short@example.test', password: 'short', displayName: 'S' });
    expect(result.status).toBe(400);
    expect(result.body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);
    expect(await counts()).toEqual(before);
  });

  it('rejects an easily guessed password, naming the field, without creating anything', async () => {
    const before = await counts();
    const result = await http.post('/api/v1/auth/signup', { kind: 'enterprise', organizationName: 'Guessable Ltd', email: 'guess@example.test', password: 'password123', displayName: 'G' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('identity.weak_password');
    expect(result.body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);
    expect(await counts()).toEqual(before);
  });

  it('rejects a sign-up as an agency: agencies are created by platform admins', async () => {
    const result = await http.post('/api/v1/auth/signup', { kind: 'agency', organizationName: 'Fake Bureau', email: 'fake@example.test', password: 'long-enough-pass', displayName: 'F' });
    expect(result.status).toBe(400);
  });
});
