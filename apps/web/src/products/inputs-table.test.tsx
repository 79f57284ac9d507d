import { screen, within } from '@testing-library/react';
import { productInput } from '../test/product-fixtures';
import { renderWithProviders } from '../test/render-with-providers';
import { screenWidth } from '../test/screen-width';
import { InputsTable, nameColumnWidth } from './inputs-table';

const inputs = [
  productInput({ name: 'hospital_outpatient_visits' }),
  productInput({ name: 'survey', position: 1, id: 'd0000000-0000-4000-8000-000000000002', usable: false, unusableReason: 'withdrawn' }),
];

describe('<InputsTable>', () => {
  it('gives SQL names the width they need, so they show whole', () => {
    expect(nameColumnWidth([{ name: 'survey' }])).toBe(116);
    expect(nameColumnWidth([{ name: 'survey' }, { name: 'hospital_outpatient_visits' }])).toBeGreaterThanOrEqual(26 * 8 + 32);
    // Only an extreme name is cut (with a tooltip).
    expect(nameColumnWidth([{ name: 'x'.repeat(63) }])).toBe(280);
  });

  it('on a wide screen sizes the name column from the names', () => {
    const restore = screenWidth(true);
    try {
      const { container } = renderWithProviders(<InputsTable inputs={inputs} />);
      expect(screen.getByTestId('inputs-table')).toHaveAttribute('data-layout', 'table');
      const widths = [...container.querySelectorAll('colgroup col')].map((col) => (col as HTMLElement).style.width);
      expect(widths).toContain(`${nameColumnWidth(inputs)}px`);
    } finally {
      restore();
    }
  });

  it('on a phone shows each input as a card of its own, nothing cut off', () => {
    renderWithProviders(<InputsTable inputs={inputs} />);
    expect(screen.getByTestId('inputs-table')).toHaveAttribute('data-layout', 'cards');
    const cards = screen.getAllByTestId('inputs-table-item');
    expect(cards.map((card) => card.textContent)).toEqual([
      expect.stringMatching(/^hospital_outpatient_visitsWeight 1 · 50%Urban channel construction survey.*Statistics Bureau.*OpenYesVisible columns \(2\)$/),
      expect.stringMatching(/^surveyWeight 1 · 50%.*the source was withdrawn/),
    ]);
    expect(within(cards[1]!).getByTestId('input-unusable')).toBeInTheDocument();
  });
});
