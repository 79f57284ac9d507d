import type {
  AccessPurpose,
  Classification,
  DatasetLicense,
  DatasetStatus,
  SearchSort,
  Sensitivity,
  SourceFormat,
  Theme,
  UpdateFrequency,
} from '../api/schema-types';

// Records keyed by the schema's unions: a value added to the API fails the build here until
// it is listed (and translated under `vocab.*` in both languages).

const themeOrder: Record<Theme, number> = {
  transport: 1,
  environment: 2,
  meteorology: 3,
  energy: 4,
  housing: 5,
  tourism: 6,
  health: 7,
  education: 8,
  customs_immigration: 9,
  finance_credit: 10,
  public_safety: 11,
  statistics: 12,
};
export const themes = sortedKeys(themeOrder);
/** A theme picker's list height that shows every theme without scrolling (antd's default shows eight). */
export const THEME_LIST_HEIGHT = 12 * 32 + 8;

/** Supervised opening: open green, conditional orange, restricted red. */
export const classificationColors: Record<Classification, string> = { open: 'green', conditional: 'orange', restricted: 'red' };
export const classifications = Object.keys(classificationColors) as Classification[];

/** Personal columns never leave the platform; quasi-identifiers only in groups of at least k. */
export const sensitivityColors: Record<Sensitivity, string> = { public: 'default', quasi_identifier: 'orange', personal: 'red' };
export const sensitivities = Object.keys(sensitivityColors) as Sensitivity[];

const frequencyOrder: Record<UpdateFrequency, number> = {
  continuous: 1,
  hourly: 2,
  daily: 3,
  weekly: 4,
  monthly: 5,
  quarterly: 6,
  annual: 7,
  irregular: 8,
};
export const updateFrequencies = sortedKeys(frequencyOrder);

const formatIsListed: Record<SourceFormat, true> = { csv: true, json: true, ndjson: true, parquet: true };
export const sourceFormats = Object.keys(formatIsListed) as SourceFormat[];

/** Licence texts; the government terms have no public URL (null). */
export const licenseUrls: Record<DatasetLicense, string | null> = {
  'cc-by-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'cc0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'odc-by-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
  'gov-open-terms': null,
  'gov-conditional-agreement': null,
};
export const datasetLicenses = Object.keys(licenseUrls) as DatasetLicense[];

const purposeIsListed: Record<AccessPurpose, true> = {
  research: true,
  public_service: true,
  product_development: true,
  risk_management: true,
  urban_planning: true,
  journalism: true,
  other: true,
};
export const accessPurposes = Object.keys(purposeIsListed) as AccessPurpose[];

const sortIsListed: Record<SearchSort, true> = { relevance: true, recent: true, popular: true, title: true };
export const searchSorts = Object.keys(sortIsListed) as SearchSort[];

export const datasetStatusColors: Record<DatasetStatus, string> = { draft: 'default', published: 'green', withdrawn: 'volcano' };

/** Limits the API enforces on a grant's term. */
export const GRANT_DAYS = { min: 1, max: 1095, default: 365 } as const;

function sortedKeys<Key extends string>(order: Record<Key, number>): Key[] {
  return (Object.keys(order) as Key[]).sort((a, b) => order[a] - order[b]);
}

export function isOneOf<Value extends string>(values: readonly Value[], candidate: unknown): candidate is Value {
  return typeof candidate === 'string' && (values as readonly string[]).includes(candidate);
}

/** The licence a new dataset gets unless the steward picks another (as the API does). */
export const defaultLicense: Record<Classification, DatasetLicense> = {
  open: 'cc-by-4.0',
  conditional: 'gov-conditional-agreement',
  restricted: 'gov-conditional-agreement',
};

/** k: the smallest group a derived output may describe. */
export const MIN_GROUP_SIZE = { min: 2, max: 1000, default: 5 } as const;
