import { LICENCE_STATES, type LicenceState } from '../licensing/lifecycle.js';

/** A product as a message names it: both titles. */
export interface TitledProduct {
  titleZh: string;
  titleEn: string;
}

/** A dataset as a message names it: both titles. */
export type TitledDataset = TitledProduct;

/**
 * The subject line of each message the platform sends people, Chinese first, then English
 * (`中文 / English`): recipients of one organization read either, and a message has one subject.
 */
export type NotificationSubject =
  | { kind: 'invitation'; organizationName: string }
  | { kind: 'product.review_requested'; product: TitledProduct }
  | { kind: 'product.approved'; product: TitledProduct }
  | { kind: 'product.rejected'; product: TitledProduct }
  | { kind: 'product.run_failed'; product: TitledProduct }
  | { kind: 'product.rederiving'; product: TitledProduct; cause: 'new_source' | 'policy_changed' }
  | { kind: 'product.rederived'; product: TitledProduct }
  | { kind: 'product.suspended'; product: TitledProduct }
  | { kind: 'product.policy_changed'; product: TitledProduct; mustRunAgain: boolean }
  | { kind: 'license.approval_requested'; product: TitledProduct }
  | { kind: 'license.state'; state: LicenceState }
  | { kind: 'access.requested'; dataset: TitledDataset }
  | { kind: 'access.decided'; dataset: TitledDataset; decision: 'approved' | 'rejected' };

export function notificationSubject(subject: NotificationSubject): string {
  const [zh, en] = words(subject);
  return `${zh} / ${en}`;
}

/** The subject in each language apart: the in-app inbox shows the reader's language only. */
export function notificationText(subject: NotificationSubject): { zh: string; en: string } {
  const [zh, en] = words(subject);
  return { zh, en };
}

function words(subject: NotificationSubject): [string, string] {
  switch (subject.kind) {
    case 'invitation':
      return [`邀请您加入${subject.organizationName}`, `Invitation to ${subject.organizationName}`];
    case 'product.review_requested':
      return [`待审核产品：${subject.product.titleZh}`, `Product to review: ${subject.product.titleEn}`];
    case 'product.approved':
      return [`审核通过：${subject.product.titleZh}`, `Approved: ${subject.product.titleEn}`];
    case 'product.rejected':
      return [`退回修改：${subject.product.titleZh}`, `Sent back for changes: ${subject.product.titleEn}`];
    case 'product.run_failed':
      return [`自动重新生成失败：${subject.product.titleZh}`, `Automatic re-derivation failed: ${subject.product.titleEn}`];
    case 'product.rederiving':
      return subject.cause === 'new_source'
        ? [`源数据已更新：${subject.product.titleZh} 正在重新生成`, `New source data: ${subject.product.titleEn} is being derived again`]
        : [`隐私设置已变更：${subject.product.titleZh} 正在重新生成`, `Privacy settings changed: ${subject.product.titleEn} is being derived again`];
    case 'product.rederived':
      return [`${subject.product.titleZh} 已生成新版本`, `New version of ${subject.product.titleEn}`];
    case 'product.suspended':
      return [`产品已暂停：${subject.product.titleZh}`, `Product suspended: ${subject.product.titleEn}`];
    case 'product.policy_changed':
      return subject.mustRunAgain
        ? [`隐私设置已变更：${subject.product.titleZh} 须重新生成后才能上架`, `Privacy settings changed: ${subject.product.titleEn} must be run again before it can be listed`]
        : [`隐私设置已变更：重新生成 ${subject.product.titleZh} 即可按新设置派生`, `Privacy settings changed: run ${subject.product.titleEn} again to derive it under them`];
    case 'license.approval_requested':
      return [`待审批采购：${subject.product.titleZh}`, `Purchase to approve: ${subject.product.titleEn}`];
    case 'license.state':
      return [`许可状态：${LICENCE_STATES[subject.state].zh}`, `Licence ${LICENCE_STATES[subject.state].en.toLowerCase()}`];
    case 'access.requested':
      return [`待审批数据使用申请：${subject.dataset.titleZh}`, `Access request to decide: ${subject.dataset.titleEn}`];
    case 'access.decided':
      return subject.decision === 'approved'
        ? [`数据使用申请已批准：${subject.dataset.titleZh}`, `Access granted: ${subject.dataset.titleEn}`]
        : [`数据使用申请未获批准：${subject.dataset.titleZh}`, `Access request declined: ${subject.dataset.titleEn}`];
  }
}
