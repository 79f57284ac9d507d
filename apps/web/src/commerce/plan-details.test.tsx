import { act, screen } from '@testing-library/react';
import type { PricePlan } from '../api/schema-types';
import { i18n, initI18n } from '../i18n/i18n';
import { meteredPlan } from '../test/commerce-fixtures';
import { renderWithProviders } from '../test/render-with-providers';
import { PlanDetails } from './commerce-display';

const yearlyHybrid: PricePlan = {
  kind: 'hybrid',
  currency: 'CNY',
  interval: 'year',
  amount: 960_000,
  metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 50_000, unitAmount: 2 },
};

describe('a plan’s included usage', () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage('en'));
  });

  it('is counted per the plan’s billing period, not always per month', () => {
    initI18n('en');
    const view = renderWithProviders(<PlanDetails plan={yearlyHybrid} />);
    expect(screen.getByTestId('plan-details')).toHaveTextContent('50,000 API calls per year');
    expect(screen.getByTestId('plan-details')).not.toHaveTextContent('per month');
    view.unmount();

    renderWithProviders(<PlanDetails plan={meteredPlan} />);
    expect(screen.getByTestId('plan-details')).toHaveTextContent('100,000 rows per month');
  });

  it('says so in Chinese too', async () => {
    initI18n('en');
    await act(() => i18n.changeLanguage('zh-CN'));
    renderWithProviders(<PlanDetails plan={yearlyHybrid} />);
    expect(screen.getByTestId('plan-details')).toHaveTextContent('每年 50,000');
    expect(screen.getByTestId('plan-details')).not.toHaveTextContent('每月');
  });
});
