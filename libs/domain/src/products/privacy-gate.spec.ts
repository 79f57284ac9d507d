import fc from 'fast-check';
import { ACCESS_PURPOSE_KEYS, CLASSIFICATION_KEYS, SENSITIVITY_KEYS, type AccessPurpose, type Sensitivity } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import {
  applyGateToRows,
  classifyOutputColumns,
  coversDerivation,
  decideGate,
  DEFAULT_GATE_POLICY,
  DERIVATION_PURPOSES,
  derivationAccess,
  planGate,
  requireDerivationAccess,
  strictestPolicy,
  type ClassifiedColumn,
  type GatePlan,
  type GateRow,
  type OutputColumn,
} from './privacy-gate.js';
import { GATE_REASONS, GATE_RULES, type SmallCellHandling } from './vocabulary.js';

const SENSITIVITY = {
  trips: { district: 'quasi_identifier', age_band: 'quasi_identifier', fare: 'public', card_id: 'personal' },
  weather: { date: 'public', rain_mm: 'public' },
} as const satisfies Record<string, Record<string, Sensitivity>>;

const col = (name: string, sources: Array<[string, string]>, aggregate: OutputColumn['aggregate'] = null): OutputColumn => ({
  name,
  sources: sources.map(([input, column]) => ({ input, column })),
  aggregate,
});

function expectDomainError(run: () => unknown, code: string): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected ${code}`);
}

describe('classifyOutputColumns', () => {
  it('takes the strictest sensitivity of the sources of a plain column', () => {
    const classified = classifyOutputColumns(
      [
        col('district', [['trips', 'district']]),
        col('fare_per_rain', [['trips', 'fare'], ['weather', 'rain_mm']]),
        col('label', [['trips', 'fare'], ['trips', 'age_band']]),
        col('card', [['trips', 'card_id'], ['trips', 'district']]),
        col('one', []),
      ],
      SENSITIVITY,
    );
    expect(classified.map(({ name, role, sensitivity }) => [name, role, sensitivity])).toEqual([
      ['district', 'value', 'quasi_identifier'],
      ['fare_per_rain', 'value', 'public'],
      ['label', 'value', 'quasi_identifier'],
      ['card', 'value', 'personal'],
      ['one', 'value', 'public'],
    ]);
  });

  it('makes counts public, even of people, and other aggregates public unless they aggregate personal values', () => {
    const classified = classifyOutputColumns(
      [
        col('people', [['trips', 'card_id']], 'count'),
        col('rows', [], 'count'),
        col('mean_age', [['trips', 'age_band']], 'other'),
        col('max_fare', [['trips', 'fare']], 'other'),
        col('min_card', [['trips', 'card_id']], 'other'),
      ],
      SENSITIVITY,
    );
    expect(classified.map(({ role, sensitivity }) => [role, sensitivity])).toEqual([
      ['count', 'public'],
      ['count', 'public'],
      ['aggregate', 'public'],
      ['aggregate', 'public'],
      ['aggregate', 'personal'],
    ]);
  });

  it('treats unknown inputs and columns as personal, and names them', () => {
    const classified = classifyOutputColumns(
      [
        col('a', [['trips', 'no_such_column']]),
        col('b', [['no_such_input', 'fare']]),
        col('c', [['trips', 'constructor']]),
        col('d', [['__proto__', 'fare']], 'other'),
      ],
      SENSITIVITY,
    );
    expect(classified.map((column) => column.sensitivity)).toEqual(['personal', 'personal', 'personal', 'personal']);
    expect(classified[0].unknownSources).toEqual([{ input: 'trips', column: 'no_such_column' }]);
  });

  it('accepts the sensitivities as Maps, and ignores values outside the vocabulary', () => {
    const maps = new Map([['trips', new Map<string, Sensitivity>([['fare', 'public'], ['odd', 'secret' as Sensitivity]])]]);
    const classified = classifyOutputColumns([col('fare', [['trips', 'fare']]), col('odd', [['trips', 'odd']])], maps);
    expect(classified.map((column) => column.sensitivity)).toEqual(['public', 'personal']);
  });

  it('refuses empty or repeated output names', () => {
    expectDomainError(() => classifyOutputColumns([col('', [])], SENSITIVITY), 'product.invalid_output');
    expectDomainError(() => classifyOutputColumns([col('x', []), col('x', [])], SENSITIVITY), 'product.invalid_output');
  });

  const sourceArbitrary = fc.record({ input: fc.constantFrom('a', 'b', 'c'), column: fc.constantFrom('x', 'y', 'z', 'w') });
  const sensitivityMapArbitrary = fc.dictionary(
    fc.constantFrom('a', 'b'),
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.constantFrom(...SENSITIVITY_KEYS)),
  );
  const outputsArbitrary = fc.uniqueArray(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 6 }),
      sources: fc.array(sourceArbitrary, { maxLength: 4 }),
      aggregate: fc.constantFrom('count' as const, 'other' as const, null),
    }),
    { selector: (output) => output.name, maxLength: 6 },
  );
  const RANK: Record<Sensitivity, number> = { public: 0, quasi_identifier: 1, personal: 2 };

  it('follows the rules for any output (property)', () => {
    fc.assert(
      fc.property(outputsArbitrary, sensitivityMapArbitrary, (outputs, sensitivity) => {
        const classified = classifyOutputColumns(outputs, sensitivity);
        outputs.forEach((output, index) => {
          const levels = output.sources.map((source) => sensitivity[source.input]?.[source.column] ?? 'personal');
          const worst = levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'public' as Sensitivity);
          const expected = output.aggregate === 'count' ? 'public' : output.aggregate === 'other' ? (worst === 'personal' ? 'personal' : 'public') : worst;
          expect(classified[index].sensitivity).toBe(expected);
          expect(classified[index].name).toBe(output.name);
        });
      }),
    );
  });

  it('never gets less strict when an input column gets stricter (property)', () => {
    fc.assert(
      fc.property(outputsArbitrary, sensitivityMapArbitrary, fc.constantFrom('a', 'b'), fc.constantFrom('x', 'y', 'z'), (outputs, sensitivity, input, column) => {
        const stricter = { ...sensitivity, [input]: { ...(sensitivity[input] ?? {}), [column]: 'personal' as const } };
        const before = classifyOutputColumns(outputs, sensitivity);
        const after = classifyOutputColumns(outputs, stricter);
        before.forEach((column, index) => expect(RANK[after[index].sensitivity]).toBeGreaterThanOrEqual(RANK[column.sensitivity]));
      }),
    );
  });
});

describe('strictestPolicy', () => {
  it('takes the largest k and fails if any input asks to', () => {
    expect(strictestPolicy([{ k: 3, smallCells: 'suppress' }, { k: 10, smallCells: 'suppress' }])).toEqual({ k: 10, smallCells: 'suppress' });
    expect(strictestPolicy([{ k: 3, smallCells: 'fail' }, { k: 10, smallCells: 'suppress' }])).toEqual({ k: 10, smallCells: 'fail' });
  });

  it('defaults to the catalog default when there are no inputs', () => {
    expect(strictestPolicy([])).toEqual({ k: 5, smallCells: 'suppress' });
    expect(strictestPolicy([])).not.toBe(DEFAULT_GATE_POLICY);
  });

  it('refuses k below 1 or not an integer, and unknown handling', () => {
    for (const k of [0, -1, 2.5, Number.NaN, Infinity]) expectDomainError(() => strictestPolicy([{ k, smallCells: 'fail' }]), 'product.invalid_gate_policy');
    expectDomainError(() => strictestPolicy([{ k: 2, smallCells: 'drop' as SmallCellHandling }]), 'product.invalid_gate_policy');
  });

  it('is at least as strict as every input, whatever their order (property)', () => {
    const policy = fc.record({ k: fc.integer({ min: 1, max: 1000 }), smallCells: fc.constantFrom<SmallCellHandling>('suppress', 'fail') });
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 8 }), (inputs) => {
        const result = strictestPolicy(inputs);
        expect(inputs.some((input) => input.k === result.k)).toBe(true);
        for (const input of inputs) {
          expect(result.k).toBeGreaterThanOrEqual(input.k);
          if (input.smallCells === 'fail') expect(result.smallCells).toBe('fail');
        }
        expect(strictestPolicy([...inputs].reverse())).toEqual(result);
      }),
    );
  });
});

const classified = (name: string, role: ClassifiedColumn['role'], sensitivity: Sensitivity): ClassifiedColumn => ({
  name,
  role,
  sensitivity,
  unknownSources: [],
});

describe('planGate', () => {
  const policy = { k: 5, smallCells: 'suppress' as const };

  it('applies the small-cell rule to aggregated outputs with a count column', () => {
    const plan = planGate([classified('district', 'value', 'quasi_identifier'), classified('n', 'count', 'public'), classified('avg_fare', 'aggregate', 'public')], policy);
    expect(plan).toEqual({ personalColumns: [], quasiIdentifiers: ['district'], countColumns: ['n'], k: 5, smallCells: 'suppress', rule: 'small_cells' });
  });

  it('applies k-anonymity to rows with quasi-identifiers and no count, aggregates without count included', () => {
    expect(planGate([classified('district', 'value', 'quasi_identifier'), classified('fare', 'value', 'public')], policy).rule).toBe('k_anonymity');
    expect(planGate([classified('district', 'value', 'quasi_identifier'), classified('avg_fare', 'aggregate', 'public')], policy).rule).toBe('k_anonymity');
  });

  it('needs no group check for public outputs, and lists personal columns whatever the rule', () => {
    expect(planGate([classified('fare', 'value', 'public')], policy).rule).toBe('none');
    const plan = planGate([classified('card', 'value', 'personal'), classified('n', 'count', 'public')], policy);
    expect(plan.personalColumns).toEqual(['card']);
    expect(plan.rule).toBe('small_cells');
  });

  it('leaves counts of rows that are about no one (inputs of public columns only) unchecked', () => {
    const columns = [classified('district', 'value', 'public'), classified('car_parks', 'count', 'public')];
    expect(planGate(columns, policy, { aboutPeople: false })).toEqual({ personalColumns: [], quasiIdentifiers: [], countColumns: [], k: 5, smallCells: 'suppress', rule: 'none' });
    // Rows about people: the same counts are small cells to check.
    expect(planGate(columns, policy, { aboutPeople: true }).rule).toBe('small_cells');
    expect(planGate(columns, policy).rule).toBe('small_cells');
  });

  it('validates the policy', () => {
    expectDomainError(() => planGate([], { k: 0, smallCells: 'fail' }), 'product.invalid_gate_policy');
  });
});

const plan = (overrides: Partial<GatePlan>): GatePlan => ({
  personalColumns: [],
  quasiIdentifiers: ['district'],
  countColumns: [],
  k: 3,
  smallCells: 'suppress',
  rule: 'k_anonymity',
  ...overrides,
});

describe('decideGate', () => {
  it('passes an output without violations', () => {
    const report = decideGate(plan({}), { rowCount: 10, violatingRows: 0, violatingGroups: 0 });
    expect(report).toEqual({
      version: 1,
      outcome: 'passed',
      rule: 'k_anonymity',
      k: 3,
      smallCells: 'suppress',
      checkedColumns: { quasiIdentifiers: ['district'], countColumns: [], personal: [] },
      rowCount: 10,
      violatingRows: 0,
      violatingGroups: 0,
      suppressedRows: 0,
      rowsPublished: 10,
      reasons: [],
    });
  });

  it('suppresses violating rows when the policy allows it', () => {
    const report = decideGate(plan({}), { rowCount: 10, violatingRows: 3, violatingGroups: 2 });
    expect(report).toMatchObject({ outcome: 'suppressed', suppressedRows: 3, rowsPublished: 7 });
    expect(report.reasons).toEqual([{ code: 'k_anonymity', k: 3, quasiIdentifiers: ['district'], violatingRows: 3, violatingGroups: 2, handling: 'suppress' }]);
  });

  it('fails on violations when the policy says so', () => {
    const report = decideGate(plan({ rule: 'small_cells', countColumns: ['n'], smallCells: 'fail' }), { rowCount: 10, violatingRows: 1, violatingGroups: 1 });
    expect(report).toMatchObject({ outcome: 'failed', suppressedRows: 0, rowsPublished: 0 });
    expect(report.reasons).toEqual([{ code: 'small_cells', k: 3, countColumns: ['n'], violatingRows: 1, violatingGroups: 1, handling: 'fail' }]);
  });

  it('fails when suppression would leave nothing to publish', () => {
    const report = decideGate(plan({}), { rowCount: 4, violatingRows: 4, violatingGroups: 4 });
    expect(report.outcome).toBe('failed');
    expect(report.reasons.map((reason) => reason.code)).toEqual(['k_anonymity', 'all_rows_suppressed']);
  });

  it('fails on personal columns and still reports every other problem', () => {
    const report = decideGate(plan({ personalColumns: ['card_id'] }), { rowCount: 10, violatingRows: 2, violatingGroups: 1 });
    expect(report.outcome).toBe('failed');
    expect(report.checkedColumns.personal).toEqual(['card_id']);
    expect(report.reasons.map((reason) => reason.code)).toEqual(['personal_column', 'k_anonymity']);
    expect(report.reasons[0]).toEqual({ code: 'personal_column', columns: ['card_id'] });
  });

  it('passes an empty output', () => {
    expect(decideGate(plan({}), { rowCount: 0, violatingRows: 0, violatingGroups: 0 })).toMatchObject({ outcome: 'passed', rowsPublished: 0 });
  });

  it('refuses measurements that cannot come from the plan', () => {
    const invalid = [
      { rowCount: 2, violatingRows: 3, violatingGroups: 1 },
      { rowCount: 5, violatingRows: 2, violatingGroups: 3 },
      { rowCount: 5, violatingRows: 2, violatingGroups: 0 },
      { rowCount: 5, violatingRows: 0, violatingGroups: 1 },
      { rowCount: -1, violatingRows: 0, violatingGroups: 0 },
      { rowCount: 1.5, violatingRows: 0, violatingGroups: 0 },
    ];
    for (const measurements of invalid) expectDomainError(() => decideGate(plan({}), measurements), 'product.invalid_gate_measurements');
    expectDomainError(() => decideGate(plan({ rule: 'none', quasiIdentifiers: [] }), { rowCount: 5, violatingRows: 1, violatingGroups: 1 }), 'product.invalid_gate_measurements');
    expectDomainError(
      () => decideGate(plan({ rule: 'small_cells', countColumns: ['n'] }), { rowCount: 5, violatingRows: 2, violatingGroups: 1 }),
      'product.invalid_gate_measurements',
    );
  });

  const planArbitrary: fc.Arbitrary<GatePlan> = fc.record({
    personalColumns: fc.array(fc.constantFrom('card', 'name'), { maxLength: 2 }),
    quasiIdentifiers: fc.constant(['district']),
    countColumns: fc.constant([]),
    k: fc.integer({ min: 1, max: 20 }),
    smallCells: fc.constantFrom<SmallCellHandling>('suppress', 'fail'),
    rule: fc.constant('k_anonymity' as const),
  });
  const measurementsArbitrary = fc
    .tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000))
    .map(([a, b, c]) => {
      const rowCount = a;
      const violatingRows = Math.min(b, rowCount);
      const violatingGroups = violatingRows === 0 ? 0 : 1 + (c % violatingRows);
      return { rowCount, violatingRows, violatingGroups };
    });

  it('keeps its invariants and stays JSON (property)', () => {
    fc.assert(
      fc.property(planArbitrary, measurementsArbitrary, (gatePlan, measurements) => {
        const report = decideGate(gatePlan, measurements);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        if (gatePlan.personalColumns.length > 0) expect(report.outcome).toBe('failed');
        if (report.outcome === 'failed') expect(report.rowsPublished + report.suppressedRows).toBe(0);
        else expect(report.rowsPublished + report.suppressedRows).toBe(measurements.rowCount);
        if (report.outcome === 'suppressed') expect(report.rowsPublished).toBeGreaterThan(0);
        expect(report.reasons.length === 0).toBe(report.outcome === 'passed');
        for (const reason of report.reasons) expect(GATE_REASONS[reason.code]).toBeDefined();
        expect(GATE_RULES[report.rule]).toBeDefined();
      }),
    );
  });
});

describe('applyGateToRows', () => {
  it('drops the rows of quasi-identifier combinations seen fewer than k times, NULL being a value', () => {
    const rows = [
      { district: 'A', age: '20-29', fare: 1 },
      { district: 'A', age: '20-29', fare: 2 },
      { district: 'B', age: '20-29', fare: 3 },
      { district: null, age: '30-39', fare: 4 },
      { district: null, age: '30-39', fare: 5 },
      { age: '30-39', fare: 6 },
    ];
    const result = applyGateToRows(rows, plan({ quasiIdentifiers: ['district', 'age'], k: 2 }));
    expect(result.rows.map((row) => row.fare)).toEqual([1, 2, 4, 5, 6]);
    expect(result.measurements).toEqual({ rowCount: 6, violatingRows: 1, violatingGroups: 1 });
    expect(result.report.outcome).toBe('suppressed');
  });

  it('drops small cells whatever the numeric type of the count, and keeps zero counts', () => {
    const rows = [
      { district: 'A', n: 1 },
      { district: 'B', n: 2n },
      { district: 'C', n: '2' },
      { district: 'D', n: 0 },
      { district: 'E', n: 3n },
      { district: 'F', n: null },
      { district: 'G', n: '12' },
    ];
    const result = applyGateToRows(rows, plan({ rule: 'small_cells', countColumns: ['n'], k: 3 }));
    expect(result.rows.map((row) => row.district)).toEqual(['D', 'E', 'F', 'G']);
    expect(result.measurements).toEqual({ rowCount: 7, violatingRows: 3, violatingGroups: 3 });
  });

  it('treats a row as a small cell when any of its counts is small', () => {
    const rows = [
      { n: 10, people: 2 },
      { n: 10, people: 10 },
    ];
    expect(applyGateToRows(rows, plan({ rule: 'small_cells', countColumns: ['n', 'people'], k: 5 })).rows).toEqual([{ n: 10, people: 10 }]);
  });

  it('groups equal values of every kind together', () => {
    const day = (iso: string) => new Date(iso);
    const rows: GateRow[] = [
      { q: 1 },
      { q: 1n },
      { q: day('2026-01-01') },
      { q: day('2026-01-01') },
      { q: new Uint8Array([1, 2]) },
      { q: new Uint8Array([1, 2]) },
      { q: true },
      { q: true },
      { q: { a: 1n } },
      { q: { a: 1n } },
      { q: '1' },
    ];
    expect(applyGateToRows(rows, plan({ quasiIdentifiers: ['q'], k: 2 })).rows).toHaveLength(10);
  });

  it('publishes nothing when the gate fails', () => {
    const rows = [{ district: 'A', card_id: 'x' }];
    const result = applyGateToRows(rows, plan({ personalColumns: ['card_id'], k: 1 }));
    expect(result.rows).toEqual([]);
    expect(result.report.outcome).toBe('failed');
    const violated = applyGateToRows([{ district: 'A' }, { district: 'A' }, { district: 'B' }], plan({ smallCells: 'fail', k: 2 }));
    expect(violated.rows).toEqual([]);
    expect(violated.measurements.violatingRows).toBe(1);
  });

  const districts = fc.constantFrom('A', 'B', 'C', null);
  const rowArbitrary = fc.record({
    district: districts,
    age: fc.constantFrom('20-29', '30-39', undefined),
    n: fc.oneof(fc.nat(12), fc.nat(12).map(BigInt)),
    people: fc.nat(12),
    id: fc.nat(),
  });
  const rowsArbitrary = fc.array(rowArbitrary, { maxLength: 60 });
  const kArbitrary = fc.integer({ min: 1, max: 8 });
  const anonymityPlan = (k: number): GatePlan => plan({ quasiIdentifiers: ['district', 'age'], k });
  const cellsPlan = (k: number): GatePlan => plan({ rule: 'small_cells', countColumns: ['n', 'people'], k });
  const comboOf = (row: GateRow) => JSON.stringify([row.district ?? null, row.age ?? null]);
  const isSmall = (value: unknown, k: number) => Number(value) >= 1 && Number(value) < k;

  it('leaves every quasi-identifier combination with at least k rows, dropping only rows of smaller groups (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, kArbitrary, (rows, k) => {
        const { rows: published, measurements, report } = applyGateToRows(rows, anonymityPlan(k));
        const sizeIn = (set: readonly GateRow[], combo: string) => set.filter((row) => comboOf(row) === combo).length;
        const kept = rows.filter((row) => sizeIn(rows, comboOf(row)) >= k);
        if (report.outcome === 'failed') {
          expect(published).toEqual([]);
          expect(kept).toEqual([]);
          expect(rows.length).toBeGreaterThan(0);
        } else {
          expect(published).toEqual(kept);
          for (const row of published) expect(sizeIn(published, comboOf(row))).toBeGreaterThanOrEqual(k);
          expect(report.suppressedRows).toBe(rows.length - published.length);
        }
        expect(measurements.violatingRows).toBe(rows.length - kept.length);
        expect(measurements.violatingGroups).toBe(new Set(rows.filter((row) => !kept.includes(row)).map(comboOf)).size);
      }),
    );
  });

  it('leaves every count cell at 0 or at least k, dropping only rows with a small count (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, kArbitrary, (rows, k) => {
        const { rows: published, measurements, report } = applyGateToRows(rows, cellsPlan(k));
        const kept = rows.filter((row) => !isSmall(row.n, k) && !isSmall(row.people, k));
        expect(measurements).toEqual({ rowCount: rows.length, violatingRows: rows.length - kept.length, violatingGroups: rows.length - kept.length });
        if (report.outcome !== 'failed') {
          expect(published).toEqual(kept);
          for (const row of published) for (const count of [row.n, row.people]) expect(Number(count) === 0 || Number(count) >= k).toBe(true);
        }
      }),
    );
  });

  it('never suppresses with k = 1 (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        for (const gatePlan of [anonymityPlan(1), cellsPlan(1)]) {
          const result = applyGateToRows(rows, gatePlan);
          expect(result.rows).toEqual(rows);
          expect(result.report.outcome).toBe('passed');
        }
      }),
    );
  });

  it('never passes a personal column (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, kArbitrary, fc.constantFrom(anonymityPlan, cellsPlan), (rows, k, makePlan) => {
        const result = applyGateToRows(rows, { ...makePlan(k), personalColumns: ['id'] });
        expect(result.report.outcome).toBe('failed');
        expect(result.rows).toEqual([]);
        expect(result.report.reasons[0]).toEqual({ code: 'personal_column', columns: ['id'] });
      }),
    );
  });

  it('removes nothing more when its output is gated again (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, kArbitrary, fc.constantFrom(anonymityPlan, cellsPlan), (rows, k, makePlan) => {
        const once = applyGateToRows(rows, makePlan(k));
        const twice = applyGateToRows(once.rows, makePlan(k));
        expect(twice.rows).toEqual(once.rows);
        expect(twice.measurements.violatingRows).toBe(0);
      }),
    );
  });

  it('produces a report that survives JSON and agrees with the measurements (property)', () => {
    fc.assert(
      fc.property(rowsArbitrary, kArbitrary, fc.constantFrom(anonymityPlan, cellsPlan), (rows, k, makePlan) => {
        const gatePlan = makePlan(k);
        const { rows: published, measurements, report } = applyGateToRows(rows, gatePlan);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        expect(report).toEqual(decideGate(gatePlan, measurements));
        expect(report.rowsPublished).toBe(published.length);
      }),
    );
  });
});

describe('derivationAccess', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const future = new Date('2026-07-01T00:00:00Z');
  const past = new Date('2026-05-01T00:00:00Z');
  const grant = (purpose: AccessPurpose, expiresAt = future, revokedAt: Date | null = null) => ({ purpose, expiresAt, revokedAt });

  it('lists the purposes that cover derivation from the access-purpose vocabulary', () => {
    expect([...DERIVATION_PURPOSES].sort()).toEqual(['product_development', 'research']);
    for (const purpose of DERIVATION_PURPOSES) expect(ACCESS_PURPOSE_KEYS).toContain(purpose);
    expect(coversDerivation('journalism')).toBe(false);
  });

  it('frees open data and keeps an owner its own data', () => {
    expect(derivationAccess({ classification: 'open', isOwner: false, grants: [], now })).toBe('free');
    expect(derivationAccess({ classification: 'open', isOwner: true, grants: [], now })).toBe('owner');
    expect(derivationAccess({ classification: 'conditional', isOwner: true, grants: [], now })).toBe('owner');
  });

  it('needs a grant in force for product development or research on conditional data', () => {
    const access = (grants: ReturnType<typeof grant>[]) => derivationAccess({ classification: 'conditional', isOwner: false, grants, now });
    expect(access([])).toBe('denied');
    expect(access([grant('journalism')])).toBe('denied');
    expect(access([grant('research', past)])).toBe('denied');
    expect(access([grant('product_development', future, past)])).toBe('denied');
    expect(access([grant('journalism'), grant('product_development')])).toBe('granted');
    expect(access([grant('research')])).toBe('granted');
  });

  it('gates restricted data for everyone, its agency included', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.constantFrom(...ACCESS_PURPOSE_KEYS).map((purpose) => grant(purpose))), (isOwner, grants) => {
        expect(derivationAccess({ classification: 'restricted', isOwner, grants, now })).toBe('gated');
      }),
    );
  });

  it('denies only conditional data without a covering grant (property)', () => {
    const grantArbitrary = fc.record({
      purpose: fc.constantFrom(...ACCESS_PURPOSE_KEYS),
      expiresAt: fc.constantFrom(past, future),
      revokedAt: fc.constantFrom(null, past),
    });
    fc.assert(
      fc.property(fc.constantFrom(...CLASSIFICATION_KEYS), fc.boolean(), fc.array(grantArbitrary, { maxLength: 4 }), (classification, isOwner, grants) => {
        const covered = grants.some((g) => coversDerivation(g.purpose) && g.revokedAt === null && g.expiresAt > now);
        const access = derivationAccess({ classification, isOwner, grants, now });
        expect(access === 'denied').toBe(classification === 'conditional' && !isOwner && !covered);
      }),
    );
  });

  it('throws product.input_denied for a dataset that may not feed a derivation', () => {
    const error = expectDomainError(
      () => requireDerivationAccess({ datasetId: 'd1', classification: 'conditional', isOwner: false, grants: [grant('other')], now }),
      'product.input_denied',
    );
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual({ datasetId: 'd1', purposes: ['product_development', 'research'] });
    expect(requireDerivationAccess({ datasetId: 'd1', classification: 'restricted', isOwner: false, grants: [], now })).toBe('gated');
  });
});
