import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { convertToParquet, describeParquet } from './convert.js';
import { DuckSession } from './duckdb-session.js';
import { cancelled, IngestError } from './errors.js';
import { resolveFormat } from './format.js';
import { inspectText, transcodeGb18030 } from './inspect.js';
import { profileParquet } from './profile.js';
import { ProgressReporter } from './progress.js';
import { DecodeFailure, firstInvalidUtf8, incompleteUtf8Tail, lineAt, sha256File } from './text-scan.js';
import type { IngestOptions, IngestResult, SourceFormat, TextEncoding } from './types.js';

const HEAD_BYTES = 64 * 1024;

interface Run {
  options: IngestOptions;
  format: SourceFormat;
  bytes: number;
  head: Buffer;
  session: DuckSession;
  scratch: string;
  partialPath: string;
  progress: ProgressReporter;
}

interface Converted {
  sha256: string;
  encoding: TextEncoding | null;
}

/**
 * Turns one uploaded file into a Parquet file at `outputPath` plus its schema and profile.
 * Inspecting (hash, binary and encoding checks) runs alongside the conversion when the file
 * starts as UTF-8; a failure or cancellation leaves nothing at `outputPath` or in `workDir`.
 */
export async function ingestFile(options: IngestOptions): Promise<IngestResult> {
  const { signal } = options;
  if (signal?.aborted) throw cancelled();
  const bytes = (await stat(options.sourcePath)).size;
  if (bytes === 0) throw new IngestError('ingest.empty', 'The file is empty.');
  const head = await readHead(options.sourcePath);
  const format = resolveFormat(options.filename, options.format, head);

  await mkdir(options.workDir, { recursive: true });
  await mkdir(path.dirname(options.outputPath), { recursive: true });
  const scratch = await mkdtemp(path.join(options.workDir, 'ingest-'));
  const partialPath = `${options.outputPath}.${randomUUID()}.partial`;
  const progress = new ProgressReporter(options.onProgress);
  let session: DuckSession | undefined;
  try {
    session = await DuckSession.open({
      memoryLimit: options.memoryLimit,
      threads: options.threads,
      tempDirectory: path.join(scratch, 'duckdb'),
      signal,
    });
    const run: Run = { options, format, bytes, head, session, scratch, partialPath, progress };
    const converted = format === 'parquet' ? await convertParquetFile(run) : await convertTextFile(run);
    progress.report('converting', 1);

    const { schema, rowCount } = await describeParquet(session, partialPath);
    if (rowCount === 0) throw new IngestError('ingest.empty', 'The file has no data rows.');
    if (schema.length === 0) throw new IngestError('ingest.no_columns', 'The file has no columns.');
    progress.check();
    progress.report('profiling', 0);
    const profile = await profileParquet({
      session,
      parquetPath: partialPath,
      schema,
      rowCount,
      onProgress: (fraction) => progress.report('profiling', fraction),
    });
    if (signal?.aborted) throw cancelled();
    await progress.close();
    await rename(partialPath, options.outputPath);
    const parquetBytes = (await stat(options.outputPath)).size;
    return { format, encoding: converted.encoding, bytes, sha256: converted.sha256, rowCount, schema, profile, parquetPath: options.outputPath, parquetBytes };
  } catch (error) {
    await rm(partialPath, { force: true });
    if (signal?.aborted) throw cancelled();
    throw error;
  } finally {
    await progress.close().catch(() => undefined);
    session?.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readHead(filePath: string): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function convert(run: Run, sourcePath: string, onProgress: (fraction: number) => void): Promise<void> {
  return convertToParquet({
    session: run.session,
    format: run.format,
    sourcePath,
    displayName: run.options.filename,
    targetPath: run.partialPath,
    onProgress,
  });
}

/**
 * Runs the conversion of `sourcePath` while `inspect` reads the file. Conversion progress is shown
 * once the inspection is done; if the inspection fails, the conversion is stopped.
 */
async function convertAlongside<T>(run: Run, sourcePath: string, inspect: () => Promise<T>): Promise<{ inspection: T; conversion: Promise<Settled> }> {
  let inspected = false;
  let latest = 0;
  const conversion = settle(
    convert(run, sourcePath, (fraction) => {
      latest = fraction;
      if (inspected) run.progress.report('converting', fraction);
    }),
  );
  let inspection: T;
  try {
    inspection = await inspect();
  } catch (error) {
    run.session.interrupt();
    await conversion;
    throw error;
  }
  inspected = true;
  run.progress.report('inspecting', 1);
  run.progress.report('converting', latest);
  return { inspection, conversion };
}

/** Parquet: hash the upload while DuckDB validates and rewrites it. */
async function convertParquetFile(run: Run): Promise<Converted> {
  const { options, progress } = run;
  const { inspection: sha256, conversion } = await convertAlongside(run, options.sourcePath, () =>
    sha256File(options.sourcePath, { signal: options.signal, onBytes: (read) => progress.report('inspecting', read / run.bytes) }),
  );
  await rethrow(conversion);
  return { sha256, encoding: null };
}

/** CSV, JSON, NDJSON: UTF-8 (with or without BOM) is read in place, GB18030 through a UTF-8 copy. */
async function convertTextFile(run: Run): Promise<Converted> {
  const { head, options, progress } = run;
  const { sourcePath, signal } = options;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new IngestError('ingest.encoding', 'The file is UTF-16 encoded; save it as UTF-8 (or GB18030) text.', { offset: 0, line: 1, detected: 'utf-16' });
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const inspectProgress = (read: number) => progress.report('inspecting', read / run.bytes);
  const copyPath = path.join(run.scratch, 'source-utf8');

  const headEnd = head.length < run.bytes ? head.length - incompleteUtf8Tail(head) : head.length;
  if (!isUtf8(head.subarray(0, headEnd))) {
    const utf8At = firstInvalidUtf8(head.subarray(0, headEnd));
    if (bom) throw await encodingError(sourcePath, utf8At, null, signal);
    // Not UTF-8 from the start: hash and transcode in one pass.
    let sha256: string;
    try {
      sha256 = (await transcodeGb18030(sourcePath, copyPath, { hash: true, signal, onBytes: inspectProgress }))!;
    } catch (error) {
      if (error instanceof DecodeFailure) throw await encodingError(sourcePath, utf8At, error.offset, signal);
      throw error;
    }
    progress.report('inspecting', 1);
    await convert(run, copyPath, (fraction) => progress.report('converting', fraction));
    return { sha256, encoding: 'gb18030' };
  }

  if (bom && run.format !== 'csv') {
    // DuckDB's JSON reader does not skip a byte order mark: read a copy without it.
    const inspection = await inspectText(sourcePath, { signal, onBytes: inspectProgress, copy: { path: copyPath, skip: 3 } });
    if (inspection.invalidUtf8At !== null) throw await encodingError(sourcePath, inspection.invalidUtf8At, null, signal);
    progress.report('inspecting', 1);
    await convert(run, copyPath, (fraction) => progress.report('converting', fraction));
    return { sha256: inspection.sha256, encoding: 'utf-8-bom' };
  }

  // Looks like UTF-8: convert while the whole file is checked.
  const { inspection, conversion } = await convertAlongside(run, sourcePath, () => inspectText(sourcePath, { signal, onBytes: inspectProgress }));
  if (inspection.invalidUtf8At === null) {
    await rethrow(conversion);
    return { sha256: inspection.sha256, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  }

  // Valid UTF-8 at first, invalid later on: stop DuckDB and retry as GB18030.
  run.session.interrupt();
  await conversion;
  await rm(run.partialPath, { force: true });
  if (bom) throw await encodingError(sourcePath, inspection.invalidUtf8At, null, signal);
  try {
    await transcodeGb18030(sourcePath, copyPath, { signal, onBytes: (read) => progress.report('converting', (0.5 * read) / run.bytes) });
  } catch (error) {
    if (error instanceof DecodeFailure) throw await encodingError(sourcePath, inspection.invalidUtf8At, error.offset, signal);
    throw error;
  }
  await convert(run, copyPath, (fraction) => progress.report('converting', 0.5 + 0.5 * fraction));
  return { sha256: inspection.sha256, encoding: 'gb18030' };
}

/** Reports where decoding failed, preferring the encoding that got further (the likely intended one). */
async function encodingError(filePath: string, utf8At: number, gb18030At: number | null, signal?: AbortSignal): Promise<IngestError> {
  const assumeGb18030 = gb18030At !== null && gb18030At > utf8At;
  const offset = assumeGb18030 ? gb18030At : utf8At;
  const line = await lineAt(filePath, offset, signal);
  const encoding = assumeGb18030 ? 'GB18030' : 'UTF-8';
  const also = gb18030At === null ? '' : ` The file is not valid ${assumeGb18030 ? 'UTF-8' : 'GB18030'} either.`;
  return new IngestError('ingest.encoding', `Byte ${offset} (line ${line}) is not valid ${encoding} text.${also} Save the file as UTF-8.`, {
    offset,
    line,
    encoding: encoding.toLowerCase(),
    utf8Offset: utf8At,
    ...(gb18030At === null ? {} : { gb18030Offset: gb18030At }),
  });
}

type Settled = { ok: true } | { ok: false; error: unknown };

function settle(promise: Promise<void>): Promise<Settled> {
  return promise.then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

async function rethrow(settled: Promise<Settled>): Promise<void> {
  const outcome = await settled;
  if (!outcome.ok) throw outcome.error;
}
