import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlPiecewiseLinear, sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

/** Monitoring stations: name, district, particulate factor, NO2 factor, ozone factor. */
const STATIONS: readonly (readonly [number, string, string, number, number, number])[] = [
  [0, '荔园', '福田区', 1.0, 1.25, 0.95],
  [1, '洪湖', '罗湖区', 1.05, 1.2, 0.95],
  [2, '南油', '南山区', 1.0, 1.2, 1.0],
  [3, '盐田', '盐田区', 0.8, 0.9, 1.1],
  [4, '西乡', '宝安区', 1.2, 1.3, 1.0],
  [5, '龙岗', '龙岗区', 1.15, 1.1, 1.05],
  [6, '观澜', '龙华区', 1.15, 1.05, 1.05],
  [7, '坪山', '坪山区', 1.05, 0.95, 1.1],
  [8, '光明', '光明区', 1.1, 0.95, 1.1],
  [9, '葵涌', '大鹏新区', 0.7, 0.6, 1.15],
];

const DAYS = 210;

/** HJ 633-2012 breakpoints: concentration (µg/m³, hourly where defined) → individual AQI. */
const IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500];
const BREAKPOINTS = {
  pm25: [0, 35, 75, 115, 150, 250, 350, 500],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  no2: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  o3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  so2: [0, 150, 500, 650, 800],
};

function iaqi(pollutant: keyof typeof BREAKPOINTS): string {
  const xs = BREAKPOINTS[pollutant];
  return sqlPiecewiseLinear(pollutant, xs, IAQI_LEVELS.slice(0, xs.length));
}

const FIELDS = [
  field('监测时间', ['监测小时（北京时间）', 'Hour of measurement (local time)'], 'ts'),
  field('站点名称', ['国控/省控空气质量监测站名称', 'Monitoring station'], 'station'),
  field('所在区', ['监测站所在行政区', 'District of the station'], 'district'),
  field('PM2.5(微克/立方米)', ['细颗粒物 PM2.5 小时浓度', 'PM2.5 hourly concentration, µg/m³'], 'pm25'),
  field('PM10(微克/立方米)', ['可吸入颗粒物 PM10 小时浓度', 'PM10 hourly concentration, µg/m³'], 'pm10'),
  field('NO2(微克/立方米)', ['二氧化氮小时浓度', 'Nitrogen dioxide hourly concentration, µg/m³'], 'no2'),
  field('O3(微克/立方米)', ['臭氧小时浓度', 'Ozone hourly concentration, µg/m³'], 'o3'),
  { ...field('SO2(微克/立方米)', ['二氧化硫小时浓度（第 2 版起发布）', 'Sulphur dioxide hourly concentration, µg/m³ (from version 2)'], 'so2'), addedInVersion: 2 },
  field('空气质量指数(AQI)', ['空气质量指数 AQI（HJ 633-2012）', 'Air quality index (HJ 633-2012)'], 'aqi'),
  field('空气质量等级', ['优、良、轻度污染、中度污染、重度污染、严重污染', 'AQI category, excellent to severe'], 'level'),
  field('首要污染物', ['AQI 大于 50 时的首要污染物', 'Primary pollutant when the AQI exceeds 50'], 'primary_pollutant'),
];

export const airQuality: DemoSource = {
  dataset: {
    slug: 'air-quality-hourly',
    agencySlug: 'ecology-bureau',
    titleZh: '空气质量小时监测数据',
    titleEn: 'Hourly air quality by monitoring station',
    descriptionZh:
      '全市 10 个空气质量自动监测站的逐小时监测数据：PM2.5、PM10、二氧化氮、臭氧浓度，空气质量指数（AQI）、空气质量等级和首要污染物。第 2 版起增加二氧化硫浓度。文件为 GB18030 编码的 CSV。',
    descriptionEn:
      'Hourly readings of the 10 automatic air quality stations: PM2.5, PM10, NO2 and ozone concentrations, the air quality index (AQI), its category and the primary pollutant. Version 2 adds sulphur dioxide. CSV encoded in GB18030.',
    theme: 'environment',
    keywords: ['空气质量', '环境', '大气', '污染', 'AQI', 'PM2.5', 'PM10', '臭氧', '监测站', 'air quality', 'pollution', 'environment'],
    contactName: '市生态环境局 环境监测中心',
    contactEmail: 'opendata@ecology.demo',
    updateFrequency: 'hourly',
    spatialCoverage: `${CITY_ZH}（10 个监测站）`,
    temporalStart: '2024-01-01',
    temporalEnd: '2024-07-28',
    licenseId: 'gov-open-terms',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'air-quality-hourly-2024.csv', format: 'csv', encoding: 'gb18030', approxRows: STATIONS.length * DAYS * 24 },
    versions: 2,
  },
  query({ version }) {
    const so2Index = version >= 2 ? `, ${iaqi('so2')}` : '';
    return `
WITH stations AS (
  SELECT * FROM ${sqlValues('s', ['station_index', 'station', 'district', 'pm_factor', 'no2_factor', 'o3_factor'], STATIONS)}
),
days AS (
  -- Regional pollution episodes, shared by every station and smoothed over three days.
  SELECT d AS day_index,
         1 + 1.2 * greatest(0, (rnd(d - 1, 31) + rnd(d, 31) + rnd(d + 1, 31)) / 3 - 0.55) / 0.45 AS episode,
         cos(2 * pi() * (d - 15) / 366) AS winter
  FROM range(${DAYS}) r(d)
),
hours AS (
  SELECT h, h // 24 AS day_index, (h % 24)::DOUBLE AS hod, TIMESTAMP '2024-01-01 00:00:00' + to_hours(h) AS ts
  FROM range(${DAYS * 24}) r(h)
),
concentrations AS (
  SELECT h.h, s.station_index, h.ts, s.station, s.district,
         greatest(3, round(s.pm_factor * (22 + 12 * d.winter) * d.episode
           * (1 + 0.15 * cos(2 * pi() * (h.hod - 22) / 24)) * exp(0.3 * gauss(h.h * 100 + s.station_index, 32))))::INTEGER AS pm25,
         greatest(2, round(s.no2_factor * (26 + 8 * d.winter)
           * (1 + 0.4 * exp(-pow(h.hod - 8.5, 2) / 3) + 0.45 * exp(-pow(h.hod - 19.5, 2) / 4) - 0.25 * exp(-pow(h.hod - 14, 2) / 6))
           * exp(0.25 * gauss(h.h * 100 + s.station_index, 34))))::INTEGER AS no2,
         greatest(2, round(s.o3_factor * (55 - 10 * d.winter) * sqrt(d.episode)
           * (0.3 + 1.4 * exp(-pow(h.hod - 15, 2) / 9)) * exp(0.25 * gauss(h.h * 100 + s.station_index, 35))))::INTEGER AS o3,
         greatest(1, round((5 + 2 * d.winter) * exp(0.3 * gauss(h.h * 100 + s.station_index, 36))))::INTEGER AS so2,
         1.45 + 0.35 * rnd(h.h * 100 + s.station_index, 33) AS coarse_ratio
  FROM hours h JOIN days d USING (day_index) CROSS JOIN stations s
),
indexed AS (
  SELECT *, round(pm25 * coarse_ratio)::INTEGER AS pm10 FROM concentrations
),
scored AS (
  SELECT *, ${iaqi('pm25')} AS i_pm25, ${iaqi('pm10')} AS i_pm10, ${iaqi('no2')} AS i_no2, ${iaqi('o3')} AS i_o3
  FROM indexed
),
rated AS (
  SELECT *, ceil(greatest(i_pm25, i_pm10, i_no2, i_o3${so2Index}))::INTEGER AS aqi FROM scored
)
SELECT ${selectFields(FIELDS, version)}
FROM (
  SELECT *,
         CASE WHEN aqi <= 50 THEN '优' WHEN aqi <= 100 THEN '良' WHEN aqi <= 150 THEN '轻度污染'
              WHEN aqi <= 200 THEN '中度污染' WHEN aqi <= 300 THEN '重度污染' ELSE '严重污染' END AS level,
         CASE WHEN aqi <= 50 THEN '—'
              WHEN ceil(i_o3) = aqi THEN 'O3' WHEN ceil(i_pm25) = aqi THEN 'PM2.5'
              WHEN ceil(i_pm10) = aqi THEN 'PM10' WHEN ceil(i_no2) = aqi THEN 'NO2' ELSE 'SO2' END AS primary_pollutant
  FROM rated
)
ORDER BY h, station_index`;
  },
};
