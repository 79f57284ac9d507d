import { datasetDetail } from '../test/catalog-fixtures';
import { changedColumns } from './columns-editor';
import { reclassificationEffect } from './dataset-actions';

describe('changedColumns', () => {
  const columns = datasetDetail().columns;

  it('sends only the fields that differ from what is saved', () => {
    const drafts = {
      vehicles: { descriptionZh: '车辆数', descriptionEn: 'Vehicles per hour', sensitivity: 'public' as const, joinPseudonym: false },
      district: { descriptionZh: '', descriptionEn: '', sensitivity: 'personal' as const, joinPseudonym: false },
      hour: { descriptionZh: '统计小时', descriptionEn: 'Hour counted', sensitivity: 'public' as const, joinPseudonym: false },
    };
    expect(changedColumns(columns, drafts)).toEqual([
      { name: 'vehicles', descriptionEn: 'Vehicles per hour' },
      { name: 'district', sensitivity: 'personal' },
    ]);
  });

  it('sends a personal column made a join pseudonym', () => {
    const drafts = { district: { descriptionZh: '', descriptionEn: '', sensitivity: 'personal' as const, joinPseudonym: true } };
    expect(changedColumns(columns, drafts)).toEqual([{ name: 'district', sensitivity: 'personal', joinPseudonym: true }]);
  });

  it('is empty without edits', () => {
    expect(changedColumns(columns, {})).toEqual([]);
  });
});

describe('reclassificationEffect', () => {
  it('warns that restricting revokes grants, and whether access narrows or widens', () => {
    expect(reclassificationEffect('conditional', 'restricted')).toBe('revokesGrants');
    expect(reclassificationEffect('open', 'restricted')).toBe('revokesGrants');
    expect(reclassificationEffect('open', 'conditional')).toBe('narrows');
    expect(reclassificationEffect('restricted', 'conditional')).toBe('widens');
    expect(reclassificationEffect('conditional', 'open')).toBe('widens');
    expect(reclassificationEffect('open', 'open')).toBe('none');
  });
});
