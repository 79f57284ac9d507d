/**
 * Controlled vocabularies of the government data catalog (DCAT-AP aligned).
 * Labels are given in both UI languages so every client shows the same words.
 */
export interface Term {
  zh: string;
  en: string;
}

/** City data domains (dcat:theme). */
export const THEMES = {
  meteorology: { zh: '气象', en: 'Meteorology' },
  transport: { zh: '交通与客流', en: 'Transport and passenger flow' },
  energy: { zh: '能源（电、气、水）', en: 'Energy: power, gas, water' },
  finance_credit: { zh: '金融与信用', en: 'Finance and credit' },
  housing: { zh: '住房', en: 'Housing' },
  customs_immigration: { zh: '海关与出入境', en: 'Customs and immigration' },
  tourism: { zh: '旅游', en: 'Tourism' },
  health: { zh: '卫生健康', en: 'Health' },
  education: { zh: '教育', en: 'Education' },
  environment: { zh: '生态环境', en: 'Environment' },
  public_safety: { zh: '公共安全', en: 'Public safety' },
  statistics: { zh: '统计', en: 'Statistics' },
} as const satisfies Record<string, Term>;
export type Theme = keyof typeof THEMES;
export const THEME_KEYS = Object.keys(THEMES) as Theme[];

/** Supervised opening: who may receive rows (see docs/ARCHITECTURE.md). */
export const CLASSIFICATIONS = {
  open: { zh: '无条件开放', en: 'Open' },
  conditional: { zh: '有条件开放', en: 'Conditional' },
  restricted: { zh: '受限', en: 'Restricted' },
} as const satisfies Record<string, Term>;
export type Classification = keyof typeof CLASSIFICATIONS;
export const CLASSIFICATION_KEYS = Object.keys(CLASSIFICATIONS) as Classification[];

/** Column sensitivity: `personal` never leaves the platform. */
export const SENSITIVITIES = {
  public: { zh: '公开', en: 'Public' },
  quasi_identifier: { zh: '准标识符', en: 'Quasi-identifier' },
  personal: { zh: '个人信息', en: 'Personal' },
} as const satisfies Record<string, Term>;
export type Sensitivity = keyof typeof SENSITIVITIES;
export const SENSITIVITY_KEYS = Object.keys(SENSITIVITIES) as Sensitivity[];

/** dct:accrualPeriodicity, mapped to the EU frequency vocabulary in DCAT exports. */
export const UPDATE_FREQUENCIES = {
  continuous: { zh: '实时', en: 'Continuous' },
  hourly: { zh: '每小时', en: 'Hourly' },
  daily: { zh: '每日', en: 'Daily' },
  weekly: { zh: '每周', en: 'Weekly' },
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  annual: { zh: '每年', en: 'Annual' },
  irregular: { zh: '不定期', en: 'Irregular' },
} as const satisfies Record<string, Term>;
export type UpdateFrequency = keyof typeof UPDATE_FREQUENCIES;
export const UPDATE_FREQUENCY_KEYS = Object.keys(UPDATE_FREQUENCIES) as UpdateFrequency[];

/** Purposes an organization may state when requesting conditional data. */
export const ACCESS_PURPOSES = {
  research: { zh: '科学研究', en: 'Research' },
  public_service: { zh: '公共服务', en: 'Public service' },
  product_development: { zh: '产品开发', en: 'Product development' },
  risk_management: { zh: '风险管理', en: 'Risk management' },
  urban_planning: { zh: '城市规划', en: 'Urban planning' },
  journalism: { zh: '新闻报道', en: 'Journalism' },
  other: { zh: '其他', en: 'Other' },
} as const satisfies Record<string, Term>;
export type AccessPurpose = keyof typeof ACCESS_PURPOSES;
export const ACCESS_PURPOSE_KEYS = Object.keys(ACCESS_PURPOSES) as AccessPurpose[];

const STRICTNESS: Record<Classification, number> = { open: 0, conditional: 1, restricted: 2 };

/** True when moving from `from` to `to` narrows who may receive rows. */
export function isStricter(to: Classification, from: Classification): boolean {
  return STRICTNESS[to] > STRICTNESS[from];
}

/** The strictest of several classifications (open when there are none). */
export function strictestClassification(classes: readonly Classification[]): Classification {
  return classes.reduce<Classification>((strictest, next) => (isStricter(next, strictest) ? next : strictest), 'open');
}

/**
 * Whether rows of a dataset may be delivered to a caller. Restricted rows are never
 * delivered (they only feed platform-run derivations); conditional rows need an active grant.
 */
export function mayReceiveRows(classification: Classification, caller: { hasActiveGrant: boolean; isOwningAgency: boolean }): boolean {
  switch (classification) {
    case 'open':
      return true;
    case 'conditional':
      return caller.isOwningAgency || caller.hasActiveGrant;
    case 'restricted':
      return false;
  }
}

/** Licences a dataset may be published under (dct:license). */
export const DATASET_LICENSES = {
  'cc-by-4.0': {
    zh: '知识共享 署名 4.0',
    en: 'Creative Commons Attribution 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
  },
  'cc0-1.0': {
    zh: '知识共享 CC0 公共领域贡献',
    en: 'Creative Commons CC0 1.0',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
  },
  'odc-by-1.0': {
    zh: '开放数据共享 署名许可 1.0',
    en: 'Open Data Commons Attribution 1.0',
    url: 'https://opendatacommons.org/licenses/by/1-0/',
  },
  'gov-open-terms': {
    zh: '政府数据开放使用条款',
    en: 'Government open data terms of use',
    url: 'urn:civic:license:gov-open-terms',
  },
  'gov-conditional-agreement': {
    zh: '政府数据有条件开放协议',
    en: 'Government conditional data agreement',
    url: 'urn:civic:license:gov-conditional-agreement',
  },
} as const satisfies Record<string, Term & { url: string }>;
export type DatasetLicense = keyof typeof DATASET_LICENSES;
export const DATASET_LICENSE_KEYS = Object.keys(DATASET_LICENSES) as DatasetLicense[];
