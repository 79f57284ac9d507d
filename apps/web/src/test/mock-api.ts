// Answers the API calls of rendering tests with bodies shaped like the API's (typed by the
// generated schema where the test writes them). Routes are "METHOD /path", where a path
// segment written ":name" matches any value; the query string is not part of the route.

export type Answer = unknown | Response | ((request: Request) => unknown | Response | Promise<unknown | Response>);

export interface MockApi {
  /** Every request made, in order. */
  requests: Request[];
  /** Requests no route answered (answered 501 so the page shows an error). */
  unanswered: string[];
  /** Changes or adds routes while the test runs. */
  set(route: string, answer: Answer): void;
}

interface Route {
  method: string;
  segments: string[];
  answer: Answer;
}

declare global {
  var __answerFetch: ((request: Request) => Promise<Response>) | undefined;
}

function parseRoute(route: string, answer: Answer): Route {
  const [method, path] = route.split(' ');
  if (!method || !path) throw new Error(`A route is "METHOD /path", not "${route}"`);
  return { method, segments: path.split('/'), answer };
}

function matches(route: Route, method: string, pathname: string): boolean {
  const segments = pathname.split('/');
  return (
    route.method === method &&
    route.segments.length === segments.length &&
    route.segments.every((segment, index) => segment.startsWith(':') || segment === decodeURIComponent(segments[index] ?? ''))
  );
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status);
}

export function mockApi(routes: Record<string, Answer>): MockApi {
  const table = Object.entries(routes).map(([route, answer]) => parseRoute(route, answer));
  const mock: MockApi = {
    requests: [],
    unanswered: [],
    set(route, answer) {
      const parsed = parseRoute(route, answer);
      const index = table.findIndex((existing) => existing.method === parsed.method && existing.segments.join('/') === parsed.segments.join('/'));
      if (index === -1) table.unshift(parsed);
      else table[index] = parsed;
    },
  };
  globalThis.__answerFetch = async (request) => {
    mock.requests.push(request);
    const { pathname } = new URL(request.url);
    const route = table.find((candidate) => matches(candidate, request.method, pathname));
    if (!route) {
      mock.unanswered.push(`${request.method} ${pathname}`);
      return apiError(501, 'test.unanswered', `No answer for ${request.method} ${pathname}`);
    }
    const answer = typeof route.answer === 'function' ? await (route.answer as (request: Request) => unknown)(request) : route.answer;
    return answer instanceof Response ? answer : json(answer);
  };
  return mock;
}

export function clearMockApi(): void {
  globalThis.__answerFetch = undefined;
}
