import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckSession } from './duckdb-session.js';
import { copyParquetToCsv, readParquetRows } from './preview.js';
import { Sandbox } from './test-support/files.js';

let sandbox: Sandbox;
let parquetPath: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  parquetPath = path.join(sandbox.root, 'typed.parquet');
  const session = await DuckSession.open({ threads: 1, memoryLimit: '256MB' });
  try {
    await session.run(`COPY (
      SELECT * FROM (VALUES
        (1, 9007199254740993::BIGINT, 12.50::DECIMAL(10, 2), DATE '2024-02-29', TIMESTAMP '2024-02-29 08:30:00', 0.5::DOUBLE, true, '道路', [1, 2], {'k': '值'}),
        (2, NULL, NULL, NULL, NULL, 'NaN'::DOUBLE, NULL, NULL, NULL, NULL)
      ) t(id, big, amount, day, seen_at, ratio, flag, name, list, struct)
    ) TO '${parquetPath}' (FORMAT parquet)`);
  } finally {
    session.close();
  }
});

afterAll(async () => {
  await sandbox.dispose();
});

describe('readParquetRows', () => {
  it('returns JSON-safe values with the column types', async () => {
    const { columns, rows } = await readParquetRows(parquetPath, { limit: 10 });
    expect(columns.map((column) => column.type)).toEqual([
      'INTEGER', 'BIGINT', 'DECIMAL(10,2)', 'DATE', 'TIMESTAMP', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'INTEGER[]', 'STRUCT(k VARCHAR)',
    ]);
    expect(rows[0]).toEqual({
      id: 1,
      big: '9007199254740993',
      amount: '12.50',
      day: '2024-02-29',
      seen_at: '2024-02-29T08:30:00',
      ratio: 0.5,
      flag: true,
      name: '道路',
      list: '[1,2]',
      struct: '{"k":"值"}',
    });
    expect(rows[1]).toMatchObject({ id: 2, big: null, amount: null, ratio: 'NaN', struct: null });
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('pages with limit and offset', async () => {
    expect((await readParquetRows(parquetPath, { limit: 1, offset: 1 })).rows.map((row) => row.id)).toEqual([2]);
    expect((await readParquetRows(parquetPath, { limit: 0 })).rows).toEqual([]);
  });
});

describe('copyParquetToCsv', () => {
  it('writes UTF-8 CSV with a header row', async () => {
    const csvPath = path.join(sandbox.root, 'download.csv');
    await copyParquetToCsv(parquetPath, csvPath);
    const lines = (await readFile(csvPath, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('id,big,amount,day,seen_at,ratio,flag,name,list,struct');
    expect(lines[1]).toContain(',道路,');
    expect(lines).toHaveLength(3);
  });
});
