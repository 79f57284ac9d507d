import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const DAYS = 366; // 2024

const HUBS = ['深圳北站', '福田枢纽', '罗湖火车站', '蛇口港', '宝安机场', '西乡', '龙华中心', '布吉', '大梅沙', '坪山中心', '光明城站', '南澳', '科技园', '华强北', '车公庙'];
const LINE_NUMBERS = ['1路', '3路', '10路', '12路', '15路', '26路', '36路', '62路', '64路', '80路', '101路', '113路', '202路', '204路', '226路', '301路', '303路', '316路', '320路', '332路', '357路', '362路', '369路', '390路', 'M133', 'M191', 'M215', 'B796', 'E11', 'E26'];

/** Lines: index, name, first stop, last stop, weekday passengers, weekday trips. */
const LINES = LINE_NUMBERS.map((name, index) => {
  const from = HUBS[index % HUBS.length];
  const to = HUBS[(index * 7 + 3) % HUBS.length];
  const passengers = 6000 + ((index * 7919) % 30) * 1200;
  return [index, name, from, to === from ? HUBS[(index + 1) % HUBS.length] : to, passengers, Math.round(passengers / 110)] as const;
});

/** Boardings a trip would carry if every bus ran full end to end (capacity times turnover). */
const BOARDINGS_PER_FULL_TRIP = 160;

const FIELDS = [
  field('运营日期', ['运营日期', 'Operating day'], 'day'),
  field('线路名称', ['公交线路名称', 'Bus line'], 'line'),
  field('起点站', ['线路起点站', 'First stop'], 'first_stop'),
  field('终点站', ['线路终点站', 'Last stop'], 'last_stop'),
  field('客运量(人次)', ['当日刷卡、扫码及投币乘车人次', 'Boardings that day (card, QR code and cash)'], 'passengers'),
  field('营运班次', ['当日发车班次', 'Scheduled trips run that day'], 'trips'),
  field('平均满载率(%)', ['车辆平均满载率', 'Average load factor, %'], `round(least(100, 100 * passengers / (trips * ${BOARDINGS_PER_FULL_TRIP}.0)), 1)`),
];

export const busPassengers: DemoSource = {
  dataset: {
    slug: 'bus-line-daily-passenger-flow',
    agencySlug: 'transport-bureau',
    titleZh: '公交线路客流（日）',
    titleEn: 'Daily passenger flow by bus line',
    descriptionZh: '2024 年全市 30 条骨干公交线路每日客运量、营运班次和平均满载率。可用于公交线网优化、运力调度和出行分析。',
    descriptionEn: 'Daily boardings, trips run and average load factor of 30 trunk bus lines in 2024. For bus network planning, fleet scheduling and travel analysis.',
    theme: 'transport',
    keywords: ['交通', '公交', '公交线路', '客流', '客运量', '公共交通', 'bus', 'public transport', 'ridership', 'passenger flow'],
    contactName: '市交通运输局 公共交通处',
    contactEmail: 'opendata@transport.demo',
    updateFrequency: 'daily',
    spatialCoverage: `${CITY_ZH}（30 条公交线路）`,
    temporalStart: '2024-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'gov-open-terms',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'bus-line-daily-passenger-flow-2024.csv', format: 'csv', encoding: 'utf-8-bom', approxRows: LINES.length * DAYS },
  },
  query({ version }) {
    return `
WITH lines AS (
  SELECT * FROM ${sqlValues('l', ['line_index', 'line', 'first_stop', 'last_stop', 'base_passengers', 'base_trips'], LINES)}
),
days AS (
  SELECT d AS day_index, DATE '2024-01-01' + d::INTEGER AS day,
         is_workday(DATE '2024-01-01' + d::INTEGER) AS workday,
         is_holiday(DATE '2024-01-01' + d::INTEGER) AS holiday,
         is_spring_festival_lull(DATE '2024-01-01' + d::INTEGER) AS lull
  FROM range(${DAYS}) r(d)
)
SELECT ${selectFields(FIELDS, version)}
FROM (
  SELECT d.day_index, l.line_index, d.day, l.line, l.first_stop, l.last_stop,
         round(l.base_passengers
           * (CASE WHEN d.workday THEN 1 WHEN d.holiday THEN 0.6 ELSE 0.75 END)
           * (CASE WHEN d.lull THEN 0.5 ELSE 1 END)
           * (1 + 0.06 * gauss(d.day_index * 100 + l.line_index, 101)))::INTEGER AS passengers,
         round(l.base_trips * (CASE WHEN d.workday THEN 1 ELSE 0.85 END))::INTEGER AS trips
  FROM days d CROSS JOIN lines l
)
ORDER BY day_index, line_index`;
  },
};
