import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const MONTHS = 60; // 2020-01 … 2024-12

/** Commodity groups: name, monthly exports and imports in 2020 (100 million yuan), yearly growth. */
const COMMODITIES: readonly (readonly [number, string, number, number, number])[] = [
  [0, '机电产品', 1250, 820, 0.04],
  [1, '高新技术产品', 720, 610, 0.05],
  [2, '集成电路', 150, 420, 0.07],
  [3, '手机', 210, 35, 0.01],
  [4, '自动数据处理设备及其零部件', 160, 90, 0.02],
  [5, '液晶显示板', 45, 60, -0.02],
  [6, '服装及衣着附件', 60, 8, -0.01],
  [7, '家具及其零件', 35, 3, 0.0],
  [8, '农产品', 25, 70, 0.05],
  [9, '汽车零配件', 30, 25, 0.12],
];
const FLOWS: readonly (readonly [number, string])[] = [
  [0, '出口'],
  [1, '进口'],
];

const FIELDS = [
  field('统计月份', ['统计月份（YYYY-MM）', 'Month (YYYY-MM)'], "strftime(month_start, '%Y-%m')"),
  field('贸易流向', ['出口或进口', 'Exports or imports'], 'flow'),
  field('商品类别', ['海关统计商品类别', 'Customs commodity group'], 'commodity'),
  field('金额(亿元)', ['当月进出口金额（人民币亿元）', 'Value in the month, 100 million yuan'], 'round(amount, 2)::DECIMAL(10, 2)'),
  field('同比增长(%)', ['与上年同月相比的增长率，首年为空', 'Change on the same month a year earlier, %; empty in the first year'], 'round(yoy, 1)::DECIMAL(6, 1)'),
];

export const customsTrade: DemoSource = {
  dataset: {
    slug: 'customs-trade-monthly',
    agencySlug: 'statistics-bureau',
    titleZh: '海关进出口商品月度统计',
    titleEn: 'Monthly customs imports and exports by commodity',
    descriptionZh:
      '2020—2024 年经本市海关进出口的主要商品类别月度金额（人民币亿元）和同比增长率，含机电产品、高新技术产品、集成电路、手机等。文件为 GB18030 编码的 CSV，按有条件开放方式提供。',
    descriptionEn:
      'Monthly value (100 million yuan) and year-on-year change of the main commodity groups imported and exported through the city’s customs, 2020–2024: machinery and electronics, high-tech products, integrated circuits, mobile phones and more. CSV encoded in GB18030; shared under conditions.',
    theme: 'customs_immigration',
    keywords: ['海关', '进出口', '外贸', '出口', '进口', '贸易', '集成电路', 'customs', 'trade', 'imports', 'exports'],
    contactName: '市统计局 贸易外经统计处',
    contactEmail: 'opendata@stats.demo',
    updateFrequency: 'monthly',
    spatialCoverage: CITY_ZH,
    temporalStart: '2020-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'gov-conditional-agreement',
    classification: 'conditional',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'customs-trade-monthly.csv', format: 'csv', encoding: 'gb18030', approxRows: MONTHS * FLOWS.length * COMMODITIES.length },
  },
  query({ version }) {
    return `
WITH commodities AS (
  SELECT * FROM ${sqlValues('c', ['commodity_index', 'commodity', 'exports_2020', 'imports_2020', 'growth'], COMMODITIES)}
),
flows AS (
  SELECT * FROM ${sqlValues('f', ['flow_index', 'flow'], FLOWS)}
),
months AS (
  SELECT m AS month_index, DATE '2020-01-01' + to_months(m::INTEGER) AS month_start, m // 12 AS year_index, (m % 12) + 1 AS month_of_year
  FROM range(${MONTHS}) r(m)
),
traded AS (
  SELECT m.month_index, f.flow_index, c.commodity_index, m.month_start, f.flow, c.commodity,
         (CASE WHEN f.flow_index = 0 THEN c.exports_2020 ELSE c.imports_2020 END)
           * pow(1 + c.growth, m.year_index)
           -- Factories close for the Spring Festival; exports peak before Christmas.
           * (CASE m.month_of_year WHEN 2 THEN 0.7 WHEN 1 THEN 0.95 WHEN 11 THEN 1.1 WHEN 12 THEN 1.15 ELSE 1 END)
           * (CASE WHEN m.month_start IN (DATE '2020-02-01', DATE '2020-03-01') THEN 0.75 ELSE 1 END)
           * (1 + 0.05 * gauss(m.month_index * 100 + f.flow_index * 10 + c.commodity_index, 121)) AS amount
  FROM months m CROSS JOIN flows f CROSS JOIN commodities c
),
compared AS (
  SELECT *, 100 * (amount / lag(amount, 12) OVER (PARTITION BY flow_index, commodity_index ORDER BY month_index) - 1) AS yoy
  FROM traded
)
SELECT ${selectFields(FIELDS, version)}
FROM compared
ORDER BY month_index, flow_index, commodity_index`;
  },
};
