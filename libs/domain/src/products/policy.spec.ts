import { isTightening, policyChanges, policyConflicts, requiresRederivation, type CheckedReport, type InputPolicy } from './policy.js';

const hospital: InputPolicy = {
  k: 10,
  smallCells: 'suppress',
  columns: [
    ['patient_id', 'personal', true],
    ['patient_name', 'personal', false],
    ['age', 'quasi_identifier', false],
    ['department', 'public', false],
    ['cost_yuan', 'public', false],
  ],
};

const withColumn = (policy: InputPolicy, name: string, sensitivity: string, pseudonym = false): InputPolicy => ({
  ...policy,
  columns: policy.columns.map((column) => (column[0] === name ? ([name, sensitivity, pseudonym] as const) : column)),
});

const suppressed: CheckedReport = { rule: 'small_cells', k: 10, smallCells: 'suppress', suppressedRows: 3 };
const passed: CheckedReport = { rule: 'small_cells', k: 10, smallCells: 'suppress', suppressedRows: 0 };

describe('policyChanges', () => {
  it('is empty for the same settings, whatever the column order', () => {
    expect(policyChanges(hospital, { ...hospital, columns: [...hospital.columns].reverse() })).toEqual([]);
  });

  it('names each change of k, small-cell handling, sensitivity and pseudonym', () => {
    expect(policyChanges(hospital, { ...hospital, k: 12 })).toEqual([{ kind: 'k_raised', from: 10, to: 12 }]);
    expect(policyChanges(hospital, { ...hospital, k: 5 })).toEqual([{ kind: 'k_lowered', from: 10, to: 5 }]);
    expect(policyChanges(hospital, { ...hospital, smallCells: 'fail' })).toEqual([{ kind: 'small_cells_fail' }]);
    expect(policyChanges({ ...hospital, smallCells: 'fail' }, hospital)).toEqual([{ kind: 'small_cells_suppress' }]);
    expect(policyChanges(hospital, withColumn(hospital, 'department', 'quasi_identifier'))).toEqual([
      { kind: 'sensitivity_raised', column: 'department', from: 'public', to: 'quasi_identifier' },
    ]);
    expect(policyChanges(hospital, withColumn(hospital, 'age', 'public'))).toEqual([{ kind: 'sensitivity_lowered', column: 'age', from: 'quasi_identifier', to: 'public' }]);
    expect(policyChanges(hospital, withColumn(hospital, 'patient_id', 'personal', false))).toEqual([{ kind: 'pseudonym_removed', column: 'patient_id' }]);
    expect(policyChanges(hospital, withColumn(hospital, 'patient_name', 'personal', true))).toEqual([{ kind: 'pseudonym_added', column: 'patient_name' }]);
  });

  it('ranks an unknown sensitivity as personal, and ignores columns on one side only', () => {
    expect(policyChanges(hospital, withColumn(hospital, 'cost_yuan', 'secret'))).toEqual([
      { kind: 'sensitivity_raised', column: 'cost_yuan', from: 'public', to: 'secret' },
    ]);
    expect(policyChanges(hospital, { ...hospital, columns: [...hospital.columns, ['new_column', 'personal', false]] })).toEqual([]);
    expect(policyChanges(hospital, { ...hospital, columns: hospital.columns.slice(1) })).toEqual([]);
  });

  it('calls only changes that may break checked output tightenings; pseudonyms added also re-derive', () => {
    const tightened = policyChanges(hospital, { ...withColumn(hospital, 'patient_id', 'personal', false), k: 11, smallCells: 'fail' });
    expect(tightened.map((change) => [change.kind, isTightening(change)])).toEqual([
      ['k_raised', true],
      ['small_cells_fail', true],
      ['pseudonym_removed', true],
    ]);
    expect(requiresRederivation(tightened)).toBe(true);
    expect(requiresRederivation(policyChanges(hospital, withColumn(hospital, 'patient_name', 'personal', true)))).toBe(true);
    expect(requiresRederivation(policyChanges(hospital, { ...withColumn(hospital, 'age', 'public'), k: 5 }))).toBe(false);
    expect(requiresRederivation([])).toBe(false);
  });
});

describe('policyConflicts', () => {
  it('refuses a version that passed only by suppression once an input says "fail"', () => {
    const current = { ...hospital, smallCells: 'fail' as const };
    expect(policyConflicts(suppressed, [{ name: 'visits', recorded: hospital, current }])).toEqual([{ input: 'visits', changes: [{ kind: 'small_cells_fail' }] }]);
    // Nothing was suppressed: the version passes "fail" as it is.
    expect(policyConflicts(passed, [{ name: 'visits', recorded: hospital, current }])).toEqual([]);
  });

  it('refuses a higher k unless the output had nothing to group or was checked with that k already', () => {
    const current = { ...hospital, k: 12 };
    expect(policyConflicts(passed, [{ name: 'visits', recorded: hospital, current }])).toEqual([{ input: 'visits', changes: [{ kind: 'k_raised', from: 10, to: 12 }] }]);
    expect(policyConflicts({ ...passed, rule: 'none' }, [{ name: 'visits', recorded: hospital, current }])).toEqual([]);
    // Another input's k of 15 applied to the output already.
    expect(policyConflicts({ ...passed, k: 15 }, [{ name: 'visits', recorded: hospital, current }])).toEqual([]);
  });

  it('refuses columns made more sensitive and removed pseudonyms, and ignores loosening', () => {
    const stricter = withColumn(withColumn(hospital, 'department', 'quasi_identifier'), 'patient_id', 'personal', false);
    expect(policyConflicts(passed, [{ name: 'visits', recorded: hospital, current: stricter }])[0]!.changes.map((change) => change.kind)).toEqual([
      'pseudonym_removed',
      'sensitivity_raised',
    ]);
    const looser = { ...withColumn(hospital, 'age', 'public'), k: 5, columns: withColumn(hospital, 'patient_name', 'personal', true).columns };
    expect(policyConflicts(suppressed, [{ name: 'visits', recorded: hospital, current: looser }])).toEqual([]);
  });

  it('compares with the report alone when the settings were not recorded', () => {
    expect(policyConflicts(suppressed, [{ name: 'visits', current: { ...hospital, k: 11, smallCells: 'fail' } }])).toEqual([
      { input: 'visits', changes: [{ kind: 'k_raised', from: 10, to: 11 }, { kind: 'small_cells_fail' }] },
    ]);
    expect(policyConflicts(passed, [{ name: 'visits', recorded: null, current: hospital }])).toEqual([]);
    expect(policyConflicts(null, [{ name: 'visits', current: { ...hospital, k: 50 } }])).toEqual([]);
  });

  it('names only the inputs that conflict', () => {
    const weather: InputPolicy = { k: 2, smallCells: 'suppress', columns: [['rain_mm', 'public', false]] };
    const conflicts = policyConflicts(suppressed, [
      { name: 'weather', recorded: weather, current: { ...weather, k: 3 } },
      { name: 'visits', recorded: hospital, current: { ...hospital, smallCells: 'fail' } },
    ]);
    expect(conflicts.map((conflict) => conflict.input)).toEqual(['visits']);
  });
});
