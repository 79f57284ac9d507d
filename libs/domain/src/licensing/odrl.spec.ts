import fc from 'fast-check';
import { expectDomainError } from '../pricing/test-support.js';
import { addIsoDuration, formatIsoDuration, parseIsoDuration } from './duration.js';
import {
  actionCovers,
  CIVIC_NAMESPACE,
  CIVIC_POLICY_CONTEXT,
  classifyTerm,
  instantiatePolicy,
  ODRL_ACTIONS,
  ODRL_CONTEXT_URL,
  parseOdrlDateTime,
  parseOdrlPolicy,
  validateOdrlPolicy,
  type OdrlPolicy,
  type PolicyProblem,
} from './odrl.js';
import { getLicenceTemplate, LICENCE_TEMPLATE_KEYS, STANDARD_LICENSE_TEMPLATES, templateForUid } from './templates.js';

const base = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@context': CIVIC_POLICY_CONTEXT,
  '@type': 'Offer',
  uid: 'https://ns.civic-data.example/licences/test/1',
  permission: [{ action: 'use' }],
  ...fields,
});
const problems = (input: unknown) =>
  (expectDomainError(() => parseOdrlPolicy(input), 'licensing.invalid_policy').details as { problems: PolicyProblem[] }).problems.map(({ path, code }) => `${path}:${code}`);
const constraint = (leftOperand: string, operator: string, rightOperand: unknown) => base({ permission: [{ action: 'use', constraint: [{ leftOperand, operator, rightOperand }] }] });

describe('standard templates', () => {
  it('has the four stable keys at version 1, titled and summarized in both languages', () => {
    expect(Object.keys(STANDARD_LICENSE_TEMPLATES)).toEqual(['open-attribution', 'commercial-internal', 'commercial-derived-redistribution', 'research-noncommercial']);
    expect(LICENCE_TEMPLATE_KEYS).toEqual(Object.keys(STANDARD_LICENSE_TEMPLATES));
    for (const template of Object.values(STANDARD_LICENSE_TEMPLATES)) {
      expect(template.version).toBe(1);
      for (const text of [template.title.zh, template.title.en, template.summary.zh, template.summary.en]) expect(text.trim().length).toBeGreaterThan(3);
      expect(templateForUid(template.policy.uid)).toBe(template);
      expect(getLicenceTemplate(template.key)).toBe(template);
    }
    expectDomainError(() => getLicenceTemplate('all-rights'), 'licensing.unknown_template');
    expectDomainError(() => getLicenceTemplate('open-attribution', 2), 'licensing.unknown_template');
  });

  it('are valid ODRL policies that parse to themselves', () => {
    for (const template of Object.values(STANDARD_LICENSE_TEMPLATES)) {
      expect(parseOdrlPolicy(template.policy)).toEqual(template.policy);
      expect(template.policy['@context']).toEqual([ODRL_CONTEXT_URL, { civic: CIVIC_NAMESPACE }]);
      expect(template.policy.profile).toBeDefined();
      expect(template.policy.conflict).toBe('prohibit');
    }
  });

  it('use the ODRL vocabulary where it has the term, civic: otherwise', () => {
    const actions = new Set<string>();
    for (const { policy } of Object.values(STANDARD_LICENSE_TEMPLATES)) {
      for (const rule of [...(policy.permission ?? []), ...(policy.prohibition ?? [])]) actions.add(rule.action);
      for (const rule of policy.permission ?? []) for (const duty of rule.duty ?? []) actions.add(duty.action);
    }
    expect([...actions].sort()).toEqual(['attribute', 'civic:reidentify', 'civic:resellRaw', 'delete', 'derive', 'display', 'distribute', 'reproduce', 'sell', 'use']);
  });

  it('are frozen', () => {
    expect(() => {
      (STANDARD_LICENSE_TEMPLATES['open-attribution'].policy.permission as unknown[]).push({ action: 'sell' });
    }).toThrow(TypeError);
  });
});

describe('parseOdrlPolicy', () => {
  it('accepts agreements with both parties and normalizes terms', () => {
    const policy = parseOdrlPolicy(
      base({
        '@type': 'Agreement',
        assigner: 'urn:civic:organization:agency-1',
        assignee: 'urn:civic:organization:buyer-9',
        target: 'urn:civic:product-version:pv-1',
        permission: [{ action: 'odrl:reproduce', constraint: [{ leftOperand: 'odrl:count', operator: 'odrl:lteq', rightOperand: 10 }] }],
        prohibition: [{ action: `${CIVIC_NAMESPACE}reidentify` }],
        obligation: [{ action: 'attribute', 'civic:attributionText': [{ '@value': 'Source: X', '@language': 'en' }] }],
      }),
    );
    expect(policy.permission).toEqual([{ action: 'reproduce', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 10 }] }]);
    expect(policy.prohibition).toEqual([{ action: 'civic:reidentify' }]);
    expect(policy.assignee).toBe('urn:civic:organization:buyer-9');
  });

  it('accepts other vocabularies’ terms when their prefix is declared', () => {
    const policy = parseOdrlPolicy(base({ '@context': [ODRL_CONTEXT_URL, { ex: 'https://example.org/terms#' }], permission: [{ action: 'ex:mine' }, { action: 'https://example.org/act/print3d' }] }));
    expect(policy.permission?.map((rule) => rule.action)).toEqual(['ex:mine', 'https://example.org/act/print3d']);
  });

  it('refuses what is not a supported policy', () => {
    expect(problems('policy')).toEqual([':not_object']);
    expect(problems({})).toEqual(['@context:required', '@type:required', 'uid:required', ':empty_policy']);
    expect(problems(base({ '@context': 'https://schema.org/' }))).toEqual(['@context:invalid_context']);
    expect(problems(base({ '@context': [ODRL_CONTEXT_URL, { civic: 'https://other.example/#' }] }))).toEqual(['@context:invalid_context']);
    expect(problems(base({ '@type': 'Set' }))).toEqual(['@type:invalid_type']);
    expect(problems(base({ uid: 'licence 1' }))).toEqual(['uid:invalid_iri']);
    expect(problems(base({ conflict: 'first' }))).toEqual(['conflict:invalid_conflict']);
    expect(problems(base({ title: 'x' }))).toEqual(['title:unknown_property']);
    expect(problems(base({ permission: [] }))).toEqual([':empty_policy']);
    expect(problems(base({ permission: { action: 'use' } }))).toEqual(['permission:not_array', ':empty_policy']);
    expect(problems(base({ '@type': 'Agreement', assigner: 'urn:civic:org:a' }))).toEqual(['assignee:missing_party']);
  });

  it('refuses unknown actions, operands, operators and civic terms', () => {
    expect(problems(base({ permission: [{ action: 'usee' }] }))).toEqual(['permission[0].action:unknown_action']);
    expect(problems(base({ permission: [{ action: 'commercialize' }] }))).toEqual(['permission[0].action:unknown_action']);
    expect(problems(base({ permission: [{}] }))).toEqual(['permission[0].action:required']);
    expect(problems(base({ permission: [{ action: ['use', 'display'] }] }))).toEqual(['permission[0].action:unknown_action']);
    expect(problems(base({ permission: [{ action: 'civic:sellEverything' }] }))).toEqual(['permission[0].action:unknown_action']);
    expect(problems(base({ permission: [{ action: 'civic:assetForm' }] }))).toEqual(['permission[0].action:unknown_action']);
    expect(problems(base({ '@context': ODRL_CONTEXT_URL, permission: [{ action: 'civic:reidentify' }] }))).toEqual(['permission[0].action:undeclared_prefix']);
    expect(problems(base({ permission: [{ action: 'ex:thing' }] }))).toEqual(['permission[0].action:undeclared_prefix']);
    expect(problems(constraint('colour', 'eq', 'red'))).toEqual(['permission[0].constraint[0].leftOperand:unknown_left_operand']);
    expect(problems(constraint('purpose', 'contains', 'x'))).toEqual(['permission[0].constraint[0].operator:unknown_operator']);
    expect(problems(constraint('purpose', 'or', 'x'))).toEqual(['permission[0].constraint[0].operator:unknown_operator']);
    expect(problems(base({ permission: [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'eq' }] }] }))).toEqual(['permission[0].constraint[0].rightOperand:required']);
    expect(problems(base({ permission: [{ action: 'use', when: 'always' }] }))).toEqual(['permission[0].when:unknown_property']);
  });

  it('checks right operands against their left operand', () => {
    expect(problems(constraint('purpose', 'isAnyOf', { '@id': 'civic:research' }))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('purpose', 'eq', [{ '@id': 'civic:research' }]))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('purpose', 'isAnyOf', []))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('purpose', 'eq', { '@id': 'civic:gambling' }))).toEqual(['permission[0].constraint[0].rightOperand:unknown_term']);
    expect(problems(constraint('spatial', 'isAnyOf', ['China']))).toEqual(['permission[0].constraint[0].rightOperand[0]:invalid_right_operand']);
    expect(problems(constraint('elapsedTime', 'lteq', 'one year'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('elapsedTime', 'lteq', '-P1Y'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('count', 'lteq', -1))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('count', 'lteq', 1.5))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('dateTime', 'lteq', '2026-12-31T23:59:59'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('dateTime', 'lteq', '2026-02-30'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('civic:assetForm', 'eq', 'civic:raw'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('civic:assetForm', 'eq', { '@id': 'civic:cooked' }))).toEqual(['permission[0].constraint[0].rightOperand:unknown_term']);
    expect(problems(constraint('event', 'gt', 'policyUsage'))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('purpose', 'eq', { '@value': 'x', extra: 1 }))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    expect(problems(constraint('purpose', 'eq', null))).toEqual(['permission[0].constraint[0].rightOperand:invalid_right_operand']);
    for (const [left, op, right] of [
      ['dateTime', 'lteq', '2026-12-31T23:59:59+08:00'],
      ['dateTime', 'gteq', { '@value': '2026-01-01', '@type': 'xsd:date' }],
      ['elapsedTime', 'lteq', { '@value': 'P1Y6M', '@type': 'xsd:duration' }],
      ['spatial', 'isNoneOf', ['US', 'CN-HK']],
      ['count', 'lt', 100],
      ['purpose', 'eq', 'research'],
      ['recipient', 'eq', { '@id': 'urn:civic:organization:x' }],
    ] as const) {
      expect(validateOdrlPolicy(constraint(left, op, right))).toEqual([]);
    }
  });

  it('checks duties and attribution texts', () => {
    const duty = (fields: Record<string, unknown>) => base({ permission: [{ action: 'distribute', duty: [{ action: 'attribute', ...fields }] }] });
    expect(validateOdrlPolicy(duty({ 'civic:attributionText': [{ '@value': '来源：X', '@language': 'zh-CN' }] }))).toEqual([]);
    expect(problems(duty({ 'civic:attributionText': [{ '@value': '', '@language': 'zh-CN' }] }))).toEqual(['permission[0].duty[0].civic:attributionText[0]:invalid_text']);
    expect(problems(duty({ 'civic:attributionText': [{ '@value': 'x', '@language': 'fr' }] }))).toEqual(['permission[0].duty[0].civic:attributionText[0]:invalid_text']);
    expect(
      problems(
        duty({
          'civic:attributionText': [
            { '@value': 'a', '@language': 'en' },
            { '@value': 'b', '@language': 'en' },
          ],
        }),
      ),
    ).toEqual(['permission[0].duty[0].civic:attributionText:invalid_text']);
    expect(problems(duty({ attributedParty: 'the agency' }))).toEqual(['permission[0].duty[0].attributedParty:invalid_iri']);
    expect(problems(base({ permission: [{ action: 'use', duty: [{ action: 'pay' }] }] }))).toEqual(['permission[0].duty[0].action:unknown_action']);
  });

  it('never accepts a policy with a random corruption', () => {
    const corruptions: Array<[string, unknown]> = [
      ['@type', 'Ticket'],
      ['uid', ''],
      ['@context', null],
      ['permission', [{ action: 'teleport' }]],
      ['prohibition', [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: [] }] }]],
      ['extra', true],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...LICENCE_TEMPLATE_KEYS), fc.constantFrom(...corruptions), (key, [field, value]) => {
        const broken = { ...STANDARD_LICENSE_TEMPLATES[key].policy, [field]: value };
        expect(validateOdrlPolicy(broken).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('terms and actions', () => {
  it('classifies terms', () => {
    expect(classifyTerm('use', CIVIC_POLICY_CONTEXT, ODRL_ACTIONS)).toEqual({ kind: 'odrl', name: 'use' });
    expect(classifyTerm('odrl:use', CIVIC_POLICY_CONTEXT, ODRL_ACTIONS)).toEqual({ kind: 'odrl', name: 'use' });
    expect(classifyTerm('civic:reidentify', CIVIC_POLICY_CONTEXT, ODRL_ACTIONS)).toEqual({ kind: 'civic', name: 'civic:reidentify' });
    expect(classifyTerm('urn:x:y', CIVIC_POLICY_CONTEXT, ODRL_ACTIONS)).toEqual({ kind: 'external', name: 'urn:x:y' });
    expect(classifyTerm('frobnicate', CIVIC_POLICY_CONTEXT, ODRL_ACTIONS)).toEqual({ error: 'unknown_term' });
  });

  it('follows ODRL includedIn', () => {
    expect(actionCovers('use', 'reproduce')).toBe(true);
    expect(actionCovers('use', 'distribute')).toBe(true);
    expect(actionCovers('reproduce', 'extract')).toBe(true);
    expect(actionCovers('use', 'extract')).toBe(true);
    expect(actionCovers('reproduce', 'use')).toBe(false);
    expect(actionCovers('use', 'sell')).toBe(false);
    expect(actionCovers('transfer', 'sell')).toBe(true);
    expect(actionCovers('distribute', 'distribute')).toBe(true);
    expect(actionCovers('use', 'civic:reidentify')).toBe(false);
  });

  it('instantiates a template as an offer or an agreement', () => {
    const template = STANDARD_LICENSE_TEMPLATES['open-attribution'].policy;
    const agreement: OdrlPolicy = instantiatePolicy(template, {
      uid: 'urn:civic:licence:l-1',
      type: 'Agreement',
      assigner: 'urn:civic:organization:agency-1',
      assignee: 'urn:civic:organization:buyer-1',
      target: 'urn:civic:product-version:pv-1',
      attribution: { zh: '来源：市交通局', en: 'Source: City Transport Bureau' },
    });
    expect(agreement['@type']).toBe('Agreement');
    expect(agreement.permission?.find((rule) => rule.action === 'distribute')?.duty?.[0]['civic:attributionText']).toEqual([
      { '@value': '来源：市交通局', '@language': 'zh-CN' },
      { '@value': 'Source: City Transport Bureau', '@language': 'en' },
    ]);
    expect(template.uid).not.toBe(agreement.uid);
    expect(template.assignee).toBeUndefined();
    expectDomainError(() => instantiatePolicy(template, { uid: 'urn:civic:licence:l-2', type: 'Agreement', assigner: 'urn:civic:organization:a', target: 'urn:civic:p:1' }), 'licensing.invalid_policy');
  });
});

describe('durations and dates', () => {
  it('parses, adds and formats ISO 8601 durations', () => {
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7S')).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 });
    for (const bad of ['P', 'PT', '1Y', 'P1.5Y', '-P1Y', 'P1H', 'PT1D', '']) expect(parseIsoDuration(bad)).toBeNull();
    expect(addIsoDuration(new Date('2025-01-31T10:00:00Z'), parseIsoDuration('P1M')!).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addIsoDuration(new Date('2024-02-29T00:00:00Z'), parseIsoDuration('P1Y')!).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addIsoDuration(new Date('2025-12-15T00:00:00Z'), parseIsoDuration('P1MT1H')!).toISOString()).toBe('2026-01-15T01:00:00.000Z');
    expect(formatIsoDuration(parseIsoDuration('P1Y6M')!, 'en')).toBe('1 year 6 months');
    expect(formatIsoDuration(parseIsoDuration('P1Y6M')!, 'zh-CN')).toBe('1年6个月');
    expect(formatIsoDuration(parseIsoDuration('PT0S')!, 'en')).toBe('0 days');
  });

  it('reads dateTime operands; a date is a whole day in UTC+08:00', () => {
    expect(parseOdrlDateTime('2026-01-01')).toEqual({ start: Date.parse('2025-12-31T16:00:00Z'), end: Date.parse('2026-01-01T16:00:00Z') });
    expect(parseOdrlDateTime('2026-01-01T00:00:00Z')).toEqual({ start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2026-01-01T00:00:00Z') });
    expect(parseOdrlDateTime('2026-13-01')).toBeNull();
    expect(parseOdrlDateTime('2026-01-01T00:00')).toBeNull();
  });
});
