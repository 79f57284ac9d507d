import { effectivePermissions, hasPermission, type Permission, type Role } from '@civic/domain';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, startPlatform, type RunningPlatform } from '../support/platform.js';
import { Http, login, type HttpResult } from '../support/http.js';

type Caller = { label: string; role: Role | 'anonymous' | 'api_key'; token?: string; apiKey?: string };

/**
 * Who may call what. `allowed` is the status an authorized caller gets for the harmless
 * request below (an empty body → 400, an unknown id → 404): authorization is decided
 * before validation or lookup, so any 401/403 here can only come from the access rule.
 */
type Rule =
  | { access: 'public'; expect: number }
  | { access: 'user'; allowed: number; apiKey?: number }
  | { access: Permission[]; allowed: number; apiKey?: number }
  | { access: 'api_key_only'; allowed: number };

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  rule: Rule;
  body?: unknown;
}

const unknownId = randomUUID();
const unknownRunId = randomUUID();
const unknownRef = `no-such-dataset-${unknownId.slice(0, 8)}`;
const unknownProduct = `no-such-product-${unknownId.slice(0, 8)}`;
const unknownToken = `not-a-link-${unknownId.slice(0, 8)}`;
const unknownPeriod = 'not-a-period';
const unknownYear = '1999';
const product = `/api/v1/products/${unknownId}`;
const ROUTES: Route[] = [
  { method: 'GET', path: '/health/live', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: '/health/ready', rule: { access: 'public', expect: 200 } },
  { method: 'POST', path: '/api/v1/auth/login', rule: { access: 'public', expect: 400 } },
  { method: 'POST', path: '/api/v1/auth/signup', rule: { access: 'public', expect: 400 } },
  { method: 'POST', path: '/api/v1/auth/refresh', rule: { access: 'public', expect: 401 } },
  { method: 'POST', path: '/api/v1/auth/logout', rule: { access: 'public', expect: 204 } },
  { method: 'POST', path: '/api/v1/invitations/preview', rule: { access: 'public', expect: 400 } },
  { method: 'POST', path: '/api/v1/invitations/accept', rule: { access: 'public', expect: 400 } },
  { method: 'POST', path: '/api/v1/auth/switch-organization', rule: { access: 'user', allowed: 400 } },
  { method: 'GET', path: '/api/v1/me', rule: { access: 'user', allowed: 200 } },
  // The signed-in user's inbox: every user has one, API keys none.
  { method: 'GET', path: '/api/v1/me/notifications', rule: { access: 'user', allowed: 200 } },
  { method: 'GET', path: '/api/v1/me/notifications/unread-count', rule: { access: 'user', allowed: 200 } },
  { method: 'POST', path: '/api/v1/me/notifications/read-all', rule: { access: 'user', allowed: 200 } },
  { method: 'POST', path: `/api/v1/me/notifications/${unknownId}/read`, rule: { access: 'user', allowed: 404 } },
  { method: 'GET', path: '/api/v1/api-keys/current', rule: { access: 'api_key_only', allowed: 200 } },
  { method: 'GET', path: '/api/v1/audit-events', rule: { access: ['audit:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/audit-events/verify', rule: { access: ['audit:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/organizations', rule: { access: ['organizations:read'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/organizations', rule: { access: ['organizations:manage'], allowed: 400 } },
  { method: 'POST', path: `/api/v1/organizations/${unknownId}/approve`, rule: { access: ['organizations:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/members', rule: { access: ['members:read'], allowed: 200 } },
  { method: 'PATCH', path: `/api/v1/members/${unknownId}`, rule: { access: ['members:manage'], allowed: 404 }, body: { role: 'buyer_member' } },
  { method: 'DELETE', path: `/api/v1/members/${unknownId}`, rule: { access: ['members:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/invitations', rule: { access: ['members:manage'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/invitations', rule: { access: ['members:manage'], allowed: 400 } },
  { method: 'DELETE', path: `/api/v1/invitations/${unknownId}`, rule: { access: ['members:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/api-keys', rule: { access: ['api_keys:read'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/api-keys', rule: { access: ['api_keys:manage'], allowed: 400 } },
  { method: 'DELETE', path: `/api/v1/api-keys/${unknownId}`, rule: { access: ['api_keys:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/catalog/datasets', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: `/api/v1/catalog/datasets/${unknownRef}`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: `/api/v1/catalog/datasets/${unknownRef}/versions`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: `/api/v1/catalog/datasets/${unknownRef}/preview`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: `/api/v1/catalog/datasets/${unknownRef}/download`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: '/api/v1/agency/datasets', rule: { access: ['datasets:manage'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/agency/datasets', rule: { access: ['datasets:manage'], allowed: 400 } },
  { method: 'PATCH', path: `/api/v1/agency/datasets/${unknownId}`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'PUT', path: `/api/v1/agency/datasets/${unknownId}/columns`, rule: { access: ['datasets:manage'], allowed: 404 }, body: { columns: [] } },
  { method: 'POST', path: `/api/v1/agency/datasets/${unknownId}/publish`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/agency/datasets/${unknownId}/dependents`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/agency/datasets/${unknownId}/withdraw`, rule: { access: ['datasets:manage'], allowed: 404 }, body: { reason: 'obsolete' } },
  { method: 'POST', path: `/api/v1/agency/datasets/${unknownId}/reclassify`, rule: { access: ['datasets:manage'], allowed: 400 } },
  { method: 'POST', path: `/api/v1/agency/datasets/${unknownId}/uploads`, rule: { access: ['datasets:manage'], allowed: 415 } },
  { method: 'GET', path: `/api/v1/agency/datasets/${unknownId}/ingestions`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/agency/ingestions/${unknownId}`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/agency/datasets/${unknownId}/usage`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/agency/usage', rule: { access: ['datasets:manage'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/access-requests', rule: { access: ['access_requests:file'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/access-requests', rule: { access: ['access_requests:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/access-requests/${unknownId}`, rule: { access: ['access_requests:read'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/access-requests/${unknownId}/withdraw`, rule: { access: ['access_requests:file'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/access-grants', rule: { access: ['access_requests:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/agency/access-requests', rule: { access: ['access_requests:decide'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/agency/access-grants', rule: { access: ['access_requests:decide'], allowed: 200 } },
  { method: 'POST', path: `/api/v1/agency/access-requests/${unknownId}/approve`, rule: { access: ['access_requests:decide'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/agency/access-requests/${unknownId}/reject`, rule: { access: ['access_requests:decide'], allowed: 400 } },
  { method: 'POST', path: `/api/v1/agency/access-grants/${unknownId}/revoke`, rule: { access: ['access_requests:decide'], allowed: 404 }, body: { reason: 'no longer needed' } },
  { method: 'POST', path: '/api/v1/agency/harvests', rule: { access: ['datasets:manage'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/products', rule: { access: ['products:manage'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/products/input-candidates', rule: { access: ['products:manage'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/products', rule: { access: ['products:manage'], allowed: 400 } },
  { method: 'GET', path: product, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'PATCH', path: product, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/dry-run`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/runs`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: `${product}/runs`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: `${product}/runs/${unknownRunId}`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/runs/${unknownRunId}/cancel`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: `${product}/versions`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: `${product}/lineage`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/submit`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/cancel-submission`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/publish`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/retire`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/resume`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/product-reviews?state=decided&page=1&pageSize=5', rule: { access: ['product_reviews:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/product-reviews/${unknownId}`, rule: { access: ['product_reviews:read'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/product-reviews/${unknownId}/lineage`, rule: { access: ['product_reviews:read'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/product-reviews/${unknownId}/sample`, rule: { access: ['product_reviews:read'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/product-reviews/${unknownId}/decision`, rule: { access: ['products:review'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/catalog/products', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: `/api/v1/catalog/products/${unknownRef}`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: '/api/v1/license-templates', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: `/api/v1/license-templates/${unknownId}`, rule: { access: 'public', expect: 404 } },
  { method: 'POST', path: '/api/v1/license-templates', rule: { access: ['offers:manage'], allowed: 400 } },
  { method: 'POST', path: '/api/v1/license-templates/standard', rule: { access: ['license_templates:manage'], allowed: 400 } },
  { method: 'GET', path: `${product}/offers`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'POST', path: `${product}/offers`, rule: { access: ['offers:manage'], allowed: 400 } },
  { method: 'GET', path: `/api/v1/offers/${unknownId}`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'PATCH', path: `/api/v1/offers/${unknownId}`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/offers/${unknownId}/publish`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/offers/${unknownId}/archive`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/offers/${unknownId}/terms`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: `/api/v1/catalog/products/${unknownRef}/offers`, rule: { access: 'public', expect: 404 } },
  { method: 'GET', path: `/api/v1/catalog/products/${unknownRef}/price-estimate`, rule: { access: 'public', expect: 400 } },
  { method: 'GET', path: '/api/v1/price-caps', rule: { access: 'public', expect: 200 } },
  { method: 'POST', path: '/api/v1/price-caps', rule: { access: ['pricing:manage'], allowed: 400 } },
  { method: 'PUT', path: `/api/v1/price-caps/${unknownId}`, rule: { access: ['pricing:manage'], allowed: 400 } },
  { method: 'POST', path: '/api/v1/licenses', rule: { access: ['licenses:buy'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/licenses', rule: { access: ['licenses:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/licenses/${unknownId}`, rule: { access: ['licenses:read'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/licenses/${unknownId}/checkout`, rule: { access: ['licenses:buy'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/licenses/${unknownId}/cancel`, rule: { access: ['licenses:buy'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/licenses/${unknownId}/resume`, rule: { access: ['licenses:buy'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/entitlements', rule: { access: ['licenses:read'], allowed: 400 } },
  // The data API: any signed-in user or an API key with data:read; the entitlement decides.
  { method: 'GET', path: `/api/v1/data/${unknownProduct}/rows`, rule: { access: 'user', allowed: 404, apiKey: 404 } },
  { method: 'POST', path: `/api/v1/data/${unknownProduct}/rows`, rule: { access: 'user', allowed: 404, apiKey: 404 }, body: {} },
  { method: 'POST', path: `/api/v1/data/${unknownProduct}/downloads`, rule: { access: 'user', allowed: 404, apiKey: 404 }, body: {} },
  { method: 'GET', path: `/api/v1/downloads/${unknownToken}`, rule: { access: 'public', expect: 404 } },
  { method: 'POST', path: `/api/v1/products/${unknownId}/leak-trace`, rule: { access: ['products:manage'], allowed: 415 } },
  { method: 'GET', path: `/api/v1/licenses/${unknownId}/usage`, rule: { access: ['licenses:read'], allowed: 404, apiKey: 404 } },
  { method: 'GET', path: `/api/v1/agency/datasets/${unknownId}/product-usage`, rule: { access: ['datasets:manage'], allowed: 404 } },
  { method: 'GET', path: `/api/v1/products/${unknownId}/usage`, rule: { access: ['products:manage'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/sales/licenses', rule: { access: ['offers:manage'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/sales/licenses/${unknownId}`, rule: { access: ['offers:manage'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/sales/licenses/${unknownId}/revoke`, rule: { access: ['offers:manage'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/license-approvals', rule: { access: ['licenses:decide'], allowed: 200 } },
  { method: 'POST', path: `/api/v1/license-approvals/${unknownId}/decision`, rule: { access: ['licenses:decide'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/payments/config', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: '/api/v1/invoices', rule: { access: ['licenses:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/invoices/${unknownId}`, rule: { access: ['licenses:read'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/finance/invoices', rule: { access: ['invoices:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/finance/invoices/${unknownId}`, rule: { access: ['invoices:read'], allowed: 404 } },
  { method: 'POST', path: `/api/v1/finance/invoices/${unknownId}/mark-paid`, rule: { access: ['invoices:settle'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/finance/policy', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/finance/policy', rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'PUT', path: '/api/v1/finance/royalty-rates', rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/finance/revenue?groupBy=period', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/finance/accounts', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/finance/journal', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/finance/receivables/ageing', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/finance/reconciliation', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'GET', path: '/api/v1/finance/periods', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'POST', path: `/api/v1/finance/periods/${unknownPeriod}/close`, rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/revenue/statement', rule: { access: ['revenue:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/public/disclosure/${unknownYear}`, rule: { access: 'public', expect: 400 } },
  { method: 'POST', path: `/api/v1/finance/payments/${unknownId}/refunds`, rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'GET', path: '/api/v1/finance/settlements', rule: { access: ['finance:read'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/finance/settlements/run', rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'POST', path: `/api/v1/finance/settlements/${unknownId}/mark-paid`, rule: { access: ['finance:manage'], allowed: 400 } },
  { method: 'GET', path: `/api/v1/finance/settlements/${unknownId}/statement`, rule: { access: ['finance:read'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/revenue/settlements', rule: { access: ['revenue:read'], allowed: 200 } },
  { method: 'GET', path: `/api/v1/revenue/settlements/${unknownId}/statement`, rule: { access: ['revenue:read'], allowed: 404 } },
  { method: 'GET', path: '/api/v1/payouts/stripe/account', rule: { access: ['payouts:manage'], allowed: 200 } },
  { method: 'POST', path: '/api/v1/payouts/stripe/account-link', rule: { access: ['payouts:manage'], allowed: 409 } },
  { method: 'GET', path: '/catalog.jsonld', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: '/api/3/action/package_search', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: '/api/3/action/package_show', rule: { access: 'public', expect: 409 } },
  { method: 'GET', path: '/api/3/action/organization_list', rule: { access: 'public', expect: 200 } },
  { method: 'GET', path: '/api/3/action/tag_list', rule: { access: 'public', expect: 200 } },
];

const USERS: Array<{ role: Role; email: string }> = [
  { role: 'platform_admin', email: 'admin@platform.demo' },
  { role: 'supervisor', email: 'supervisor@platform.demo' },
  { role: 'steward', email: 'steward@transport.demo' },
  { role: 'vendor_admin', email: 'vendor@cityflow.demo' },
  { role: 'buyer_admin', email: 'buyer@harbor.demo' },
  { role: 'buyer_member', email: 'member@harbor.demo' },
  { role: 'finance_analyst', email: 'analyst@finance.demo' },
];

function expectedStatus(route: Route, caller: Caller): number {
  const { rule } = route;
  if (rule.access === 'public') return rule.expect;
  if (caller.role === 'anonymous') return 401;
  if (rule.access === 'api_key_only') return caller.role === 'api_key' ? rule.allowed : 403;
  // A key with every scope: refused unless the route takes keys (`apiKey`: what a key gets).
  if (caller.role === 'api_key') return rule.apiKey ?? 403;
  if (rule.access === 'user') return rule.allowed;
  return hasPermission(effectivePermissions(caller.role, 'active'), rule.access) ? rule.allowed : 403;
}

function templated(route: Route): string {
  return `${route.method} ${route.path.replace(unknownId, '{id}').replace(unknownRunId, '{runId}').replace(unknownRef, '{ref}').replace(unknownProduct, '{product}').replace(unknownToken, '{token}').replace(unknownPeriod, '{period}').replace(`disclosure/${unknownYear}`, 'disclosure/{year}').replace(/\?.*$/, '')}`;
}

describe('authorization matrix: every route × every role', () => {
  let platform: RunningPlatform;
  let http: Http;
  const callers: Caller[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    http = new Http(platform.baseUrl);
    callers.push({ label: 'anonymous', role: 'anonymous' });
    for (const user of USERS) callers.push({ label: user.role, role: user.role, token: (await login(http, user.email)).token });
    const buyer = callers.find((caller) => caller.role === 'buyer_admin')!;
    const key = await http.post('/api/v1/api-keys', { name: 'matrix', scopes: ['catalog:read', 'data:read', 'usage:read'] }, { token: buyer.token });
    callers.push({ label: 'api_key', role: 'api_key', apiKey: key.body.key });
  });
  afterAll(() => platform?.close());

  it('covers every route the API documents', () => {
    const document = JSON.parse(readFileSync(path.join(repoRoot, 'apps/api/openapi.json'), 'utf8')) as { paths: Record<string, object> };
    const documented = Object.entries(document.paths).flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`));
    expect(ROUTES.map(templated).sort()).toEqual(documented.sort());
  });

  it('gives each caller exactly the expected status on each route', async () => {
    const mismatches: string[] = [];
    for (const route of ROUTES) {
      for (const caller of callers) {
        const result: HttpResult = await http.request(route.method, route.path, route.method === 'GET' || route.method === 'DELETE' ? undefined : (route.body ?? {}), {
          token: caller.token,
          apiKey: caller.apiKey,
        });
        const expected = expectedStatus(route, caller);
        if (result.status !== expected) mismatches.push(`${templated(route)} as ${caller.label}: expected ${expected}, got ${result.status} ${JSON.stringify(result.body)}`);
        // CKAN-compatible routes answer errors in CKAN's own shape.
        const standardBody = route.path.startsWith('/api/3/') ? result.body?.success === false && result.body?.error?.__type : result.body?.error?.code;
        if (result.status >= 400 && !standardBody) mismatches.push(`${templated(route)} as ${caller.label}: error without the standard body`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('tenant isolation: a foreign resource is indistinguishable from a missing one', () => {
  let platform: RunningPlatform;
  let http: Http;

  beforeAll(async () => {
    platform = await startPlatform();
    http = new Http(platform.baseUrl);
  });
  afterAll(() => platform?.close());

  it('hides and protects another organization’s keys, invitations and members', async () => {
    const harbor = await login(http, 'buyer@harbor.demo');
    const sunrise = await login(http, 'buyer@sunrise.demo');
    const harborKey = await http.post('/api/v1/api-keys', { name: 'harbor only', scopes: ['data:read'] }, { token: harbor.token });
    const harborInvite = await http.post('/api/v1/invitations', { email: `x-${Date.now()}@harbor.test`, role: 'buyer_member' }, { token: harbor.token });
    const harborMember = (await http.get('/api/v1/members', { token: harbor.token })).body.items[0];

    const missing = randomUUID();
    const probes: Array<[string, string, unknown?]> = [
      ['DELETE', `/api/v1/api-keys/${harborKey.body.id}`],
      ['DELETE', `/api/v1/invitations/${harborInvite.body.id}`],
      ['DELETE', `/api/v1/members/${harborMember.id}`],
      ['PATCH', `/api/v1/members/${harborMember.id}`, { role: 'buyer_member' }],
    ];
    for (const [method, route, body] of probes) {
      const foreign = await http.request(method, route, body, { token: sunrise.token });
      const absent = await http.request(method, route.replace(/[0-9a-f-]{36}$/, missing), body, { token: sunrise.token });
      expect({ route, status: foreign.status }).toEqual({ route, status: 404 });
      expect(foreign.body).toEqual(absent.body);
    }

    const lists = await Promise.all(['/api/v1/api-keys', '/api/v1/invitations', '/api/v1/members'].map((route) => http.get(route, { token: sunrise.token })));
    const seen = JSON.stringify(lists.map((list) => list.body));
    for (const id of [harborKey.body.id, harborInvite.body.id, harborMember.id]) expect(seen).not.toContain(id);

    // Nothing was changed by the foreign attempts.
    expect((await http.get('/api/v1/api-keys/current', { apiKey: harborKey.body.key })).status).toBe(200);
    expect((await http.post('/api/v1/invitations/preview', { token: harborInvite.body.token })).status).toBe(200);
    const harborMembers = (await http.get('/api/v1/members', { token: harbor.token })).body.items;
    expect(harborMembers.find((member: { id: string }) => member.id === harborMember.id).role).toBe(harborMember.role);
  });

  it('hides another agency’s datasets and their usage', async () => {
    const transport = await login(http, 'steward@transport.demo');
    const ecology = await login(http, 'steward@ecology.demo');
    const [own] = (await http.get('/api/v1/agency/datasets', { token: transport.token })).body.items;
    const missing = randomUUID();
    for (const route of [`/api/v1/agency/datasets/${own.id}/usage`, `/api/v1/agency/datasets/${own.id}/ingestions`, `/api/v1/agency/datasets/${own.id}/dependents`]) {
      expect((await http.get(route, { token: transport.token })).status).toBe(200);
      const foreign = await http.get(route, { token: ecology.token });
      const absent = await http.get(route.replace(own.id, missing), { token: ecology.token });
      expect({ route, status: foreign.status }).toEqual({ route, status: 404 });
      expect(foreign.body).toEqual(absent.body);
    }
    const agencyUsage = await http.get('/api/v1/agency/usage', { token: ecology.token });
    expect(JSON.stringify(agencyUsage.body)).not.toContain(own.id);
  });

  it('binds API keys to their organization', async () => {
    const sunrise = await login(http, 'buyer@sunrise.demo');
    const key = await http.post('/api/v1/api-keys', { name: 'sunrise', scopes: ['catalog:read'] }, { token: sunrise.token });
    const current = await http.get('/api/v1/api-keys/current', { apiKey: key.body.key });
    expect(current.body).toMatchObject({ organization: { id: sunrise.me.organization.id }, scopes: ['catalog:read'] });
  });
});
