import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, parse } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { demoSource } from './catalog.js';
import { GENERATION_MACROS } from './macros.js';
import { sqlLiteral } from './sql.js';
import type { DemoDataset, DemoFileEncoding, WriteDemoFileOptions } from './types.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** File name of a version: the catalog's file name for version 1, `<stem>.v<n><ext>` after. */
export function demoFileName(dataset: DemoDataset, version = 1): string {
  if (version === 1) return dataset.file.filename;
  const { name, ext } = parse(dataset.file.filename);
  return `${name}.v${version}${ext}`;
}

/**
 * Writes the file of `dataset` (version `options.version`, 1-based) into `dir` and returns its
 * path. The bytes depend only on the dataset, version and scale. A number is read as the version.
 */
export async function writeDemoFile(dataset: DemoDataset, dir: string, options: WriteDemoFileOptions | number = {}): Promise<string> {
  const { version = 1, scale = 'full' } = typeof options === 'number' ? { version: options } : options;
  const source = demoSource(dataset.slug);
  const { file, versions = 1 } = source.dataset;
  if (!Number.isInteger(version) || version < 1 || version > versions) {
    throw new RangeError(`${dataset.slug} has versions 1–${versions}, not ${version}`);
  }
  await mkdir(dir, { recursive: true });
  const target = join(dir, demoFileName(source.dataset, version));
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await withGenerator((connection) => connection.run(copyStatement(source.query({ version, scale }), temporary, file.format)));
    if (file.format === 'csv') await reencodeCsv(temporary, file.encoding ?? 'utf-8');
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
  return target;
}

async function withGenerator(work: (connection: DuckDBConnection) => Promise<unknown>): Promise<void> {
  // One thread: the fastest setting for these queries, and the Parquet writer's output stays byte-stable.
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const macro of GENERATION_MACROS) await connection.run(macro);
    await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function copyStatement(query: string, path: string, format: DemoDataset['file']['format']): string {
  const options = {
    csv: `FORMAT csv, HEADER true`,
    json: `FORMAT json, ARRAY true`,
    ndjson: `FORMAT json`,
    parquet: `FORMAT parquet, COMPRESSION zstd`,
  }[format];
  return `COPY (${query}) TO ${sqlLiteral(path)} (${options})`;
}

/** DuckDB writes UTF-8 CSV; add the BOM, or re-encode as GB18030 with Windows line ends as Excel exports do. */
async function reencodeCsv(path: string, encoding: DemoFileEncoding): Promise<void> {
  if (encoding === 'utf-8') return;
  const utf8 = await readFile(path);
  const bytes = encoding === 'utf-8-bom' ? Buffer.concat([UTF8_BOM, utf8]) : iconv.encode(utf8.toString('utf8').replaceAll('\n', '\r\n'), 'gb18030');
  await writeFile(path, bytes);
}
