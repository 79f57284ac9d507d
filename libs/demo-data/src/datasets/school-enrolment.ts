import { CITY_ZH, DISTRICTS } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const FIRST_YEAR = 2015;
const YEARS = 10; // 2015 … 2024

/** School levels: name, pupils per resident (2015), pupils per school, pupils per teacher, years of study. */
const LEVELS: readonly (readonly [number, string, number, number, number, number])[] = [
  [0, '小学', 0.07, 2000, 17, 6],
  [1, '初中', 0.025, 1500, 13, 3],
  [2, '普通高中', 0.011, 2000, 12, 3],
];

const DISTRICT_ROWS = DISTRICTS.map((district, index) => [index, district.name, district.populationWan] as const);

const FIELDS = [
  field('year', ['学年（秋季学期开学年份）', 'School year (autumn term)'], 'year'),
  field('district', ['行政区', 'District'], 'district'),
  field('school_level', ['学段：小学、初中、普通高中', 'Level: primary, junior secondary, senior secondary'], 'school_level'),
  field('school_count', ['学校数（所）', 'Schools'], 'greatest(1, round(students / school_size))::INTEGER'),
  field('enrolled_students', ['在校生数（人）', 'Enrolled students'], 'round(students)::INTEGER'),
  field('new_entrants', ['招生数（人）', 'New entrants'], 'round(students / study_years * (1 + 0.02 * gauss(k, 112)))::INTEGER'),
  field('full_time_teachers', ['专任教师数（人）', 'Full-time teachers'], 'round(students / pupils_per_teacher * (1 + 0.03 * gauss(k, 113)))::INTEGER'),
];

export const schoolEnrolment: DemoSource = {
  dataset: {
    slug: 'school-enrolment-statistics',
    agencySlug: 'statistics-bureau',
    titleZh: '各区中小学教育统计',
    titleEn: 'Primary and secondary school statistics by district',
    descriptionZh: '2015—2024 年各行政区小学、初中和普通高中的学校数、在校生数、招生数和专任教师数（统计年鉴口径）。可用于学位供需分析和教育资源规划。',
    descriptionEn:
      'Schools, enrolled students, new entrants and full-time teachers of primary, junior and senior secondary schools in each district, 2015–2024 (statistical yearbook basis). For school place planning and education resource analysis.',
    theme: 'education',
    keywords: ['教育', '学校', '中小学', '在校生', '招生', '教师', '学位', '统计年鉴', 'education', 'schools', 'enrolment', 'teachers'],
    contactName: '市统计局 社会科技统计处',
    contactEmail: 'opendata@stats.demo',
    updateFrequency: 'annual',
    spatialCoverage: `${CITY_ZH}（10 个行政区）`,
    temporalStart: '2015-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'cc-by-4.0',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'school-enrolment-statistics.json', format: 'json', encoding: 'utf-8', approxRows: YEARS * DISTRICTS.length * LEVELS.length },
  },
  query({ version }) {
    return `
WITH districts AS (
  SELECT * FROM ${sqlValues('d', ['district_index', 'district', 'population'], DISTRICT_ROWS)}
),
levels AS (
  SELECT * FROM ${sqlValues('l', ['level_index', 'school_level', 'per_resident', 'school_size', 'pupils_per_teacher', 'study_years'], LEVELS)}
),
counted AS (
  SELECT y.y AS year_index, ${FIRST_YEAR} + y.y AS year, d.district_index, l.level_index, d.district, l.school_level,
         l.school_size, l.pupils_per_teacher, l.study_years,
         y.y * 100 + d.district_index * 10 + l.level_index AS k,
         d.population * 10000 * l.per_resident * pow(1.045, y.y) * (1 + 0.04 * gauss(d.district_index * 10 + l.level_index, 111)) AS students
  FROM range(${YEARS}) y(y) CROSS JOIN districts d CROSS JOIN levels l
)
SELECT ${selectFields(FIELDS, version)}
FROM counted
ORDER BY year_index, district_index, level_index`;
  },
};
