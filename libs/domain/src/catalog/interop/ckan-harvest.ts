/**
 * Reads another CKAN portal's `package_search` answer into draft datasets. The body is
 * untrusted: every field is checked, texts are cleaned and cut to the catalog's limits, and a
 * package that cannot become a draft is skipped with a reason instead of failing the batch.
 */
import { DomainError } from '../../errors/domain-error.js';
import { slugify } from '../../identity/opaque-token.js';
import {
  THEME_KEYS,
  UPDATE_FREQUENCY_KEYS,
  DATASET_LICENSE_KEYS,
  type DatasetLicense,
  type Theme,
  type UpdateFrequency,
} from '../vocabulary.js';
import { EU_DATA_THEMES, EU_FREQUENCIES, hasHan, isoDate } from './shared.js';

export interface HarvestedResource {
  url: string;
  format: string;
  name: string;
}

export interface HarvestedDatasetDraft {
  /** The portal the package came from, normalised (scheme, host, path; no query or API path). */
  harvestSource: string;
  /** The remote package id, else its name: stable across harvests of the same source. */
  harvestIdentifier: string;
  /** A suggested URL name; the caller makes it unique. */
  slug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  keywords: string[];
  theme: Theme;
  licenseId: DatasetLicense;
  updateFrequency: UpdateFrequency;
  contactName: string | null;
  contactEmail: string | null;
  spatialCoverage: string | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  /** The remote `metadata_modified`, to skip packages that did not change since the last harvest. */
  remoteModified: string | null;
  /** Downloadable files the package lists (http and https links only). */
  resources: HarvestedResource[];
}

export interface HarvestSkip {
  identifier: string | null;
  reason: string;
}

export interface HarvestResult {
  drafts: HarvestedDatasetDraft[];
  skipped: HarvestSkip[];
}

/** Limits of the catalog's metadata fields, so every draft can be saved as it is. */
export const HARVEST_LIMITS = {
  title: 200,
  description: 8000,
  keywords: 30,
  keyword: 60,
  contactName: 120,
  contactEmail: 254,
  spatialCoverage: 200,
  identifier: 200,
  resources: 50,
  url: 2000,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A trimmed string without control characters, or '' for anything that is not a string. */
function clean(value: unknown): string {
  return typeof value === 'string' ? value.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim() : '';
}

/** One line: whitespace runs become single spaces. */
function line(value: unknown): string {
  return clean(value).replace(/\s+/g, ' ');
}

/** At most `max` characters, never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : characters.slice(0, max).join('').trimEnd();
}

// ---- source URL ----------------------------------------------------------------------------

const API_PATH = /\/api(?:\/\d+)?(?:\/action(?:\/[a-z_]+)?)?\/?$/;

/** The portal a harvest reads from: scheme, host and base path, no credentials, query or API path. */
export function normalizeHarvestSource(sourceUrl: string): string {
  let url: URL;
  try {
    url = new URL(sourceUrl.trim());
  } catch {
    throw new DomainError('request.invalid', 'The harvest source is not a URL.', [{ field: 'sourceUrl', messages: ['must be an http or https URL'] }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('request.invalid', 'The harvest source must be an http or https URL.', [
      { field: 'sourceUrl', messages: ['must be an http or https URL'] },
    ]);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(API_PATH, '').replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

// ---- languages -------------------------------------------------------------------------------

/** The text of a ckanext-fluent field for a language (`zh_Hans_CN`, `zh-CN`, `zh`, `en_GB`, …). */
function translation(value: unknown, language: 'zh' | 'en'): string {
  if (!isObject(value)) return '';
  const keys = Object.keys(value).filter((key) => key.toLowerCase().split(/[-_]/)[0] === language);
  // Simplified Chinese before Traditional; the bare language before regional variants.
  const rank = (key: string) => (/hant|tw|hk|mo/i.test(key) ? 2 : key.length === 2 ? 0 : 1);
  keys.sort((a, b) => rank(a) - rank(b));
  for (const key of keys) {
    const text = clean(value[key]);
    if (text) return text;
  }
  return '';
}

/**
 * Both languages of a text: the translations where given; else the plain text serves as
 * Chinese when it contains Chinese characters, as English otherwise, and fills the other.
 */
function bilingual(translated: unknown, plain: unknown): { zh: string; en: string } {
  let zh = translation(translated, 'zh');
  let en = translation(translated, 'en');
  const text = clean(plain);
  if (!zh && text && hasHan(text)) zh = text;
  if (!en && text && !hasHan(text)) en = text;
  if (!zh && !en && text) zh = en = text;
  return { zh: zh || en, en: en || zh };
}

// ---- vocabularies ----------------------------------------------------------------------------

/**
 * Words that point to a theme, matched in group names and titles, then in tags, then in the
 * title. Latin words match whole (with a plural s/es); a trailing `*` marks a word stem.
 */
const THEME_WORDS: Record<Theme, string[]> = {
  meteorology: ['meteorolog*', 'weather', 'climate', 'rainfall', 'precipitation', '气象', '天气', '气候', '降水', '降雨', '气温'],
  transport: ['transport*', 'traffic', 'transit', 'mobility', 'bus', 'metro', 'subway', 'railway', 'road', 'parking', '交通', '公交', '地铁', '道路', '客流', '停车', '出行'],
  energy: ['energy', 'electricity', 'power', 'gas', 'utilities', 'water supply', '能源', '电力', '用电', '燃气', '供水', '供热'],
  finance_credit: ['financ*', 'credit', 'bank', 'econom*', 'budget', 'tax', '金融', '信用', '财政', '经济', '税收', '银行'],
  housing: ['housing', 'real estate', 'dwelling', 'rent', '住房', '住宅', '房屋', '房地产', '租房'],
  customs_immigration: ['customs', 'immigration', 'border', 'migration', 'visa', '海关', '出入境', '口岸', '移民', '签证'],
  tourism: ['touris*', 'travel', 'visitor', 'hotel', '旅游', '景区', '酒店', '游客'],
  health: ['health*', 'hospital', 'medic*', 'disease', 'covid', '卫生', '健康', '医疗', '医院', '疾病', '疫情'],
  education: ['educat*', 'school', 'university', 'student', '教育', '学校', '高校', '学生'],
  environment: ['environment*', 'pollution', 'air quality', 'emission', 'waste', 'ecolog*', '环境', '生态', '空气质量', '污染', '排放', '垃圾', '环保'],
  public_safety: ['safety', 'crime', 'police', 'fire', 'emergenc*', 'justice', '公共安全', '治安', '消防', '应急', '公安', '安全'],
  statistics: ['statistic*', 'census', 'population', 'demograph*', '统计', '人口', '普查'],
};

/** EU data-theme codes that name exactly one of our themes. */
const THEME_BY_EU_CODE = new Map<string, Theme>();
for (const theme of THEME_KEYS) {
  const code = EU_DATA_THEMES[theme];
  if (!code) continue;
  const shared = THEME_KEYS.filter((other) => EU_DATA_THEMES[other] === code);
  if (shared.length === 1) THEME_BY_EU_CODE.set(code, theme);
}
THEME_BY_EU_CODE.set('ENVI', 'environment');
THEME_BY_EU_CODE.set('ECON', 'finance_credit');

function wordPattern(word: string): RegExp {
  if (hasHan(word)) return new RegExp(word);
  const stem = word.endsWith('*');
  const escaped = word.replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^a-z])${escaped}${stem ? '' : '(?:s|es)?(?![a-z])'}`);
}

const THEME_PATTERNS: [Theme, RegExp[]][] = THEME_KEYS.map((theme) => [theme, THEME_WORDS[theme].map(wordPattern)]);

function themeOfText(text: string): Theme | undefined {
  const value = text.toLowerCase().replace(/[_-]+/g, ' ');
  if ((THEME_KEYS as string[]).includes(text)) return text as Theme;
  // EU data-theme URIs, or their bare upper-case codes (a tag "just" is not JUST).
  const eu = /data-theme\/([A-Za-z]{4})$/.exec(text.trim()) ?? /^([A-Z]{4})$/.exec(text.trim());
  if (eu && THEME_BY_EU_CODE.has(eu[1].toUpperCase())) return THEME_BY_EU_CODE.get(eu[1].toUpperCase());
  return THEME_PATTERNS.find(([, patterns]) => patterns.some((pattern) => pattern.test(value)))?.[0];
}

function themeOf(groups: string[], extrasTheme: string[], tags: string[], title: string): Theme {
  for (const text of [...groups, ...extrasTheme, ...tags, title]) {
    const theme = themeOfText(text);
    if (theme) return theme;
  }
  return 'statistics';
}

const LICENSES: Record<string, DatasetLicense> = {
  'cc-by': 'cc-by-4.0',
  'cc-by-4': 'cc-by-4.0',
  'cc-by-4.0': 'cc-by-4.0',
  'cc-by 4.0': 'cc-by-4.0',
  'cc by 4.0': 'cc-by-4.0',
  'cc-zero': 'cc0-1.0',
  cc0: 'cc0-1.0',
  'cc-0': 'cc0-1.0',
  'cc0-1.0': 'cc0-1.0',
  'cc-0-1.0': 'cc0-1.0',
  'odc-by': 'odc-by-1.0',
  'odc-by-1.0': 'odc-by-1.0',
};
const LICENSE_URLS: [RegExp, DatasetLicense][] = [
  [/creativecommons\.org\/licenses\/by\//i, 'cc-by-4.0'],
  [/creativecommons\.org\/publicdomain\/zero\//i, 'cc0-1.0'],
  [/opendatacommons\.org\/licenses\/by\//i, 'odc-by-1.0'],
];

function licenseOf(id: string, url: string): DatasetLicense {
  const key = id.toLowerCase();
  if ((DATASET_LICENSE_KEYS as string[]).includes(key)) return key as DatasetLicense;
  if (LICENSES[key]) return LICENSES[key];
  return LICENSE_URLS.find(([pattern]) => pattern.test(url))?.[1] ?? 'gov-open-terms';
}

const FREQUENCY_WORDS: Record<string, UpdateFrequency> = {
  continuous: 'continuous',
  continual: 'continuous',
  realtime: 'continuous',
  'real-time': 'continuous',
  'real time': 'continuous',
  hourly: 'hourly',
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  quarterly: 'quarterly',
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  irregular: 'irregular',
  irreg: 'irregular',
  实时: 'continuous',
  每小时: 'hourly',
  每日: 'daily',
  每天: 'daily',
  每周: 'weekly',
  每月: 'monthly',
  每季度: 'quarterly',
  每季: 'quarterly',
  每年: 'annual',
  不定期: 'irregular',
  'r/pt1h': 'hourly',
  pt1h: 'hourly',
  'r/p1d': 'daily',
  p1d: 'daily',
  'r/p1w': 'weekly',
  p1w: 'weekly',
  'r/p1m': 'monthly',
  p1m: 'monthly',
  'r/p3m': 'quarterly',
  p3m: 'quarterly',
  'r/p1y': 'annual',
  p1y: 'annual',
};
for (const frequency of UPDATE_FREQUENCY_KEYS) FREQUENCY_WORDS[EU_FREQUENCIES[frequency].toLowerCase()] = frequency;

function frequencyOf(values: string[]): UpdateFrequency {
  for (const value of values) {
    const text = value.trim().toLowerCase();
    // EU authority URIs and Dublin Core frequencies end in the term itself.
    const term = /^https?:\/\//.test(text) ? (text.replace(/\/+$/, '').split(/[/#]/).at(-1) ?? '') : text;
    const frequency = FREQUENCY_WORDS[term];
    if (frequency) return frequency;
  }
  return 'irregular';
}

// ---- package fields --------------------------------------------------------------------------

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

function emailOf(value: string): string | null {
  const email = value.replace(/^mailto:/i, '').trim();
  return email.length <= HARVEST_LIMITS.contactEmail && EMAIL.test(email) ? email : null;
}

/** A package field, looked up at the top level (ckanext-scheming) and then in `extras`. */
function fieldOf(pkg: Json, keys: string[]): string[] {
  const extras = Array.isArray(pkg.extras) ? pkg.extras.filter(isObject) : [];
  const values: string[] = [];
  for (const key of keys) {
    const top = pkg[key];
    if (typeof top === 'string' || typeof top === 'number') values.push(clean(String(top)));
    for (const extra of extras) if (extra.key === key && (typeof extra.value === 'string' || typeof extra.value === 'number')) values.push(clean(String(extra.value)));
  }
  return values.filter(Boolean);
}

function namesOf(value: unknown, keys: string[]): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return [line(item)];
    if (!isObject(item)) return [];
    return keys.map((key) => line(item[key])).filter(Boolean);
  });
}

function keywordsOf(pkg: Json): string[] {
  const tags = Array.isArray(pkg.tags)
    ? pkg.tags.map((tag) => (typeof tag === 'string' ? line(tag) : isObject(tag) ? line(tag.display_name) || line(tag.name) : ''))
    : [];
  const usable = tags.filter((tag) => tag && [...tag].length <= HARVEST_LIMITS.keyword);
  return [...new Set(usable)].slice(0, HARVEST_LIMITS.keywords);
}

function spatialOf(pkg: Json): string | null {
  // `spatial` usually holds GeoJSON; only a place name is useful as coverage.
  const names = [...fieldOf(pkg, ['spatial_text', 'spatial_coverage', 'geographic_coverage']), ...fieldOf(pkg, ['spatial']).filter((value) => !/^[[{]/.test(value))];
  const name = names.map(line).find(Boolean);
  return name ? cut(name, HARVEST_LIMITS.spatialCoverage) : null;
}

function temporalOf(pkg: Json): { temporalStart: string | null; temporalEnd: string | null } {
  const start = fieldOf(pkg, ['temporal_start', 'temporal_coverage_from', 'temporal-extent-begin']).map(isoDate).find(Boolean) ?? null;
  const end = fieldOf(pkg, ['temporal_end', 'temporal_coverage_to', 'temporal-extent-end']).map(isoDate).find(Boolean) ?? null;
  // A period that ends before it starts keeps only its start.
  return start && end && end < start ? { temporalStart: start, temporalEnd: null } : { temporalStart: start, temporalEnd: end };
}

function contactOf(pkg: Json): { contactName: string | null; contactEmail: string | null } {
  const name = [...fieldOf(pkg, ['maintainer', 'contact_name', 'author'])].map(line).find(Boolean);
  const email = fieldOf(pkg, ['maintainer_email', 'contact_email', 'author_email']).map(emailOf).find(Boolean);
  return { contactName: name ? cut(name, HARVEST_LIMITS.contactName) : null, contactEmail: email ?? null };
}

function resourcesOf(pkg: Json): HarvestedResource[] {
  if (!Array.isArray(pkg.resources)) return [];
  const found: HarvestedResource[] = [];
  for (const resource of pkg.resources) {
    if (!isObject(resource)) continue;
    const url = clean(resource.url);
    if (url.length > HARVEST_LIMITS.url || !/^https?:\/\//i.test(url)) continue;
    try {
      new URL(url);
    } catch {
      continue;
    }
    found.push({ url, format: cut(line(resource.format), 40), name: cut(line(resource.name), HARVEST_LIMITS.title) });
  }
  return found.slice(0, HARVEST_LIMITS.resources);
}

function identifierOf(pkg: Json): string | null {
  for (const value of [pkg.id, pkg.name]) {
    const text = line(typeof value === 'number' ? String(value) : value);
    if (text && text.length <= HARVEST_LIMITS.identifier) return text;
  }
  return null;
}

function draftOf(pkg: Json, harvestSource: string, harvestIdentifier: string): HarvestedDatasetDraft | string {
  if (pkg.type !== undefined && pkg.type !== 'dataset') return `not a dataset (type ${line(String(pkg.type)) || 'unknown'})`;
  if (pkg.state !== undefined && pkg.state !== 'active') return `not active (state ${line(String(pkg.state)) || 'unknown'})`;
  if (pkg.private === true) return 'private';
  const title = bilingual(pkg.title_translated, pkg.title);
  if (!title.zh) return 'no title';
  const description = bilingual(pkg.notes_translated, pkg.notes);
  const keywords = keywordsOf(pkg);
  const groups = namesOf(pkg.groups, ['name', 'title', 'display_name']);
  const extrasTheme = fieldOf(pkg, ['theme', 'dcat_theme']);
  const name = line(pkg.name);
  return {
    harvestSource,
    harvestIdentifier,
    slug: slugify(name, slugify(title.en, slugify(harvestIdentifier, 'dataset'))),
    titleZh: cut(line(title.zh), HARVEST_LIMITS.title),
    titleEn: cut(line(title.en), HARVEST_LIMITS.title),
    descriptionZh: cut(description.zh, HARVEST_LIMITS.description),
    descriptionEn: cut(description.en, HARVEST_LIMITS.description),
    keywords,
    theme: themeOf(groups, extrasTheme, keywords, title.zh),
    licenseId: licenseOf(line(pkg.license_id), line(pkg.license_url)),
    updateFrequency: frequencyOf(fieldOf(pkg, ['frequency', 'accrual_periodicity', 'update_frequency', 'accrualPeriodicity'])),
    ...contactOf(pkg),
    spatialCoverage: spatialOf(pkg),
    ...temporalOf(pkg),
    remoteModified: fieldOf(pkg, ['metadata_modified']).find((value) => !Number.isNaN(Date.parse(value))) ?? null,
    resources: resourcesOf(pkg),
  };
}

/**
 * Draft datasets from a CKAN `package_search` response body (already JSON-parsed). Throws
 * `request.invalid` only when the body is not a successful `package_search` result at all.
 */
export function parseCkanHarvest(body: unknown, options: { sourceUrl: string }): HarvestResult {
  const harvestSource = normalizeHarvestSource(options.sourceUrl);
  if (!isObject(body)) throw new DomainError('request.invalid', 'The CKAN response is not a JSON object.');
  if (body.success === false) {
    const error = isObject(body.error) ? body.error : {};
    const detail = [line(error.__type), line(error.message)].filter(Boolean).join(': ');
    throw new DomainError('request.invalid', `The CKAN portal answered with an error${detail ? `: ${cut(detail, 300)}` : ''}.`);
  }
  if (body.success !== true || !isObject(body.result) || !Array.isArray(body.result.results)) {
    throw new DomainError('request.invalid', 'The response is not a CKAN package_search result.');
  }
  const drafts: HarvestedDatasetDraft[] = [];
  const skipped: HarvestSkip[] = [];
  const seen = new Set<string>();
  for (const pkg of body.result.results) {
    if (!isObject(pkg)) {
      skipped.push({ identifier: null, reason: 'not a package object' });
      continue;
    }
    const identifier = identifierOf(pkg);
    if (!identifier) {
      skipped.push({ identifier: null, reason: 'no id or name' });
      continue;
    }
    if (seen.has(identifier)) {
      skipped.push({ identifier, reason: 'listed twice' });
      continue;
    }
    seen.add(identifier);
    const draft = draftOf(pkg, harvestSource, identifier);
    if (typeof draft === 'string') skipped.push({ identifier, reason: draft });
    else drafts.push(draft);
  }
  return { drafts, skipped };
}
