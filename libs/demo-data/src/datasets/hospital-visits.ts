import { CITY_ZH, DISTRICTS } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlList, sqlWeightedChoice } from '../sql.js';
import type { DemoSource } from '../types.js';

const VISITS = 100_000;
const PATIENTS = 30_000;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余'.split('');
const GIVEN_NAME_CHARACTERS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国志红梅鹏飞宇浩然欣怡子轩思雨佳琪晨'.split('');

const DEPARTMENTS = ['内科', '外科', '儿科', '妇产科', '眼科', '耳鼻咽喉科', '口腔科', '皮肤科', '中医科', '急诊科'];
/** Typical cost of a visit in each department (yuan), same order as DEPARTMENTS. */
const DEPARTMENT_COSTS = [260, 380, 180, 320, 220, 200, 350, 180, 240, 520];

const ICD = {
  infectious: 'A00-B99 某些传染病和寄生虫病',
  endocrine: 'E00-E90 内分泌、营养和代谢疾病',
  eye: 'H00-H59 眼和附器疾病',
  ear: 'H60-H95 耳和乳突疾病',
  circulatory: 'I00-I99 循环系统疾病',
  respiratory: 'J00-J99 呼吸系统疾病',
  digestive: 'K00-K93 消化系统疾病',
  skin: 'L00-L99 皮肤和皮下组织疾病',
  musculoskeletal: 'M00-M99 肌肉骨骼系统和结缔组织疾病',
  genitourinary: 'N00-N99 泌尿生殖系统疾病',
  pregnancy: 'O00-O99 妊娠、分娩和产褥期',
  symptoms: 'R00-R99 症状、体征和临床与实验室异常所见',
  injury: 'S00-T98 损伤、中毒和外因的某些其他后果',
};
/** ICD-10 chapters seen in each department, same order as DEPARTMENTS. */
const DEPARTMENT_CHAPTERS: readonly string[][] = [
  [ICD.circulatory, ICD.endocrine, ICD.respiratory, ICD.digestive],
  [ICD.injury, ICD.musculoskeletal, ICD.digestive, ICD.genitourinary],
  [ICD.respiratory, ICD.infectious, ICD.digestive],
  [ICD.pregnancy, ICD.genitourinary],
  [ICD.eye],
  [ICD.ear, ICD.respiratory],
  [ICD.digestive],
  [ICD.skin],
  [ICD.musculoskeletal, ICD.symptoms, ICD.digestive],
  [ICD.injury, ICD.symptoms, ICD.respiratory],
];

const DISTRICT_HOSPITALS = DISTRICTS.map((district) => (district.name === '大鹏新区' ? '大鹏新区南澳人民医院' : `${district.name}人民医院`));
const CITY_HOSPITALS = ['深圳市人民医院', '北京大学深圳医院', '香港大学深圳医院'];

const FIELDS = [
  // Exposed to derivations as a keyed pseudonym, so products can count distinct patients.
  { ...field('patient_id', ['患者编号（院内主索引）', 'Patient number (master patient index)'], "'P' || lpad(p::VARCHAR, 7, '0')", 'personal'), joinPseudonym: true },
  field('national_id', ['居民身份证号码（合成数据）', 'Resident identity card number (synthetic)'], 'national_id', 'personal'),
  field('patient_name', ['患者姓名', 'Patient name'], 'patient_name', 'personal'),
  field('age', ['就诊时年龄（岁）', 'Age at the visit, years'], 'age', 'quasi_identifier'),
  field('sex', ['性别', 'Sex'], 'sex', 'quasi_identifier'),
  field('district', ['常住行政区', 'District of residence'], 'district', 'quasi_identifier'),
  field('hospital_name', ['就诊医院', 'Hospital'], 'hospital_name'),
  field('department', ['就诊科室', 'Department'], 'department'),
  field('visit_date', ['就诊日期', 'Visit date'], 'visit_date'),
  field('icd10_chapter', ['主要诊断所属 ICD-10 章节', 'ICD-10 chapter of the main diagnosis'], 'icd10_chapter'),
  field('cost_yuan', ['本次就诊总费用（元）', 'Total cost of the visit, yuan'], 'cost_yuan'),
];

export const hospitalVisits: DemoSource = {
  dataset: {
    slug: 'hospital-outpatient-visits',
    agencySlug: 'health-commission',
    titleZh: '医院门诊就诊记录',
    titleEn: 'Hospital outpatient visits',
    descriptionZh:
      '2024 年全市公立医院门诊就诊明细：患者年龄、性别、常住区，就诊医院、科室、日期、诊断 ICD-10 章节和费用。含患者姓名、身份证号等个人信息，属受限数据，仅可在平台内用于经审核的聚合统计（每组不少于 10 人）。',
    descriptionEn:
      'Outpatient visits at public hospitals in 2024: patient age, sex and district, hospital, department, date, ICD-10 chapter of the diagnosis and cost. Holds personal information (names, identity numbers): restricted, usable only inside the platform for reviewed aggregates of at least 10 people.',
    theme: 'health',
    keywords: ['卫生健康', '医疗', '医院', '门诊', '就诊', '疾病', '诊断', 'health', 'hospital', 'outpatient', 'diagnosis', 'ICD-10'],
    contactName: '市卫生健康委员会 信息统计中心',
    contactEmail: 'opendata@health.demo',
    updateFrequency: 'monthly',
    spatialCoverage: `${CITY_ZH}（公立医院）`,
    temporalStart: '2024-01-01',
    temporalEnd: '2024-12-31',
    licenseId: 'gov-conditional-agreement',
    classification: 'restricted',
    minGroupSize: 10,
    columns: columnsOf(FIELDS),
    file: { filename: 'hospital-outpatient-visits-2024.parquet', format: 'parquet', approxRows: VISITS },
  },
  query({ version }) {
    const ageGroup = sqlWeightedChoice('rnd(p, 73)', [[0, 18], [1, 35], [2, 30], [3, 17]]);
    const district = sqlWeightedChoice(
      'rnd(p, 75)',
      DISTRICTS.map((d, index) => [index, d.populationWan] as const),
    );
    const adultDepartment = sqlWeightedChoice('rnd(i, 81)', [[0, 30], [1, 14], [3, 10], [4, 7], [5, 7], [6, 8], [7, 7], [8, 9], [9, 8]]);
    const childDepartment = sqlWeightedChoice('rnd(i, 81)', [[2, 70], [0, 5], [1, 5], [4, 4], [5, 6], [6, 4], [7, 3], [9, 3]]);
    return `
WITH patients AS (
  SELECT p, sex, district_index, age, ${sqlList(DISTRICTS.map((d) => d.name))}[district_index + 1] AS district,
         (DATE '2024-01-01' - to_years(age) - to_days(floor(rnd(p, 77) * 365)::INTEGER))::DATE AS birth_date,
         ${sqlList(SURNAMES)}[1 + floor(rnd(p, 78) * ${SURNAMES.length})::INTEGER]
           || ${sqlList(GIVEN_NAME_CHARACTERS)}[1 + floor(rnd(p, 79) * ${GIVEN_NAME_CHARACTERS.length})::INTEGER]
           || CASE WHEN rnd(p, 80) < 0.7 THEN ${sqlList(GIVEN_NAME_CHARACTERS)}[1 + floor(rnd(p, 82) * ${GIVEN_NAME_CHARACTERS.length})::INTEGER] ELSE '' END
           AS patient_name
  FROM (
    SELECT p, CASE WHEN rnd(p, 74) < 0.51 THEN '男' ELSE '女' END AS sex, ${district} AS district_index,
           [0, 14, 40, 65][group_index + 1] + floor(rnd(p, 76) * [14, 26, 25, 26][group_index + 1])::INTEGER AS age
    FROM (SELECT p, ${ageGroup} AS group_index FROM range(${PATIENTS}) r(p))
  )
),
identified AS (
  -- Region codes 99xxxx do not exist, so these numbers never belong to a real person; the
  -- patient number is spread over the region code and the sequence digits, so each is unique.
  SELECT *, '99' || lpad((p // 500)::VARCHAR, 2, '0') || lpad((district_index + 1)::VARCHAR, 2, '0') || strftime(birth_date, '%Y%m%d')
            || lpad(((p % 500) * 2 + CASE WHEN sex = '男' THEN 1 ELSE 0 END)::VARCHAR, 3, '0')
            || '0123456789X'[1 + floor(rnd(p, 83) * 11)::INTEGER] AS national_id
  FROM patients
),
visits AS (
  SELECT i, floor(${PATIENTS} * pow(rnd(i, 71), 1.5))::INTEGER AS p, DATE '2024-01-01' + floor(rnd(i, 72) * 366)::INTEGER AS visit_date
  FROM range(${VISITS}) r(i)
),
departed AS (
  SELECT v.i, v.visit_date, pt.*,
         CASE WHEN pt.age < 14 THEN ${childDepartment} ELSE ${adultDepartment} END AS raw_department
  FROM visits v JOIN identified pt USING (p)
),
treated AS (
  SELECT *, CASE WHEN raw_department = 3 AND sex = '男' THEN 0 ELSE raw_department END AS department_index FROM departed
),
diagnosed AS (
  SELECT *, ${sqlList(DEPARTMENT_CHAPTERS)}[department_index + 1] AS chapters FROM treated
)
SELECT ${selectFields(FIELDS, version)}
FROM (
  SELECT *, ${sqlList(DEPARTMENTS)}[department_index + 1] AS department,
         list_extract(chapters, 1 + floor(rnd(i, 84) * len(chapters))::INTEGER) AS icd10_chapter,
         round(${sqlList(DEPARTMENT_COSTS)}[department_index + 1] * exp(0.6 * gauss(i, 85)), 2)::DECIMAL(10, 2) AS cost_yuan,
         CASE WHEN department_index = 2 AND rnd(i, 86) < 0.35 THEN '深圳市儿童医院'
              WHEN rnd(i, 87) < 0.72 THEN ${sqlList(DISTRICT_HOSPITALS)}[district_index + 1]
              ELSE ${sqlList(CITY_HOSPITALS)}[1 + floor(rnd(i, 88) * ${CITY_HOSPITALS.length})::INTEGER] END AS hospital_name
  FROM diagnosed
)
ORDER BY visit_date, i`;
  },
};
