export const DERIVE_ERROR_CODES = [
  'derive.syntax',
  'derive.not_a_query',
  'derive.unsupported',
  'derive.unknown_input',
  'derive.unknown_column',
  'derive.invalid_query',
  'derive.forbidden_function',
  'derive.duplicate_columns',
  'derive.no_input_read',
  'derive.unused_input',
  'derive.permission_denied',
  'derive.invalid_input',
  'derive.input_modified',
  'derive.timeout',
  'derive.cancelled',
  'derive.out_of_memory',
  'derive.runtime',
] as const;

export type DeriveErrorCode = (typeof DERIVE_ERROR_CODES)[number];

export interface DeriveErrorDetails {
  /** 0-based character offset in the vendor's SQL, when DuckDB reports one. */
  position?: number;
  /** 1-based line and column of `position`. */
  line?: number;
  column?: number;
  /** The input, column or function the error is about. */
  input?: string;
  name?: string;
  function?: string;
  /** Duplicate output column names. */
  columns?: string[];
  /** Declared inputs the query does not read (derive.no_input_read, derive.unused_input). */
  inputs?: string[];
  [key: string]: unknown;
}

/** A derivation that cannot be validated or run, with a stable code. Messages never contain server paths. */
export class DeriveError extends Error {
  override readonly name = 'DeriveError';

  constructor(
    readonly code: DeriveErrorCode,
    message: string,
    readonly details: DeriveErrorDetails = {},
  ) {
    super(message);
  }
}

export function isDeriveError(error: unknown): error is DeriveError {
  return error instanceof DeriveError;
}

/** 1-based line and column of a 0-based character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = Array.from(text).slice(0, position).join('');
  const lines = before.split('\n');
  return { line: lines.length, column: Array.from(lines[lines.length - 1]).length + 1 };
}

/**
 * The 0-based character (code point) offset of a 0-based UTF-8 byte offset in `text`, or
 * undefined when the offset is not in the text. DuckDB's parser reports syntax errors in
 * characters, but its binder (`position` of an error) and its parse tree (`query_location`)
 * count bytes.
 */
export function charOffsetOfByte(text: string, byteOffset: number): number | undefined {
  if (!Number.isInteger(byteOffset) || byteOffset < 0) return undefined;
  let bytes = 0;
  let chars = 0;
  for (const char of text) {
    if (bytes >= byteOffset) break;
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    chars += 1;
  }
  return bytes === byteOffset ? chars : undefined;
}

/** `details.position` (0-based character) with its 1-based `line` and `column` in `text`, or nothing for a position outside it. */
export function positionDetails(text: string, position: number | undefined): Pick<DeriveErrorDetails, 'position' | 'line' | 'column'> {
  if (position === undefined || !Number.isInteger(position) || position < 0 || position > Array.from(text).length) return {};
  return { position, ...lineAndColumn(text, position) };
}

/**
 * DuckDB's parser quotes the token an error is near, and a token that is itself a quoted
 * identifier came out doubled (`at or near ""total""`, `""` for an empty one, `""fare FROM t`
 * for an unterminated one): it is shown once, as written in the SQL (`at or near "total"`).
 */
export function tidyParserMessage(message: string): string {
  return message.replace(/ at or near "("[\s\S]*)"$/, (_, token: string) => ` at or near ${token}`);
}

/**
 * The message of a thrown value. Errors from DuckDB's native addon may come from another realm
 * (e.g. under Jest's VM), where `instanceof Error` is false, so this does not rely on it.
 */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
