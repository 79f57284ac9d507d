import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoScale, DemoSource } from '../types.js';

type RoadClass = 'expressway' | 'arterial' | 'secondary';

const ROADS: readonly (readonly [string, string, RoadClass])[] = [
  ['深南大道', '福田区', 'arterial'],
  ['滨河大道', '福田区', 'expressway'],
  ['北环大道', '福田区', 'expressway'],
  ['红荔路', '福田区', 'arterial'],
  ['彩田路', '福田区', 'arterial'],
  ['皇岗路', '福田区', 'arterial'],
  ['新洲路', '福田区', 'arterial'],
  ['福华路', '福田区', 'secondary'],
  ['东门路', '罗湖区', 'secondary'],
  ['人民南路', '罗湖区', 'arterial'],
  ['宝安南路', '罗湖区', 'arterial'],
  ['布心路', '罗湖区', 'secondary'],
  ['沙河西路', '南山区', 'arterial'],
  ['南海大道', '南山区', 'arterial'],
  ['科苑大道', '南山区', 'arterial'],
  ['后海大道', '南山区', 'arterial'],
  ['深盐路', '盐田区', 'arterial'],
  ['盐田路', '盐田区', 'secondary'],
  ['宝安大道', '宝安区', 'arterial'],
  ['广深公路', '宝安区', 'expressway'],
  ['创业路', '宝安区', 'secondary'],
  ['龙岗大道', '龙岗区', 'arterial'],
  ['布吉路', '龙岗区', 'arterial'],
  ['深惠路', '龙岗区', 'arterial'],
  ['民治大道', '龙华区', 'arterial'],
  ['梅龙大道', '龙华区', 'arterial'],
  ['人民路', '龙华区', 'secondary'],
  ['坪山大道', '坪山区', 'arterial'],
  ['光明大道', '光明区', 'arterial'],
  ['葵鹏路', '大鹏新区', 'secondary'],
];

/** Free-flow speed (km/h) and capacity (vehicles per hour) of a road class. */
const ROAD_CLASSES: Record<RoadClass, { freeFlowKmh: number; capacityPerHour: number }> = {
  expressway: { freeFlowKmh: 80, capacityPerHour: 5400 },
  arterial: { freeFlowKmh: 60, capacityPerHour: 3600 },
  secondary: { freeFlowKmh: 40, capacityPerHour: 1600 },
};

const SECTIONS_PER_ROAD = 4;
const SECTION_CAPACITY_FACTORS = [1.0, 0.9, 1.1, 0.95];

const SEGMENTS = ROADS.flatMap(([roadName, district, roadClass], road) =>
  SECTION_CAPACITY_FACTORS.map((factor, section) => {
    const { freeFlowKmh, capacityPerHour } = ROAD_CLASSES[roadClass];
    const segmentId = `R${String(road + 1).padStart(3, '0')}-${section + 1}`;
    return [road * SECTIONS_PER_ROAD + section, segmentId, roadName, district, freeFlowKmh, Math.round(capacityPerHour * factor)] as const;
  }),
);

/** Segments and days written at each scale; the small scale keeps every tenth segment. */
const TRAFFIC_SIZES: Record<DemoScale, { segmentStride: number; days: number }> = {
  full: { segmentStride: 1, days: 366 },
  small: { segmentStride: 10, days: 35 },
};

export function trafficRowCount(scale: DemoScale): number {
  const { segmentStride, days } = TRAFFIC_SIZES[scale];
  return Math.ceil(SEGMENTS.length / segmentStride) * days * 24;
}

/** Share of capacity used at each hour: two rush hours on working days, one broad afternoon peak otherwise. */
const WORKDAY_PROFILE =
  '0.06 + 0.5 * exp(-pow(hod - 13.5, 2) / 40) + 0.65 * exp(-pow(hod - 8.2, 2) / 1.6) + 0.6 * exp(-pow(hod - 18, 2) / 2.2) + 0.2 * exp(-pow(hod - 21, 2) / 4)';
const RESTDAY_PROFILE = '0.08 + 0.7 * exp(-pow(hod - 15, 2) / 14) + 0.15 * exp(-pow(hod - 20.5, 2) / 3)';

const FIELDS = [
  field('segment_id', ['路段编号', 'Road segment identifier'], 'segment_id'),
  field('road_name', ['道路名称', 'Road name'], 'road_name'),
  field('district', ['所在行政区', 'District'], 'district'),
  field('hour_start', ['统计时段开始时间（整点，北京时间）', 'Start of the hour (local time, UTC+8)'], 'hour_start'),
  field('vehicle_count', ['该小时通过的机动车数量（辆）', 'Vehicles passing in the hour'], 'round(volume)::INTEGER'),
  field('avg_speed_kmh', ['平均车速（公里/小时）', 'Average speed, km/h'], 'round(speed, 1)'),
  field(
    'congestion_index',
    ['交通拥堵指数，0 畅通 – 10 严重拥堵', 'Congestion index, 0 free-flowing to 10 gridlocked'],
    'round(least(10.0, greatest(0.0, 10 * (free_flow / speed - 1) / 1.5)), 1)',
  ),
];

export const roadTraffic: DemoSource = {
  dataset: {
    slug: 'road-traffic-flow-hourly',
    agencySlug: 'transport-bureau',
    titleZh: '城市道路交通流量（小时）',
    titleEn: 'Hourly road traffic flow by segment',
    descriptionZh:
      '全市 30 条主要道路 120 个路段的逐小时交通流量监测数据，包括车流量、平均车速和交通拥堵指数（0–10）。数据来自线圈与视频检测器，覆盖 2024 年全年，可用于早晚高峰分析、出行规划和交通模型研究。',
    descriptionEn:
      'Hourly traffic counts on 120 segments of 30 main roads: vehicle count, average speed and a 0–10 congestion index, from loop and video detectors, for all of 2024. Suited to rush-hour analysis, trip planning and traffic modelling.',
    theme: 'transport',
    keywords: ['交通', '交通流量', '道路', '车流量', '车速', '拥堵指数', '早晚高峰', 'traffic', 'road', 'congestion', 'vehicle count'],
    contactName: '市交通运输局 数据管理科',
    contactEmail: 'opendata@transport.demo',
    updateFrequency: 'hourly',
    spatialCoverage: `${CITY_ZH}（30 条主要道路）`,
    temporalStart: '2024-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'odc-by-1.0',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'road-traffic-flow-hourly-2024.parquet', format: 'parquet', approxRows: trafficRowCount('full') },
  },
  query({ version, scale }) {
    const { segmentStride, days } = TRAFFIC_SIZES[scale];
    return `
WITH segments AS (
  SELECT * FROM ${sqlValues('s', ['seg_index', 'segment_id', 'road_name', 'district', 'free_flow', 'capacity'], SEGMENTS)}
  WHERE seg_index % ${segmentStride} = 0
),
days AS (
  SELECT d AS day_index, is_workday(DATE '2024-01-01' + d::INTEGER) AS workday,
         is_spring_festival_lull(DATE '2024-01-01' + d::INTEGER) AS lull
  FROM range(${days}) r(d)
),
hours AS (
  SELECT h, h // 24 AS day_index, (h % 24)::DOUBLE AS hod FROM range(${days * 24}) r(h)
),
flow AS (
  SELECT s.seg_index, h.h, s.segment_id, s.road_name, s.district, s.free_flow, s.capacity,
         TIMESTAMP '2024-01-01 00:00:00' + to_hours(h.h) AS hour_start,
         h.h * 1000 + s.seg_index AS k,
         greatest(0, s.capacity
           * (CASE WHEN d.workday THEN ${WORKDAY_PROFILE} ELSE ${RESTDAY_PROFILE} END)
           * (CASE WHEN d.lull THEN 0.55 ELSE 1.0 END)
           * (1 + 0.08 * gauss(h.h * 1000 + s.seg_index, 1))) AS volume
  FROM hours h JOIN days d USING (day_index) CROSS JOIN segments s
),
speeds AS (
  SELECT *, least(free_flow * 1.1, greatest(5.0,
           free_flow / (1 + 1.2 * pow(volume / capacity, 4))
           * (1 + 0.04 * gauss(k, 2))
           * (CASE WHEN rnd(k, 3) < 0.002 THEN 0.5 ELSE 1.0 END))) AS speed
  FROM flow
)
SELECT ${selectFields(FIELDS, version)}
FROM speeds
ORDER BY h, seg_index`;
  },
};
