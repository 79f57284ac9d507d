/**
 * Licensing vocabularies in both UI languages: the ODRL terms licences use, licence states
 * and events, and the reasons an entitlement check gives.
 */
import type { Term } from '../catalog/vocabulary.js';
import type { ODRL_ACTIONS, ODRL_LEFT_OPERANDS, OdrlOperator } from './odrl.js';

type OdrlActionTerm = (typeof ODRL_ACTIONS)[number];
type OdrlLeftOperandTerm = (typeof ODRL_LEFT_OPERANDS)[number];

/** Every ODRL 2.2 action, and our profile's, as what a licence lets (or obliges) one do. */
export const ODRL_ACTION_LABELS = {
  use: { zh: '使用数据', en: 'Use the data' },
  transfer: { zh: '转让数据的所有权', en: 'Transfer ownership of the data' },
  acceptTracking: { zh: '接受使用情况被追踪', en: 'Accept that use is tracked' },
  aggregate: { zh: '将数据与其他数据汇集使用', en: 'Aggregate the data with other data' },
  annotate: { zh: '为数据添加注释', en: 'Annotate the data' },
  anonymize: { zh: '对数据进行匿名化处理', en: 'Anonymize the data' },
  archive: { zh: '归档保存数据', en: 'Archive the data' },
  attribute: { zh: '注明数据来源', en: 'Credit the source' },
  compensate: { zh: '支付补偿', en: 'Pay compensation' },
  concurrentUse: { zh: '同时使用多个副本', en: 'Use several copies at the same time' },
  delete: { zh: '删除全部数据副本', en: 'Delete all copies of the data' },
  derive: { zh: '基于数据制作演绎成果（分析、模型、统计结果等）', en: 'Create derived results from the data (analyses, models, statistics)' },
  digitize: { zh: '将数据数字化', en: 'Digitize the data' },
  display: { zh: '展示数据', en: 'Display the data' },
  distribute: { zh: '向第三方提供', en: 'Supply to third parties' },
  ensureExclusivity: { zh: '确保排他性', en: 'Ensure exclusivity' },
  execute: { zh: '运行程序', en: 'Run the program' },
  extract: { zh: '提取部分数据形成新数据', en: 'Extract parts of the data as new data' },
  give: { zh: '无偿转让数据', en: 'Give the data away' },
  grantUse: { zh: '授权第三方使用数据', en: 'Grant third parties the use of the data' },
  include: { zh: '纳入相关资产', en: 'Include related assets' },
  index: { zh: '为数据建立索引', en: 'Index the data' },
  inform: { zh: '告知使用情况', en: 'Report the use' },
  install: { zh: '安装程序', en: 'Install the program' },
  modify: { zh: '修改数据', en: 'Modify the data' },
  move: { zh: '迁移数据', en: 'Move the data' },
  nextPolicy: { zh: '向第三方传递使用规则', en: 'Pass the terms of use on to third parties' },
  obtainConsent: { zh: '事先取得同意', en: 'Obtain consent first' },
  play: { zh: '播放', en: 'Play the asset' },
  present: { zh: '演示数据', en: 'Present the data' },
  print: { zh: '打印数据', en: 'Print the data' },
  read: { zh: '读取数据', en: 'Read the data' },
  reproduce: { zh: '复制数据（含下载）', en: 'Make copies of the data (including downloads)' },
  reviewPolicy: { zh: '审查使用规则', en: 'Have the terms of use reviewed' },
  sell: { zh: '出售数据', en: 'Sell the data' },
  stream: { zh: '以数据流方式传输', en: 'Stream the data' },
  synchronize: { zh: '与其他媒体同步使用', en: 'Synchronize the data with other media' },
  textToSpeech: { zh: '以语音朗读数据', en: 'Read the data aloud' },
  transform: { zh: '转换数据格式', en: 'Convert the data to another format' },
  translate: { zh: '翻译数据', en: 'Translate the data' },
  uninstall: { zh: '卸载程序', en: 'Uninstall the program' },
  watermark: { zh: '为数据添加水印', en: 'Watermark the data' },
  'civic:reidentify': { zh: '重新识别数据中的个人或组织', en: 'Re-identify people or organisations in the data' },
  'civic:resellRaw': { zh: '转售或转让原始数据', en: 'Resell or pass on the raw data' },
} as const satisfies Record<OdrlActionTerm | 'civic:reidentify' | 'civic:resellRaw', Term>;

/** Every ODRL 2.2 left operand, and our profile's. */
export const ODRL_LEFT_OPERAND_LABELS = {
  absolutePosition: { zh: '绝对位置', en: 'absolute position' },
  absoluteSpatialPosition: { zh: '绝对空间位置', en: 'absolute spatial position' },
  absoluteTemporalPosition: { zh: '绝对时间位置', en: 'absolute temporal position' },
  absoluteSize: { zh: '绝对尺寸', en: 'absolute size' },
  count: { zh: '使用次数', en: 'number of uses' },
  dateTime: { zh: '使用时间', en: 'time of use' },
  delayPeriod: { zh: '开始使用前的等待期', en: 'waiting period before use' },
  deliveryChannel: { zh: '交付渠道', en: 'delivery channel' },
  elapsedTime: { zh: '自许可生效起的时长', en: 'time since the licence started' },
  event: { zh: '事件', en: 'event' },
  fileFormat: { zh: '文件格式', en: 'file format' },
  industry: { zh: '行业', en: 'industry' },
  language: { zh: '语言', en: 'language' },
  media: { zh: '媒体类型', en: 'media' },
  meteredTime: { zh: '累计使用时长', en: 'accumulated time of use' },
  payAmount: { zh: '支付金额', en: 'payment amount' },
  percentage: { zh: '使用比例（%）', en: 'share of the data used (%)' },
  product: { zh: '所用产品', en: 'product' },
  purpose: { zh: '用途', en: 'purpose' },
  recipient: { zh: '接收方', en: 'recipient' },
  relativePosition: { zh: '相对位置', en: 'relative position' },
  relativeSpatialPosition: { zh: '相对空间位置', en: 'relative spatial position' },
  relativeTemporalPosition: { zh: '相对时间位置', en: 'relative temporal position' },
  relativeSize: { zh: '相对尺寸', en: 'relative size' },
  resolution: { zh: '分辨率', en: 'resolution' },
  spatial: { zh: '使用地域', en: 'territory of use' },
  spatialCoordinates: { zh: '地理坐标范围', en: 'geographic coordinates' },
  systemDevice: { zh: '系统或设备', en: 'system or device' },
  timeInterval: { zh: '重复周期', en: 'recurring interval' },
  unitOfCount: { zh: '计数单位', en: 'unit of count' },
  version: { zh: '版本', en: 'version' },
  virtualLocation: { zh: '网络位置', en: 'network location' },
  'civic:assetForm': { zh: '数据形态', en: 'form of the data' },
} as const satisfies Record<OdrlLeftOperandTerm | 'civic:assetForm', Term>;

export const ODRL_OPERATOR_LABELS = {
  eq: { zh: '为', en: 'is' },
  neq: { zh: '不为', en: 'is not' },
  gt: { zh: '大于', en: 'is more than' },
  gteq: { zh: '不少于', en: 'is at least' },
  lt: { zh: '小于', en: 'is less than' },
  lteq: { zh: '不超过', en: 'is at most' },
  isA: { zh: '属于类别', en: 'is a' },
  hasPart: { zh: '包含', en: 'includes' },
  isPartOf: { zh: '属于', en: 'is part of' },
  isAllOf: { zh: '同时为', en: 'is all of' },
  isAnyOf: { zh: '为以下之一：', en: 'is one of:' },
  isNoneOf: { zh: '不为以下任何一项：', en: 'is none of:' },
} as const satisfies Record<OdrlOperator, Term>;

/** Words for points in time (dateTime) and events, where "at most" reads wrong. */
export const ODRL_TIME_OPERATOR_LABELS = {
  eq: { zh: '在…期间', en: 'during' },
  neq: { zh: '不在…期间', en: 'outside' },
  gt: { zh: '晚于', en: 'after' },
  gteq: { zh: '不早于', en: 'on or after' },
  lt: { zh: '早于', en: 'before' },
  lteq: { zh: '不晚于', en: 'on or before' },
} as const satisfies Partial<Record<OdrlOperator, Term>>;

/** Values of our profile and of ODRL that appear in right operands. */
export const ODRL_VALUE_LABELS = {
  'odrl:policyUsage': { zh: '本许可的使用期', en: 'the period of use under this licence' },
  'civic:raw': { zh: '原始数据（本许可所涉数据本身）', en: 'raw data (the licensed data itself)' },
  'civic:derived': { zh: '演绎成果（基于数据得出的结果）', en: 'derived results (results computed from the data)' },
} as const satisfies Record<string, Term>;

export const ODRL_POLICY_TYPES = {
  Offer: { zh: '要约（许可条款）', en: 'Offer (licence terms)' },
  Agreement: { zh: '协议（已生效的许可）', en: 'Agreement (a licence in force)' },
} as const satisfies Record<string, Term>;

export const ODRL_CONFLICT_LABELS = {
  perm: { zh: '许可与禁止冲突时，以许可为准', en: 'Where a permission and a prohibition conflict, the permission prevails' },
  prohibit: { zh: '许可与禁止冲突时，以禁止为准', en: 'Where a permission and a prohibition conflict, the prohibition prevails' },
  invalid: { zh: '许可与禁止冲突时，该行为不得进行', en: 'Where a permission and a prohibition conflict, the action may not be taken' },
} as const satisfies Record<string, Term>;
