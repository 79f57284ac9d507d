import { draftState, operatorsForType, toRequestFilter } from './explorer-query';

describe('data explorer filters', () => {
  it('offers operators by column type', () => {
    expect(operatorsForType('BIGINT')).toContain('between');
    expect(operatorsForType('BIGINT')).not.toContain('contains');
    expect(operatorsForType('VARCHAR')).toContain('contains');
    expect(operatorsForType('BOOLEAN')).toEqual(['eq', 'ne', 'is_null', 'not_null']);
    expect(operatorsForType('STRUCT(a INTEGER)')).toEqual(['is_null', 'not_null']);
  });

  it('sends lists as values and null tests without a value', () => {
    expect(toRequestFilter({ column: 'district', op: 'in', value: ' 福田区, 南山区 ,' })).toEqual({ column: 'district', op: 'in', values: ['福田区', '南山区'] });
    expect(toRequestFilter({ column: 'hour', op: 'between', value: '7,9' })).toEqual({ column: 'hour', op: 'between', values: ['7', '9'] });
    expect(toRequestFilter({ column: 'note', op: 'is_null', value: 'ignored' })).toEqual({ column: 'note', op: 'is_null' });
    expect(toRequestFilter({ column: 'note', op: 'not_null', value: '' })).toEqual({ column: 'note', op: 'not_null' });
    expect(toRequestFilter({ column: 'district', op: 'eq', value: "O'Brien" })).toEqual({ column: 'district', op: 'eq', value: "O'Brien" });
  });

  it('tells a filter typed but not added that Run must apply from one it must not ignore', () => {
    expect(draftState({ column: 'district', op: 'eq', value: ' 黄浦区 ', edited: true })).toBe('complete');
    expect(draftState({ column: 'note', op: 'not_null', value: '', edited: true })).toBe('complete');
    expect(draftState({ column: 'district', op: 'eq', value: '  ', edited: true })).toBe('incomplete');
    expect(draftState({ op: 'eq', value: '100', edited: true })).toBe('incomplete');
    // Nothing typed, or what was just added (the column and operator stay for the next filter).
    expect(draftState({ op: 'eq', value: '', edited: true })).toBe('none');
    expect(draftState({ column: 'note', op: 'is_null', value: '', edited: false })).toBe('none');
  });
});
