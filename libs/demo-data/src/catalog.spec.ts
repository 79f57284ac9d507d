import { DEMO_DATASETS, demoColumns } from './catalog.js';
import { CLASSIFICATION_KEYS, DATASET_LICENSE_KEYS, SENSITIVITY_KEYS, THEME_KEYS, UPDATE_FREQUENCY_KEYS } from './vocabulary.js';

const AGENCIES = [
  'transport-bureau',
  'ecology-bureau',
  'meteorology-bureau',
  'statistics-bureau',
  'energy-bureau',
  'housing-bureau',
  'tourism-bureau',
  'health-commission',
];
const CHINESE = /[\u4e00-\u9fff]/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('DEMO_DATASETS', () => {
  it('has at least ten datasets with unique slugs and file names', () => {
    expect(DEMO_DATASETS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(DEMO_DATASETS.map((d) => d.slug)).size).toBe(DEMO_DATASETS.length);
    expect(new Set(DEMO_DATASETS.map((d) => d.file.filename)).size).toBe(DEMO_DATASETS.length);
  });

  it('spreads over every agency, several themes, all classifications and every file format', () => {
    expect(new Set(DEMO_DATASETS.map((d) => d.agencySlug))).toEqual(new Set(AGENCIES));
    expect(new Set(DEMO_DATASETS.map((d) => d.theme)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_DATASETS.map((d) => d.classification))).toEqual(new Set(CLASSIFICATION_KEYS));
    expect(new Set(DEMO_DATASETS.map((d) => d.file.format))).toEqual(new Set(['csv', 'json', 'ndjson', 'parquet']));
    expect(new Set(DEMO_DATASETS.map((d) => d.file.encoding).filter(Boolean))).toEqual(new Set(['utf-8', 'utf-8-bom', 'gb18030']));
  });

  it.each(DEMO_DATASETS.map((d) => [d.slug, d] as const))('%s: metadata fits the catalog vocabularies', (_slug, dataset) => {
    expect(AGENCIES).toContain(dataset.agencySlug);
    expect(THEME_KEYS).toContain(dataset.theme);
    expect(CLASSIFICATION_KEYS).toContain(dataset.classification);
    expect(UPDATE_FREQUENCY_KEYS).toContain(dataset.updateFrequency);
    expect(DATASET_LICENSE_KEYS).toContain(dataset.licenseId);
    expect(dataset.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(dataset.titleZh).toMatch(CHINESE);
    expect(dataset.descriptionZh).toMatch(CHINESE);
    expect(dataset.titleEn).toMatch(/^[\x20-\x7e–’]+$/);
    expect(dataset.contactEmail).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(dataset.temporalStart).toMatch(ISO_DATE);
    expect(dataset.temporalEnd).toMatch(ISO_DATE);
    expect(dataset.temporalStart <= dataset.temporalEnd).toBe(true);
    expect(Number.isInteger(dataset.minGroupSize) && dataset.minGroupSize >= 2).toBe(true);
    expect(dataset.file.approxRows).toBeGreaterThan(0);
    expect(dataset.file.filename.endsWith(`.${dataset.file.format}`)).toBe(true);
    // Text files name their encoding; Parquet has none.
    expect(dataset.file.encoding === undefined).toBe(dataset.file.format === 'parquet');
    // Search works in both languages.
    expect(dataset.keywords.some((k) => CHINESE.test(k))).toBe(true);
    expect(dataset.keywords.some((k) => /^[\x20-\x7e]+$/.test(k))).toBe(true);
  });

  it.each(DEMO_DATASETS.map((d) => [d.slug, d] as const))('%s: columns are unique, described and classified', (_slug, dataset) => {
    const names = dataset.columns.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const column of dataset.columns) {
      expect(SENSITIVITY_KEYS).toContain(column.sensitivity);
      expect(column.descriptionZh).toMatch(CHINESE);
      expect(column.descriptionEn.length).toBeGreaterThan(0);
      expect(column.addedInVersion ?? 1).toBeLessThanOrEqual(dataset.versions ?? 1);
    }
  });

  it('keeps personal columns to restricted datasets and quasi-identifiers out of open ones', () => {
    for (const dataset of DEMO_DATASETS) {
      const sensitivities = new Set(dataset.columns.map((c) => c.sensitivity));
      if (dataset.classification !== 'restricted') expect([dataset.slug, sensitivities.has('personal')]).toEqual([dataset.slug, false]);
      if (dataset.classification === 'open') expect([dataset.slug, sensitivities.has('quasi_identifier')]).toEqual([dataset.slug, false]);
    }
  });

  it('describes the hospital visits as restricted with personal columns and k = 10', () => {
    const hospital = DEMO_DATASETS.find((d) => d.slug === 'hospital-outpatient-visits');
    expect(hospital?.classification).toBe('restricted');
    expect(hospital?.minGroupSize).toBe(10);
    expect(hospital?.columns.filter((c) => c.sensitivity === 'personal').map((c) => c.name)).toEqual(['patient_id', 'national_id', 'patient_name']);
    expect(hospital?.columns.filter((c) => c.sensitivity === 'quasi_identifier').map((c) => c.name)).toEqual(['age', 'sex', 'district']);
  });

  it('finds the traffic dataset by Chinese words in its title and keywords', () => {
    const traffic = DEMO_DATASETS.find((d) => d.slug === 'road-traffic-flow-hourly');
    expect(traffic?.titleZh).toContain('交通');
    expect(traffic?.keywords).toEqual(expect.arrayContaining(['交通', '拥堵指数', 'traffic']));
  });

  it('gives the air-quality dataset a second version with one more column', () => {
    const air = DEMO_DATASETS.find((d) => d.slug === 'air-quality-hourly')!;
    expect(air.versions).toBe(2);
    const v1 = demoColumns(air, 1).map((c) => c.name);
    const v2 = demoColumns(air, 2).map((c) => c.name);
    expect(v2.filter((name) => !v1.includes(name))).toEqual(['SO2(微克/立方米)']);
    expect(v1.every((name) => v2.includes(name))).toBe(true);
  });
});
