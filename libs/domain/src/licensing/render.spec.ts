import { CIVIC_POLICY_CONTEXT, ODRL_ACTIONS, ODRL_CONTEXT_URL, ODRL_LEFT_OPERANDS, ODRL_OPERATORS, parseOdrlPolicy, type OdrlPolicy } from './odrl.js';
import { renderConstraint, renderLicence, renderLicenceText, type LicenceLocale } from './render.js';
import { STANDARD_LICENSE_TEMPLATES } from './templates.js';
import { ODRL_ACTION_LABELS, ODRL_LEFT_OPERAND_LABELS, ODRL_OPERATOR_LABELS } from './vocabulary.js';

const LOCALES: LicenceLocale[] = ['zh-CN', 'en'];
const BROKEN = /undefined|null|NaN|\[object|\[unrecognised|\[未识别/;

describe('renderLicence: the standard templates', () => {
  it('renders every template in both languages, with nothing missing or unknown', () => {
    for (const template of Object.values(STANDARD_LICENSE_TEMPLATES)) {
      for (const locale of LOCALES) {
        const rendered = renderLicence(template.policy, locale);
        expect(rendered.title).toBe(locale === 'zh-CN' ? template.title.zh : template.title.en);
        const text = renderLicenceText(template.policy, locale);
        expect(text).not.toMatch(BROKEN);
        for (const section of rendered.sections) {
          expect(section.heading.trim()).not.toBe('');
          for (const item of section.items) expect(item.trim()).not.toBe('');
        }
        // Every rule is rendered: nothing is silently dropped.
        const count = (key: string) => rendered.sections.find((section) => section.key === key)?.items.length ?? 0;
        expect(count('permissions')).toBe(template.policy.permission?.length ?? 0);
        expect(count('prohibitions')).toBe(template.policy.prohibition?.length ?? 0);
        expect(count('duties')).toBeGreaterThan(0);
        if (locale === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
        else expect(text).not.toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('reads as expected for the commercial licence that allows derived results', () => {
    const policy = STANDARD_LICENSE_TEMPLATES['commercial-derived-redistribution'].policy;
    expect(renderLicence(policy, 'en').sections.slice(0, 3)).toEqual([
      {
        key: 'permissions',
        heading: 'You may',
        items: [
          'Use the data — only if territory of use is one of: China (CN)',
          'Make copies of the data (including downloads) — only if territory of use is one of: China (CN)',
          'Create derived results from the data (analyses, models, statistics) — only if territory of use is one of: China (CN)',
          'Supply to third parties — only if form of the data is derived results (results computed from the data)',
        ],
      },
      {
        key: 'prohibitions',
        heading: 'You may not',
        items: [
          'Supply to third parties — where form of the data is raw data (the licensed data itself)',
          'Resell or pass on the raw data',
          'Re-identify people or organisations in the data',
        ],
      },
      {
        key: 'duties',
        heading: 'You must',
        items: [
          'Delete all copies of the data — when: after the period of use under this licence — applies to: Use the data',
          'Credit the source: “Source: the City Data Marketplace and the data provider” — applies to: Supply to third parties',
        ],
      },
    ]);
    expect(renderLicence(policy, 'zh-CN').sections.slice(0, 3).map((section) => [section.heading, section.items])).toEqual([
      [
        '允许',
        [
          '使用数据；条件：使用地域为以下之一：中国（CN）',
          '复制数据（含下载）；条件：使用地域为以下之一：中国（CN）',
          '基于数据制作演绎成果（分析、模型、统计结果等）；条件：使用地域为以下之一：中国（CN）',
          '向第三方提供；条件：数据形态为演绎成果（基于数据得出的结果）',
        ],
      ],
      ['禁止', ['向第三方提供；条件：数据形态为原始数据（本许可所涉数据本身）', '转售或转让原始数据', '重新识别数据中的个人或组织']],
      ['义务', ['删除全部数据副本；时间或条件：本许可的使用期结束后；适用于：使用数据', '注明数据来源：“数据来源：城市数据交易平台及数据提供单位”；适用于：向第三方提供']],
    ]);
  });

  it('states the same duty once with everything it applies to', () => {
    const duties = renderLicence(STANDARD_LICENSE_TEMPLATES['open-attribution'].policy, 'en').sections.find((section) => section.key === 'duties');
    expect(duties?.items).toEqual([
      'Credit the source: “Source: the City Data Marketplace and the data provider” — applies to: Display the data; Create derived results from the data (analyses, models, statistics); Supply to third parties',
    ]);
  });

  it('renders the research term and purpose', () => {
    const text = renderLicenceText(STANDARD_LICENSE_TEMPLATES['research-noncommercial'].policy, 'en');
    expect(text).toContain('Use the data — only if purpose is one of: Research; and time since the licence started is at most 1 year');
    expect(renderLicenceText(STANDARD_LICENSE_TEMPLATES['research-noncommercial'].policy, 'zh-CN')).toContain('使用数据；条件：用途为以下之一：科学研究；且自许可生效起的时长不超过1年');
  });

  it('has plain text with the title, headings and items', () => {
    const text = renderLicenceText(STANDARD_LICENSE_TEMPLATES['commercial-internal'].policy, 'en');
    expect(text.startsWith('Commercial licence, internal use only\n\nYou may\n- Use the data')).toBe(true);
    expect(text).toContain('\n\nYou may not\n- Supply to third parties\n- Sell the data\n');
    expect(text.endsWith('prevails\n')).toBe(true);
  });
});

describe('renderLicence: any policy', () => {
  it('has words for every ODRL action, left operand and operator in both languages', () => {
    for (const action of ODRL_ACTIONS) expect(ODRL_ACTION_LABELS[action]).toBeDefined();
    for (const operand of ODRL_LEFT_OPERANDS) expect(ODRL_LEFT_OPERAND_LABELS[operand]).toBeDefined();
    for (const operator of ODRL_OPERATORS) expect(ODRL_OPERATOR_LABELS[operator]).toBeDefined();
    for (const table of [ODRL_ACTION_LABELS, ODRL_LEFT_OPERAND_LABELS, ODRL_OPERATOR_LABELS]) {
      for (const term of Object.values(table)) {
        expect(term.zh.trim()).not.toBe('');
        expect(term.en.trim()).not.toBe('');
      }
    }
  });

  it('shows terms of other vocabularies explicitly instead of dropping them', () => {
    const policy = parseOdrlPolicy({
      '@context': [ODRL_CONTEXT_URL, { ex: 'https://example.org/terms#' }],
      '@type': 'Agreement',
      uid: 'urn:civic:licence:l-9',
      assigner: 'urn:civic:organization:a',
      assignee: 'urn:civic:organization:b',
      target: 'urn:civic:product-version:pv-9',
      permission: [{ action: 'ex:mine', constraint: [{ leftOperand: 'ex:colour', operator: 'eq', rightOperand: 'blue' }] }],
      prohibition: [{ action: 'print' }],
      obligation: [{ action: 'inform' }],
    });
    const en = renderLicence(policy, 'en');
    expect(en.title).toBeUndefined();
    expect(en.sections.map((section) => [section.key, section.items])).toEqual([
      ['permissions', ['[unrecognised action: ex:mine] — only if [unrecognised condition: ex:colour] is blue']],
      ['prohibitions', ['Print the data']],
      ['duties', ['Report the use']],
      [
        'about',
        [
          'Type: Agreement (a licence in force), ODRL 2.2',
          'Identifier: urn:civic:licence:l-9',
          'Licensor: urn:civic:organization:a',
          'Licensee: urn:civic:organization:b',
          'Licensed asset: urn:civic:product-version:pv-9',
        ],
      ],
    ]);
    expect(renderLicence(policy, 'zh-CN').sections[0].items).toEqual(['[未识别的行为：ex:mine]；条件：[未识别的条件：ex:colour]为blue']);
    expect(renderLicence(policy, 'en', { title: 'Custom' }).title).toBe('Custom');
  });

  it('renders constraints of every kind in both languages', () => {
    const cases: Array<[OdrlPolicy['permission'], string, string]> = [
      [[{ action: 'use', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 1000 }] }], 'number of uses is at most 1,000', '使用次数不超过1,000'],
      [[{ action: 'use', constraint: [{ leftOperand: 'dateTime', operator: 'lteq', rightOperand: { '@value': '2026-12-31', '@type': 'xsd:date' } }] }], 'time of use on or before 2026-12-31', '使用时间不晚于2026-12-31'],
      [[{ action: 'use', constraint: [{ leftOperand: 'spatial', operator: 'isNoneOf', rightOperand: ['US', 'CN-HK'] }] }], 'territory of use is none of: United States (US), CN-HK', '使用地域不为以下任何一项：美国（US）、CN-HK'],
      [[{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: 'journalism' }] }], 'purpose is Journalism', '用途为新闻报道'],
    ];
    for (const [permission, en, zh] of cases) {
      const policy = parseOdrlPolicy({ '@context': CIVIC_POLICY_CONTEXT, '@type': 'Offer', uid: 'urn:civic:licence:x', permission });
      const constraint = policy.permission![0].constraint![0];
      expect(renderConstraint(constraint, 'en')).toBe(en);
      expect(renderConstraint(constraint, 'zh-CN')).toBe(zh);
    }
  });
});
