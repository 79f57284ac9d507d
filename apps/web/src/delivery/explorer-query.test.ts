import { operatorsForType, toRequestFilter } from './explorer-query';

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
    expect(toRequestFilter({ column: 'district', op: 'eq', value: "O'Brien" })).toEqual({ column: 'district', op: 'eq', value: "O'Brien" });
  });
});
