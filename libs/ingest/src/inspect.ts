import { createHash } from 'node:crypto';
import { binaryError, FileSink, Gb18030Decoder, scanChunks, Utf8Validator, type ScanOptions } from './text-scan.js';

export interface TextInspection {
  sha256: string;
  /** Offset of the first byte that is not valid UTF-8, or null when the whole file is UTF-8. */
  invalidUtf8At: number | null;
}

export interface InspectTextOptions extends ScanOptions {
  /** Also write the file minus its first `skip` bytes to `path` (drops a byte order mark). */
  copy?: { path: string; skip: number };
}

/**
 * One pass over an uploaded text file: sha256 of the bytes, a NUL byte check (binary files) and
 * UTF-8 validation. Throws `ingest.binary` at the first NUL byte.
 */
export async function inspectText(filePath: string, options: InspectTextOptions = {}): Promise<TextInspection> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Validator();
  const sink = options.copy ? new FileSink(options.copy.path) : null;
  try {
    const end = await scanChunks(
      filePath,
      async (chunk, offset) => {
        const nul = chunk.indexOf(0);
        if (nul !== -1) throw binaryError(offset + nul);
        hash.update(chunk);
        utf8.push(chunk, offset);
        if (sink) {
          const skip = Math.max(0, options.copy!.skip - offset);
          // Copied: the chunk's buffer is reused for the next read.
          if (skip < chunk.length) await sink.write(Buffer.from(chunk.subarray(skip)));
        }
      },
      options,
    );
    utf8.finish(end);
    await sink?.close();
    return { sha256: hash.digest('hex'), invalidUtf8At: utf8.invalidAt };
  } catch (error) {
    sink?.destroy();
    throw error;
  }
}

/**
 * Decodes a GB18030 file into a UTF-8 copy, checking for NUL bytes on the way; with `hash` it also
 * returns the sha256 of the original bytes. Throws DecodeFailure at the first invalid sequence.
 */
export async function transcodeGb18030(
  filePath: string,
  copyPath: string,
  options: ScanOptions & { hash?: boolean } = {},
): Promise<string | null> {
  const hash = options.hash ? createHash('sha256') : null;
  const decoder = new Gb18030Decoder(filePath);
  const sink = new FileSink(copyPath);
  try {
    const end = await scanChunks(
      filePath,
      async (chunk, offset) => {
        const nul = chunk.indexOf(0);
        if (nul !== -1) throw binaryError(offset + nul);
        hash?.update(chunk);
        await sink.write(await decoder.decode(chunk, offset, options.signal));
      },
      options,
    );
    await sink.write(await decoder.end(end));
    await sink.close();
    return hash ? hash.digest('hex') : null;
  } catch (error) {
    sink.destroy();
    throw error;
  }
}
