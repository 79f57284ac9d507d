import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseRowQueryBody, parseRowQueryParams, type QueryColumn } from '@civic/domain';
import { RowReader, RowReaderError } from './row-reader.js';

describe('RowReader', () => {
  let dir: string;
  let outside: string;
  let file: string;
  let reader: RowReader;
  const schema: QueryColumn[] = [
    { name: 'district', type: 'VARCHAR' },
    { name: 'visits', type: 'BIGINT' },
    { name: 'cost', type: 'DECIMAL(12,2)' },
    { name: 'day', type: 'DATE' },
  ];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'civic-rows-'));
    outside = await mkdtemp(path.join(tmpdir(), 'civic-outside-'));
    file = path.join(dir, 'v1.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT CASE i % 3 WHEN 0 THEN '徐汇' WHEN 1 THEN '黄浦' ELSE 'O''Brien' END AS district, i::BIGINT AS visits, (i * 1.25)::DECIMAL(12,2) AS cost, DATE '2026-01-01' + (i % 30)::INTEGER AS day FROM range(1, 1001) t(i)) TO '${file}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT 1 AS secret) TO '${path.join(outside, 'secret.parquet')}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    reader = await RowReader.open({ allowedDirectories: [dir], scratchDirectory: dir, connections: 2, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    reader?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('filters, orders and pages with JSON-safe values', async () => {
    const query = parseRowQueryParams(new URLSearchParams('district=eq.黄浦&visits=lt.20&order=visits.desc&limit=3').entries(), schema);
    const page = await reader.page(file, query, schema);
    expect(page.columns.map((column) => column.name)).toEqual(['district', 'visits', 'cost', 'day']);
    expect(page.rows).toEqual([
      ['黄浦', 19, '23.75', '2026-01-20'],
      ['黄浦', 16, '20.00', '2026-01-17'],
      ['黄浦', 13, '16.25', '2026-01-14'],
    ]);
    const next = await reader.page(file, { ...query, offset: 3 }, schema);
    expect(next.rows.map((row) => row[1])).toEqual([10, 7, 4]);
  });

  it('keeps the file order without an order, and treats quotes in values as data', async () => {
    const query = parseRowQueryBody({ select: ['visits'], filters: [{ column: 'district', op: 'eq', value: "O'Brien" }], limit: 4 }, schema);
    expect((await reader.page(file, query, schema)).rows).toEqual([[2], [5], [8], [11]]);
    const injection = parseRowQueryBody({ filters: [{ column: 'district', op: 'eq', value: "x' OR '1'='1" }] }, schema);
    expect((await reader.page(file, injection, schema)).rows).toEqual([]);
  });

  it('writes a page as CSV or Parquet with metadata', async () => {
    const query = parseRowQueryParams(new URLSearchParams('select=district,visits&limit=2').entries(), schema);
    const csv = await reader.pageFile(file, query, schema, 'csv');
    expect(csv.rows).toBe(2);
    expect(csv.bytes.toString('utf8')).toBe('district,visits\n黄浦,1\nO\'Brien,2\n');
    const parquet = await reader.pageFile(file, query, schema, 'parquet', { civic_licence: 'abc' });
    expect(parquet.bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(parquet.rows).toBe(2);
  });

  it('answers the same query on the same file from its cache', async () => {
    const query = parseRowQueryParams(new URLSearchParams('visits=gt.990&order=visits').entries(), schema);
    const first = await reader.page(file, query, schema);
    expect(await reader.page(file, query, schema)).toBe(first);
    expect(await reader.page(file, { ...query, offset: 1 }, schema)).not.toBe(first);
    expect(first.rows.map((row) => row[1])).toEqual([991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
  });

  it('cannot read outside its directories', async () => {
    await expect(reader.page(path.join(outside, 'secret.parquet'), parseRowQueryParams(new URLSearchParams('').entries(), schema), schema)).rejects.toBeInstanceOf(RowReaderError);
  });
});
