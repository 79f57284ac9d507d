export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  cookies: Record<string, string>;
}

export interface RequestOptions {
  token?: string;
  apiKey?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** Send this exact string as the body (for malformed-input tests). */
  raw?: string;
  contentType?: string;
}

/** A thin fetch wrapper: JSON in, JSON out, cookies parsed. */
export class Http {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    if (options.cookie) headers.cookie = options.cookie;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (HTML pages, empty bodies)
    }
    const cookies: Record<string, string> = {};
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      cookies[pair.slice(0, index)] = pair.slice(index + 1);
    }
    return { status: response.status, body: parsed as T, headers: response.headers, cookies };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body ?? {}, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body ?? {}, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body ?? {}, options);
  }
  /** Uploads bytes as the multipart field `field` (default "file"), as a browser form would. */
  async upload<T = any>(path: string, filename: string, bytes: Uint8Array | string, options: RequestOptions & { field?: string } = {}): Promise<HttpResult<T>> {
    const form = new FormData();
    form.append(options.field ?? 'file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), filename);
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: form });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed as T, headers: response.headers, cookies: {} };
  }
  /** Raw bytes of a GET (downloads). */
  async bytes(path: string, options: RequestOptions = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    const response = await fetch(`${this.baseUrl}${path}`, { headers });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }
}

export const TEST_PASSWORD = 'Demo-pass-2026';

export async function login(http: Http, email: string, password = TEST_PASSWORD): Promise<{ token: string; me: any; refresh: string }> {
  const result = await http.post('/api/v1/auth/login', { email, password });
  if (result.status !== 200) throw new Error(`login of ${email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { token: result.body.accessToken, me: result.body.me, refresh: result.cookies.civic_refresh };
}

/** A call that must succeed (test set-up through the API): the parsed body, or an error naming the failure. */
export async function apiOk<T = any>(http: Http, token: string, method: string, route: string, body?: unknown): Promise<T> {
  const result = await http.request<T>(method, route, body, { token });
  if (result.status >= 300) throw new Error(`${method} ${route}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

let counter = 0;
/** A unique email for data a test makes itself. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}@example.test`;
}

/** A new enterprise (or vendor) with its founding admin, made through the public sign-up. */
export async function signUp(http: Http, kind: 'enterprise' | 'vendor' = 'enterprise'): Promise<{ token: string; me: any; email: string; refresh: string }> {
  const email = uniqueEmail(kind);
  const result = await http.post('/api/v1/auth/signup', { kind, organizationName: `Test ${kind} ${email.slice(0, 12)}`, email, password: 'a-strong-password-1', displayName: 'Test Admin' });
  if (result.status !== 201) throw new Error(`signup failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { token: result.body.accessToken, me: result.body.me, email, refresh: result.cookies.civic_refresh };
}
