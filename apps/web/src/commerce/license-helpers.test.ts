import { ApiError } from '../api/api-error';
import { i18n, initI18n } from '../i18n/i18n';
import { LICENSE_EVENT_NAMES, licenseEventLabel, licenseEventText, licenseEventSources, STRIPE_INVOICE_EVENTS, STRIPE_SUBSCRIPTION_STATUSES } from './commerce-vocabulary';
import { ENTITLEMENT_REASONS, entitlementReasonKey, formatIsoDuration, licenceFactsOf, licenceTermEnd, licenceWideRefusal, placeName, verdictOf } from './entitlements';
import { endingLine, purposeLines, quotaLines, termLines, territoryLines } from './license-entitlements';
import { nextVersionOf, parsePolicyText, policyDraft, policyProblemsOf } from './license-template-form';

// The standard research template's policy (libs/domain licensing/templates.ts), as stored in a licence's terms.
const researchPolicy = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', { civic: 'https://ns.civic-data.example/odrl#' }],
  '@type': 'Offer',
  uid: 'https://ns.civic-data.example/licences/research-noncommercial/1',
  permission: [
    {
      action: 'use',
      constraint: [
        { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: [{ '@id': 'civic:research' }] },
        { leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P1Y', '@type': 'xsd:duration' } },
      ],
    },
    { action: 'reproduce', constraint: [{ leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['CN'] }] },
    { action: 'distribute', constraint: [{ leftOperand: 'spatial', operator: 'isNoneOf', rightOperand: ['US'] }] },
  ],
};

const inLanguages = async (check: (language: 'en' | 'zh-CN') => void) => {
  initI18n('en');
  for (const language of ['en', 'zh-CN'] as const) {
    await i18n.changeLanguage(language);
    check(language);
  }
  await i18n.changeLanguage('en');
};

describe('licence history', () => {
  // Every name license_events may hold: acceptance and the state machine's events (apps/api,
  // libs/db license-store.ts, the worker's sweeps), Stripe's subscription statuses (libs/payments).
  const written = [
    ...LICENSE_EVENT_NAMES,
    ...STRIPE_SUBSCRIPTION_STATUSES.map((status) => `stripe.subscription.${status}`),
    ...STRIPE_INVOICE_EVENTS.map((name) => `stripe.invoice.${name}`),
  ];

  it('words every event the platform records, in both languages, never as its raw name', async () => {
    await inLanguages(() => {
      const texts = written.map((event) => licenseEventText({ event, source: 'provider' }, i18n.t));
      for (const [index, text] of texts.entries()) {
        expect([written[index], text]).not.toEqual([written[index], written[index]]);
        expect(text).not.toMatch(/commerce\.|stripe\.|_/);
        expect(text.trim()).not.toBe('');
      }
    });
    expect(licenseEventText({ event: 'stripe.subscription.trialing', source: 'provider' }, i18n.t)).toBe('Free trial running (Stripe)');
    expect(licenseEventText({ event: 'stripe.invoice.paid', source: 'provider' }, i18n.t)).toBe('Invoice paid (Stripe)');
  });

  it('names an event it does not know by who made the change', async () => {
    expect(licenseEventLabel({ event: 'stripe.subscription.frozen', source: 'provider' })).toEqual({ kind: 'other', source: 'provider' });
    expect(licenseEventLabel({ event: 'stripe.charge.refunded', source: 'weird' })).toEqual({ kind: 'other', source: 'provider' });
    expect(licenseEventLabel({ event: 'operator_note', source: 'weird' })).toEqual({ kind: 'other', source: 'system' });
    await inLanguages(() => {
      for (const source of licenseEventSources) {
        const text = licenseEventText({ event: 'something_new', source }, i18n.t);
        expect(text).not.toMatch(/something_new|commerce\./);
      }
    });
    expect(licenseEventText({ event: 'something_new', source: 'schedule' }, i18n.t)).toBe('Updated on schedule');
  });
});

describe('what a licence allows', () => {
  it('reads refusal codes, conditional answers and refusals of the whole licence', () => {
    expect(entitlementReasonKey('licensing.prohibited')).toBe('prohibited');
    expect(entitlementReasonKey('product.not_found')).toBe('other');
    expect(entitlementReasonKey(null)).toBe('other');
    expect(verdictOf({ allowed: true, reason: null })).toBe('allowed');
    expect(verdictOf({ allowed: false, reason: 'licensing.constraint_unverifiable' })).toBe('conditional');
    expect(verdictOf({ allowed: false, reason: 'licensing.action_not_permitted' })).toBe('refused');
    const notActive = { allowed: false, reason: 'licensing.not_active' };
    expect(licenceWideRefusal([notActive, notActive, notActive, notActive])).toBe('not_active');
    expect(licenceWideRefusal([notActive, { allowed: true, reason: null }])).toBeNull();
    expect(licenceWideRefusal([{ allowed: false, reason: 'licensing.prohibited' }])).toBeNull();
  });

  it('has words for every refusal in both languages', async () => {
    await inLanguages(() => {
      for (const reason of [...ENTITLEMENT_REASONS, 'other'] as const) expect(i18n.t(`commerce.entitlements.reasons.${reason}`)).not.toMatch(/commerce\./);
    });
  });

  it("states the policy's purpose, place and term, and the period's usage", async () => {
    const facts = licenceFactsOf(researchPolicy);
    expect(facts).toEqual({ purposes: { only: ['research'], not: [] }, territories: { only: ['CN'], not: ['US'] }, terms: ['P1Y'], until: [] });
    expect(licenceFactsOf(null)).toEqual({ purposes: { only: [], not: [] }, territories: { only: [], not: [] }, terms: [], until: [] });
    initI18n('en');
    await i18n.changeLanguage('en');
    const t = i18n.t;
    expect(purposeLines(facts, 'research', 'en', t)).toEqual(['Research (stated when buying)', 'Only for Research']);
    expect(purposeLines(licenceFactsOf({}), null, 'en', t)).toEqual(['Any purpose']);
    expect(territoryLines(facts, 'en', t)).toEqual(['Only in China (CN)', 'Not in United States (US)']);
    expect(termLines(facts, '2026-11-21T00:00:00.000Z', 'en', t)).toEqual(['Until Nov 21, 2027 (1 year from the start of the licence)']);
    expect(termLines(facts, null, 'en', t)).toEqual(['1 year from the start of the licence']);
    expect(formatIsoDuration('P1Y6M', t)).toBe('1 year 6 months');
    expect(formatIsoDuration('PT30M', t)).toBe('PT30M');
    expect(termLines(licenceFactsOf({}), null, 'en', t)).toEqual(['No fixed term']);
    expect(quotaLines({ unit: 'row', included: 100_000, used: 2_500, remaining: null, overageBilled: false }, 'en', t)).toEqual([
      '2,500 rows used of 100,000 rows included',
      'No limit; usage beyond what is included is billed',
    ]);
    await i18n.changeLanguage('zh-CN');
    expect(territoryLines(facts, 'zh-CN', i18n.t)[0]).toBe('仅限中国（CN）');
    expect(termLines(facts, null, 'zh-CN', i18n.t)).toEqual(['自许可生效起 1 年']);
    expect(termLines(facts, '2026-11-21T00:00:00.000Z', 'zh-CN', i18n.t)).toEqual(['至 2027年11月21日（自许可生效起 1 年）']);
    await i18n.changeLanguage('en');
    expect(placeName('CN-SH', 'en')).toBe('CN-SH');
  });
});

describe('a licence\'s term and what happens at its end', () => {
  const at = (value: string | null) => value as unknown as null;
  const subscription: Parameters<typeof endingLine>[0] = { state: 'active', currentPeriodEnd: at('2026-12-21T00:00:00.000Z'), cancelAtPeriodEnd: false, endedAt: null };

  it('ends a term-limited licence at its term, the earliest of its limits', () => {
    const facts = licenceFactsOf(researchPolicy);
    expect(licenceTermEnd(facts, '2026-11-21T00:00:00.000Z', null)).toBe('2027-11-21T00:00:00.000Z');
    // A term counted from a start that has not come has no date yet.
    expect(licenceTermEnd(facts, null, null)).toBeNull();
    expect(licenceTermEnd({ ...facts, until: ['2027-05-01'] }, '2026-11-21T00:00:00.000Z', null)).toBe('2027-05-01T00:00:00.000Z');
    expect(licenceTermEnd(facts, '2026-11-21T00:00:00.000Z', '2027-01-31T00:00:00.000Z')).toBe('2027-01-31T00:00:00.000Z');
    expect(licenceTermEnd(licenceFactsOf({}), '2026-11-21T00:00:00.000Z', null)).toBeNull();
  });

  it('says a subscription renews, or ends at its period\'s end, and nothing more for a term', async () => {
    const said: Record<string, unknown> = {};
    await inLanguages((language) => {
      said[language] = [
        endingLine(subscription, language, i18n.t),
        endingLine({ ...subscription, cancelAtPeriodEnd: true }, language, i18n.t),
        endingLine({ ...subscription, state: 'cancelled', endedAt: at('2026-12-01T00:00:00.000Z') }, language, i18n.t),
        endingLine({ state: 'active', currentPeriodEnd: null, cancelAtPeriodEnd: false, endedAt: null }, language, i18n.t),
      ];
    });
    expect(said.en).toEqual([
      { kind: 'renews', label: 'Renews', text: 'On Dec 21, 2026, at the end of the current period' },
      { kind: 'endsAtPeriodEnd', label: 'Ends', text: 'At the end of the current period, Dec 21, 2026: it will not renew' },
      { kind: 'ended', label: 'Ended', text: 'On Dec 1, 2026' },
      null,
    ]);
    expect(said['zh-CN']).toEqual([
      { kind: 'renews', label: '续订', text: '本期结束时（2026年12月21日）自动续订' },
      { kind: 'endsAtPeriodEnd', label: '终止', text: '本期结束时（2026年12月21日）终止，不再续订' },
      { kind: 'ended', label: '已终止', text: '于 2026年12月1日' },
      null,
    ]);
  });
});

describe('licence template form', () => {
  it('lists each policy problem the API found, and tells JSON mistakes before sending', () => {
    const error = new ApiError(400, 'licensing.invalid_policy', 'Invalid ODRL policy', {
      problems: [
        { path: '@type', code: 'invalid_type', message: '@type is "Offer" or "Agreement"' },
        { path: 'permission[0].action', code: 'unknown_action', message: 'Unknown action "fly"' },
        { path: '', code: 'brand_new', message: 'x' },
        'junk',
      ],
    });
    expect(policyProblemsOf(error)).toEqual([
      { path: '@type', code: 'invalid_type', message: '@type is "Offer" or "Agreement"' },
      { path: 'permission[0].action', code: 'unknown_action', message: 'Unknown action "fly"' },
      { path: '', code: 'other', message: 'x' },
    ]);
    expect(policyProblemsOf(new ApiError(409, 'licensing.template_key_taken', 'taken'))).toBeNull();
    expect(parsePolicyText('{"a": 1}')).toEqual({ policy: { a: 1 } });
    expect(parsePolicyText('[1]')).toEqual({ error: 'not_object' });
    expect(parsePolicyText('{"a": }')).toMatchObject({ error: 'json' });
  });

  it('starts a new version from the latest one, with its uid moved on', () => {
    const templates = [
      { key: 'open-attribution', version: 1 },
      { key: 'open-attribution', version: 2 },
      { key: 'research-noncommercial', version: 1 },
    ];
    expect(nextVersionOf(templates, 'open-attribution')).toBe(3);
    expect(nextVersionOf(templates, 'city-new')).toBe(1);
    expect(JSON.parse(policyDraft(researchPolicy, 'research-noncommercial', 2)).uid).toBe('https://ns.civic-data.example/licences/research-noncommercial/2');
    expect(JSON.parse(policyDraft({ uid: 'urn:x' }, 'k', 2)).uid).toBe('urn:x');
    // Keys as a person reads ODRL, not in the database's order.
    const draft = policyDraft({ uid: 'urn:x', permission: [{ duty: [], constraint: [{ operator: 'eq', rightOperand: 'CN', leftOperand: 'spatial' }], action: 'use' }], '@type': 'Offer', '@context': 'odrl' }, 'k', 1);
    expect(draft.indexOf('"@context"')).toBeLessThan(draft.indexOf('"@type"'));
    expect(draft.indexOf('"@type"')).toBeLessThan(draft.indexOf('"uid"'));
    expect(draft.indexOf('"action"')).toBeLessThan(draft.indexOf('"constraint"'));
    expect(draft.indexOf('"leftOperand"')).toBeLessThan(draft.indexOf('"operator"'));
    expect(draft.indexOf('"constraint"')).toBeLessThan(draft.indexOf('"duty"'));
  });
});
