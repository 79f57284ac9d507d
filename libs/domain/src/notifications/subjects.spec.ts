import { LICENCE_STATE_KEYS } from '../licensing/lifecycle.js';
import { notificationSubject } from './subjects.js';

const product = { titleZh: '道路拥堵指数', titleEn: 'Road congestion index' };

describe('notificationSubject', () => {
  it('names the product in Chinese first, then in English', () => {
    expect(notificationSubject({ kind: 'product.review_requested', product })).toBe('待审核产品：道路拥堵指数 / Product to review: Road congestion index');
    expect(notificationSubject({ kind: 'product.rejected', product })).toBe('退回修改：道路拥堵指数 / Sent back for changes: Road congestion index');
    expect(notificationSubject({ kind: 'invitation', organizationName: '城流数据科技 CityFlow Analytics' })).toBe(
      '邀请您加入城流数据科技 CityFlow Analytics / Invitation to 城流数据科技 CityFlow Analytics',
    );
  });

  it('says why a product is derived again', () => {
    expect(notificationSubject({ kind: 'product.rederiving', product, cause: 'new_source' })).toContain('源数据已更新');
    expect(notificationSubject({ kind: 'product.rederiving', product, cause: 'policy_changed' })).toContain('Privacy settings changed');
  });

  it('words every licence state in both languages, each differently', () => {
    const subjects = LICENCE_STATE_KEYS.map((state) => notificationSubject({ kind: 'license.state', state }));
    expect(new Set(subjects).size).toBe(LICENCE_STATE_KEYS.length);
    for (const subject of subjects) expect(subject).toMatch(/^许可状态：\S+ \/ Licence [a-z ()]+$/);
    expect(notificationSubject({ kind: 'license.state', state: 'past_due' })).toBe('许可状态：逾期未付（宽限期） / Licence past due (grace period)');
    const dataset = { titleZh: '二手房交易', titleEn: 'Second-hand housing transactions' };
    expect(notificationSubject({ kind: 'access.requested', dataset })).toBe('待审批数据使用申请：二手房交易 / Access request to decide: Second-hand housing transactions');
    expect(notificationSubject({ kind: 'access.decided', dataset, decision: 'approved' })).toBe('数据使用申请已批准：二手房交易 / Access granted: Second-hand housing transactions');
    expect(notificationSubject({ kind: 'access.decided', dataset, decision: 'rejected' })).toBe('数据使用申请未获批准：二手房交易 / Access request declined: Second-hand housing transactions');
  });
});
