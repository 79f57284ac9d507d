import { invalid, missingParam, unknownParam, unsupportedParam } from './errors.js';
import { isPlainObject } from './util.js';

export interface ParamSpec {
  /** Parameters the fake implements. */
  supported: readonly string[];
  /** Real Stripe parameters the fake accepts and ignores (no effect here). */
  ignored?: readonly string[];
  /** Real Stripe parameters the fake refuses with a clear 400, rather than pretending. */
  unsupported?: readonly string[];
}

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type Metadata = Record<string, string>;

/**
 * Typed access to form-encoded parameters (as parsed by `qs`), with Stripe's error messages
 * and parameter paths (`line_items[0][price]`).
 */
export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly endpoint: string,
    readonly prefix = '',
  ) {}

  path(name: string): string {
    return this.prefix ? `${this.prefix}[${name}]` : name;
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.raw).filter((key) => this.raw[key] !== undefined);
  }

  /** Rejects parameters outside the spec: unknown ones as Stripe does, unimplemented ones loudly. */
  check(spec: ParamSpec): this {
    const allowed = new Set([...spec.supported, ...(spec.ignored ?? []), ...(this.prefix ? [] : ['expand'])]);
    const unsupported = new Set(spec.unsupported ?? []);
    for (const key of this.keys()) {
      if (allowed.has(key)) continue;
      if (unsupported.has(key)) throw unsupportedParam(this.path(key), this.endpoint);
      throw unknownParam(this.path(key));
    }
    return this;
  }

  str(name: string, options: { max?: number } = {}): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(`Invalid string: ${describe(value)}`, this.path(name));
    if (options.max !== undefined && value.length > options.max) {
      throw invalid(
        `Invalid ${this.path(name)}: must be at most ${options.max} characters`,
        this.path(name),
        'string_length_exceeds_maximum',
      );
    }
    return value;
  }

  reqStr(name: string, options: { max?: number } = {}): string {
    const value = this.str(name, options);
    if (value === undefined || value === '') throw missingParam(this.path(name));
    return value;
  }

  /** A string that may be unset with an empty value: `''` → `null`. */
  nullableStr(name: string, options: { max?: number } = {}): string | null | undefined {
    const value = this.str(name, options);
    if (value === undefined) return undefined;
    return value === '' ? null : value;
  }

  int(name: string, options: { min?: number; max?: number } = {}): number | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
      throw invalid(`Invalid integer: ${describe(value)}`, this.path(name), 'parameter_invalid_integer');
    }
    const number = Number(value);
    if (!Number.isSafeInteger(number)) {
      throw invalid(`Invalid integer: ${value}`, this.path(name), 'parameter_invalid_integer');
    }
    if (options.min !== undefined && number < options.min) {
      throw invalid(`Invalid ${this.path(name)}: must be greater than or equal to ${options.min}`, this.path(name));
    }
    if (options.max !== undefined && number > options.max) {
      throw invalid(`Invalid ${this.path(name)}: must be less than or equal to ${options.max}`, this.path(name));
    }
    return number;
  }

  reqInt(name: string, options: { min?: number; max?: number } = {}): number {
    const value = this.int(name, options);
    if (value === undefined) throw missingParam(this.path(name));
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalid(`Invalid boolean: ${describe(value)}`, this.path(name));
  }

  enumOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw invalid(
        `Invalid ${this.path(name)}: must be one of ${values.join(', ')}`,
        this.path(name),
      );
    }
    return value as T;
  }

  /** A nested hash (`subscription_data[...]`). `''` counts as absent. */
  obj(name: string): Params | undefined {
    const value = this.raw[name];
    if (value === undefined || value === '') return undefined;
    if (!isPlainObject(value)) throw invalid(`Invalid object`, this.path(name));
    return new Params(value, this.endpoint, this.path(name));
  }

  /** An array, sent as `name[0]=…&name[1]=…` (or `name[]=…`). */
  list(name: string): unknown[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (value === '') return [];
    if (Array.isArray(value)) return value;
    if (isPlainObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key))) {
      return Object.keys(value)
        .sort((a, b) => Number(a) - Number(b))
        .map((key) => value[key]);
    }
    if (typeof value === 'string') return [value];
    throw invalid(`Invalid array`, this.path(name));
  }

  strList(name: string): string[] | undefined {
    const list = this.list(name);
    if (list === undefined) return undefined;
    return list.map((item, index) => {
      if (typeof item !== 'string') throw invalid(`Invalid string: ${describe(item)}`, `${this.path(name)}[${index}]`);
      return item;
    });
  }

  objList(name: string): Params[] | undefined {
    const list = this.list(name);
    if (list === undefined) return undefined;
    return list.map((item, index) => {
      if (!isPlainObject(item)) throw invalid(`Invalid object`, `${this.path(name)}[${index}]`);
      return new Params(item, this.endpoint, `${this.path(name)}[${index}]`);
    });
  }

  /**
   * Metadata as Stripe validates it: at most 50 keys, keys up to 40 characters, values up to 500.
   * `''` (unset all) → `null`; a key with `''` unsets that key, kept here as `''`.
   */
  metadata(name = 'metadata'): Metadata | null | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (value === '') return null;
    if (!isPlainObject(value)) throw invalid(`Invalid hash`, this.path(name));
    const out: Metadata = {};
    const keys = Object.keys(value);
    if (keys.length > 50) throw invalid('You can have at most 50 metadata keys.', this.path(name));
    for (const key of keys) {
      const item = value[key];
      if (typeof item !== 'string') throw invalid(`Invalid string: ${describe(item)}`, `${this.path(name)}[${key}]`);
      if (key.length > 40) {
        throw invalid(`Metadata keys can have up to 40 characters. The key "${key}" is too long.`, `${this.path(name)}[${key}]`);
      }
      if (item.length > 500) {
        throw invalid(`Metadata values can have up to 500 characters, but you passed in a value that is ${item.length} characters.`, `${this.path(name)}[${key}]`);
      }
      out[key] = item;
    }
    return out;
  }

  /** `created=123` or `created[gte]=123&created[lt]=456`. */
  range(name: string): RangeFilter | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      const exact = this.int(name);
      return { gte: exact, lte: exact };
    }
    const nested = this.obj(name);
    if (!nested) return undefined;
    nested.check({ supported: ['gt', 'gte', 'lt', 'lte'] });
    return { gt: nested.int('gt'), gte: nested.int('gte'), lt: nested.int('lt'), lte: nested.int('lte') };
  }

  expand(): string[] {
    return this.strList('expand') ?? [];
  }
}

export function inRange(value: number | null | undefined, range: RangeFilter | undefined): boolean {
  if (!range) return true;
  if (value === null || value === undefined) return false;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}

/** Applies a metadata update: `null` clears, `''` values remove keys, others set. */
export function mergeMetadata(current: Metadata | null | undefined, update: Metadata | null | undefined): Metadata {
  if (update === undefined) return { ...(current ?? {}) };
  if (update === null) return {};
  const out: Metadata = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete out[key];
    else out[key] = value;
  }
  return out;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
