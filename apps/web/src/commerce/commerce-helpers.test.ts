import dayjs from 'dayjs';
import { ApiError } from '../api/api-error';
import { i18n, initI18n } from '../i18n/i18n';
import { receivedAtOf } from '../pages/finance-invoices-page';
import { offer } from '../test/commerce-fixtures';
import { capViolationsOf, capViolationText } from './cap-violations';
import { fitLabel } from './estimate-chart';
import { canonicalJson, offerChanges, planFieldOf } from './offer-form-modal';
import { isPurposeBound, licenseIdOf, permittedPurposes } from './purchase';

describe('offer edits', () => {
  it('sends only what changed, comparing plans whatever their key order', () => {
    const current = offer();
    const same = { nameZh: current.nameZh, nameEn: ` ${current.nameEn} `, templateId: current.template.id, requiresApproval: false, pricePlan: { amount: 120_000, trialDays: 14, interval: 'month' as const, currency: 'CNY', kind: 'subscription' as const } };
    expect(offerChanges(current, same)).toEqual({});
    expect(offerChanges(current, { ...same, requiresApproval: true, pricePlan: { ...same.pricePlan, amount: 99_000 } })).toEqual({
      requiresApproval: true,
      pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 99_000, trialDays: 14 },
    });
    expect(canonicalJson({ b: 1, a: [{ d: null, c: undefined }] })).toBe('{"a":[{"d":null}],"b":1}');
  });

  it("maps a plan problem's path to the form's field", () => {
    expect(planFieldOf('metered.tiers[1].upTo')).toEqual(['plan', 'metered', 'tiers', 1, 'upTo']);
    expect(planFieldOf('amount')).toEqual(['plan', 'amount']);
  });
});

describe('purchase helpers', () => {
  it('tells purpose-bound terms from others', () => {
    expect(isPurposeBound({ policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['research'] }] }] } })).toBe(true);
    expect(isPurposeBound({ policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'spatial' }] }] } })).toBe(false);
    expect(isPurposeBound({})).toBe(false);
  });

  it('reads the purposes a licence permits its data to be used for', () => {
    const research = { policy: { permission: [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: [{ '@id': 'civic:research' }] }] }, { action: 'distribute' }] } };
    expect(permittedPurposes(research)).toEqual(['research']);
    expect(permittedPurposes({ policy: { permission: [{ action: 'use' }] } })).toBeNull();
  });

  it('finds the licence an error points to', () => {
    expect(licenseIdOf(new ApiError(409, 'licensing.already_licensed', 'held', [{ licenseId: 'abc' }]))).toBe('abc');
    expect(licenseIdOf(new ApiError(409, 'licensing.terms_changed', 'changed', [{ termsSha256: 'x' }]))).toBeNull();
    expect(licenseIdOf(new Error('no'))).toBeNull();
  });

  it('sends the day money arrived as an instant never in the future', () => {
    const now = dayjs('2026-11-24T01:30:00');
    expect(receivedAtOf(now, now)).toBe(now.toISOString());
    expect(receivedAtOf(dayjs('2026-11-20T00:00:00'), now)).toBe(dayjs('2026-11-20T12:00:00').toISOString());
  });
});

describe('price cap refusals', () => {
  it('words each violation with its figure, limit and scope', async () => {
    initI18n('en');
    await i18n.changeLanguage('en');
    const error = new ApiError(400, 'pricing.over_cap', 'over', [
      { code: 'pricing.over_cap', capIndex: 0, cap: { scope: { classification: 'restricted' }, currency: 'CNY', maxOneTime: 5_000_000 }, limit: 'maxOneTime', path: 'amount', figure: 6_000_000, max: 5_000_000, currency: 'CNY' },
      { code: 'pricing.over_cap', capIndex: 1, cap: { scope: {}, currency: 'CNY', maxPerUnit: { unit: 'row', per: 1000, amount: 100 } }, limit: 'maxPerUnit', path: 'metered.tiers[0].unitAmount', figure: 150, max: 100, currency: 'CNY' },
      { code: 'pricing.cap_currency_mismatch', capIndex: 2, cap: { scope: { theme: 'transport' }, currency: 'CNY' }, limit: 'currency', path: 'currency', planCurrency: 'USD', currency: 'CNY' },
    ]);
    const violations = capViolationsOf(error) ?? [];
    expect(violations.map((violation) => capViolationText(violation, i18n.t, 'en'))).toEqual([
      'One-time fee ¥60,000.00 is above the cap of ¥50,000.00 (Restricted).',
      'Usage price ¥1.50 per 1,000 rows is above the cap of ¥1.00 (Every product).',
      'A cap in CNY applies (Transport and passenger flow) but the plan is in USD: price it in CNY.',
    ]);
    expect(capViolationsOf(new ApiError(400, 'pricing.invalid_plan', 'x'))).toBeNull();
  });
});

describe('chart labels', () => {
  it('fit offer names beside the bars, CJK characters counting double', () => {
    expect(fitLabel('Research (free)', 30)).toBe('Research (free)');
    expect(fitLabel('Pay as you go (redistribute derived results)', 14)).toBe('Pay as you go…');
    expect(fitLabel('按量计费（可再分发衍生结果）', 14)).toBe('按量计费（可…');
    expect(fitLabel('企业月度订阅', 14)).toBe('企业月度订阅');
  });
});
