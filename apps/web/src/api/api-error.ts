import type { ErrorBody } from './schema-types';

/**
 * One entry of `details` on a `request.invalid` error. The OpenAPI document types `details`
 * as a free-form object, so this shape (written by the API's validation pipe) is checked at
 * run time rather than trusted.
 */
export interface ValidationIssue {
  field: string;
  messages: string[];
  /** What the broken rules declare (e.g. `{ maxLength: 100000 }`), for the UI to word the problem itself. */
  context?: Record<string, unknown>;
}

/**
 * A failed API call. Every failure body of the API is `{ error: { code, message, details? } }`;
 * anything else (proxy error page, network failure) is folded into the same shape so the UI
 * has one thing to show.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    if (isErrorBody(body)) {
      return new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    }
    return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`);
  }

  static network(cause: unknown): ApiError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(0, 'network_error', message);
  }

  /** Field-level messages when the server rejected the input (`details` is ValidationIssue[]). */
  get validationIssues(): ValidationIssue[] {
    return Array.isArray(this.details) ? this.details.filter(isValidationIssue) : [];
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function isValidationIssue(value: unknown): value is ValidationIssue {
  if (typeof value !== 'object' || value === null) return false;
  const issue = value as Partial<Record<keyof ValidationIssue, unknown>>;
  return typeof issue.field === 'string' && Array.isArray(issue.messages);
}
