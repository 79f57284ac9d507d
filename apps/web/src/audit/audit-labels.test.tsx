import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { AuditPage } from '../pages/audit-page';
import { auditActionLabel, auditTargetLabel } from './audit-labels';

const root = path.resolve(process.cwd(), '../..');

/** The audit actions the server records, as written in its sources (`action: '…'`), plus the ones it builds from a kind. */
function recordedActions(): string[] {
  const found = new Set<string>(['access_request.rejected', 'access_request.withdrawn', 'finance.payout_paid', 'finance.remittance_paid', 'payment.refund', 'payment.chargeback']);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const match of text.matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g)) found.add(match[1]!);
        for (const match of text.matchAll(/: '((?:product)\.(?:submitted|submission_cancelled|published|retired|resumed|review_approved|review_rejected))'/g)) found.add(match[1]!);
      }
    }
  };
  for (const dir of ['apps/api/src', 'apps/worker/src', 'libs/db/src']) walk(path.join(root, dir));
  return [...found].filter((action) => !action.startsWith('test.')).sort();
}

describe('audit labels', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('words every action the server records, in both languages', async () => {
    const actions = recordedActions();
    expect(actions.length).toBeGreaterThan(50);
    for (const language of ['en', 'zh-CN']) {
      await i18n.changeLanguage(language);
      expect(actions.filter((action) => auditActionLabel(action, i18n.t) === null)).toEqual([]);
    }
    expect(auditActionLabel('product.review_approved', i18n.t)).toBe('审核通过');
    // A licence's status change by its event; an action this console does not know stays a code.
    expect(auditActionLabel('license.payment_succeeded', i18n.t)).toBe('许可：收到付款');
    expect(auditActionLabel('something.new', i18n.t)).toBeNull();
    expect(auditTargetLabel('product', '2ab14fed-0000-4000-8000-000000000001', i18n.t)).toBe('产品 2ab14fed');
    expect(auditTargetLabel('harvest_job', null, i18n.t)).toBe('harvest_job');
    // With the name the server knows it by, in the reader's language.
    expect(auditTargetLabel('product', '2ab14fed-0000-4000-8000-000000000001', i18n.t, { zh: '道路拥堵指数', en: 'Road congestion index' })).toBe('产品 · 道路拥堵指数');
  });

  it('lists events with the action in words over its code and the target by its kind', async () => {
    mockApi({
      'GET /api/v1/audit-events': {
        items: [
          {
            seq: 57,
            occurredAt: '2026-11-25T04:57:00.000Z',
            action: 'product.review_approved',
            actorUserId: 'u1',
            actorEmail: 'admin@platform.demo',
            actorOrganizationId: null,
            organizationId: null,
            organizationName: 'CityFlow Analytics',
            targetType: 'product',
            targetId: '2ab14fed-0000-4000-8000-000000000001',
            ip: null,
            requestId: null,
            data: {},
            prevHash: 'a',
            hash: 'b',
          },
        ],
        nextCursor: null,
      },
    });
    await renderPage(<AuditPage />, { path: '/console/audit', route: '/console/audit', me: member('platform_admin', ['audit:read'], 'platform') });
    const action = await screen.findByTestId('audit-action');
    expect(action).toHaveAttribute('data-action', 'product.review_approved');
    expect(within(action).getByText('Review: approved')).toBeInTheDocument();
    expect(within(action).getByText('product.review_approved')).toBeInTheDocument();
    expect(screen.getByTestId('audit-target')).toHaveTextContent('Product 2ab14fed');
    expect(screen.getByTestId('audit-target')).toHaveAttribute('title', '2ab14fed-0000-4000-8000-000000000001');
  });

  it('lets operators filter by an organization chosen by name, and keeps the filter out of an organization\'s own log', async () => {
    const api = mockApi({
      'GET /api/v1/audit-events': { items: [], nextCursor: null },
      'GET /api/v1/organizations': { items: [{ id: 'b0000000-0000-4000-8000-000000000001', slug: 'cityflow', name: '城流数据科技 CityFlow Analytics', kind: 'vendor', status: 'active', createdAt: '2026-11-01T00:00:00.000Z' }] },
    });
    await renderPage(<AuditPage />, { path: '/console/audit', route: '/console/audit', me: member('supervisor', ['audit:read', 'organizations:read'], 'platform') });
    fireEvent.mouseDown(within(await screen.findByTestId('audit-filter-organization')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('城流数据科技 CityFlow Analytics'));
    fireEvent.click(screen.getByTestId('audit-filter-submit'));
    await waitFor(() =>
      expect(api.requests.map((request) => new URL(request.url)).some((url) => url.pathname === '/api/v1/audit-events' && url.searchParams.get('organizationId') === 'b0000000-0000-4000-8000-000000000001')).toBe(true),
    );
    resetPage();

    await renderPage(<AuditPage />, { path: '/console/audit', route: '/console/audit', me: member('buyer_admin', ['audit:read'], 'enterprise') });
    await screen.findByTestId('audit-filters');
    expect(screen.queryByTestId('audit-filter-organization')).toBeNull();
  });
});
