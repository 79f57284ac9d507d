import { act, screen } from '@testing-library/react';
import type { License } from '../api/schema-types';
import { i18n, initI18n } from '../i18n/i18n';
import { activeLicense, license } from '../test/commerce-fixtures';
import { renderWithProviders } from '../test/render-with-providers';
import { planTrialDays, runningTrial, TrialNotice } from './trial';

/** Timestamps as the generated API types carry them. */
const at = (value: string) => value as unknown as License['trialEndsAt'];
const NOW = new Date('2026-11-25T08:00:00.000Z');
const until = '2026-12-09T08:00:00.000Z';
const rows = { unit: 'row' as const, mode: 'per_unit' as const, per: 1000, includedQuantity: 0, unitAmount: 50 };

describe('free trials', () => {
  it('reads a plan’s trial days, and a licence’s trial only while it runs', () => {
    expect(planTrialDays({ kind: 'subscription', trialDays: 14 })).toBe(14);
    expect(planTrialDays({ kind: 'subscription' })).toBe(0);
    expect(planTrialDays({ kind: 'one_time', trialDays: 14 })).toBe(0);

    const trialing = activeLicense({ trialEndsAt: at(until) });
    expect(runningTrial(trialing, NOW)).toEqual({ until, ending: false, fee: 120_000, currency: 'CNY' });
    expect(runningTrial({ ...trialing, cancelAtPeriodEnd: true }, NOW)).toMatchObject({ ending: true });
    expect(runningTrial({ ...trialing, pricePlan: { kind: 'metered', currency: 'CNY', interval: 'month', metered: rows, trialDays: 14 } }, NOW)).toMatchObject({ fee: null });
    // Over, never started, or not in force: nothing to say.
    expect(runningTrial(trialing, new Date(until))).toBeNull();
    expect(runningTrial(activeLicense(), NOW)).toBeNull();
    expect(runningTrial(license({ trialEndsAt: at(until) }), NOW)).toBeNull();
    expect(runningTrial({ ...trialing, state: 'expired' }, NOW)).toBeNull();
  });

  it('says the licence is free until the trial’s end, then what is charged, in both languages', async () => {
    initI18n('en');
    const future = '2099-12-04T08:00:00.000Z';
    const view = renderWithProviders(<TrialNotice license={activeLicense({ trialEndsAt: at(future) })} />);
    const notice = screen.getByTestId('license-trial');
    expect(notice).toHaveAttribute('data-until', future);
    expect(notice).toHaveTextContent('Free until Dec 4, 2099');
    expect(notice).toHaveTextContent('The first charge, ¥1,200.00, falls due on Dec 4, 2099; cancel before then and nothing is charged.');
    view.unmount();

    const cancelled = renderWithProviders(<TrialNotice license={activeLicense({ trialEndsAt: at(future), cancelAtPeriodEnd: true })} />);
    expect(screen.getByTestId('license-trial')).toHaveTextContent('The licence ends with the free trial on Dec 4, 2099: nothing is charged.');
    cancelled.unmount();

    await act(() => i18n.changeLanguage('zh-CN'));
    try {
      renderWithProviders(
        <TrialNotice license={activeLicense({ trialEndsAt: at(future), pricePlan: { kind: 'metered', currency: 'CNY', interval: 'month', metered: rows, trialDays: 14 } })} />,
      );
      const zh = screen.getByTestId('license-trial');
      expect(zh).toHaveTextContent('免费试用至 2099年12月4日');
      expect(zh).toHaveTextContent('免费试用期内的用量不计费；自 2099年12月4日 起按价格方案计费。');
    } finally {
      await act(() => i18n.changeLanguage('en'));
    }
  });

  it('says nothing once the trial is over', () => {
    initI18n('en');
    renderWithProviders(<TrialNotice license={activeLicense({ trialEndsAt: at('2020-01-01T00:00:00.000Z') })} />);
    expect(screen.queryByTestId('license-trial')).not.toBeInTheDocument();
  });
});
