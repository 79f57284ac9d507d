import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { ingestFile } from './ingest.js';
import { IngestError, type IngestErrorCode } from './errors.js';
import { readParquetRows } from './preview.js';
import { encodeGb18030, Sandbox, SURVEY_CSV } from './test-support/files.js';
import type { IngestOptions, IngestStage } from './types.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  await sandbox.dispose();
});

const SURVEY_NAMES = ['年份', '城市建设中渠道建设占比(%)', '渠道综合应用率(%)', '渠道建设形式创新率(%)', '城市整体建设优化率(%)'];

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Runs an ingest that must fail; checks the code and that nothing is left behind. */
async function expectFailure(options: IngestOptions, code: IngestErrorCode): Promise<IngestError> {
  const error = await ingestFile(options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe(code);
  expect(existsSync(options.outputPath)).toBe(false);
  expect(await sandbox.leftovers()).toEqual([]);
  return error as IngestError;
}

describe('CSV encodings', () => {
  it('ingests the UTF-8 survey table with exact Chinese headers and a correct profile', async () => {
    const options = await sandbox.upload('survey.csv', SURVEY_CSV);
    const result = await ingestFile(options);

    expect(result).toMatchObject({ format: 'csv', encoding: 'utf-8', rowCount: 5, bytes: Buffer.byteLength(SURVEY_CSV), sha256: sha256(SURVEY_CSV) });
    expect(result.schema).toEqual(SURVEY_NAMES.map((name) => ({ name, type: 'BIGINT' })));
    expect(result.parquetPath).toBe(options.outputPath);
    expect(result.parquetBytes).toBeGreaterThan(0);
    expect(await sandbox.leftovers()).toEqual([]);

    const year = result.profile[0];
    expect(year).toEqual({
      name: '年份',
      type: 'BIGINT',
      nullShare: 0,
      approxDistinct: 5,
      min: '2011',
      max: '2015',
      topValues: ['2011', '2012', '2013', '2014', '2015'].map((value) => ({ value, count: 1 })),
    });
    const innovation = result.profile[3];
    expect(innovation.name).toBe('渠道建设形式创新率(%)');
    expect(innovation.approxDistinct).toBe(4);
    expect([innovation.min, innovation.max]).toEqual(['20', '29']);
    expect(innovation.topValues).toEqual([
      { value: '23', count: 2 },
      { value: '20', count: 1 },
      { value: '26', count: 1 },
      { value: '29', count: 1 },
    ]);
    expect(result.profile[4]).toMatchObject({ min: '36', max: '70', approxDistinct: 5 });

    const preview = await readParquetRows(result.parquetPath, { limit: 2 });
    expect(preview.rows).toEqual([
      { 年份: 2011, '城市建设中渠道建设占比(%)': 39, '渠道综合应用率(%)': 33, '渠道建设形式创新率(%)': 20, '城市整体建设优化率(%)': 36 },
      { 年份: 2012, '城市建设中渠道建设占比(%)': 40, '渠道综合应用率(%)': 37, '渠道建设形式创新率(%)': 23, '城市整体建设优化率(%)': 45 },
    ]);
  });

  it('strips a UTF-8 byte order mark and reports it', async () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SURVEY_CSV)]);
    const result = await ingestFile(await sandbox.upload('survey-bom.csv', content));

    expect(result.encoding).toBe('utf-8-bom');
    expect(result.sha256).toBe(sha256(content));
    expect(result.schema.map((column) => column.name)).toEqual(SURVEY_NAMES);
    expect(result.profile[0].min).toBe('2011');
  });

  it('transcodes GB18030 with Chinese headers and values', async () => {
    expect([...encodeGb18030('年份')]).toEqual([0xc4, 0xea, 0xb7, 0xdd]);
    const text = '年份,道路名称,长度\n2019,中山路,1.5\n2020,解放大道,2.25\n2021,中山路,\n';
    const content = encodeGb18030(text);
    const result = await ingestFile(await sandbox.upload('roads.csv', content));

    expect(result).toMatchObject({ encoding: 'gb18030', rowCount: 3, sha256: sha256(content), bytes: content.length });
    expect(result.schema).toEqual([
      { name: '年份', type: 'BIGINT' },
      { name: '道路名称', type: 'VARCHAR' },
      { name: '长度', type: 'DOUBLE' },
    ]);
    expect(result.profile[1].topValues).toEqual([
      { value: '中山路', count: 2 },
      { value: '解放大道', count: 1 },
    ]);
    expect(result.profile[2].nullShare).toBeCloseTo(1 / 3);
    const preview = await readParquetRows(result.parquetPath, { limit: 10 });
    expect(preview.rows.map((row) => row['道路名称'])).toEqual(['中山路', '解放大道', '中山路']);
    expect(await sandbox.leftovers()).toEqual([]);
  });

  it('falls back to GB18030 when the first non-UTF-8 byte comes late in the file', async () => {
    const asciiRows = Array.from({ length: 20_000 }, (_, index) => `${index},road ${index}`).join('\n');
    const content = Buffer.concat([encodeGb18030('编号,道路名称\n'), Buffer.from(asciiRows), encodeGb18030('\n20000,人民路\n')]);
    expect(content.indexOf(Buffer.from(encodeGb18030('人民路')))).toBeGreaterThan(64 * 1024);

    const result = await ingestFile(await sandbox.upload('late.csv', content));

    expect(result).toMatchObject({ encoding: 'gb18030', rowCount: 20_001, sha256: sha256(content) });
    expect(result.schema.map((column) => column.name)).toEqual(['编号', '道路名称']);
    const preview = await readParquetRows(result.parquetPath, { limit: 1, offset: 20_000 });
    expect(preview.rows).toEqual([{ 编号: 20000, 道路名称: '人民路' }]);
  });

  it('reads semicolon and tab separated files and CRLF line ends', async () => {
    const semicolon = await ingestFile(await sandbox.upload('semi.csv', '城市;人口\r\n北京;2189\r\n上海;2487\r\n'));
    expect(semicolon.schema).toEqual([
      { name: '城市', type: 'VARCHAR' },
      { name: '人口', type: 'BIGINT' },
    ]);
    expect((await readParquetRows(semicolon.parquetPath, { limit: 5 })).rows).toEqual([
      { 城市: '北京', 人口: 2189 },
      { 城市: '上海', 人口: 2487 },
    ]);
    const tab = await ingestFile(await sandbox.upload('tab.tsv', 'a\tb\n1\t"x, y"\n'));
    expect(tab.schema.map((column) => column.name)).toEqual(['a', 'b']);
    expect((await readParquetRows(tab.parquetPath, { limit: 5 })).rows).toEqual([{ a: 1, b: 'x, y' }]);
  });

  it('keeps leading zeros and widens a column whose late values do not fit the sampled type', async () => {
    const rows = Array.from({ length: 30_000 }, (_, index) => `0${index % 9 + 1}0,${index}`);
    rows.push('000,not a number');
    const result = await ingestFile(await sandbox.upload('codes.csv', ['邮编,数量', ...rows, ''].join('\n')));

    expect(result.rowCount).toBe(30_001);
    expect(result.schema).toEqual([
      { name: '邮编', type: 'VARCHAR' },
      { name: '数量', type: 'VARCHAR' },
    ]);
    expect(result.profile[0].min).toBe('000');
  });
});

describe('JSON and Parquet', () => {
  const records = [
    { 城市: '北京', 人口: 2189, 统计: { 年份: 2020 } },
    { 城市: '上海', 人口: 2487, 统计: null },
  ];

  it('reads a JSON array of objects', async () => {
    const result = await ingestFile(await sandbox.upload('cities.json', JSON.stringify(records)));
    expect(result).toMatchObject({ format: 'json', encoding: 'utf-8', rowCount: 2 });
    expect(result.schema).toEqual([
      { name: '城市', type: 'VARCHAR' },
      { name: '人口', type: 'BIGINT' },
      { name: '统计', type: 'STRUCT("年份" BIGINT)' },
    ]);
    expect(result.profile[2]).toMatchObject({ nullShare: 0.5, approxDistinct: 1 });
    expect((await readParquetRows(result.parquetPath, { limit: 5 })).rows).toEqual([
      { 城市: '北京', 人口: 2189, 统计: '{"年份":2020}' },
      { 城市: '上海', 人口: 2487, 统计: null },
    ]);
  });

  it('reads NDJSON, also under a .json name and with a BOM', async () => {
    const ndjson = `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;
    const plain = await ingestFile(await sandbox.upload('cities.ndjson', ndjson));
    expect(plain).toMatchObject({ format: 'ndjson', rowCount: 2 });
    const named = await ingestFile(await sandbox.upload('cities-lines.json', ndjson));
    expect(named).toMatchObject({ format: 'ndjson', rowCount: 2 });
    expect(named.schema).toEqual(plain.schema);
    const bom = await ingestFile(await sandbox.upload('cities-bom.json', `\uFEFF${ndjson}`));
    expect(bom).toMatchObject({ encoding: 'utf-8-bom', rowCount: 2 });
    expect(bom.schema).toEqual(plain.schema);
  });

  it('infers the type from the whole file when a late JSON value does not fit the sample', async () => {
    const lines = Array.from({ length: 25_000 }, (_, index) => JSON.stringify({ n: index }));
    lines.push(JSON.stringify({ n: 'many' }));
    const result = await ingestFile(await sandbox.upload('late.ndjson', lines.join('\n')));
    expect(result.rowCount).toBe(25_001);
    expect(result.schema[0].type).not.toBe('BIGINT');
  });

  it('round-trips its own Parquet output as an upload', async () => {
    const first = await ingestFile(await sandbox.upload('survey.csv', SURVEY_CSV));
    const parquet = await readFile(first.parquetPath);
    const second = await ingestFile(await sandbox.upload('survey.parquet', parquet));

    expect(second).toMatchObject({ format: 'parquet', encoding: null, rowCount: 5, sha256: sha256(parquet) });
    expect(second.schema).toEqual(first.schema);
    expect(second.profile).toEqual(first.profile);
    expect(await readParquetRows(second.parquetPath, { limit: 10 })).toEqual(await readParquetRows(first.parquetPath, { limit: 10 }));
  });
});

describe('hostile files', () => {
  it('reports a ragged row with its line number', async () => {
    const error = await expectFailure(await sandbox.upload('ragged.csv', '年份,数量,备注\n2011,1,a\n2012,2\n2013,3,c\n'), 'ingest.ragged_rows');
    expect(error.details).toMatchObject({ line: 3, row: 2, expected: 3, found: 2 });
    const long = await expectFailure(await sandbox.upload('long.csv', '年份,数量\n2011,1\n2012,2\n2013,3,extra\n'), 'ingest.ragged_rows');
    expect(long.details).toMatchObject({ line: 4, expected: 2, found: 3 });
  });

  it('reports a ragged row far beyond the sniffer sample', async () => {
    const rows = Array.from({ length: 50_000 }, (_, index) => `${index},v${index}`);
    rows[45_000] = '45000';
    const error = await expectFailure(await sandbox.upload('far.csv', ['编号,值', ...rows, ''].join('\n')), 'ingest.ragged_rows');
    expect(error.details).toMatchObject({ line: 45_002, row: 45_001 });
  });

  it('rejects duplicate and blank column names', async () => {
    const duplicate = await expectFailure(await sandbox.upload('dup.csv', '年份,数量, 年份 \n1,2,3\n'), 'ingest.duplicate_columns');
    expect(duplicate.details.column).toBe('年份');
    const cased = await expectFailure(await sandbox.upload('case.csv', 'Name,name\n1,2\n'), 'ingest.duplicate_columns');
    expect(cased.details).toMatchObject({ column: 'name', conflictsWith: 'Name' });
    const blank = await expectFailure(await sandbox.upload('blank.csv', 'a,,c\n1,2,3\n'), 'ingest.no_columns');
    expect(blank.details.position).toBe(2);
  });

  it('rejects binary content', async () => {
    const nul = await expectFailure(await sandbox.upload('nul.csv', Buffer.from('a,b\n1,2\n3,\u0000\n')), 'ingest.binary');
    expect(nul.details.offset).toBe(10);
    const zip = await expectFailure(await sandbox.upload('sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])), 'ingest.binary');
    expect(zip.details.detected).toMatch(/zip/);
    await expectFailure(await sandbox.upload('utf16.csv', Buffer.from('\uFEFFa,b\n1,2\n', 'utf16le')), 'ingest.encoding');
  });

  it('rejects empty files, header-only files and empty JSON', async () => {
    await expectFailure(await sandbox.upload('zero.csv', ''), 'ingest.empty');
    await expectFailure(await sandbox.upload('header.csv', '年份,数量\n'), 'ingest.empty');
    await expectFailure(await sandbox.upload('header-blank-lines.csv', '年份,数量\r\n\r\n\r\n'), 'ingest.empty');
    await expectFailure(await sandbox.upload('empty.json', '[]'), 'ingest.empty');
    await expectFailure(await sandbox.upload('blank.ndjson', '\n\n'), 'ingest.empty');
    await expectFailure(await sandbox.upload('no-keys.json', '[{}, {}]'), 'ingest.no_columns');
  });

  it('names the byte and line of an invalid encoding', async () => {
    const content = Buffer.concat([Buffer.from('年份,名称\n2011,a\n2012,'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]);
    const error = await expectFailure(await sandbox.upload('broken.csv', content), 'ingest.encoding');
    expect(error.details).toMatchObject({ line: 3, utf8Offset: Buffer.byteLength('年份,名称\n2011,a\n2012,') });
    expect(error.message).toMatch(/line 3/);
  });

  it('rejects content that does not match the extension', async () => {
    const csvAsParquet = await expectFailure(await sandbox.upload('data.parquet', SURVEY_CSV), 'ingest.unsupported_format');
    expect(csvAsParquet.details).toMatchObject({ expected: 'parquet', detected: 'text' });
    await expectFailure(await sandbox.upload('data.json', SURVEY_CSV), 'ingest.unsupported_format');
    await expectFailure(await sandbox.upload('data.xlsx', SURVEY_CSV), 'ingest.unsupported_format');

    const parquet = await readFile((await ingestFile(await sandbox.upload('survey.csv', SURVEY_CSV))).parquetPath);
    const parquetAsCsv = await expectFailure(await sandbox.upload('data.csv', parquet), 'ingest.binary');
    expect(parquetAsCsv.details.detected).toBe('parquet');
  });

  it('detects the format from the content when the name has no extension', async () => {
    expect((await ingestFile(await sandbox.upload('survey', SURVEY_CSV))).format).toBe('csv');
    expect((await ingestFile(await sandbox.upload('records', '[{"a":1}]'))).format).toBe('json');
  });

  it('reports malformed JSON and non-object records', async () => {
    const broken = await expectFailure(await sandbox.upload('broken.ndjson', '{"a":1}\n{"a":2\n{"a":3}\n'), 'ingest.malformed');
    expect(broken.details.line).toBe(3);
    expect(broken.message).not.toContain(sandbox.root);
    const scalars = await expectFailure(await sandbox.upload('scalars.json', '[{"a":1}, 5]'), 'ingest.malformed');
    expect(scalars.details.row).toBe(2);
  });

  it('rejects a corrupt Parquet file', async () => {
    const parquet = await readFile((await ingestFile(await sandbox.upload('survey.csv', SURVEY_CSV))).parquetPath);
    const truncated = parquet.subarray(0, parquet.length - 20);
    const error = await expectFailure(await sandbox.upload('truncated.parquet', truncated), 'ingest.malformed');
    expect(error.message).not.toContain(sandbox.root);
  });
});

describe('idempotence, progress and cancellation', () => {
  it('gives the same hash, schema and profile for the same file', async () => {
    const rows = Array.from(
      { length: 200_000 },
      (_, index) => `${index},${index % 3 === 0 ? '待定' : `道路${index}`},${(index * 7) % 1000},${index % 5 === 0 ? '' : `备注${index}`}`,
    );
    const content = ['编号,名称,数值,备注', ...rows, ''].join('\n');
    const first = await ingestFile(await sandbox.upload('a.csv', content));
    const second = await ingestFile(await sandbox.upload('b.csv', content));

    expect(second.sha256).toBe(first.sha256);
    expect(second.schema).toEqual(first.schema);
    expect(second.profile).toEqual(first.profile);
    // A frequent value in a high-cardinality column is found, with its exact count.
    expect(first.profile[1].topValues[0]).toEqual({ value: '待定', count: 66_667 });
    expect(first.profile[1].approxDistinct).toBeGreaterThan(100_000);
    expect(first.profile[2].topValues.every((top) => top.count === 200)).toBe(true);
    // Columns whose values are all distinct list no top value but NULL.
    expect(first.profile[0]).toMatchObject({ min: '0', max: '199999', nullShare: 0, topValues: [] });
    expect(first.profile[0].approxDistinct).toBeGreaterThan(150_000);
    expect(first.profile[3]).toMatchObject({ nullShare: 0.2, topValues: [{ value: null, count: 40_000 }] });
  }, 60_000);

  it('reports the stages in order, ending each at 1', async () => {
    const seen: [IngestStage, number][] = [];
    await ingestFile(await sandbox.upload('survey.csv', SURVEY_CSV, { onProgress: (stage, fraction) => void seen.push([stage, fraction]) }));
    const stages = seen.map(([stage]) => stage).filter((stage, index, all) => all.indexOf(stage) === index);
    expect(stages).toEqual(['inspecting', 'converting', 'profiling']);
    for (const stage of stages) expect(Math.max(...seen.filter(([name]) => name === stage).map(([, fraction]) => fraction))).toBe(1);
  });

  it('fails the ingest when the progress callback fails', async () => {
    const options = await sandbox.upload('survey.csv', SURVEY_CSV, {
      onProgress: async () => {
        throw new Error('progress store down');
      },
    });
    await expect(ingestFile(options)).rejects.toThrow('progress store down');
    expect(existsSync(options.outputPath)).toBe(false);
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const rows = Array.from({ length: 300_000 }, (_, index) => `${index},名称${index},${index / 7}`);
    const controller = new AbortController();
    const options = await sandbox.upload('big.csv', ['编号,名称,数值', ...rows, ''].join('\n'), {
      signal: controller.signal,
      onProgress: (stage) => {
        if (stage === 'converting') controller.abort();
      },
    });
    await expectFailure(options, 'ingest.cancelled');

    const already = new AbortController();
    already.abort();
    await expectFailure({ ...options, signal: already.signal, onProgress: undefined }, 'ingest.cancelled');
  }, 60_000);

  it('leaves the previous output alone when a later ingest to the same path fails', async () => {
    const options = await sandbox.upload('survey.csv', SURVEY_CSV);
    await ingestFile(options);
    const before = await readFile(options.outputPath);
    await writeFile(options.sourcePath, 'a,b\n1\n');
    await expect(ingestFile(options)).rejects.toMatchObject({ code: 'ingest.ragged_rows' });
    expect(await readFile(options.outputPath)).toEqual(before);
  });
});
