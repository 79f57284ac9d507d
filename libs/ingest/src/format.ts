import path from 'node:path';
import { IngestError } from './errors.js';
import type { SourceFormat } from './types.js';

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/** Leading bytes of binary files people upload by mistake. */
const SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'parquet', bytes: [0x50, 0x41, 0x52, 0x31] },
  { name: 'zip (xlsx, docx, …)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'xls (OLE2)', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
  { name: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: 'gzip', bytes: [0x1f, 0x8b] },
  { name: 'png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { name: 'sqlite', bytes: [...Buffer.from('SQLite format 3\0')] },
];

export function binarySignature(head: Buffer): string | null {
  const match = SIGNATURES.find((signature) => signature.bytes.every((byte, index) => head[index] === byte));
  return match?.name ?? null;
}

export function isParquetHead(head: Buffer): boolean {
  return binarySignature(head) === 'parquet';
}

/** The first byte that is not JSON whitespace (or a UTF-8 BOM), or -1. */
function firstSignificantByte(head: Buffer): number {
  let index = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (index < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[index])) index += 1;
  return index < head.length ? head[index] : -1;
}

/**
 * Decides the format from the explicit override, else the file name's extension, else the content,
 * and checks that the first bytes fit it. Full-content checks (NUL bytes, encoding) come later.
 */
export function resolveFormat(filename: string, override: SourceFormat | undefined, head: Buffer): SourceFormat {
  const extension = path.extname(filename).toLowerCase();
  let format = override ?? FORMAT_BY_EXTENSION[extension];
  if (!format) {
    if (extension !== '') {
      throw new IngestError('ingest.unsupported_format', `Files of type "${extension}" are not supported; upload CSV, JSON, NDJSON or Parquet.`, { extension });
    }
    format = sniffFormat(head);
  }
  const signature = binarySignature(head);
  if (format === 'parquet') {
    if (signature !== 'parquet') {
      throw new IngestError('ingest.unsupported_format', 'The file is not a Parquet file (it does not start with the Parquet magic bytes).', {
        expected: 'parquet',
        detected: signature ?? (head.includes(0) ? 'binary' : 'text'),
      });
    }
    return format;
  }
  if (signature) {
    throw new IngestError('ingest.binary', `The file is binary (${signature}), not ${format.toUpperCase()} text.`, { expected: format, detected: signature });
  }
  if (format === 'json' || format === 'ndjson') {
    const first = firstSignificantByte(head);
    if (first === 0x5b) return 'json';
    if (first === 0x7b) return 'ndjson';
    if (first !== -1) {
      throw new IngestError('ingest.unsupported_format', 'The file is not JSON: it must hold an array of objects or one object per line.', { expected: format });
    }
  }
  return format;
}

function sniffFormat(head: Buffer): SourceFormat {
  const signature = binarySignature(head);
  if (signature === 'parquet') return 'parquet';
  if (signature || head.includes(0)) {
    throw new IngestError('ingest.unsupported_format', `The file is binary${signature ? ` (${signature})` : ''}; upload CSV, JSON, NDJSON or Parquet.`, { detected: signature ?? 'binary' });
  }
  const first = firstSignificantByte(head);
  if (first === 0x5b) return 'json';
  if (first === 0x7b) return 'ndjson';
  return 'csv';
}
