/**
 * Vocabularies of value-added data products, in both UI languages. Rules and reasons of the
 * privacy gate carry a description so a stored gate report explains itself to the agency.
 */
import type { Term } from '../catalog/vocabulary.js';

type DescribedTerm = Term & { description: Term };

export const PRODUCT_KINDS = {
  base: { zh: '基础数据产品', en: 'Base product' },
  derived: { zh: '增值数据产品', en: 'Derived product' },
} as const satisfies Record<string, Term>;
export type ProductKind = keyof typeof PRODUCT_KINDS;
export const PRODUCT_KIND_KEYS = Object.keys(PRODUCT_KINDS) as ProductKind[];

export const PRODUCT_STATUSES = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '审核中', en: 'In review' },
  approved: { zh: '已批准', en: 'Approved' },
  published: { zh: '已上架', en: 'Published' },
  suspended: { zh: '已暂停', en: 'Suspended' },
  retired: { zh: '已下架', en: 'Retired' },
} as const satisfies Record<string, Term>;
export type ProductStatus = keyof typeof PRODUCT_STATUSES;
export const PRODUCT_STATUS_KEYS = Object.keys(PRODUCT_STATUSES) as ProductStatus[];

export const SUSPENSION_CAUSES = {
  source_withdrawn: { zh: '来源数据已撤回', en: 'A source dataset was withdrawn' },
  source_reclassified: { zh: '来源数据开放等级调严', en: 'A source dataset was reclassified stricter' },
  grant_revoked: { zh: '来源数据的授权已撤销或到期', en: 'Access to a source dataset was revoked or expired' },
  policy_tightened: {
    zh: '来源数据的隐私设置调严，产品已不满足新设置',
    en: "A source dataset's privacy settings were tightened and the product no longer meets them",
  },
  operator: { zh: '平台运营方暂停', en: 'Suspended by the platform operator' },
} as const satisfies Record<string, Term>;
export type SuspensionCause = keyof typeof SUSPENSION_CAUSES;
export const SUSPENSION_CAUSE_KEYS = Object.keys(SUSPENSION_CAUSES) as SuspensionCause[];

export const REVIEW_DECISIONS = {
  approve: { zh: '批准', en: 'Approve' },
  reject: { zh: '驳回', en: 'Reject' },
} as const satisfies Record<string, Term>;
export type ReviewDecision = keyof typeof REVIEW_DECISIONS;

/** What happens to output rows that break the gate's rule. */
export const SMALL_CELL_HANDLING = {
  suppress: { zh: '删除违规行后发布', en: 'Drop violating rows and publish the rest' },
  fail: { zh: '存在违规行即不发布', en: 'Publish nothing if any row violates' },
} as const satisfies Record<string, Term>;
export type SmallCellHandling = keyof typeof SMALL_CELL_HANDLING;
export const SMALL_CELL_HANDLING_KEYS = Object.keys(SMALL_CELL_HANDLING) as SmallCellHandling[];

/**
 * How an input's privacy settings changed (see policyChanges). The first five change what a
 * derivation may publish or read, so products built on the input are derived again.
 */
export const POLICY_CHANGE_KINDS = {
  k_raised: { zh: '最小分组规模调高', en: 'Minimum group size raised' },
  small_cells_fail: { zh: '小单元改为整次不发布', en: 'Small cells now fail the run' },
  sensitivity_raised: { zh: '列的敏感级别调高', en: 'A column became more sensitive' },
  pseudonym_removed: { zh: '取消了用于关联的假名列', en: 'A join pseudonym was removed' },
  pseudonym_added: { zh: '新增了用于关联的假名列', en: 'A join pseudonym was added' },
  k_lowered: { zh: '最小分组规模调低', en: 'Minimum group size lowered' },
  small_cells_suppress: { zh: '小单元改为删除后发布', en: 'Small cells are now suppressed' },
  sensitivity_lowered: { zh: '列的敏感级别调低', en: 'A column became less sensitive' },
} as const satisfies Record<string, Term>;
export type PolicyChangeKind = keyof typeof POLICY_CHANGE_KINDS;
export const POLICY_CHANGE_KIND_KEYS = Object.keys(POLICY_CHANGE_KINDS) as PolicyChangeKind[];

export const GATE_OUTCOMES = {
  passed: { zh: '通过', en: 'Passed' },
  suppressed: { zh: '删除违规行后通过', en: 'Passed after suppression' },
  failed: { zh: '未通过', en: 'Failed' },
} as const satisfies Record<string, Term>;
export type GateOutcome = keyof typeof GATE_OUTCOMES;

export const GATE_RULES = {
  small_cells: {
    zh: '小单元规则',
    en: 'Small-cell rule',
    description: {
      zh: '输出含计数列，每行是一个分组；任一计数列的值在 1 至 k−1 之间的行是小单元。',
      en: 'The output has count columns, so each row is a group; a row whose count is between 1 and k−1 is a small cell.',
    },
  },
  k_anonymity: {
    zh: 'k-匿名规则',
    en: 'k-anonymity rule',
    description: {
      zh: '输出含准标识符列且无计数列；准标识符取值的每种组合（空值也算一个取值）须至少出现 k 行。',
      en: 'The output has quasi-identifier columns and no count column; every combination of their values (NULL counts as a value) must occur in at least k rows.',
    },
  },
  none: {
    zh: '无需分组检查',
    en: 'No group check',
    description: {
      zh: '输出只含公开列，没有可识别个人的分组。',
      en: 'The output has public columns only: no group can single a person out.',
    },
  },
} as const satisfies Record<string, DescribedTerm>;
export type GateRule = keyof typeof GATE_RULES;

export const GATE_REASONS = {
  personal_column: {
    zh: '含个人信息列',
    en: 'Personal column',
    description: {
      zh: '输出列取自个人信息列（或来源未知的列，按个人信息处理），个人信息不得离开平台。',
      en: 'An output column comes from a personal column (or from a column of unknown origin, treated as personal); personal data never leaves the platform.',
    },
  },
  small_cells: {
    zh: '存在小单元',
    en: 'Small cells',
    description: { zh: '有分组的计数小于 k。', en: 'Some groups count fewer than k.' },
  },
  k_anonymity: {
    zh: '不满足 k-匿名',
    en: 'Not k-anonymous',
    description: {
      zh: '有准标识符组合出现不足 k 行。',
      en: 'Some combinations of quasi-identifier values occur in fewer than k rows.',
    },
  },
  all_rows_suppressed: {
    zh: '所有行均被删除',
    en: 'Every row suppressed',
    description: {
      zh: '删除违规行后没有可发布的数据。聚合输出请加入 count(*) 列。',
      en: 'Nothing would remain to publish after dropping violating rows. Aggregated outputs need a count(*) column.',
    },
  },
} as const satisfies Record<string, DescribedTerm>;
export type GateReasonCode = keyof typeof GATE_REASONS;
