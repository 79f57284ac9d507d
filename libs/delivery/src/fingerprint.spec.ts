import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
    expect(fromParquet).toEqual([{ licenseId: licences[1], canariesFound: 2, canaries: 2, namedInMetadata: true, namedIn: 'parquet_metadata' }]);
    const fromCsv = await traceLeak(csv, 'csv', version(), licences);
    expect(fromCsv).toEqual([{ licenseId: licences[2], canariesFound: 2, canaries: 2, namedInMetadata: false, namedIn: null }]);
  });

  it('reports a small product\'s canary as a lead with its odds, not as proof, and names no other licence', async () => {
    // Six car parks: any row drawn from their values arises by chance far more often than one in a thousand.
    const small = path.join(dir, 'small.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('龙岗区', 900.0, 5.0), ('福田区', 420.0, 10.0), ('宝安区', 350.0, 6.0), ('南山区', 260.0, 8.0), ('罗湖区', 180.0, 12.0), ('盐田区', 120.0, 4.0)) t(district, spaces, tariff)) TO '${small}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const smallVersion = {
      source: small,
      schema: [
        { name: 'district', type: 'VARCHAR' },
        { name: 'spaces', type: 'DECIMAL(4,1)' },
        { name: 'tariff', type: 'DECIMAL(3,1)' },
      ],
      versionId: '3f2a4b1c-0000-4000-8000-000000000006',
      key,
    };
    const holders = ['abababab-0000-4000-8000-000000000001', 'cdcdcdcd-0000-4000-8000-000000000002'];
    const copy = path.join(dir, 'small.csv');
    expect(await writeFingerprintedFile({ ...smallVersion, licenseId: holders[0]! }, copy, 'csv', {})).toEqual({ rows: 7, canaries: 1 });
    const [lead, ...rest] = await traceLeak(copy, 'csv', smallVersion, holders);
    expect(rest).toEqual([]);
    expect(lead).toMatchObject({ licenseId: holders[0], canariesFound: 0, namedInMetadata: false, possible: { canaries: 1, chance: expect.any(Number) } });
    // At least the bound (too likely to be proof), and a real probability.
    expect(lead!.possible!.chance).toBeGreaterThanOrEqual(1e-3);
    expect(lead!.possible!.chance).toBeLessThanOrEqual(1);
    // The version's own rows carry no lead at all.
    const plain = path.join(dir, 'small-plain.csv');
    await writeFile(plain, 'district,spaces,tariff\n龙岗区,900.0,5.0\n福田区,420.0,10.0\n');
    expect(await traceLeak(plain, 'csv', smallVersion, holders)).toEqual([]);
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

  describe('a whole-file copy leaked with columns dropped or re-ordered', () => {
    // Columns drawn on their own (hash-based), so that which ones a leak keeps decides how telling it is.
    let wide: string;
    const wideSchema: QueryColumn[] = [
      { name: 'station', type: 'VARCHAR' },
      { name: 'day', type: 'DATE' },
      { name: 'hour', type: 'INTEGER' },
      { name: 'vehicles', type: 'BIGINT' },
      { name: 'speed_kmh', type: 'DOUBLE' },
      { name: 'note', type: 'VARCHAR' },
    ];
    const wideVersion = () => ({ source: wide, schema: wideSchema, versionId: '3f2a4b1c-0000-4000-8000-000000000002', key });
    const licences = ['11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000002', '33333333-0000-4000-8000-000000000003'];
    let parquetCopy: string;
    let csvCopy: string;

    /** A leak made with DuckDB from a copy: `select` over `copy`, written as `format` (no metadata). */
    async function leakOf(name: string, select: string, format: 'parquet' | 'csv'): Promise<string> {
      const out = path.join(dir, name);
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run(`COPY (${select}) TO '${out}' (FORMAT ${format}${format === 'csv' ? ', HEADER true' : ''})`);
      connection.closeSync();
      instance.closeSync();
      return out;
    }

    /** A CSV with some columns deleted by hand (as in a spreadsheet), the rest in the order given. */
    function keepColumns(csv: string, kept: readonly string[]): string {
      const [header, ...lines] = csv.trim().split('\n').map((line) => line.split(','));
      const at = kept.map((name) => header!.indexOf(name));
      expect(at.every((index) => index >= 0)).toBe(true);
      return [kept, ...lines.map((cells) => at.map((index) => cells[index]))].map((cells) => cells.join(',')).join('\n') + '\n';
    }

    beforeAll(async () => {
      wide = path.join(dir, 'wide.parquet');
      // Values from a seeded generator (mulberry32), the same whatever DuckDB's own hash functions do.
      let state = 20_260_101;
      const next = (modulo: number) => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (((t ^ (t >>> 14)) >>> 0) % modulo);
      };
      const lines = Array.from({ length: 20_000 }, () => {
        const note = next(500);
        return [`station ${next(40)}`, next(365), next(24), next(3000), next(9000) / 100, note % 5 === 0 ? '' : `n${note % 100}`].join(',');
      });
      const text = path.join(dir, 'wide.csv');
      await writeFile(text, `${lines.join('\n')}\n`);
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run(
        `COPY (SELECT station, DATE '2025-01-01' + day AS day, hour, vehicles, speed_kmh, note
                FROM read_csv('${text}', header = false, columns = {'station': 'VARCHAR', 'day': 'INTEGER', 'hour': 'INTEGER', 'vehicles': 'BIGINT', 'speed_kmh': 'DOUBLE', 'note': 'VARCHAR'})) TO '${wide}' (FORMAT parquet)`,
      );
      connection.closeSync();
      instance.closeSync();
      parquetCopy = path.join(dir, 'wide-1.parquet');
      csvCopy = path.join(dir, 'wide-2.csv');
      expect(await writeFingerprintedFile({ ...wideVersion(), licenseId: licences[0]! }, parquetCopy, 'parquet', { civic_licence: licences[0]! })).toEqual({ rows: 20_002, canaries: 2 });
      await writeFingerprintedFile({ ...wideVersion(), licenseId: licences[1]! }, csvCopy, 'csv', {});
    });

    it('draws canaries as the copies already delivered were drawn (stored copies stay traceable)', async () => {
      // Copies are made once and kept (deliveries/<licence>/<version>.<format>): the draws must not change under them.
      const copy = path.join(dir, 'wide-pinned.csv');
      await writeFingerprintedFile({ ...wideVersion(), key: Buffer.alloc(32, 1), licenseId: licences[0]! }, copy, 'csv', {});
      const lines = (await readFile(copy, 'utf8')).trim().split('\n');
      expect([lines.length, lines[6559], lines[13010]]).toEqual([20_003, 'station 3,2025-01-15,12,2665,6.25,n44', 'station 13,2025-03-09,5,230,61.2,n31']);
    });

    it('names the licence when one column was dropped', async () => {
      const leak = await leakOf('wide-drop-one.parquet', `SELECT station, day, hour, vehicles, note FROM read_parquet('${parquetCopy}')`, 'parquet');
      expect(await traceLeak(leak, 'parquet', wideVersion(), licences)).toEqual([{ licenseId: licences[0], canariesFound: 2, canaries: 2, namedInMetadata: false, namedIn: null }]);
    });

    it('names the licence when half the columns were deleted from its CSV by hand, the rest re-ordered', async () => {
      const leak = path.join(dir, 'wide-half.csv');
      await writeFile(leak, keepColumns(await readFile(csvCopy, 'utf8'), ['speed_kmh', 'station', 'vehicles']));
      expect(await traceLeak(leak, 'csv', wideVersion(), licences)).toEqual([{ licenseId: licences[1], canariesFound: 2, canaries: 2, namedInMetadata: false, namedIn: null }]);
    });

    it('names the licence in a copy re-saved as CSV with its columns re-ordered, some dropped and its rows sorted', async () => {
      const reordered = await leakOf('wide-reordered.csv', `SELECT note, speed_kmh, vehicles, hour, day, station FROM read_parquet('${parquetCopy}') ORDER BY vehicles, station`, 'csv');
      expect(await traceLeak(reordered, 'csv', wideVersion(), licences)).toEqual([{ licenseId: licences[0], canariesFound: 2, canaries: 2, namedInMetadata: false, namedIn: null }]);
      const fewer = await leakOf('wide-fewer.csv', `SELECT day, speed_kmh, station FROM read_parquet('${parquetCopy}') ORDER BY day DESC`, 'csv');
      const evidence = await traceLeak(fewer, 'csv', wideVersion(), licences);
      expect(evidence.map((item) => item.licenseId)).toEqual([licences[0]]);
      expect(evidence[0]!.canariesFound).toBeGreaterThanOrEqual(1);
    });

    it('names nobody from columns too few or too common to tell, nor a licence whose copy did not leak', async () => {
      // Every (station, hour) pair is a row of the version: the canaries' values there are too.
      const common = await leakOf('wide-common.csv', `SELECT station, hour FROM read_parquet('${parquetCopy}')`, 'csv');
      expect(await traceLeak(common, 'csv', wideVersion(), licences)).toEqual([]);
      const single = await leakOf('wide-single.csv', `SELECT vehicles FROM read_parquet('${parquetCopy}')`, 'csv');
      expect(await traceLeak(single, 'csv', wideVersion(), licences)).toEqual([]);
      // The first licence's copy with a column dropped, traced among fifty other licences: none of them is named.
      const others = Array.from({ length: 50 }, (_, index) => `44444444-0000-4000-8000-${String(index).padStart(12, '0')}`);
      const leak = await leakOf('wide-other.parquet', `SELECT hour, station, vehicles, day FROM read_parquet('${parquetCopy}')`, 'parquet');
      expect(await traceLeak(leak, 'parquet', wideVersion(), [...others, licences[1]!])).toEqual([]);
      expect((await traceLeak(leak, 'parquet', wideVersion(), [...others, licences[0]!])).map((item) => [item.licenseId, item.canariesFound])).toEqual([[licences[0], 2]]);
    });
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
        expect([name, evidence]).toEqual([name, [{ licenseId: holders[0], canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: name === 'json', namedIn: name === 'json' ? 'page_license_id' : null }]]);
      }
      const csvLeak = path.join(dir, 'leak-page.csv');
      await writeFile(csvLeak, csv.bytes);
      expect(await traceLeak(csvLeak, 'csv', version(), holders)).toEqual([{ licenseId: holders[0], canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: false, namedIn: null }]);
    });

    it('trace a JSON page leaked with a field dropped and the others re-ordered', async () => {
      const first = query('limit=20');
      const mine = await fingerprintedPage(reader, source, schema, first, input(holders[0]!));
      // `month` dropped (the others still tell the canary from the version's rows), fields in another order.
      const rows = asObjects(mine.columns, mine.rows).map((row) => ({ avg_cost: row.avg_cost, visits: row.visits, district: row.district }));
      for (const [name, text] of Object.entries({ array: JSON.stringify(rows), ndjson: rows.map((row) => `${JSON.stringify(row)}\n`).join('') })) {
        const file = path.join(dir, `leak-dropped-${name}.json`);
        await writeFile(file, text);
        expect([name, await traceLeak(file, 'json', version(), holders)]).toEqual([name, [{ licenseId: holders[0], canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: false, namedIn: null }]]);
      }
      // With only `district` left, the canary is a row of the version like any other: no one is named.
      const narrow = path.join(dir, 'leak-narrow.json');
      await writeFile(narrow, JSON.stringify(rows.map((row) => ({ district: row.district }))));
      expect(await traceLeak(narrow, 'json', version(), holders)).toEqual([]);
    });
  });

  it('counts one canary per 10,000 rows, between one and five', () => {
    expect([1, 9_999, 10_001, 1_000_000].map(canaryCount)).toEqual([1, 1, 2, 5]);
  });
});
