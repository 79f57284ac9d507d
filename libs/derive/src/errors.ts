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
 * The message of a thrown value. Errors from DuckDB's native addon may come from another realm
 * (e.g. under Jest's VM), where `instanceof Error` is false, so this does not rely on it.
 */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
