import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import {
  canaryColumns,
  columnFamily,
  cursorAfter,
  decodeCursor,
  encodeCursor,
  nextCursor,
  parseRowQueryBody,
  parseRowQueryParams,
  queryShape,
  ROW_QUERY_LIMITS,
  rowQuerySql,
  type QueryColumn,
  type RowQuery,
} from './row-query.js';

const columns: QueryColumn[] = [
  { name: 'district', type: 'VARCHAR' },
  { name: 'visits', type: 'BIGINT' },
  { name: 'avg_cost', type: 'DECIMAL(12,2)' },
  { name: 'share', type: 'DOUBLE' },
  { name: 'day', type: 'DATE' },
  { name: 'open', type: 'BOOLEAN' },
  { name: '区 "名"', type: 'VARCHAR' },
  { name: 'tags', type: 'VARCHAR[]' },
];

const params = (text: string) => new URLSearchParams(text).entries();

function problemsOf(run: () => unknown): Array<{ field: string; code: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('delivery.invalid_query');
    return ((error as DomainError).details as { problems: Array<{ field: string; code: string; message: string }> }).problems;
  }
  throw new Error('expected a refusal');
}

describe('row queries from URL parameters', () => {
  it('reads select, filters in every form, order, limit and format', () => {
    const query = parseRowQueryParams(
      params('select=district,visits&district=in.(徐汇,"黄浦,老城",静安)&visits=gte.10&day=between.(2026-01-01,2026-03-31)&open=eq.true&share=is.null&order=visits.desc,district&limit=50&format=csv'),
      columns,
    );
    expect(query).toEqual({
      columns: ['district', 'visits'],
      filters: [
        { column: 'district', op: 'in', values: ['徐汇', '黄浦,老城', '静安'] },
        { column: 'visits', op: 'gte', values: ['10'] },
        { column: 'day', op: 'between', values: ['2026-01-01', '2026-03-31'] },
        { column: 'open', op: 'eq', values: ['true'] },
        { column: 'share', op: 'is_null', values: [] },
      ],
      order: [
        { column: 'visits', direction: 'desc' },
        { column: 'district', direction: 'asc' },
      ],
      limit: 50,
      format: 'csv',
      offset: 0,
      versionId: null,
    });
  });

  it('defaults to every column, 100 rows, JSON', () => {
    const query = parseRowQueryParams(params(''), columns);
    expect(query.columns).toEqual(columns.map((column) => column.name));
    expect(query.limit).toBe(ROW_QUERY_LIMITS.defaultLimit);
    expect(query.format).toBe('json');
  });

  it('refuses unknown columns, operators, bad values, huge limits and unknown formats, naming each', () => {
    const problems = problemsOf(() =>
      parseRowQueryParams(params('select=district,password&nope=eq.1&visits=like.1&avg_cost=eq.12.345.6&day=gt.2026-13-45&open=lt.true&limit=1000000&format=xlsx'), columns),
    );
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['select', 'unknown_column'],
      ['nope', 'unknown_column'],
      ['visits', 'unknown_operator'],
      ['avg_cost', 'invalid_value'],
      ['day', 'invalid_value'],
      ['open', 'not_supported'],
      ['limit', 'out_of_range'],
      ['format', 'invalid_format'],
    ]);
  });

  it('says "at most" for any whole number above the cap, and what is accepted for anything else', () => {
    for (const limit of ['10001', '1000000000', '99999999999999999999', '9'.repeat(400), '000020000']) {
      expect(problemsOf(() => parseRowQueryParams(params(`limit=${limit}`), columns))).toEqual([expect.objectContaining({ field: 'limit', code: 'out_of_range', message: expect.stringContaining('At most 10000 rows per page') })]);
    }
    expect(problemsOf(() => parseRowQueryBody({ limit: 1e9 }, columns))[0]).toMatchObject({ field: 'limit', code: 'out_of_range' });
    for (const limit of ['1e5', '0', '-3', '1.5', 'ten', '0x10']) {
      expect(problemsOf(() => parseRowQueryParams(params(`limit=${encodeURIComponent(limit)}`), columns))).toEqual([expect.objectContaining({ field: 'limit', code: 'invalid_value', message: expect.stringContaining('whole number of rows from 1 to 10000') })]);
    }
    expect(problemsOf(() => parseRowQueryBody({ limit: 2.5 }, columns))[0]).toMatchObject({ field: 'limit', code: 'invalid_value' });
    expect(parseRowQueryParams(params('limit=10000'), columns).limit).toBe(10_000);
    expect(parseRowQueryParams(params('limit=0001'), columns).limit).toBe(1);
  });

  it('names operators as the URL spells them, and takes the body spellings of the null tests there too', () => {
    const [unknown] = problemsOf(() => parseRowQueryParams(params('visits=like.1'), columns));
    expect(unknown!.message).toContain('is.null, not.null');
    expect(unknown!.message).not.toContain('is_null');
    const [bare] = problemsOf(() => parseRowQueryParams(params('visits=7'), columns));
    expect(bare).toMatchObject({ field: 'visits', code: 'unknown_operator' });
    expect(bare!.message).toContain('visits=is.null');
    for (const [written, op] of [
      ['is.null', 'is_null'],
      ['is_null', 'is_null'],
      ['not.null', 'not_null'],
      ['not_null', 'not_null'],
    ] as const) {
      expect(parseRowQueryParams(params(`district=${written}`), columns).filters).toEqual([{ column: 'district', op, values: [] }]);
    }
  });

  it('treats SQL metacharacters in values as values: a text filter keeps them, a number filter refuses them', () => {
    const query = parseRowQueryParams(params(`district=eq.${encodeURIComponent("x'; DROP TABLE t; --")}`), columns);
    expect(query.filters[0]!.values).toEqual(["x'; DROP TABLE t; --"]);
    expect(problemsOf(() => parseRowQueryParams(params('visits=eq.1 OR 1=1'), columns))[0]).toMatchObject({ field: 'visits', code: 'invalid_value' });
  });

  it('says a wrong order direction is one, and writes its articles right', () => {
    expect(problemsOf(() => parseRowQueryParams(params('order=district.up'), columns))[0]).toMatchObject({ field: 'order', code: 'invalid_value', message: 'Order district by asc or desc, not "up"' });
    expect(problemsOf(() => parseRowQueryParams(params('visits=eq.abc'), columns))[0]).toEqual({
      field: 'visits',
      code: 'invalid_value',
      message: 'visits (BIGINT) takes a whole number: "abc" is not',
      column: 'visits',
      type: 'BIGINT',
      expected: 'integer',
      value: 'abc',
    });
  });

  it('says pages go by cursor when offset or page is asked for, unless the data has such a column', () => {
    for (const word of ['offset', 'page', 'skip']) {
      expect(problemsOf(() => parseRowQueryParams(params(`${word}=10`), columns))[0]).toMatchObject({ field: word, code: 'not_supported', message: expect.stringContaining('cursor=') });
    }
    const paged = parseRowQueryParams(params('page=eq.3'), [...columns, { name: 'page', type: 'INTEGER' }]);
    expect(paged.filters[0]).toMatchObject({ column: 'page', op: 'eq', values: ['3'] });
  });

  it('refuses a float too large for a DOUBLE rather than read it as infinity', () => {
    expect(problemsOf(() => parseRowQueryParams(params('rate=gt.1e999'), [...columns, { name: 'rate', type: 'DOUBLE' }]))[0]).toMatchObject({ field: 'rate', code: 'invalid_value' });
    expect(parseRowQueryParams(params('rate=gt.1e300'), [...columns, { name: 'rate', type: 'DOUBLE' }]).filters[0]!.values).toEqual(['1e300']);
  });

  it('refuses a number outside its column type, so the engine never fails a cast', () => {
    const big = '9'.repeat(23);
    for (const query of [`visits=eq.${big}`, `visits=gt.-${big}`, `visits=in.(1,${big})`, 'visits=eq.9223372036854775808']) {
      expect(problemsOf(() => parseRowQueryParams(params(query), columns))[0]).toMatchObject({ field: 'visits', code: 'invalid_value', message: expect.stringContaining('out of range for visits (BIGINT)') });
    }
    expect(parseRowQueryParams(params('visits=eq.9223372036854775807'), columns).filters[0]!.values).toEqual(['9223372036854775807']);
    expect(parseRowQueryParams(params('visits=eq.-9223372036854775808'), columns).filters[0]!.values).toEqual(['-9223372036854775808']);
    const small = [...columns, { name: 'hour', type: 'TINYINT' }, { name: 'count', type: 'UINTEGER' }];
    expect(problemsOf(() => parseRowQueryParams(params('hour=eq.128'), small))[0]).toMatchObject({ field: 'hour', code: 'invalid_value' });
    expect(parseRowQueryParams(params('hour=eq.-128'), small).filters[0]!.values).toEqual(['-128']);
    expect(problemsOf(() => parseRowQueryParams(params('count=eq.-1'), small))[0]).toMatchObject({ field: 'count', code: 'invalid_value' });
    // DECIMAL(12,2) holds ten whole digits.
    expect(parseRowQueryParams(params('avg_cost=lt.9999999999.99'), columns).filters[0]!.values).toEqual(['9999999999.99']);
    expect(problemsOf(() => parseRowQueryParams(params('avg_cost=lt.10000000000'), columns))[0]).toMatchObject({ field: 'avg_cost', code: 'invalid_value' });
    expect(problemsOf(() => parseRowQueryBody({ filters: [{ column: 'avg_cost', op: 'lt', value: 1e21 }] }, columns))[0]).toMatchObject({ code: 'invalid_value' });
    // A text that is no number at all keeps its own words, and names what the column takes.
    expect(problemsOf(() => parseRowQueryBody({ filters: [{ column: 'avg_cost', op: 'gt', value: 'cheap' }] }, columns))[0]).toMatchObject({
      message: 'avg_cost (DECIMAL(12,2)) takes a decimal number: "cheap" is not',
      column: 'avg_cost',
      expected: 'decimal',
      value: 'cheap',
    });
  });

  it('keeps too many filters and in-lists out', () => {
    const many = Array.from({ length: ROW_QUERY_LIMITS.maxFilters + 1 }, () => 'visits=gt.1').join('&');
    expect(problemsOf(() => parseRowQueryParams(params(many), columns))[0]!.code).toBe('too_many');
    const list = `(${Array.from({ length: ROW_QUERY_LIMITS.maxInValues + 1 }, (_, index) => index).join(',')})`;
    expect(problemsOf(() => parseRowQueryParams(params(`visits=in.${list}`), columns))[0]!.code).toBe('too_many');
  });
});

describe('row queries from a JSON body', () => {
  it('reads the same query as the URL form', () => {
    const fromBody = parseRowQueryBody(
      { select: ['district'], filters: [{ column: 'visits', op: 'between', values: [1, 9] }, { column: 'district', op: 'contains', value: '汇' }], order: [{ column: 'visits', direction: 'desc' }], limit: 10 },
      columns,
    );
    const fromUrl = parseRowQueryParams(params('select=district&visits=between.(1,9)&district=contains.汇&order=visits.desc&limit=10'), columns);
    expect(fromBody).toEqual(fromUrl);
  });

  it('refuses malformed shapes with a field path', () => {
    const problems = problemsOf(() => parseRowQueryBody({ filters: [{ column: 'visits' }, { column: 'visits', op: 'in', values: 'x' }], order: [{ column: 'nope' }], limit: -1 }, columns));
    expect(problems.map((problem) => problem.field)).toEqual(['filters[0]', 'filters[1]', 'order[0]', 'limit']);
  });

  it('refuses unsafe integers and non-finite numbers', () => {
    expect(problemsOf(() => parseRowQueryBody({ filters: [{ column: 'visits', op: 'eq', value: 2 ** 60 }] }, columns))[0]!.code).toBe('invalid_value');
    expect(problemsOf(() => parseRowQueryBody({ filters: [{ column: 'share', op: 'eq', value: Number.NaN }] }, columns))[0]!.code).toBe('invalid_value');
  });
});

describe('cursors', () => {
  it('continue only the query that made them, on the version they pinned', () => {
    const first = parseRowQueryParams(params('visits=gt.1&limit=2'), columns);
    const cursor = nextCursor(first, '0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b', 2)!;
    const second = parseRowQueryParams(params(`visits=gt.1&limit=2&cursor=${cursor}`), columns);
    expect(second.offset).toBe(2);
    expect(second.versionId).toBe('0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b');
    expect(problemsOf(() => parseRowQueryParams(params(`visits=gt.2&limit=2&cursor=${cursor}`), columns))[0]!.code).toBe('invalid_cursor');
    expect(problemsOf(() => parseRowQueryParams(params('cursor=not-a-cursor'), columns))[0]!.code).toBe('invalid_cursor');
  });

  it('end when a page comes back short', () => {
    const query = parseRowQueryParams(params('limit=5'), columns);
    expect(nextCursor(query, '0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b', 4)).toBeNull();
  });

  it('decode what they encode and nothing else', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat({ max: 1e12 }), fc.stringMatching(/^[0-9a-f]{16}$/), (versionId, offset, shape) => {
        expect(decodeCursor(encodeCursor({ versionId, offset, shape }))).toEqual({ versionId, offset, shape });
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (junk) => expect(decodeCursor(Buffer.from(junk).toString('base64url'))).toBeNull()));
  });

  it('bind the shape, not the position', () => {
    const query = parseRowQueryParams(params('visits=gt.1'), columns);
    expect(queryShape({ ...query })).toBe(queryShape({ ...query, offset: 500 } as RowQuery));
    expect(queryShape(query)).not.toBe(queryShape({ ...query, limit: 7 }));
  });
});

describe('page canaries', () => {
  it('draw the columns a query neither filters nor orders by, on pages of two rows or more', () => {
    const plain = parseRowQueryParams(params('limit=10'), columns);
    expect(canaryColumns(plain)).toEqual(plain.columns);
    expect(canaryColumns({ ...plain, limit: 1 })).toEqual([]);
    const partly = parseRowQueryParams(params('select=district,visits,day&district=eq.x&order=day.desc&limit=5'), columns);
    expect(canaryColumns(partly)).toEqual(['visits']);
    // Nothing left to draw: no canary.
    expect(canaryColumns(parseRowQueryParams(params('select=district,visits&district=eq.x&order=visits'), columns))).toEqual([]);
  });

  it('move the cursor on by the rows of the version a page holds', () => {
    const query = parseRowQueryParams(params('limit=5'), columns);
    const cursor = cursorAfter(query, '0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b', 4, true)!;
    expect(decodeCursor(cursor)).toEqual({ versionId: '0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b', offset: 4, shape: queryShape(query) });
    expect(cursorAfter(query, '0f4c2b8e-8f1e-4c55-9a2e-3c1d2e4f5a6b', 4, false)).toBeNull();
  });
});

describe('rowQuerySql', () => {
  it('can name each row’s number in the file', () => {
    const query = parseRowQueryParams(params('select=visits&limit=2'), columns);
    expect(rowQuerySql(query, columns, 'rows', { rowNumber: 'n' }).sql).toBe('SELECT "visits", file_row_number AS "n" FROM rows LIMIT CAST($1 AS BIGINT) OFFSET CAST($2 AS BIGINT)');
  });

  it('quotes identifiers from the schema and binds every value as a typed parameter', () => {
    const query = parseRowQueryParams(params(`select=${encodeURIComponent('区 "名"')},visits&visits=in.(1,2)&avg_cost=lt.9.5&district=contains.${encodeURIComponent("a'b")}&order=visits.desc&limit=3`), columns);
    const { sql, params: values } = rowQuerySql({ ...query, offset: 6 }, columns, 'rows');
    expect(sql).toBe(
      'SELECT "区 ""名""", "visits" FROM rows WHERE "visits" IN (CAST($1 AS BIGINT), CAST($2 AS BIGINT)) AND "avg_cost" < CAST($3 AS DECIMAL(12,2)) AND strpos(lower("district"), lower(CAST($4 AS VARCHAR))) > 0 ORDER BY "visits" DESC NULLS LAST, file_row_number LIMIT CAST($5 AS BIGINT) OFFSET CAST($6 AS BIGINT)',
    );
    expect(values).toEqual(['1', '2', '9.5', "a'b", '3', '6']);
  });

  it('never puts a caller value into the SQL text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), (value) => {
        const query = parseRowQueryBody({ filters: [{ column: 'district', op: 'eq', value }, { column: 'district', op: 'contains', value }] }, columns);
        const { sql, params: values } = rowQuerySql(query, columns, 'rows');
        expect(sql).toBe('SELECT "district", "visits", "avg_cost", "share", "day", "open", "区 ""名""", "tags" FROM rows WHERE "district" = CAST($1 AS VARCHAR) AND strpos(lower("district"), lower(CAST($2 AS VARCHAR))) > 0 LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)');
        expect(values.slice(0, 2)).toEqual([value, value]);
      }),
    );
  });

  it('classifies DuckDB types into families', () => {
    expect(['BIGINT', 'DECIMAL(18,3)', 'DOUBLE', 'VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'STRUCT(a INTEGER)'].map(columnFamily)).toEqual([
      'integer',
      'decimal',
      'float',
      'text',
      'boolean',
      'date',
      'timestamp',
      'other',
    ]);
  });
});
