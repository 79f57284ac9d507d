import { CITY_ZH, DISTRICTS } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const MONTHS = 60; // 2020-01 … 2024-12

/**
 * Utilities: name, unit, monthly use per 10,000 residents, yearly growth, seasonal amplitude,
 * month of the seasonal peak, residential share (%).
 */
const UTILITIES: readonly (readonly [number, string, string, number, number, number, number, number])[] = [
  [0, '电力', '万千瓦时', 47, 0.04, 0.25, 7.5, 18],
  [1, '天然气', '万立方米', 4.7, 0.06, 0.15, 1, 48],
  [2, '自来水', '万立方米', 9.5, 0.01, 0.1, 7.5, 62],
];

/** Power use and household share relative to the city average, by district profile. */
const PROFILE_FACTORS = { core: [0.9, 1.0], industrial: [1.2, 0.8], coastal: [0.8, 1.15] } as const;

const DISTRICT_ROWS = DISTRICTS.map((district, index) => [index, district.name, district.populationWan, ...PROFILE_FACTORS[district.profile]] as const);

const FIELDS = [
  field('统计月份', ['统计月份（YYYY-MM）', 'Month (YYYY-MM)'], "strftime(month_start, '%Y-%m')"),
  field('行政区', ['行政区', 'District'], 'district'),
  field('能源类别', ['电力、天然气或自来水', 'Utility: power, gas or water'], 'utility'),
  field('消费量', ['当月消费总量，单位见计量单位', 'Consumption in the month, in the unit given'], 'round(amount, 2)::DECIMAL(12, 2)'),
  field('计量单位', ['消费量的计量单位', 'Unit of the consumption'], 'unit'),
  field('居民生活占比(%)', ['居民生活用量占消费总量的比例', 'Share of household use, %'], 'round(residential_share, 1)::DECIMAL(4, 1)'),
  field('同比增长(%)', ['与上年同月相比的增长率，首年为空', 'Change on the same month a year earlier, %; empty in the first year'], 'round(yoy, 1)::DECIMAL(6, 1)'),
];

export const districtEnergy: DemoSource = {
  dataset: {
    slug: 'district-energy-consumption-monthly',
    agencySlug: 'energy-bureau',
    titleZh: '分区月度能源消费（电、气、水）',
    titleEn: 'Monthly power, gas and water consumption by district',
    descriptionZh:
      '2020—2024 年各行政区每月电力、天然气和自来水消费总量，含居民生活用量占比和同比增长率。可用于能源规划、碳排放核算和经济运行分析，按有条件开放方式提供。',
    descriptionEn:
      'Monthly electricity, natural gas and tap water consumption of each district, 2020–2024, with the household share and the year-on-year change. For energy planning, carbon accounting and economic monitoring; shared under conditions.',
    theme: 'energy',
    keywords: ['能源', '能源消费', '用电量', '电力', '天然气', '用水量', '自来水', '碳排放', 'energy', 'electricity', 'gas', 'water'],
    contactName: '市能源局 统计分析科',
    contactEmail: 'opendata@energy.demo',
    updateFrequency: 'monthly',
    spatialCoverage: `${CITY_ZH}（10 个行政区）`,
    temporalStart: '2020-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'gov-conditional-agreement',
    classification: 'conditional',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'district-energy-consumption-monthly.csv', format: 'csv', encoding: 'utf-8', approxRows: UTILITIES.length * DISTRICTS.length * MONTHS },
  },
  query({ version }) {
    return `
WITH districts AS (
  SELECT * FROM ${sqlValues('d', ['district_index', 'district', 'population', 'power_factor', 'household_factor'], DISTRICT_ROWS)}
),
utilities AS (
  SELECT * FROM ${sqlValues('u', ['utility_index', 'utility', 'unit', 'per_capita', 'growth', 'amplitude', 'peak_month', 'residential'], UTILITIES)}
),
months AS (
  SELECT m AS month_index, DATE '2020-01-01' + to_months(m::INTEGER) AS month_start, m // 12 AS year_index, (m % 12) + 1 AS month_of_year
  FROM range(${MONTHS}) r(m)
),
usage AS (
  SELECT m.month_index, d.district_index, u.utility_index, m.month_start, d.district, u.utility, u.unit,
         d.population * u.per_capita
           * (CASE WHEN u.utility_index = 0 THEN d.power_factor ELSE 1 END)
           * pow(1 + u.growth, m.year_index)
           * (1 + u.amplitude * cos(2 * pi() * (m.month_of_year - u.peak_month) / 12))
           * (CASE WHEN m.month_of_year = 2 THEN 0.88 ELSE 1 END)
           * (CASE WHEN m.month_start IN (DATE '2020-02-01', DATE '2020-03-01') THEN 0.8 ELSE 1 END)
           * (1 + 0.03 * gauss(m.month_index * 100 + d.district_index * 10 + u.utility_index, 41)) AS amount,
         u.residential * d.household_factor
           + 2 * gauss(m.month_index * 100 + d.district_index * 10 + u.utility_index, 42) AS residential_share
  FROM months m CROSS JOIN districts d CROSS JOIN utilities u
),
compared AS (
  SELECT *, 100 * (amount / lag(amount, 12) OVER (PARTITION BY district_index, utility_index ORDER BY month_index) - 1) AS yoy
  FROM usage
)
SELECT ${selectFields(FIELDS, version)}
FROM compared
ORDER BY month_index, district_index, utility_index`;
  },
};
