import { ApiError } from '../api/api-error';
import { i18n } from '../i18n/i18n';
import { columnOffset, describeDeriveError, describeFieldIssues, describeProductError, describeSqlRequestProblem, sqlLocation } from './derive-error';

const t = i18n.t.bind(i18n);

describe('describeDeriveError', () => {
  it("words DuckDB's refusal and keeps its message and position", () => {
    const text = describeDeriveError(
      { code: 'derive.unknown_column', message: 'Referenced column "patient_name" not found', details: { line: 2, column: 8, input: 'visits', name: 'patient_name' } },
      t,
    );
    expect(text).toEqual({
      code: 'derive.unknown_column',
      title: 'The SQL reads a column the input does not have, or that is hidden (personal).',
      message: 'Referenced column "patient_name" not found',
      explanation: 'Column “patient_name” is not a column of the tables the query reads.',
      location: { line: 2, column: 8 },
      facts: ['input visits', '“patient_name”'],
    });
  });

  it("places DuckDB's binder errors in the SQL as it places syntax errors", () => {
    const text = describeDeriveError(
      {
        code: 'derive.invalid_query',
        message: "No function matches the given name and argument types 'abs(DOUBLE, INTEGER_LITERAL)'. You might need to add explicit type casts.",
        details: { position: 21, line: 2, column: 3, function: 'abs' },
      },
      t,
    );
    expect(text).toMatchObject({
      title: 'DuckDB refused the query.',
      explanation: 'No function takes these arguments: abs(DOUBLE, INTEGER_LITERAL). Cast the arguments to the types it expects.',
      location: { line: 2, column: 3 },
      facts: ['function abs'],
    });
    expect(describeDeriveError({ code: 'derive.unknown_input', message: '"nowhere" is not an input', details: { name: 'nowhere', line: 4, column: 6 } }, t).location).toEqual({ line: 4, column: 6 });
    expect(describeDeriveError({ code: 'derive.invalid_query', message: 'x', details: {} }, t).location).toBeNull();
  });

  it('names the inputs that cannot be used and why', () => {
    const text = describeDeriveError(
      { code: 'product.input_unavailable', message: 'An input cannot be used now.', details: { inputs: [{ name: 'energy', reason: 'denied' }, { name: 'x', reason: 'bogus' }] } },
      t,
    );
    expect(text.facts).toEqual(['input energy: no grant in force covers derivation']);
    expect(text.location).toBeNull();
  });

  it('names the inputs the SQL does not read', () => {
    const text = describeDeriveError({ code: 'derive.unused_input', message: 'The query does not read input "weather"', details: { inputs: ['weather', 'zones'] } }, t);
    expect(text.title).toBe('The SQL does not read every input: use each input or remove it (every input is credited in the lineage).');
    expect(text.facts).toEqual(['not read: weather, zones']);
    expect(describeDeriveError({ code: 'derive.no_input_read', message: 'x', details: { inputs: ['visits'] } }, t).title).toBe(
      'The SQL reads none of the inputs: a product is computed from its inputs.',
    );
  });

  it("explains the sandbox's own refusals from their details, in both languages", async () => {
    const zh = i18n.cloneInstance({ lng: 'zh-CN' });
    await zh.changeLanguage('zh-CN');
    const both = (error: { code: string; message: string; details: unknown }) => [describeDeriveError(error, t).explanation, describeDeriveError(error, zh.t.bind(zh)).explanation];

    expect(both({ code: 'derive.unused_input', message: 'The query does not read input "weather": use it or remove it', details: { inputs: ['weather'] } })).toEqual([
      "The query does not read input “weather”: use it or remove it from the inputs (every input is credited in the product's lineage).",
      '查询没有读取输入 “weather”：请在查询中使用，或将其从输入中移除（每个输入都会计入产品的数据来源）。',
    ]);
    expect(both({ code: 'derive.unused_input', message: 'x', details: { inputs: ['weather', 'zones'] } })).toEqual([
      "The query does not read inputs “weather”, “zones”: use them or remove them from the inputs (every input is credited in the product's lineage).",
      '查询没有读取输入 “weather”、“zones”：请在查询中使用，或将其从输入中移除（每个输入都会计入产品的数据来源）。',
    ]);
    expect(both({ code: 'derive.no_input_read', message: 'x', details: { inputs: ['visits'] } })).toEqual([
      'The query reads none of its inputs (“visits”): a product must be computed from its inputs.',
      '查询没有读取任何输入（“visits”）：产品须由其输入加工而来。',
    ]);
    expect(both({ code: 'derive.no_input_read', message: 'The derivation has no inputs to read.', details: { inputs: [] } })[1]).toBe('该加工没有可读取的输入：请先添加输入。');
    expect(both({ code: 'derive.unknown_column', message: 'Column "visits.patient_name" is not a column of the inputs in scope.', details: { name: 'visits.patient_name' } })).toEqual([
      'Column “visits.patient_name” is not a column of the inputs the query reads (or it is personal, and hidden).',
      '列 “visits.patient_name” 不是查询所读取输入中的列（或属于不可见的个人信息列）。',
    ]);
    expect(both({ code: 'derive.forbidden_function', message: 'read_csv() is not an allowed function in a derivation.', details: { function: 'read_csv' } })).toEqual([
      'read_csv() is not allowed in a derivation: it reads only its inputs, with the allowed functions.',
      '加工中不允许使用 read_csv()：加工只能用允许的函数读取其输入。',
    ]);
    expect(both({ code: 'derive.unknown_input', message: '"nowhere" is not an input', details: { name: 'nowhere' } })[1]).toBe('“nowhere” 不是输入之一：请按编辑器旁列出的名称读取输入。');
    // Without the details they carry, the message stays as it is.
    expect(describeDeriveError({ code: 'derive.forbidden_function', message: 'x', details: {} }, t).explanation).toBeNull();
  });

  it('names the inputs whose privacy settings were tightened, and how', () => {
    const text = describeDeriveError(
      {
        code: 'product.policy_changed',
        message: 'stricter',
        details: { inputs: [{ name: 'visits', changes: [{ kind: 'small_cells_fail' }, { kind: 'k_raised', from: 10, to: 12 }, { kind: 'bogus' }] }, { name: 'x', changes: [] }] },
      },
      t,
    );
    expect(text.title).toBe('An agency tightened the privacy settings of an input since this version was checked: run the derivation again.');
    expect(text.facts).toEqual(['input visits: small cells now fail the run, minimum group size raised']);
  });

  it("falls back to the server's words for an unknown code", () => {
    expect(describeDeriveError({ code: 'derive.something_new', message: 'New problem' }, t)).toMatchObject({ title: 'The derivation was refused.', message: 'New problem' });
  });
});

describe('syntax errors near a quoted token', () => {
  it('shows the token once, also from the doubled quotes of older messages', () => {
    const explain = (message: string) => describeDeriveError({ code: 'derive.syntax', message, details: { line: 1, column: 17 } }, t).explanation;
    expect(explain('Syntax error: syntax error at or near "b"')).toBe('The SQL has a syntax error near “b”.');
    expect(explain('Syntax error: syntax error at or near ""b""')).toBe('The SQL has a syntax error near “b”.');
    expect(explain(`Syntax error: syntax error at or near "'b'"`)).toBe("The SQL has a syntax error near “'b'”.");
    expect(explain('Syntax error: unterminated quoted identifier at or near "fare FROM trips')).toBe('A quoted name or string is not closed: add its closing quote.');
    expect(explain('Syntax error: zero-length delimited identifier at or near ""')).toBe(`A quoted name is empty (""): write a name between the double quotes; an empty string is ''.`);
  });

  it('says the same in Chinese', async () => {
    const zh = i18n.cloneInstance({ lng: 'zh-CN' });
    await zh.changeLanguage('zh-CN');
    const explain = (message: string) => describeDeriveError({ code: 'derive.syntax', message }, zh.t.bind(zh)).explanation;
    expect(explain('Syntax error: syntax error at or near ""total""')).toBe('SQL 在“total”附近有语法错误。');
    expect(explain(`Syntax error: unterminated quoted string at or near "'x FROM trips"`)).toBe('引号未闭合：请补上名称或字符串结尾的引号。');
    expect(explain('Syntax error: zero-length delimited identifier at or near ""')).toBe(`双引号中的名称为空（""）：请在双引号中写上名称；空字符串请写作 ''。`);
  });
});

describe('columnOffset', () => {
  it('counts a column in characters, as the API does, into the editor\'s UTF-16 offsets', () => {
    expect(columnOffset('SELECT nope', 8)).toBe(7);
    expect(columnOffset("SELECT '😀', nope", 13)).toBe("SELECT '😀', ".length);
    expect(columnOffset('SELECT', 1)).toBe(0);
    expect(columnOffset('SELECT', 40)).toBe(6);
  });
});

describe('sqlLocation', () => {
  it('reads 1-based line and column, the column defaulting to the first', () => {
    expect(sqlLocation({ line: 3 })).toEqual({ line: 3, column: 1 });
    expect(sqlLocation({ line: 0, column: 2 })).toBeNull();
    expect(sqlLocation('line 3')).toBeNull();
  });
});

describe('describeProductError', () => {
  it("words the product's codes and leaves others to the general wording", () => {
    expect(describeProductError(new ApiError(409, 'product.not_editable', 'x'), t)).toBe('The SQL and inputs can change only while the product is a draft.');
    expect(describeProductError(new ApiError(0, 'network_error', 'offline'), t)).toBe(t('errors.network'));
  });

  it("puts DuckDB's known messages in the reader's language, with its hints", async () => {
    const zh = i18n.cloneInstance({ lng: 'zh-CN' });
    await zh.changeLanguage('zh-CN');
    const explain = (code: string, message: string, details?: unknown) => describeDeriveError({ code, message, details }, zh.t.bind(zh)).explanation;
    expect(explain('derive.syntax', 'Syntax error: syntax error at or near "SELEC"', { line: 1, column: 1 })).toBe('SQL 在“SELEC”附近有语法错误。');
    expect(explain('derive.invalid_query', 'column "a" must appear in the GROUP BY clause or must be part of an aggregate function.\nEither add it to the GROUP BY list, or use "ANY_VALUE(a)" if the exact value of "a" is not important.')).toBe(
      '列“a”须出现在 GROUP BY 中，或放入聚合函数（count、sum 等）。；如任取一值即可，可用 ANY_VALUE(a)',
    );
    expect(explain('derive.runtime', "Could not convert string 'abc' to INT32")).toBe("无法将值 'abc' 转换为 INT32 类型。");
    expect(explain('derive.timeout', 'The derivation took longer than its time limit (10000 ms) and was stopped.')).toBe('运行超过时间上限（10 秒）后被停止。');
    expect(explain('derive.gate_failed', 'Some rows…', { report: { k: 10, reasons: [{ code: 'small_cells' }] } })).toBe(
      '输出中有行描述的人数或记录数少于 10，且某个输入的提供部门要求此时整次运行失败。',
    );
    expect(explain('derive.gate_failed', 'The output contains personal data…', { report: { k: 5, reasons: [{ code: 'personal_column' }] } })).toBe('输出含个人信息，个人信息不得离开平台。');
    // A message of unknown shape is not guessed at: it is shown as it is.
    expect(explain('derive.runtime', 'Something else went wrong')).toBeNull();
  });
});

describe('refused requests, worded for the product workspace', () => {
  const invalid = (details: unknown) => new ApiError(400, 'request.invalid', 'The request is invalid.', details);

  it('puts the SQL being empty or over the limit beside the editor, the limit from the problem', () => {
    expect(describeSqlRequestProblem(invalid([{ field: 'sql', messages: ['sql is empty'], context: { notBlank: true } }]), t)).toBe(
      'The SQL is empty: write one SELECT over the inputs (for example SELECT * FROM an input by its name) to try, save or run it.',
    );
    expect(describeSqlRequestProblem(invalid([{ field: 'sql', messages: ['too long'], context: { maxLength: 100_000 } }]), t)).toBe(
      'The SQL is longer than the limit of 100,000 characters: shorten it.',
    );
    expect(describeSqlRequestProblem(new ApiError(413, 'request.too_large', 'The request body is larger than the limit of 1048576 bytes.', { limitBytes: 1_048_576 }), t)).toBe(
      'The SQL is too large to send: a request may be at most 1 MB, and the SQL at most 100,000 characters.',
    );
    expect(describeSqlRequestProblem(new ApiError(413, 'request.too_large', 'too large'), t)).toBe('The SQL is too large to send: it may have at most 100,000 characters.');
    // Not the SQL's fault: a toast as before.
    expect(describeSqlRequestProblem(invalid([{ field: 'titleEn', messages: ['x'] }]), t)).toBeNull();
    expect(describeSqlRequestProblem(new ApiError(409, 'product.slug_taken', 'taken'), t)).toBeNull();
  });

  it('words the fields of a refused product request instead of "The request is invalid."', () => {
    const error = invalid([
      { field: 'inputs.0.name', messages: ['name "select" is a reserved word'], context: { reservedWord: true } },
      { field: 'inputs.1.weight', messages: ['weight must be at least 1'], context: { min: 1, max: 1_000_000 } },
      { field: 'descriptionEn', messages: ['too long'], context: { maxLength: 8_000 } },
    ]);
    expect(describeFieldIssues(error, t)).toEqual([
      'Input 1: its name is a reserved word of SQL, which the SQL could not read unquoted; choose another name.',
      'Input 2: the weight must be a whole number from 1 to 1,000,000.',
      'Description (English): at most 8,000 characters.',
    ]);
    expect(describeProductError(error, t)).toContain('Input 1: its name is a reserved word of SQL');
    expect(describeProductError(invalid(undefined), t)).toBe('The request is invalid.');
  });

  it('states the limit of any request body that is too large', () => {
    expect(describeProductError(new ApiError(413, 'request.too_large', 'too large', { limitBytes: 1_048_576 }), t)).toBe('The request is larger than the limit of 1 MB.');
    expect(describeProductError(new ApiError(413, 'request.too_large', 'too large'), t)).toBe('The request is larger than the server accepts.');
  });
});
