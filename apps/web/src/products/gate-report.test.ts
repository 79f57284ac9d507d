import { i18n } from '../i18n/i18n';
import { gateReport } from '../test/product-fixtures';
import { describeGatePlan, describeGateReport, gateReportOfDetails } from './gate-report';

const t = i18n.t.bind(i18n);

describe('describeGateReport', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('words a suppression: outcome, rule, what was dropped and why', () => {
    const text = describeGateReport(gateReport(), t, 'en');
    expect(text.outcome).toBe('Passed after suppression');
    expect(text.summary).toBe('3 of 120 rows dropped, 117 passed the gate.');
    expect(text.rule.name).toBe('Small-cell rule');
    const facts = Object.fromEntries(text.facts.map((fact) => [fact.key, fact.value]));
    expect(facts).toMatchObject({
      k: '10',
      smallCells: 'Drop violating rows and publish the rest',
      rowCount: '120',
      violating: '3 rows in 3 groups',
      suppressedRows: '3',
      rowsPublished: '117',
      quasiIdentifiers: 'district',
      countColumns: 'visits',
      personalColumns: 'none',
    });
    expect(text.reasons).toEqual([
      expect.objectContaining({
        code: 'small_cells',
        title: 'Small cells',
        detail: '3 rows have a count (visits) from 1 to 9, under k = 10. These rows are dropped from the version.',
      }),
    ]);
  });

  it('explains a failure with every reason, in the singular where it is one', () => {
    const report = gateReport({
      outcome: 'failed',
      rule: 'k_anonymity',
      smallCells: 'fail',
      checkedColumns: { quasiIdentifiers: ['age', 'sex'], countColumns: [], personal: ['patient_id'] },
      rowCount: 1,
      violatingRows: 1,
      violatingGroups: 1,
      suppressedRows: 0,
      rowsPublished: 0,
      reasons: [
        { code: 'personal_column', columns: ['patient_id'] },
        { code: 'k_anonymity', k: 10, quasiIdentifiers: ['age', 'sex'], violatingRows: 1, violatingGroups: 1, handling: 'fail' },
        { code: 'all_rows_suppressed', rowCount: 1 },
      ],
    });
    const text = describeGateReport(report, t, 'en');
    expect(text.summary).toBe('1 row checked, none kept.');
    expect(text.reasons.map((reason) => reason.detail)).toEqual([
      'Personal output columns: patient_id.',
      "1 combination of age, sex occurs in fewer than 10 rows (1 rows in all). The strictest input's agency asks for no version in that case.",
      "The output's only row would be dropped.",
    ]);
  });

  it('says no version was made when dropping the small cells would leave nothing, and how to group instead', async () => {
    const report = gateReport({
      outcome: 'failed',
      rule: 'small_cells',
      smallCells: 'suppress',
      checkedColumns: { quasiIdentifiers: [], countColumns: ['visits'], personal: [] },
      rowCount: 6,
      violatingRows: 6,
      violatingGroups: 6,
      suppressedRows: 0,
      rowsPublished: 0,
      reasons: [
        { code: 'small_cells', k: 5, countColumns: ['visits'], violatingRows: 6, violatingGroups: 6, handling: 'suppress' },
        { code: 'all_rows_suppressed', rowCount: 6 },
      ],
    });
    const text = describeGateReport(report, t, 'en');
    expect(text.reasons[0]!.detail).toBe('6 rows have a count (visits) from 1 to 4, under k = 5. Dropping them would leave nothing, so no version was made.');
    expect(text.reasons[0]!.detail).not.toContain('dropped from the version');
    expect(text.reasons[1]!.description).toContain('Group more coarsely');
    expect(text.reasons[1]!.description).not.toContain('count(*)');
  });

  it('passes open outputs without a group check, and reads in Chinese', async () => {
    const report = gateReport({
      outcome: 'passed',
      rule: 'none',
      checkedColumns: { quasiIdentifiers: [], countColumns: [], personal: [] },
      rowCount: 5,
      violatingRows: 0,
      violatingGroups: 0,
      suppressedRows: 0,
      rowsPublished: 5,
      reasons: [],
    });
    const english = describeGateReport(report, t, 'en');
    expect(english.summary).toBe('5 rows passed the gate.');
    expect(english.facts.map((fact) => fact.key)).not.toContain('violating');
    await i18n.changeLanguage('zh-CN');
    const chinese = describeGateReport(report, t, 'zh-CN');
    expect(chinese.outcome).toBe('通过');
    expect(chinese.summary).toBe('5 行通过隐私检查。');
    expect(chinese.rule.name).toBe('无需分组检查');
  });
});

describe('describeGatePlan', () => {
  it('warns that personal columns will fail the run and says how small groups are treated', () => {
    const text = describeGatePlan(
      { rule: 'k_anonymity', k: 5, smallCells: 'suppress', quasiIdentifiers: ['district', 'age'], countColumns: [], personalColumns: ['name'] },
      t,
      'en',
    );
    expect(text.warnings).toEqual([expect.stringContaining('a run will fail: name')]);
    expect(text.explanation).toBe(
      'Every combination of district, age must occur in at least 5 rows; rows in smaller groups will be dropped. To publish aggregates, add a count(*) column.',
    );
    expect(text.rule.name).toBe('k-anonymity rule');
  });
});

describe('gateReportOfDetails', () => {
  it('finds the report of a run the gate failed, and nothing in other details', () => {
    expect(gateReportOfDetails({ report: gateReport({ outcome: 'failed' }) })?.outcome).toBe('failed');
    expect(gateReportOfDetails({ line: 3, column: 7 })).toBeNull();
    expect(gateReportOfDetails({ report: { outcome: 'failed' } })).toBeNull();
    expect(gateReportOfDetails(null)).toBeNull();
  });
});
