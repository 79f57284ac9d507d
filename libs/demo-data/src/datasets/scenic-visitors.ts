import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const DAYS = 731; // 2023-01-01 … 2024-12-31

/** Scenic spots: name, district, grade, typical weekday visitors, ticket price (yuan), holiday pull. */
const SPOTS: readonly (readonly [number, string, string, string, number, number, number])[] = [
  [0, '世界之窗', '南山区', '5A', 9000, 220, 3.0],
  [1, '欢乐谷', '南山区', '5A', 11000, 230, 3.2],
  [2, '锦绣中华民俗村', '南山区', '5A', 6000, 200, 2.8],
  [3, '东部华侨城', '盐田区', '5A', 7000, 200, 3.0],
  [4, '深圳湾公园', '南山区', '未评级', 25000, 0, 2.0],
  [5, '莲花山公园', '福田区', '未评级', 18000, 0, 1.8],
  [6, '大梅沙海滨公园', '盐田区', '4A', 12000, 0, 3.5],
  [7, '梧桐山风景区', '罗湖区', '4A', 8000, 0, 2.2],
  [8, '仙湖植物园', '罗湖区', '4A', 6000, 15, 2.0],
  [9, '大鹏所城', '大鹏新区', '4A', 3000, 0, 3.0],
  [10, '较场尾', '大鹏新区', '未评级', 4000, 0, 3.5],
  [11, '观澜版画村', '龙华区', '4A', 1500, 0, 2.0],
  [12, '甘坑客家小镇', '龙岗区', '4A', 3500, 0, 2.5],
  [13, '光明农场大观园', '光明区', '4A', 2500, 50, 2.5],
];

const FIELDS = [
  field('日期', ['统计日期', 'Date'], 'day'),
  field('景区名称', ['景区（点）名称', 'Scenic spot'], 'spot'),
  field('所在区', ['景区所在行政区', 'District'], 'district'),
  field('景区等级', ['国家 A 级旅游景区等级', 'National tourist attraction grade (A to 5A)'], 'grade'),
  field('是否节假日', ['是否法定节假日', 'Whether the day is a public holiday'], 'holiday'),
  field('游客人次', ['当日接待游客人次', 'Visitors received that day'], 'visitors'),
  field('门票收入(万元)', ['当日门票收入（万元），免费景区为 0', 'Ticket revenue that day, 10,000 yuan; 0 where entry is free'], 'round(visitors * ticket_price * 0.85 / 10000, 2)'),
];

export const scenicVisitors: DemoSource = {
  dataset: {
    slug: 'scenic-spot-daily-visitors',
    agencySlug: 'tourism-bureau',
    titleZh: '景区客流统计（日）',
    titleEn: 'Daily visitors at scenic spots',
    descriptionZh:
      '2023—2024 年全市 14 个主要景区、公园每日接待游客人次和门票收入，标注法定节假日。可用于旅游客流预测、节假日出行安排和景区承载力管理。',
    descriptionEn:
      'Daily visitors and ticket revenue at 14 major scenic spots and parks, 2023–2024, with public holidays marked. For tourist flow forecasting, holiday travel planning and visitor capacity management.',
    theme: 'tourism',
    keywords: ['旅游', '景区', '客流', '游客', '节假日', '公园', '门票', 'tourism', 'visitors', 'scenic spots', 'holidays'],
    contactName: '市文化广电旅游体育局 旅游市场处',
    contactEmail: 'opendata@tourism.demo',
    updateFrequency: 'daily',
    spatialCoverage: `${CITY_ZH}（14 个景区）`,
    temporalStart: '2023-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'cc0-1.0',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'scenic-spot-daily-visitors.json', format: 'json', encoding: 'utf-8', approxRows: SPOTS.length * DAYS },
  },
  query({ version }) {
    return `
WITH spots AS (
  SELECT * FROM ${sqlValues('s', ['spot_index', 'spot', 'district', 'grade', 'base_visitors', 'ticket_price', 'holiday_pull'], SPOTS)}
),
days AS (
  SELECT d AS day_index, DATE '2023-01-01' + d::INTEGER AS day,
         is_holiday(DATE '2023-01-01' + d::INTEGER) AS holiday,
         isodow(DATE '2023-01-01' + d::INTEGER) AS weekday,
         month(DATE '2023-01-01' + d::INTEGER) AS month_of_year,
         -- Rainy days keep people at home; rain is likelier in summer.
         rnd(d, 61) < 0.3 + 0.25 * cos(2 * pi() * (dayofyear(DATE '2023-01-01' + d::INTEGER) - 180) / 365) AS rainy
  FROM range(${DAYS}) r(d)
)
SELECT ${selectFields(FIELDS, version)}
FROM (
  SELECT d.day_index, s.spot_index, d.day, s.spot, s.district, s.grade, d.holiday, s.ticket_price,
         round(s.base_visitors
           * (CASE WHEN d.holiday THEN s.holiday_pull WHEN d.weekday = 6 THEN 1.8 WHEN d.weekday = 7 THEN 1.6 WHEN d.weekday = 5 THEN 1.1 ELSE 0.8 END)
           * (CASE WHEN d.month_of_year IN (7, 8) THEN 1.3 ELSE 1 END)
           * (CASE WHEN d.day < DATE '2023-03-01' THEN 0.8 ELSE 1 END)
           * (CASE WHEN d.rainy THEN 0.6 ELSE 1 END)
           * exp(0.12 * gauss(d.day_index * 100 + s.spot_index, 62)))::INTEGER AS visitors
  FROM days d CROSS JOIN spots s
)
ORDER BY day_index, spot_index`;
  },
};
