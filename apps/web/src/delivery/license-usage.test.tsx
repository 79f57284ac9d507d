import { fireEvent, screen, waitFor } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { activeLicense } from '../test/commerce-fixtures';
import { member } from '../test/catalog-fixtures';
import { sizeCharts } from '../test/chart-size';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { addDays, todayIn } from '../datasets/usage-range';
import { LicenseUsage } from './license-usage';

const buyer = member('buyer_admin', ['licenses:read', 'licenses:buy']);

/** The usage the API would answer for [from, to]: one call a day. */
function usageFor(request: Request) {
  const query = new URL(request.url).searchParams;
  const days: Array<{ day: string; api_call: number; row: number; byte: number }> = [];
  for (let day = query.get('from')!; day <= query.get('to')!; day = addDays(day, 1)) days.push({ day, api_call: 1, row: 100, byte: 12_000 });
  return { licenseId: activeLicense().id, days, period: null, quota: null };
}

describe('<LicenseUsage>', () => {
  let restoreCharts = () => undefined as void;
  afterEach(async () => {
    restoreCharts();
    restoreCharts = () => undefined;
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('charts the last 30 days by default, and 7 or 90 when chosen, in the reader’s time zone', async () => {
    restoreCharts = sizeCharts();
    const api = mockApi({ 'GET /api/v1/licenses/:id/usage': usageFor });
    await renderPage(<LicenseUsage license={activeLicense()} />, { path: '/', route: '/', me: buyer });
    const chart = await screen.findByTestId('usage-daily-chart');
    expect(chart).toHaveAttribute('data-days', '30');
    expect(chart).toHaveAttribute('aria-label', 'API calls (bars) and rows (line) per day over the last 30 days');
    expect(screen.getByTestId('license-usage')).toHaveTextContent('Use over the last 30 days, per day.');
    expect(screen.getByTestId('usage-calls')).toHaveTextContent('30');
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const today = todayIn(timeZone);
    const asked = () => api.requests.map((request) => Object.fromEntries(new URL(request.url).searchParams));
    expect(asked()[0]).toEqual({ from: addDays(today, -29), to: today, timeZone });

    fireEvent.click(screen.getByText('7 days'));
    await waitFor(() => expect(screen.getByTestId('usage-daily-chart')).toHaveAttribute('data-days', '7'));
    expect(screen.getByTestId('usage-calls')).toHaveTextContent('7');
    expect(asked().at(-1)).toEqual({ from: addDays(today, -6), to: today, timeZone });
    fireEvent.click(screen.getByText('90 days'));
    await waitFor(() => expect(screen.getByTestId('usage-daily-chart')).toHaveAttribute('data-days', '90'));
    expect(screen.getByTestId('license-usage')).toHaveTextContent('Use over the last 90 days, per day.');
  });

  it('says the chosen days in Chinese when nothing was delivered', async () => {
    await i18n.changeLanguage('zh-CN');
    mockApi({ 'GET /api/v1/licenses/:id/usage': (request: Request) => ({ ...usageFor(request), days: usageFor(request).days.map((day) => ({ ...day, api_call: 0, row: 0, byte: 0 })) }) });
    await renderPage(<LicenseUsage license={activeLicense()} />, { path: '/', route: '/', me: buyer });
    expect(await screen.findByTestId('usage-empty')).toHaveTextContent('最近 30 天本许可下没有交付数据。');
    fireEvent.click(screen.getByText('7 天'));
    await waitFor(() => expect(screen.getByTestId('usage-empty')).toHaveTextContent('最近 7 天本许可下没有交付数据。'));
  });
});
