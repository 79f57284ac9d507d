import { fireEvent, screen } from '@testing-library/react';
import { datasetDetail } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderWithProviders } from '../test/render-with-providers';
import { settle } from '../test/render-page';
import { ColumnsEditor } from './columns-editor';

describe('<ColumnsEditor>', () => {
  afterEach(clearMockApi);

  it('lets a personal column join derivations as a pseudonym, and clears it when the column stops being personal', async () => {
    const api = mockApi({ 'PUT /api/v1/agency/datasets/:id/columns': { items: [] } });
    const columns = datasetDetail().columns.map((column) => (column.name === 'district' ? { ...column, sensitivity: 'personal' as const } : column));
    renderWithProviders(<ColumnsEditor datasetId="d1" columns={columns} minGroupSize={5} />);
    await settle();
    expect(screen.getByTestId('column-pseudonym-vehicles')).toBeDisabled();
    const toggle = screen.getByTestId('column-pseudonym-district');
    expect(toggle).not.toBeDisabled();
    fireEvent.click(toggle);
    await settle();
    expect(screen.getByTestId('column-pseudonym-district')).toHaveAttribute('aria-checked', 'true');
    fireEvent.click(screen.getByTestId('columns-save'));
    await settle(50);
    expect(await api.requests.find((request) => request.method === 'PUT')?.clone().json()).toEqual({ columns: [{ name: 'district', joinPseudonym: true }] });
  });
});
