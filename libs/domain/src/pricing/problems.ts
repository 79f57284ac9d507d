/**
 * Problems found while reading untrusted JSON (price plans, caps): each with its path, a
 * stable code and a message. Internal to pricing; only the types are exported.
 */
import { isSupportedCurrency } from './money.js';

/** Stable sub-codes of `pricing.invalid_plan` (and `pricing.invalid_cap`) problems. */
export type PlanProblemCode =
  | 'not_object'
  | 'required'
  | 'unknown_field'
  | 'not_allowed'
  | 'invalid_kind'
  | 'unsupported_currency'
  | 'invalid_interval'
  | 'invalid_unit'
  | 'invalid_mode'
  | 'not_integer'
  | 'negative'
  | 'not_positive'
  | 'too_large'
  | 'not_array'
  | 'empty_tiers'
  | 'too_many_tiers'
  | 'tiers_not_increasing'
  | 'unbounded_tier_not_last'
  | 'last_tier_bounded'
  | 'max_below_included'
  | 'invalid_value';

export interface PlanProblem {
  /** Dotted path into the input: "metered.tiers[1].upTo"; "" for the plan itself. */
  path: string;
  code: PlanProblemCode;
  message: string;
}

/** Collects problems while reading untrusted JSON; shared by plan and cap validation. */
export class ProblemCollector {
  readonly problems: PlanProblem[] = [];

  add(path: string, code: PlanProblemCode, message: string): void {
    this.problems.push({ path, code, message });
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'not_object', 'Expected an object');
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** Reports keys outside `allowed`: `not_allowed` when another variant knows them, else `unknown_field`. */
  keys(record: Record<string, unknown>, path: string, allowed: readonly string[], known: readonly string[] = allowed): void {
    for (const key of Object.keys(record)) {
      if (allowed.includes(key)) continue;
      if (known.includes(key)) this.add(fieldPath(path, key), 'not_allowed', `"${key}" does not apply here`);
      else this.add(fieldPath(path, key), 'unknown_field', `Unknown field "${key}"`);
    }
  }

  /** An integer in [min, max]; `undefined` when missing (reported if required) or invalid. */
  integer(
    value: unknown,
    path: string,
    options: { min: number; max: number; required?: boolean; what?: string },
  ): number | undefined {
    if (value === undefined) {
      if (options.required ?? true) this.add(path, 'required', `${options.what ?? 'A value'} is required`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.add(path, 'not_integer', `${options.what ?? 'The value'} must be an integer`);
      return undefined;
    }
    if (value < options.min) {
      this.add(path, options.min === 1 && value === 0 ? 'not_positive' : value < 0 ? 'negative' : 'not_positive', `${options.what ?? 'The value'} must be at least ${options.min}`);
      return undefined;
    }
    if (value > options.max) {
      this.add(path, 'too_large', `${options.what ?? 'The value'} must be at most ${options.max}`);
      return undefined;
    }
    return value;
  }

  currency(value: unknown, path: string): string | undefined {
    if (value === undefined) {
      this.add(path, 'required', 'A currency is required');
      return undefined;
    }
    if (!isSupportedCurrency(value)) {
      this.add(path, 'unsupported_currency', 'The currency must be a supported upper-case ISO 4217 code such as "CNY"');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[], code: PlanProblemCode, what: string): T | undefined {
    if (value === undefined) {
      this.add(path, 'required', `${what} is required`);
      return undefined;
    }
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.add(path, code, `${what} must be one of ${options.join(', ')}`);
      return undefined;
    }
    return value as T;
  }
}

export function fieldPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function describeProblems(what: string, problems: readonly PlanProblem[]): string {
  const first = problems[0];
  const where = first?.path ? ` at ${first.path}` : '';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `Invalid ${what}${first ? `: ${first.message}${where}` : ''}${more}`;
}
