import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const DAYS = 1827; // 2020-01-01 … 2024-12-31

/** Stations: number, name, district, temperature offset (°C), extra wind (m/s). */
const STATIONS: readonly (readonly [number, string, string, string, number, number])[] = [
  [0, '59493', '深圳国家基本气象站', '福田区', 0, 0],
  [1, 'G3521', '南山气象站', '南山区', 0.2, 0.4],
  [2, 'G3538', '宝安气象站', '宝安区', 0.1, 0.5],
  [3, 'G3547', '龙岗气象站', '龙岗区', 0.4, -0.3],
  [4, 'G3569', '大鹏气象站', '大鹏新区', -0.6, 1.2],
];

const FIELDS = [
  field('观测日期', ['观测日期', 'Observation date'], 'day'),
  field('站点编号', ['气象站区站号', 'Station number'], 'station_number'),
  field('站点名称', ['气象站名称', 'Station name'], 'station'),
  field('所在区', ['气象站所在行政区', 'District of the station'], 'district'),
  field('平均气温(℃)', ['日平均气温', 'Mean air temperature, °C'], 'round(mean_temp, 1)'),
  field('最高气温(℃)', ['日最高气温', 'Maximum air temperature, °C'], 'round(mean_temp + warm_spread, 1)'),
  field('最低气温(℃)', ['日最低气温', 'Minimum air temperature, °C'], 'round(mean_temp - cool_spread, 1)'),
  field('降水量(毫米)', ['20—20 时日降水量', 'Precipitation (20:00–20:00), mm'], 'round(precipitation, 1)'),
  field('平均相对湿度(%)', ['日平均相对湿度', 'Mean relative humidity, %'], 'round(humidity)::INTEGER'),
  field('平均风速(米/秒)', ['日平均风速（2 分钟）', 'Mean wind speed (2-minute), m/s'], 'round(wind, 1)'),
  field('日照时数(小时)', ['日照时数', 'Sunshine duration, hours'], 'round(sunshine, 1)'),
];

export const dailyWeather: DemoSource = {
  dataset: {
    slug: 'daily-weather-observations',
    agencySlug: 'meteorology-bureau',
    titleZh: '气象日观测数据',
    titleEn: 'Daily weather observations',
    descriptionZh:
      '全市 5 个气象观测站 2020—2024 年逐日地面观测要素：平均、最高、最低气温，降水量，相对湿度，风速和日照时数。可用于气候分析、防灾减灾、农业和能源需求预测。',
    descriptionEn:
      'Daily surface observations of 5 weather stations, 2020–2024: mean, maximum and minimum temperature, precipitation, relative humidity, wind speed and sunshine duration. For climate analysis, disaster prevention, agriculture and energy demand forecasting.',
    theme: 'meteorology',
    keywords: ['气象', '天气', '气温', '降水', '降雨', '湿度', '风速', '日照', '台风', 'weather', 'meteorology', 'temperature', 'rainfall'],
    contactName: '市气象局 气象信息中心',
    contactEmail: 'opendata@weather.demo',
    updateFrequency: 'daily',
    spatialCoverage: `${CITY_ZH}（5 个气象站）`,
    temporalStart: '2020-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'cc-by-4.0',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'daily-weather-observations-2020-2024.csv', format: 'csv', encoding: 'utf-8', approxRows: STATIONS.length * DAYS },
  },
  query({ version }) {
    return `
WITH stations AS (
  SELECT * FROM ${sqlValues('s', ['station_index', 'station_number', 'station', 'district', 'temp_offset', 'extra_wind'], STATIONS)}
),
days AS (
  -- Weather systems cover the whole city: the day's anomaly, rain and typhoons are shared by every station.
  SELECT d AS day_index, DATE '2020-01-01' + d::INTEGER AS day,
         cos(2 * pi() * (dayofyear(DATE '2020-01-01' + d::INTEGER) - 200) / 365.25) AS summer,
         1.8 * gauss(d, 91) AS anomaly,
         rnd(d, 92) AS u_rain,
         month(DATE '2020-01-01' + d::INTEGER) BETWEEN 7 AND 9 AND rnd(d, 93) < 0.03 AS typhoon
  FROM range(${DAYS}) r(d)
),
observed AS (
  SELECT d.day_index, s.station_index, d.day, s.station_number, s.station, s.district, s.extra_wind, d.typhoon,
         d.day_index * 10 + s.station_index AS k,
         22.2 + 6.7 * d.summer + d.anomaly + s.temp_offset AS mean_temp,
         d.u_rain < 0.33 + 0.27 * d.summer OR d.typhoon AS rainy,
         d.summer
  FROM days d CROSS JOIN stations s
),
weather AS (
  SELECT *,
         CASE WHEN typhoon THEN 80 + 120 * rnd(k, 94)
              WHEN rainy THEN -ln(1 - rnd(k, 95)) * (6 + 9 * (summer + 1)) ELSE 0 END AS precipitation,
         least(99, 74 + 8 * summer + CASE WHEN rainy THEN 10 ELSE 0 END + 5 * gauss(k, 96)) AS humidity,
         greatest(0.3, 2.3 + extra_wind + CASE WHEN typhoon THEN 6 ELSE 0 END + 0.6 * gauss(k, 97)) AS wind,
         greatest(0, CASE WHEN rainy THEN 3 * rnd(k, 98) ELSE 4 + 5.5 * rnd(k, 98) + summer END) AS sunshine,
         CASE WHEN rainy THEN 2 + 2 * rnd(k, 99) ELSE 3.5 + 3 * rnd(k, 99) END AS warm_spread,
         CASE WHEN rainy THEN 1.5 + 1.5 * rnd(k, 100) ELSE 3 + 2.5 * rnd(k, 100) END AS cool_spread
  FROM observed
)
SELECT ${selectFields(FIELDS, version)}
FROM weather
ORDER BY day_index, station_index`;
  },
};
