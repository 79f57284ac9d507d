import { open } from 'node:fs/promises';
import { IngestError } from './errors.js';

const MAX_HEADER_BYTES = 1 << 20;
const DELIMITERS = [',', '\t', ';', '|'] as const;

export interface CsvHeader {
  /** Column names, trimmed, in file order. */
  names: string[];
  delimiter: string;
  /** True when nothing but the header (and blank lines) is in the head of the file. */
  headerOnly: boolean;
}

/** Reads the header record of a UTF-8 CSV file (a BOM is skipped). */
export async function readCsvHeader(filePath: string): Promise<CsvHeader> {
  const handle = await open(filePath, 'r');
  let head: Buffer;
  let fileBytes: number;
  try {
    fileBytes = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(MAX_HEADER_BYTES, fileBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  let text = new TextDecoder('utf-8').decode(head);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const end = recordEnd(text);
  if (end === -1 && fileBytes > head.length) {
    throw new IngestError('ingest.malformed', `The header line is longer than ${MAX_HEADER_BYTES} bytes or has an unclosed quote.`, { line: 1 });
  }
  const record = end === -1 ? text : text.slice(0, end);
  if (record.trim() === '') throw new IngestError('ingest.empty', 'The file has no header line.', { line: 1 });
  const delimiter = guessDelimiter(record);
  const names = splitRecord(record, delimiter).map((name) => name.trim());
  checkNames(names);
  const rest = end === -1 ? '' : text.slice(end);
  return { names, delimiter, headerOnly: fileBytes === head.length && rest.trim() === '' };
}

/** Index where the first record ends (its line break), honouring quoted line breaks; -1 if not within `text`. */
export function recordEnd(text: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return index;
  }
  return -1;
}

/** The candidate delimiter that occurs most often outside quotes; ',' when none occurs. */
export function guessDelimiter(record: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of record) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const delimiter of DELIMITERS) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
  return best;
}

/** Splits one CSV record (RFC 4180 quoting: "" inside quotes is a quote). */
export function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < record.length; index += 1) {
    const char = record[index];
    if (quoted) {
      if (char === '"' && record[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/**
 * Column names must be present and unique. SQL names are case-insensitive, so "Name" and "name"
 * collide too (DuckDB would silently rename the second one).
 */
export function checkNames(names: string[]): void {
  const blank = names.findIndex((name) => name === '');
  if (blank !== -1) {
    throw new IngestError('ingest.no_columns', `Column ${blank + 1} of the header has no name.`, { position: blank + 1, line: 1 });
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new IngestError('ingest.duplicate_columns', `The column name "${name}" appears more than once in the header.`, {
        column: name,
        ...(earlier !== name ? { conflictsWith: earlier } : {}),
        line: 1,
      });
    }
    seen.set(key, name);
  }
}
