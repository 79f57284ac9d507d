import { screen, waitFor, within } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { axisLabels, sizeCharts } from '../test/chart-size';
import { estimate, meteredOffer, offer } from '../test/commerce-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderWithProviders } from '../test/render-with-providers';
import { PriceCalculator } from './price-calculator';

const yearlyId = 'e1000000-0000-4000-8000-0000000000a3';

/** 12 months: a yearly plan with a 60-day trial, a monthly one with 14 days, one without. */
const answer = {
  months: 12,
  quantityPerMonth: 100_000,
  items: [
    estimate({ offerId: meteredOffer.id, nameEn: 'Pay as you go', total: 0, perPeriod: 0, periods: 12, trialDays: 0, lines: [], unit: 'row' }),
    estimate({ offerId: yearlyId, nameEn: 'Yearly with trial', total: 0, perPeriod: 960_000, interval: 'year', periods: 0, trialDays: 400, trialSavings: 960_000 }),
    estimate({ total: 1_440_000, periods: 12, trialDays: 14 }),
  ],
};

function setWidth(wide: boolean) {
  window.matchMedia = (query: string) =>
    ({ matches: wide && query.includes('min-width'), media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false }) as MediaQueryList;
}

describe('<PriceCalculator>', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
    clearMockApi();
  });

  for (const wide of [true, false]) {
    it(`shows the free trial first and what is paid after it (${wide ? 'table' : 'phone list'})`, async () => {
      setWidth(wide);
      mockApi({ 'GET /api/v1/catalog/products/:ref/price-estimate': answer });
      renderWithProviders(<PriceCalculator productRef="road-congestion" offers={[offer(), meteredOffer]} />);
      await waitFor(() => expect(screen.getAllByTestId('estimate-row')).toHaveLength(3));
      expect(screen.getByTestId('price-calculator').querySelector('table') === null).toBe(!wide);

      const [metered, yearly, monthly] = screen.getAllByTestId('estimate-row') as [HTMLElement, HTMLElement, HTMLElement];
      expect(within(metered).queryByTestId('estimate-trial')).not.toBeInTheDocument();
      expect(metered).toHaveTextContent('12 months');

      const trial = within(monthly).getByTestId('estimate-trial');
      expect(trial).toHaveAttribute('data-trial-days', '14');
      expect(trial).toHaveTextContent('First 14 days free');
      expect(trial).toHaveTextContent('then ¥1,200.00 a month');
      expect(trial).toHaveTextContent('12 paid months after the trial');
      expect(within(monthly).queryByTestId('estimate-trial-savings')).not.toBeInTheDocument();

      // A trial longer than the months of use: nothing to pay, and what it saved.
      expect(within(yearly).getByTestId('estimate-trial')).toHaveTextContent('then ¥9,600.00 a year');
      expect(within(yearly).getByTestId('estimate-trial')).toHaveTextContent('The trial covers all of these months');
      expect(within(yearly).getByTestId('estimate-trial-savings')).toHaveTextContent('The trial saves ¥9,600.00');
    });
  }

  it('asks for usage only when an offer is priced by it', async () => {
    setWidth(true);
    mockApi({ 'GET /api/v1/catalog/products/:ref/price-estimate': { months: 12, quantityPerMonth: 100_000, items: [estimate({ total: 1_440_000, periods: 12, trialDays: 14 })] } });
    renderWithProviders(<PriceCalculator productRef="road-congestion" offers={[offer()]} />);
    expect(await screen.findByTestId('calculator-no-usage')).toHaveTextContent('No offer of this product is priced by usage.');
    expect(screen.queryByTestId('calculator-quantity')).toBeNull();
    expect(await screen.findByTestId('calculator-result')).toHaveTextContent('Over 12 months:');
    expect(screen.getByTestId('calculator-result')).not.toHaveTextContent('units a month');
  });

  it('writes every amount on the chart’s axis in one style, in Chinese too', async () => {
    setWidth(true);
    const restore = sizeCharts(700, 200);
    await i18n.changeLanguage('zh-CN');
    try {
      mockApi({
        'GET /api/v1/catalog/products/:ref/price-estimate': { ...answer, items: [estimate({ total: 300_000 }), estimate({ offerId: yearlyId, total: 1_440_000 })] },
      });
      renderWithProviders(<PriceCalculator productRef="road-congestion" offers={[offer()]} />);
      const chart = await screen.findByTestId('estimate-chart');
      // Compact notation alone wrote "¥4000, ¥8000" next to "¥1.2万, ¥1.6万".
      await waitFor(() => expect(axisLabels(chart, 'x')).toEqual(['¥0', '¥4,000', '¥8,000', '¥12,000', '¥16,000']));
    } finally {
      restore();
      await i18n.changeLanguage('en');
    }
  });
});
