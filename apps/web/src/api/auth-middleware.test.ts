/**
 * @jest-environment node
 */
// Node's own fetch, Request and Response; jsdom has none of them.
import createClient from 'openapi-fetch';
import { createAuthMiddleware } from './auth-middleware';
import type { paths } from './schema';

interface Recorded {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

/** A fake API: answers from a queue of handlers and records what it received. */
function fakeApi(handlers: Array<(request: Recorded) => Response>) {
  const received: Recorded[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    const recorded: Recorded = {
      method: input.method,
      path: new URL(input.url).pathname,
      authorization: input.headers.get('Authorization'),
      body: await input.text(),
    };
    received.push(recorded);
    const handler = handlers.shift();
    if (!handler) throw new Error(`unexpected request ${recorded.method} ${recorded.path}`);
    return handler(recorded);
  };
  return { fetch, received };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const unauthorized = () => json(401, { error: { code: 'auth.token_expired', message: 'expired' } });

function setup(handlers: Array<(request: Recorded) => Response>, refreshResult: string | null) {
  const server = fakeApi(handlers);
  let token: string | null = 'old-token';
  const events = { refreshes: 0, expired: 0 };
  const client = createClient<paths>({ baseUrl: 'http://api.test/', fetch: server.fetch });
  client.use(
    createAuthMiddleware({
      getAccessToken: () => token,
      getLanguage: () => 'en',
      refreshAccessToken: async () => {
        events.refreshes += 1;
        token = refreshResult;
        return refreshResult;
      },
      onSessionExpired: () => {
        events.expired += 1;
      },
    }),
  );
  return { client, received: server.received, events };
}

describe('auth middleware', () => {
  it('sends the access token as a bearer token', async () => {
    const { client, received } = setup([() => json(200, { items: [] })], null);
    const { data } = await client.GET('/api/v1/members');
    expect(data).toEqual({ items: [] });
    expect(received[0].authorization).toBe('Bearer old-token');
  });

  it('refreshes once on a 401 and replays the request, body included, with the new token', async () => {
    const { client, received, events } = setup([unauthorized, () => json(201, { id: 'i1' })], 'new-token');
    const { data, response } = await client.POST('/api/v1/invitations', { body: { email: 'a@b.example', role: 'buyer_member' } });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ id: 'i1' });
    expect(events).toEqual({ refreshes: 1, expired: 0 });
    expect(received.map((request) => request.authorization)).toEqual(['Bearer old-token', 'Bearer new-token']);
    expect(JSON.parse(received[1].body)).toEqual({ email: 'a@b.example', role: 'buyer_member' });
  });

  it('does not retry a second time when the replay is also refused', async () => {
    const { client, received, events } = setup([unauthorized, unauthorized], 'new-token');
    const { error, response } = await client.GET('/api/v1/members');
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error: { code: 'auth.token_expired' } });
    expect(received).toHaveLength(2);
    expect(events.refreshes).toBe(1);
  });

  it('ends the session when the refresh fails', async () => {
    const { client, received, events } = setup([unauthorized], null);
    const { response } = await client.GET('/api/v1/api-keys');
    expect(response.status).toBe(401);
    expect(received).toHaveLength(1);
    expect(events).toEqual({ refreshes: 1, expired: 1 });
  });

  it('never refreshes for a failed login', async () => {
    const { client, events } = setup([() => json(401, { error: { code: 'auth.invalid_credentials', message: 'no' } })], 'new-token');
    const { response } = await client.POST('/api/v1/auth/login', { body: { email: 'a@b.example', password: 'wrong-password' } });
    expect(response.status).toBe(401);
    expect(events).toEqual({ refreshes: 0, expired: 0 });
  });
});
