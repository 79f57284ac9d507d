import { CITY_ZH, DISTRICTS } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlList, sqlValues, sqlWeightedChoice } from '../sql.js';
import type { DemoSource } from '../types.js';

const TRANSACTIONS = 20_000;
const DAYS = 731; // 2023-01-01 … 2024-12-31

/** Place names of each district (same order as DISTRICTS); communities are place name + suffix. */
const PLACES: readonly (readonly string[])[] = [
  ['香蜜湖', '景田', '梅林'],
  ['翠竹', '莲塘', '黄贝岭'],
  ['蛇口', '后海', '西丽'],
  ['沙头角', '梅沙', '海山'],
  ['西乡', '新安', '福永'],
  ['布吉', '坂田', '横岗'],
  ['民治', '龙华', '观澜'],
  ['坪山', '坑梓', '碧岭'],
  ['光明', '公明', '凤凰'],
  ['葵涌', '南澳', '大鹏'],
];
const SUFFIXES = ['花园', '新村', '雅苑', '名庭'];
const COMMUNITIES_PER_DISTRICT = PLACES[0].length * SUFFIXES.length;

const COMMUNITY_NAMES = PLACES.map((places) => places.flatMap((place) => SUFFIXES.map((suffix) => `${place}${suffix}`)));

/** Building age bands with their price factor. */
const BUILDING_AGES: readonly (readonly [number, string, number])[] = [
  [0, '5年以内', 1.1],
  [1, '5-10年', 1.0],
  [2, '10-20年', 0.92],
  [3, '20年以上', 0.85],
];

/** Floor area bands (m²): label, smallest and largest area. */
const AREA_BANDS: readonly (readonly [number, string, number, number])[] = [
  [0, '60平方米以下', 35, 60],
  [1, '60-90平方米', 60, 90],
  [2, '90-120平方米', 90, 120],
  [3, '120-144平方米', 120, 144],
  [4, '144平方米以上', 144, 220],
];

const DISTRICT_ROWS = DISTRICTS.map((district, index) => [index, district.name, district.homePricePerSqm] as const);

const FIELDS = [
  field('transaction_date', ['网签日期', 'Date the contract was registered'], 'transaction_date'),
  field('district', ['房屋所在行政区', 'District of the home'], 'district', 'quasi_identifier'),
  field('community_name', ['小区名称', 'Residential community'], 'community_name', 'quasi_identifier'),
  field('building_age_band', ['房龄区间', 'Building age band'], 'building_age_band', 'quasi_identifier'),
  field('floor_area_band', ['建筑面积区间', 'Floor area band'], 'floor_area_band', 'quasi_identifier'),
  field('buyer_age_band', ['买方年龄段', 'Buyer age band'], 'buyer_age_band', 'quasi_identifier'),
  field('price_per_sqm', ['成交单价（元/平方米）', 'Price per m², yuan'], 'price_per_sqm'),
  field('total_price_wan', ['成交总价（万元）', 'Total price, 10,000 yuan'], 'round(price_per_sqm * floor_area / 10000, 1)'),
];

export const housingTransactions: DemoSource = {
  dataset: {
    slug: 'second-hand-housing-transactions',
    agencySlug: 'housing-bureau',
    titleZh: '二手房交易记录',
    titleEn: 'Second-hand housing transactions',
    descriptionZh:
      '2023—2024 年全市二手住房网签交易记录：成交日期、行政区、小区、房龄区间、面积区间、买方年龄段、成交单价和总价。不含个人身份信息；因小区、面积等组合可能识别当事人，按有条件开放方式提供。',
    descriptionEn:
      'Registered second-hand home sales, 2023–2024: date, district, community, building age band, floor area band, buyer age band, price per m² and total price. No personal identifiers; as combinations of community and bands could single out a party, shared under conditions.',
    theme: 'housing',
    keywords: ['住房', '房地产', '二手房', '房价', '成交', '网签', '小区', 'housing', 'real estate', 'home prices', 'transactions'],
    contactName: '市住房和建设局 房地产市场监管处',
    contactEmail: 'opendata@housing.demo',
    updateFrequency: 'daily',
    spatialCoverage: `${CITY_ZH}（10 个行政区）`,
    temporalStart: '2023-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'gov-conditional-agreement',
    classification: 'conditional',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'second-hand-housing-transactions.ndjson', format: 'ndjson', encoding: 'utf-8', approxRows: TRANSACTIONS },
  },
  query({ version }) {
    const districtChoice = sqlWeightedChoice(
      'u_district',
      DISTRICTS.map((district, index) => [index, district.populationWan] as const),
    );
    return `
WITH districts AS (
  SELECT * FROM ${sqlValues('d', ['district_index', 'district', 'base_price'], DISTRICT_ROWS)}
),
ages AS (
  SELECT * FROM ${sqlValues('a', ['age_index', 'building_age_band', 'age_factor'], BUILDING_AGES)}
),
areas AS (
  SELECT * FROM ${sqlValues('b', ['area_index', 'floor_area_band', 'min_area', 'max_area'], AREA_BANDS)}
),
draws AS (
  SELECT i, rnd(i, 51) AS u_district, floor(rnd(i, 52) * ${COMMUNITIES_PER_DISTRICT})::INTEGER AS community_index,
         floor(rnd(i, 53) * ${DAYS})::INTEGER AS day_index
  FROM range(${TRANSACTIONS}) r(i)
),
sales AS (
  SELECT i, ${districtChoice} AS district_index, community_index,
         DATE '2023-01-01' + day_index AS transaction_date, day_index,
         ${sqlWeightedChoice('rnd(i, 54)', [[0, 15], [1, 25], [2, 35], [3, 25]])} AS age_index,
         ${sqlWeightedChoice('rnd(i, 55)', [[0, 15], [1, 35], [2, 30], [3, 12], [4, 8]])} AS area_index,
         ${sqlWeightedChoice('rnd(i, 56)', [['18-30岁', 25], ['31-40岁', 40], ['41-50岁', 20], ['51-60岁', 10], ['60岁以上', 5]])} AS buyer_age_band
  FROM draws
),
priced AS (
  SELECT s.i, s.transaction_date, d.district,
         ${sqlList(COMMUNITY_NAMES.flat())}[s.district_index * ${COMMUNITIES_PER_DISTRICT} + s.community_index + 1] AS community_name,
         a.building_age_band, b.floor_area_band, s.buyer_age_band,
         b.min_area + (b.max_area - b.min_area) * rnd(s.i, 57) AS floor_area,
         (round(d.base_price * a.age_factor
           * (0.8 + 0.5 * rnd(s.district_index * 100 + s.community_index, 58))
           * (1 - 0.12 * s.day_index / ${DAYS})
           * (1 + 0.06 * gauss(s.i, 59)) / 10) * 10)::INTEGER AS price_per_sqm
  FROM sales s
  JOIN districts d USING (district_index)
  JOIN ages a USING (age_index)
  JOIN areas b USING (area_index)
)
SELECT ${selectFields(FIELDS, version)}
FROM priced
ORDER BY transaction_date, i`;
  },
};
