/**
 * The catalog in the shapes of the CKAN 2.10 Action API (`package_show`, `package_search`),
 * so CKAN clients and harvesters can read it. Multilingual fields follow ckanext-fluent
 * (`title_translated`, `notes_translated`, keyed by CKAN locale).
 */
import type { CatalogDatasetView, CatalogLinks } from '../catalog-view.js';
import { DomainError } from '../../errors/domain-error.js';
import {
  CLASSIFICATIONS,
  CLASSIFICATION_KEYS,
  DATASET_LICENSES,
  THEMES,
  THEME_KEYS,
  UPDATE_FREQUENCIES,
  UPDATE_FREQUENCY_KEYS,
  type Classification,
  type DatasetLicense,
  type Theme,
  type UpdateFrequency,
} from '../vocabulary.js';
import {
  DOWNLOAD_FORMATS,
  EU_FREQUENCIES,
  FORMAT_LABELS,
  MEDIA_TYPES,
  SOURCE_FORMAT_KEYS,
  euFrequencyUri,
  type DownloadFormat,
  type SourceFormat,
} from './shared.js';

/** CKAN locales of the two catalog languages. */
export const CKAN_LOCALES = { zh: 'zh_Hans_CN', en: 'en' } as const;

export type CkanTranslated = { [CKAN_LOCALES.zh]: string; [CKAN_LOCALES.en]: string };

export interface CkanTag {
  name: string;
  display_name: string;
  state: 'active';
  vocabulary_id: null;
}

export interface CkanGroup {
  id: string;
  name: string;
  title: string;
  display_name: string;
  description: string;
  image_display_url: string;
}

export interface CkanOrganization {
  id: string;
  name: string;
  title: string;
  type: 'organization';
  is_organization: true;
  state: 'active';
  approval_status: 'approved';
  description: string;
  image_url: string;
}

export interface CkanExtra {
  key: string;
  value: string;
}

export interface CkanResource {
  id: string;
  package_id: string;
  name: string;
  description: string;
  format: string;
  mimetype: string;
  url: string;
  url_type: null;
  size: number | null;
  hash: string;
  created: string;
  last_modified: string;
  metadata_modified: string;
  position: number;
  state: 'active';
  datastore_active: false;
}

export interface CkanPackage {
  id: string;
  name: string;
  title: string;
  title_translated: CkanTranslated;
  notes: string;
  notes_translated: CkanTranslated;
  type: 'dataset';
  state: 'active';
  private: false;
  isopen: boolean;
  license_id: DatasetLicense;
  license_title: string;
  license_url: string;
  author: null;
  author_email: null;
  maintainer: string | null;
  maintainer_email: string | null;
  organization: CkanOrganization;
  owner_org: string;
  groups: CkanGroup[];
  tags: CkanTag[];
  num_tags: number;
  extras: CkanExtra[];
  resources: CkanResource[];
  num_resources: number;
  metadata_created: string;
  metadata_modified: string;
  url: string;
  version: string | null;
  relationships_as_object: [];
  relationships_as_subject: [];
}

/** Licences CKAN's own licence register counts as open. */
const OPEN_LICENSES: ReadonlySet<DatasetLicense> = new Set(['cc-by-4.0', 'cc0-1.0', 'odc-by-1.0', 'gov-open-terms']);

/** CKAN writes timestamps in UTC without a zone and with microseconds. */
export function ckanTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, -1)}000`;
}

function translated(zh: string, en: string): CkanTranslated {
  return { [CKAN_LOCALES.zh]: zh, [CKAN_LOCALES.en]: en };
}

function resources(dataset: CatalogDatasetView, links: CatalogLinks): CkanResource[] {
  const version = dataset.currentVersion;
  if (dataset.classification !== 'open' || !version) return [];
  return DOWNLOAD_FORMATS.map((format: DownloadFormat, position) => {
    const timestamp = ckanTimestamp(version.createdAt);
    return {
      id: `${version.id}-${format}`,
      package_id: dataset.id,
      name: `${dataset.slug}-v${version.version}.${format}`,
      description: '',
      format: FORMAT_LABELS[format],
      mimetype: MEDIA_TYPES[format],
      url: links.download(dataset, format),
      url_type: null,
      // Downloads are rendered from the stored Parquet: the uploaded file's size and sha256 do not describe them.
      size: format === 'parquet' ? version.parquetBytes : null,
      hash: '',
      created: timestamp,
      last_modified: timestamp,
      metadata_modified: timestamp,
      position,
      state: 'active',
      datastore_active: false,
    };
  });
}

function extras(dataset: CatalogDatasetView): CkanExtra[] {
  const list: CkanExtra[] = [
    { key: 'classification', value: dataset.classification },
    { key: 'update_frequency', value: dataset.updateFrequency },
    { key: 'frequency', value: euFrequencyUri(EU_FREQUENCIES[dataset.updateFrequency]) },
  ];
  // `spatial` is reserved for GeoJSON by CKAN's spatial extension; place names go in `spatial_text`.
  if (dataset.spatialCoverage.trim()) list.push({ key: 'spatial_text', value: dataset.spatialCoverage.trim() });
  if (dataset.temporalStart) list.push({ key: 'temporal_start', value: dataset.temporalStart });
  if (dataset.temporalEnd) list.push({ key: 'temporal_end', value: dataset.temporalEnd });
  return list;
}

/** A dataset as CKAN's `package_show` result. */
export function toCkanPackage(dataset: CatalogDatasetView, links: CatalogLinks): CkanPackage {
  const license = DATASET_LICENSES[dataset.licenseId];
  const tags: CkanTag[] = [...new Set(dataset.keywords.map((keyword) => keyword.trim()).filter(Boolean))].map((keyword) => ({
    name: keyword,
    display_name: keyword,
    state: 'active',
    vocabulary_id: null,
  }));
  const themeLabel = THEMES[dataset.theme].zh;
  const items = resources(dataset, links);
  return {
    id: dataset.id,
    name: dataset.slug,
    title: dataset.titleZh || dataset.titleEn,
    title_translated: translated(dataset.titleZh, dataset.titleEn),
    notes: dataset.descriptionZh || dataset.descriptionEn,
    notes_translated: translated(dataset.descriptionZh, dataset.descriptionEn),
    type: 'dataset',
    state: 'active',
    private: false,
    isopen: dataset.classification === 'open' && OPEN_LICENSES.has(dataset.licenseId),
    license_id: dataset.licenseId,
    license_title: license.zh,
    license_url: license.url,
    author: null,
    author_email: null,
    maintainer: dataset.contactName.trim() || null,
    maintainer_email: dataset.contactEmail.trim() || null,
    organization: {
      id: dataset.agency.id,
      name: dataset.agency.slug,
      title: dataset.agency.name,
      type: 'organization',
      is_organization: true,
      state: 'active',
      approval_status: 'approved',
      description: '',
      image_url: '',
    },
    owner_org: dataset.agency.id,
    groups: [{ id: dataset.theme, name: dataset.theme, title: themeLabel, display_name: themeLabel, description: '', image_display_url: '' }],
    tags,
    num_tags: tags.length,
    extras: extras(dataset),
    resources: items,
    num_resources: items.length,
    metadata_created: ckanTimestamp(dataset.publishedAt ?? dataset.updatedAt),
    metadata_modified: ckanTimestamp(dataset.updatedAt),
    url: links.datasetPage(dataset),
    version: dataset.currentVersion ? String(dataset.currentVersion.version) : null,
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}

// ---- envelopes ---------------------------------------------------------------------------

export interface CkanSuccess<T> {
  help: string;
  success: true;
  result: T;
}

export type CkanErrorType = 'Not Found Error' | 'Validation Error';

export interface CkanFailure {
  help: string;
  success: false;
  error: { __type: CkanErrorType; message: string };
}

/** CKAN's success body around an action's result. */
export function ckanEnvelope<T>(result: T, help: string): CkanSuccess<T> {
  return { help, success: true, result };
}

/** CKAN's error body. */
export function ckanError(type: CkanErrorType, message: string, help = ''): CkanFailure {
  return { help, success: false, error: { __type: type, message } };
}

// ---- package_search parameters -----------------------------------------------------------

export type CatalogSort = 'relevance' | 'recent' | 'popular' | 'title';

/** The CKAN spelling of each sort, as `package_search` echoes it. */
export const CKAN_SORTS: Record<CatalogSort, string> = {
  relevance: 'score desc, metadata_modified desc',
  recent: 'metadata_modified desc',
  popular: 'views_recent desc',
  title: 'title_string asc',
};

const SORT_ALIASES: Record<string, CatalogSort> = {
  'score desc, metadata_modified desc': 'relevance',
  'score desc': 'relevance',
  'metadata_modified desc': 'recent',
  'metadata_created desc': 'recent',
  'views_recent desc': 'popular',
  'views_total desc': 'popular',
  'title_string asc': 'title',
  'title asc': 'title',
  'name asc': 'title',
};

/** Catalog fields a search can be faceted on. */
export type CatalogFacetField = 'theme' | 'agency' | 'classification' | 'format' | 'updateFrequency' | 'tags' | 'license';

/** CKAN's name of each facet field. */
export const CKAN_FACET_NAMES: Record<CatalogFacetField, string> = {
  theme: 'groups',
  agency: 'organization',
  classification: 'extras_classification',
  format: 'res_format',
  updateFrequency: 'extras_update_frequency',
  tags: 'tags',
  license: 'license_id',
};

const FACET_BY_CKAN_NAME = new Map<string, CatalogFacetField>([
  ...Object.entries(CKAN_FACET_NAMES).map(([field, name]) => [name, field as CatalogFacetField] as const),
  ['classification', 'classification'],
  ['update_frequency', 'updateFrequency'],
]);

/**
 * Filters read from `q`/`fq`: per field, the values a dataset may have (any of them; a dataset has
 * one value of each of these fields), and tags that must all be present.
 */
export interface CkanSearchFilters {
  theme?: Theme[];
  agency?: string[];
  classification?: Classification[];
  format?: SourceFormat[];
  updateFrequency?: UpdateFrequency[];
  tags?: string[];
}

export interface CkanSearch {
  q: string;
  filters: CkanSearchFilters;
  rows: number;
  start: number;
  sort: CatalogSort;
  facetFields: CatalogFacetField[];
}

export const CKAN_DEFAULT_ROWS = 10;
export const CKAN_MAX_ROWS = 1000;
const MAX_QUERY_LENGTH = 500;
const AGENCY_SLUG = /^[a-z0-9-]{1,80}$/;

type QueryValue = string | string[] | undefined;

interface FieldIssue {
  field: string;
  messages: string[];
}

class Issues {
  readonly list: FieldIssue[] = [];
  add(field: string, message: string): void {
    const existing = this.list.find((issue) => issue.field === field);
    if (existing) existing.messages.push(message);
    else this.list.push({ field, messages: [message] });
  }
}

type FilterField = Exclude<keyof CkanSearchFilters, 'tags'> | 'tags';

/** fq/q fields and the filter each sets; `null` fields are accepted and ignored. */
const FILTER_FIELDS = new Map<string, FilterField | null>([
  ['organization', 'agency'],
  ['groups', 'theme'],
  ['res_format', 'format'],
  ['tags', 'tags'],
  ['extras_classification', 'classification'],
  ['classification', 'classification'],
  ['extras_update_frequency', 'updateFrequency'],
  ['update_frequency', 'updateFrequency'],
  // CKAN front ends add these to every query; they select what this catalog holds anyway.
  ['dataset_type', null],
  ['type', null],
  ['state', null],
  ['capacity', null],
]);
const IGNORED_VALUES: Record<string, string> = { dataset_type: 'dataset', type: 'dataset', state: 'active', capacity: 'public' };

/** A `field:value` clause (several values from `field:(a OR b)` or `field:a OR field:b`), or a bare word (field null, one value). */
interface Token {
  field: string | null;
  values: string[];
  raw: string;
}

const OR_WORDS = new Set(['OR', '||']);
const FIELD_PREFIX = /^\+?([A-Za-z_][A-Za-z0-9_.]*):/;

/**
 * Splits Solr-style filter text into `field:value` / `field:"quoted value"` / `field:(a OR "b c")`
 * clauses, parenthesized groups `+(field:a OR field:b)` of one field (read as one clause), and
 * bare words. Other parenthesized forms are an error.
 */
function tokenize(input: string, nested = false): { tokens: Token[]; error?: string } {
  const tokens: Token[] = [];
  let index = 0;
  const skipSpace = () => {
    while (index < input.length && /\s/.test(input[index])) index += 1;
  };
  const readWord = (inParentheses: boolean): string => {
    const start = index;
    while (index < input.length && !/\s/.test(input[index]) && !(inParentheses && input[index] === ')')) index += 1;
    return input.slice(start, index);
  };
  const readValue = (inParentheses: boolean): { value: string; error?: string } => {
    if (input[index] !== '"') return { value: readWord(inParentheses) };
    index += 1;
    let value = '';
    while (index < input.length && input[index] !== '"') {
      if (input[index] === '\\' && index + 1 < input.length) index += 1;
      value += input[index];
      index += 1;
    }
    if (index >= input.length) return { value, error: 'has an unterminated quote' };
    index += 1;
    return { value };
  };
  /** `(a OR "b c")` after `field:`: the values. */
  const readValueList = (): { values: string[]; error?: string } => {
    index += 1;
    const values: string[] = [];
    let wantValue = true;
    for (;;) {
      skipSpace();
      if (index >= input.length) return { values, error: 'has an unclosed parenthesis' };
      if (input[index] === ')') {
        index += 1;
        break;
      }
      if (input[index] === '(') return { values, error: 'nests parentheses, which is not supported' };
      if (!wantValue) {
        if (!OR_WORDS.has(readWord(true))) return { values, error: 'needs OR between the values in parentheses: field:(a OR b)' };
        wantValue = true;
        continue;
      }
      const { value, error } = readValue(true);
      if (error) return { values, error };
      if (OR_WORDS.has(value)) return { values, error: 'needs a value on each side of OR' };
      values.push(value);
      wantValue = false;
    }
    if (wantValue) return { values, error: 'needs a value on each side of OR, and at least one value in parentheses' };
    return { values };
  };
  /** The text up to the parenthesis closing the one at `index` (quotes respected), or null. */
  const readGroup = (): string | null => {
    const start = index + 1;
    let depth = 0;
    for (; index < input.length; index += 1) {
      const char = input[index];
      if (char === '"') {
        index += 1;
        while (index < input.length && input[index] !== '"') index += input[index] === '\\' ? 2 : 1;
      } else if (char === '(') depth += 1;
      else if (char === ')' && --depth === 0) {
        index += 1;
        return input.slice(start, index - 1);
      }
    }
    return null;
  };
  while (index < input.length) {
    skipSpace();
    if (index >= input.length) break;
    const start = index;
    const field = FIELD_PREFIX.exec(input.slice(index));
    if (field) {
      index += field[0].length;
      if (input[index] === '(') {
        const { values, error } = readValueList();
        if (error) return { tokens, error };
        tokens.push({ field: field[1], values, raw: input.slice(start, index) });
      } else {
        const { value, error } = readValue(false);
        if (error) return { tokens, error };
        tokens.push({ field: field[1], values: [value], raw: input.slice(start, index) });
      }
    } else if (/^\+?\(/.test(input.slice(index))) {
      if (nested) return { tokens, error: 'nests parentheses, which is not supported' };
      if (input[index] === '+') index += 1;
      const inner = readGroup();
      if (inner === null) return { tokens, error: 'has an unclosed parenthesis' };
      const group = tokenize(inner, true);
      if (group.error) return { tokens, error: group.error };
      const clause = group.tokens.length === 1 && group.tokens[0].field !== null ? group.tokens[0] : orChain(group.tokens);
      if (!clause) return { tokens, error: `"${input.slice(start, index)}" is not supported: a group in parentheses must be (field:a OR field:b) of one field` };
      tokens.push({ ...clause, raw: input.slice(start, index) });
    } else {
      const { value, error } = readValue(false);
      if (error) return { tokens, error };
      tokens.push({ field: null, values: [value], raw: input.slice(start, index) });
    }
  }
  return { tokens };
}

/**
 * `field:a OR field:b [OR …]` of one field, as one clause; null for anything else. (Solr, which
 * CKAN runs with q.op=AND, gives OR next to other clauses a meaning this catalog does not
 * reproduce, so OR is read only when it joins one field's values and nothing else.)
 */
function orChain(tokens: Token[]): Token | null {
  if (tokens.length < 3 || tokens.length % 2 === 0) return null;
  const field = tokens[0].field;
  if (field === null) return null;
  const values: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (index % 2 === 1 ? token.field !== null || !OR_WORDS.has(token.values[0]) : token.field !== field) return null;
    if (index % 2 === 0) values.push(...token.values);
  }
  return { field, values, raw: tokens.map((token) => token.raw).join(' ') };
}

function single(name: string, value: QueryValue, issues: Issues): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) {
      issues.add(name, `${name} must be given once`);
      return undefined;
    }
    return value[0];
  }
  return value;
}

function list(value: QueryValue): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function naturalNumber(name: string, raw: string | undefined, fallback: number, issues: Issues): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    issues.add(name, `${name} must be a whole number of 0 or more`);
    return fallback;
  }
  return value;
}

/**
 * Applies one clause to the filters; false when the field is not ours. Clauses are ANDed, as in
 * CKAN: a field given again keeps the values both allow (each dataset has one value per field).
 */
function applyFilter(filters: CkanSearchFilters, token: Token & { field: string }, source: string, issues: Issues): boolean {
  if (!FILTER_FIELDS.has(token.field)) return false;
  const target = FILTER_FIELDS.get(token.field);
  const values = token.values.map((value) => value.trim());
  if (target === null) {
    if (values.some((value) => value !== IGNORED_VALUES[token.field])) issues.add(source, `${token.field} can only be ${IGNORED_VALUES[token.field]}`);
    return true;
  }
  if (values.some((value) => !value)) {
    issues.add(source, `${token.field} needs a value`);
    return true;
  }
  if (target === 'tags') {
    const [value] = values;
    if (values.length > 1) issues.add(source, 'tags:(… OR …) is not supported: every tag given must be present');
    else if (value.length > 100) issues.add(source, 'tags values are at most 100 characters');
    else filters.tags = [...new Set([...(filters.tags ?? []), value])];
    return true;
  }
  const parsed: string[] = [];
  let unknown = false;
  for (const value of values) {
    const known = parseFilterValue(target!, value);
    if (known === undefined) {
      issues.add(source, `${token.field}:${value} is not a known value`);
      unknown = true;
    } else if (!parsed.includes(known)) parsed.push(known);
  }
  if (unknown) return true;
  const current = (filters as Record<string, string[] | undefined>)[target!];
  const kept = current === undefined ? parsed : current.filter((value) => parsed.includes(value));
  if (kept.length === 0) {
    issues.add(source, `${token.field} is given twice with no value in common (a dataset has one; for any of several, write ${token.field}:(a OR b))`);
    return true;
  }
  (filters as Record<string, string[]>)[target!] = kept;
  return true;
}

function parseFilterValue(field: Exclude<FilterField, 'tags'>, value: string): string | undefined {
  switch (field) {
    case 'agency':
      return AGENCY_SLUG.test(value) ? value : undefined;
    case 'theme':
      return (THEME_KEYS as string[]).includes(value) ? value : undefined;
    case 'format':
      return SOURCE_FORMAT_KEYS.find((format) => format === value.toLowerCase());
    case 'classification':
      return (CLASSIFICATION_KEYS as string[]).includes(value) ? value : undefined;
    case 'updateFrequency':
      return (UPDATE_FREQUENCY_KEYS as string[]).includes(value) ? value : undefined;
  }
}

const UNSUPPORTED_SYNTAX = new Set(['NOT', '!']);

function parseFilterQuery(source: string, text: string, filters: CkanSearchFilters, issues: Issues): void {
  const { tokens: clauses, error } = tokenize(text);
  if (error) issues.add(source, `${source} ${error}`);
  // `field:a OR field:b` as the whole filter: any of the values.
  const chain = orChain(clauses);
  const tokens = chain ? [chain] : clauses;
  for (const token of tokens) {
    if (token.field === null) {
      const [value] = token.values;
      if (value === 'AND' || value === '&&') continue;
      if (value === '*:*') continue;
      const reason = OR_WORDS.has(value)
        ? 'is supported only between values of one field: field:(a OR b), or field:a OR field:b as the whole filter'
        : UNSUPPORTED_SYNTAX.has(value) || /^[-(]/.test(value)
          ? 'is not supported'
          : 'needs a field (field:value)';
      issues.add(source, `"${token.raw}" ${reason}`);
      continue;
    }
    if (!applyFilter(filters, token as Token & { field: string }, source, issues)) {
      const known = [...FILTER_FIELDS.keys()].filter((name) => FILTER_FIELDS.get(name)).join(', ');
      issues.add(source, `${token.field} is not a supported field (use ${known})`);
    }
  }
}

/** Free text of `q`; `field:value` terms of filter fields in it act as filters, as in CKAN. */
function parseQuery(raw: string | undefined, filters: CkanSearchFilters, issues: Issues): string {
  const text = (raw ?? '').trim();
  if (!text || text === '*:*') return '';
  if (text.length > MAX_QUERY_LENGTH) {
    issues.add('q', `q is at most ${MAX_QUERY_LENGTH} characters`);
    return '';
  }
  const { tokens, error } = tokenize(text);
  if (error) {
    issues.add('q', `q ${error}`);
    return '';
  }
  const words: string[] = [];
  for (const token of tokens) {
    if (token.field !== null && FILTER_FIELDS.get(token.field)) applyFilter(filters, token as Token & { field: string }, 'q', issues);
    else if (token.field !== null && ['text', 'title', 'notes', 'name'].includes(token.field) && token.values.length === 1) words.push(token.values[0]);
    else words.push(token.raw);
  }
  return words.join(' ');
}

function parseSort(raw: string | undefined, issues: Issues): CatalogSort {
  if (raw === undefined || raw.trim() === '') return 'relevance';
  const normalized = raw
    .split(',')
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join(', ');
  const sort = SORT_ALIASES[normalized];
  if (!sort) issues.add('sort', `sort must be one of: ${Object.values(CKAN_SORTS).join('; ')}`);
  return sort ?? 'relevance';
}

function parseFacetFields(raw: QueryValue, issues: Issues): CatalogFacetField[] {
  const names: string[] = [];
  for (const value of list(raw)) {
    const text = value.trim();
    if (!text.startsWith('[')) {
      if (text) names.push(text);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      issues.add('facet.field', 'facet.field must be a JSON list of field names');
      continue;
    }
    names.push(...parsed);
  }
  // Unknown names are dropped, as CKAN answers them with no facet items.
  const fields = names.map((name) => FACET_BY_CKAN_NAME.get(name)).filter((field): field is CatalogFacetField => field !== undefined);
  return [...new Set(fields)];
}

/**
 * Reads CKAN `package_search` parameters (`q`, `fq`, `fq_list`, `rows`, `start`, `sort`,
 * `facet.field`). Clauses are ANDed (CKAN runs Solr with q.op=AND); one field's values may be
 * ORed (`groups:(transport OR energy)`, or `groups:transport OR groups:energy` as a whole fq);
 * `rows` defaults to 10 and is capped at 1000 as CKAN does.
 * Anything it cannot honour exactly is a `request.invalid` error with the problems per field.
 */
export function parseCkanSearch(query: Record<string, QueryValue>): CkanSearch {
  const issues = new Issues();
  const filters: CkanSearchFilters = {};
  const q = parseQuery(single('q', query.q, issues), filters, issues);
  for (const fq of list(query.fq)) parseFilterQuery('fq', fq, filters, issues);
  for (const fq of list(query.fq_list)) parseFilterQuery('fq_list', fq, filters, issues);
  const rows = Math.min(naturalNumber('rows', single('rows', query.rows, issues), CKAN_DEFAULT_ROWS, issues), CKAN_MAX_ROWS);
  const start = naturalNumber('start', single('start', query.start, issues), 0, issues);
  const sort = parseSort(single('sort', query.sort, issues), issues);
  const facetFields = parseFacetFields(query['facet.field'], issues);
  if (issues.list.length > 0) throw new DomainError('request.invalid', 'The search parameters are not valid.', issues.list);
  return { q, filters, rows, start, sort, facetFields };
}

// ---- package_search results --------------------------------------------------------------

export interface CatalogFacet {
  field: string;
  counts: { value: string; count: number; label?: string }[];
}

export interface CkanSearchFacet {
  title: string;
  items: { name: string; display_name: string; count: number }[];
}

export interface CkanLabelOptions {
  /** Language of display names; Chinese unless told. */
  language?: 'zh' | 'en';
}

function facetItem(field: CatalogFacetField, count: CatalogFacet['counts'][number], language: 'zh' | 'en') {
  const vocabularies: Partial<Record<CatalogFacetField, Record<string, { zh: string; en: string }>>> = {
    theme: THEMES,
    classification: CLASSIFICATIONS,
    updateFrequency: UPDATE_FREQUENCIES,
    license: DATASET_LICENSES,
  };
  const term = vocabularies[field]?.[count.value];
  const name = field === 'format' ? (FORMAT_LABELS[count.value as SourceFormat] ?? count.value) : count.value;
  return { name, display_name: count.label ?? term?.[language] ?? name, count: count.count };
}

/** Our facet counts as CKAN's `search_facets`, keyed and named the CKAN way. */
export function toCkanFacets(facets: CatalogFacet[], options: CkanLabelOptions = {}): Record<string, CkanSearchFacet> {
  const result: Record<string, CkanSearchFacet> = {};
  for (const facet of facets) {
    if (!Object.hasOwn(CKAN_FACET_NAMES, facet.field)) continue;
    const field = facet.field as CatalogFacetField;
    const name = CKAN_FACET_NAMES[field];
    const items = facet.counts
      .map((count) => facetItem(field, count, options.language ?? 'zh'))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    result[name] = { title: name, items };
  }
  return result;
}

export interface CkanSearchResult {
  count: number;
  sort: string;
  results: CkanPackage[];
  /** CKAN's older facet form: value → count per field. */
  facets: Record<string, Record<string, number>>;
  search_facets: Record<string, CkanSearchFacet>;
}

/** A whole `package_search` result. */
export function toCkanSearchResult(
  input: { count: number; datasets: CatalogDatasetView[]; links: CatalogLinks; sort: CatalogSort; facets: CatalogFacet[] },
  options: CkanLabelOptions = {},
): CkanSearchResult {
  const searchFacets = toCkanFacets(input.facets, options);
  const facets = Object.fromEntries(
    Object.entries(searchFacets).map(([name, facet]) => [name, Object.fromEntries(facet.items.map((item) => [item.name, item.count]))]),
  );
  return {
    count: input.count,
    sort: CKAN_SORTS[input.sort],
    results: input.datasets.map((dataset) => toCkanPackage(dataset, input.links)),
    facets,
    search_facets: searchFacets,
  };
}
