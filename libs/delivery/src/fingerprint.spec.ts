import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { cursorAfter, parseRowQueryParams, type QueryColumn, type RowQuery } from '@civic/domain';
import { canaryCount, fingerprintedPage, leakFormatOf, pageFileCanary, traceLeak, writeFingerprintedFile, type PageCanaryInput } from './fingerprint.js';
import { RowReader, type JsonValue } from './row-reader.js';

describe('licensee fingerprints', () => {
  let dir: string;
  let source: string;
  const key = randomBytes(32);
  const schema: QueryColumn[] = [
    { name: 'district', type: 'VARCHAR' },
    { name: 'month', type: 'DATE' },
    { name: 'visits', type: 'BIGINT' },
    { name: 'avg_cost', type: 'DECIMAL(10,2)' },
  ];
  const version = () => ({ source, schema, versionId: '3f2a4b1c-0000-4000-8000-000000000001', key });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'civic-fingerprint-'));
    source = path.join(dir, 'v1.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT 'district ' || (i % 10) AS district, DATE '2026-01-01' + INTERVAL (i % 12) MONTH AS month, (i * 7) % 1000 AS visits, ((i * 13) % 500 / 4)::DECIMAL(10,2) AS avg_cost FROM range(0, 12000) t(i)) TO '${source}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives each licence its own canaries and names the licence that leaked a Parquet or CSV copy', async () => {
    const licences = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];
    const parquet = path.join(dir, 'b.parquet');
    const csv = path.join(dir, 'c.csv');
    const written = await writeFingerprintedFile({ ...version(), licenseId: licences[1]! }, parquet, 'parquet', { civic_licence: licences[1]! });
    expect(written).toEqual({ rows: 12_000 + canaryCount(12_000), canaries: 2 });
    await writeFingerprintedFile({ ...version(), licenseId: licences[2]! }, csv, 'csv', {});

    const fromParquet = await traceLeak(parquet, 'parquet', version(), licences);
    expect(fromParquet).toEqual([{ licenseId: licences[1], canariesFound: 2, canaries: 2, namedInMetadata: true }]);
    const fromCsv = await traceLeak(csv, 'csv', version(), licences);
    expect(fromCsv).toEqual([{ licenseId: licences[2], canariesFound: 2, canaries: 2, namedInMetadata: false }]);
  });

  it('finds the licence in a leak that was filtered, re-ordered and stripped of its metadata', async () => {
    const licence = 'dddddddd-0000-4000-8000-000000000004';
    const parquet = path.join(dir, 'd.parquet');
    await writeFingerprintedFile({ ...version(), licenseId: licence }, parquet, 'parquet', { civic_licence: licence });
    const stripped = path.join(dir, 'd-stripped.csv');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_parquet('${parquet}') ORDER BY visits DESC, district) TO '${stripped}' (FORMAT csv, HEADER true)`);
    connection.closeSync();
    instance.closeSync();
    const evidence = await traceLeak(stripped, 'csv', version(), ['eeeeeeee-0000-4000-8000-000000000005', licence]);
    expect(evidence.map((item) => [item.licenseId, item.canariesFound])).toEqual([[licence, 2]]);
  });

  describe('pages of the data API', () => {
    let reader: RowReader;
    const holders = ['aaaaaaaa-0000-4000-8000-00000000000a', 'bbbbbbbb-0000-4000-8000-00000000000b'];
    const input = (holder: string): PageCanaryInput => ({ key, holder, versionId: version().versionId, versionRows: 12_000 });
    const query = (text: string) => parseRowQueryParams(new URLSearchParams(text).entries(), schema);
    const asObjects = (columns: QueryColumn[], rows: JsonValue[][]) => rows.map((row) => Object.fromEntries(columns.map((column, index) => [column.name, row[index]])));

    beforeAll(async () => {
      reader = await RowReader.open({ allowedDirectories: [dir], scratchDirectory: dir, connections: 2 });
    });
    afterAll(() => reader.close());

    it('give every page one canary of its holder, which meets the filters and keeps the order, while the cursor walks the version once', async () => {
      const real: string[] = [];
      let page: RowQuery = query('district=eq.district 3&order=visits.desc&limit=50');
      for (;;) {
        const answer = await fingerprintedPage(reader, source, schema, page, input(holders[0]!));
        expect(answer.rows.length).toBeLessThanOrEqual(50);
        if (answer.rows.length === 0) break;
        expect(answer.canaryAt).not.toBeNull();
        expect(answer.rows.every((row) => row[0] === 'district 3')).toBe(true);
        const visits = answer.rows.map((row) => row[2] as number);
        expect(visits).toEqual([...visits].sort((a, b) => b - a));
        real.push(...answer.rows.filter((_, index) => index !== answer.canaryAt).map((row) => JSON.stringify(row)));
        const cursor = cursorAfter(page, version().versionId, answer.read, answer.more);
        if (!cursor) break;
        page = query(`district=eq.district 3&order=visits.desc&limit=50&cursor=${cursor}`);
      }
      const truth = await reader.page(source, query('district=eq.district 3&order=visits.desc&limit=10000'), schema);
      expect(real.sort()).toEqual(truth.rows.map((row) => JSON.stringify(row)).sort());
    });

    it('differ by holder only in the canary, the same in every format, and trace a leaked page back to its holder', async () => {
      const first = query('limit=20');
      const mine = await fingerprintedPage(reader, source, schema, first, input(holders[0]!));
      const theirs = await fingerprintedPage(reader, source, schema, first, input(holders[1]!));
      expect(mine.rows).toHaveLength(20);
      expect(mine.rows.filter((_, index) => index !== mine.canaryAt)).toEqual(theirs.rows.filter((_, index) => index !== theirs.canaryAt));
      expect(mine.rows[mine.canaryAt!]).not.toEqual(theirs.rows[theirs.canaryAt!]);
      expect(await fingerprintedPage(reader, source, schema, first, input(holders[0]!))).toEqual(mine);
      // A projection with nothing to mark (every draw is a row of the version): the page keeps all its rows.
      const districts = await fingerprintedPage(reader, source, schema, query('select=district&limit=20'), input(holders[0]!));
      expect([districts.rows.length, districts.read, districts.canaryAt]).toEqual([20, 20, null]);

      // The CSV page holds the same rows, the canary in the same place.
      const csv = await reader.pageFile(source, first, schema, 'csv', {}, pageFileCanary(input(holders[0]!), first));
      expect([csv.rows, csv.read, csv.more]).toEqual([20, 19, true]);
      const csvLines = csv.bytes.toString('utf8').trim().split('\n');
      expect(csvLines[mine.canaryAt! + 1]).toBe(`${mine.rows[mine.canaryAt!]![0]},${String(mine.rows[mine.canaryAt!]![1]).replace('T', ' ')},${mine.rows[mine.canaryAt!]![2]},${mine.rows[mine.canaryAt!]![3]}`);

      const objects = asObjects(mine.columns, mine.rows);
      const leaks = {
        json: JSON.stringify({ licenseId: holders[0], columns: mine.columns, rows: objects, nextCursor: null }),
        ndjson: objects.map((row) => `${JSON.stringify(row)}\n`).join(''),
        array: JSON.stringify(objects),
      };
      for (const [name, text] of Object.entries(leaks)) {
        const file = path.join(dir, `leak-${name}.json`);
        await writeFile(file, text);
        expect(leakFormatOf(Buffer.from(text.slice(0, 64)))).toBe('json');
        const evidence = await traceLeak(file, 'json', version(), holders);
        expect([name, evidence]).toEqual([name, [{ licenseId: holders[0], canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: name === 'json' }]]);
      }
      const csvLeak = path.join(dir, 'leak-page.csv');
      await writeFile(csvLeak, csv.bytes);
      expect(await traceLeak(csvLeak, 'csv', version(), holders)).toEqual([{ licenseId: holders[0], canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: false }]);
    });
  });

  it('counts one canary per 10,000 rows, between one and five', () => {
    expect([1, 9_999, 10_001, 1_000_000].map(canaryCount)).toEqual([1, 1, 2, 5]);
  });
});
