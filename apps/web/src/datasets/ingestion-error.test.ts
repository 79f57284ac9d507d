import { changeLanguage, i18n } from '../i18n/i18n';
import { describeIngestionError, ingestionErrorFacts, isIngestionFinished } from './ingestion-error';

const t = i18n.t.bind(i18n);

describe('describeIngestionError', () => {
  afterEach(() => changeLanguage('en'));

  it('explains a ragged row with its line and keeps the converter words as detail', () => {
    const text = describeIngestionError(
      { code: 'ingest.ragged_rows', message: 'Line 12 has 5 fields where the header has 4.', details: { line: 12, row: 11 } },
      t,
    );
    expect(text.explanation).toBe('A row has a different number of fields than the header. Look for an unquoted comma or a missing separator on that line.');
    expect(text.facts).toEqual(['line 12', 'data row 11']);
    expect(text.technical).toBe('Line 12 has 5 fields where the header has 4.');
  });

  it('names the column of a duplicate header in the reader’s language', async () => {
    await changeLanguage('zh-CN');
    const text = describeIngestionError(
      { code: 'ingest.duplicate_columns', message: 'The column name "金额" appears more than once in the header.', details: { column: '金额', conflictsWith: '金額', line: 1 } },
      t,
    );
    expect(text.explanation).toBe('有两个字段同名（不区分大小写）。请重命名其中一个。');
    expect(text.facts).toEqual(['第 1 行', '字段“金额”', '与“金額”同名']);
  });

  it('shows the server message for a code it does not know', () => {
    const text = describeIngestionError({ code: 'ingest.something_new', message: 'Something new went wrong.', details: null }, t);
    expect(text).toEqual({ explanation: 'Something new went wrong.', facts: [], technical: null });
  });

  it('explains an internal error without details', () => {
    expect(describeIngestionError({ code: 'ingest.internal', message: '', details: null }, t).explanation).toMatch(/internal error/);
  });
});

describe('ingestionErrorFacts', () => {
  it('words offsets, header positions, findings and file types, and skips malformed values', () => {
    expect(ingestionErrorFacts({ offset: 0, position: 3, detected: 'ZIP archive', extension: '.xlsx' }, t)).toEqual([
      'column 3 of the header',
      'byte 0',
      'found: ZIP archive',
      'file type: .xlsx',
    ]);
    expect(ingestionErrorFacts({ line: '12', row: -1, column: '', offset: 1.5 }, t)).toEqual([]);
  });
});

describe('isIngestionFinished', () => {
  it('is true for the end states only', () => {
    expect(['queued', 'running', 'succeeded', 'duplicate', 'failed'].map((status) => isIngestionFinished({ status: status as never }))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
