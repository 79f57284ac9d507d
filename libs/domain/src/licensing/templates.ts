/**
 * The standard licence templates: ODRL Offers without parties or target (instantiatePolicy
 * adds them). Keys and versions are stable: a change of wording or rules is a new version,
 * never an edit, because accepted terms are hashed with the policy they contain.
 */
import type { Term } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import { CIVIC_POLICY_CONTEXT, CIVIC_PROFILE, type OdrlConstraint, type OdrlDuty, type OdrlPolicy } from './odrl.js';

export type LicenceTemplateKey = 'open-attribution' | 'commercial-internal' | 'commercial-derived-redistribution' | 'research-noncommercial';
export const LICENCE_TEMPLATE_KEYS: readonly LicenceTemplateKey[] = ['open-attribution', 'commercial-internal', 'commercial-derived-redistribution', 'research-noncommercial'];

export interface LicenceTemplate {
  key: LicenceTemplateKey;
  version: number;
  title: Term;
  summary: Term;
  policy: OdrlPolicy;
}

/** uid of a template's policy. */
export function templateUid(key: string, version: number): string {
  return `https://ns.civic-data.example/licences/${key}/${version}`;
}

const ATTRIBUTE: OdrlDuty = {
  action: 'attribute',
  'civic:attributionText': [
    { '@value': '数据来源：城市数据交易平台及数据提供单位', '@language': 'zh-CN' },
    { '@value': 'Source: the City Data Marketplace and the data provider', '@language': 'en' },
  ],
};
/** Delete every copy once the licence's period of use is over. */
const DELETE_ON_EXPIRY: OdrlDuty = {
  action: 'delete',
  constraint: [{ leftOperand: 'event', operator: 'gt', rightOperand: { '@id': 'odrl:policyUsage' } }],
};
const IN_CHINA: OdrlConstraint = { leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['CN'] };
const DERIVED_ONLY: OdrlConstraint = { leftOperand: 'civic:assetForm', operator: 'eq', rightOperand: { '@id': 'civic:derived' } };
const RAW: OdrlConstraint = { leftOperand: 'civic:assetForm', operator: 'eq', rightOperand: { '@id': 'civic:raw' } };
const RESEARCH: OdrlConstraint = { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: [{ '@id': 'civic:research' }] };
const ONE_YEAR: OdrlConstraint = { leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P1Y', '@type': 'xsd:duration' } };

function policy(key: LicenceTemplateKey, rules: Pick<OdrlPolicy, 'permission' | 'prohibition'>): OdrlPolicy {
  return { '@context': CIVIC_POLICY_CONTEXT, '@type': 'Offer', uid: templateUid(key, 1), profile: CIVIC_PROFILE, conflict: 'prohibit', ...rules };
}

export const STANDARD_LICENSE_TEMPLATES: Readonly<Record<LicenceTemplateKey, LicenceTemplate>> = deepFreeze({
  'open-attribution': {
    key: 'open-attribution',
    version: 1,
    title: { zh: '开放许可（署名）', en: 'Open licence with attribution' },
    summary: {
      zh: '任何人可出于任何目的使用、复制、展示、加工和分发数据，展示、加工成果和分发时须注明来源；不得重新识别个人或组织。',
      en: 'Anyone may use, copy, display, build on and share the data for any purpose, crediting the source when displaying, deriving or sharing; never re-identify people or organisations.',
    },
    policy: policy('open-attribution', {
      permission: [
        { action: 'use' },
        { action: 'reproduce' },
        { action: 'display', duty: [ATTRIBUTE] },
        { action: 'derive', duty: [ATTRIBUTE] },
        { action: 'distribute', duty: [ATTRIBUTE] },
      ],
      prohibition: [{ action: 'civic:reidentify' }],
    }),
  },
  'commercial-internal': {
    key: 'commercial-internal',
    version: 1,
    title: { zh: '商业许可（仅限内部使用）', en: 'Commercial licence, internal use only' },
    summary: {
      zh: '被许可方可在中国境内出于商业目的内部使用、复制、展示和加工数据；不得向第三方提供或出售数据，不得重新识别个人或组织；许可终止后须删除全部副本。',
      en: 'The licensee may use, copy, display and analyse the data internally, for commercial purposes, within China; it may not supply or sell the data to anyone else or re-identify people or organisations, and deletes every copy when the licence ends.',
    },
    policy: policy('commercial-internal', {
      permission: [
        { action: 'use', constraint: [IN_CHINA], duty: [DELETE_ON_EXPIRY] },
        { action: 'reproduce', constraint: [IN_CHINA] },
        { action: 'display', constraint: [IN_CHINA] },
        { action: 'derive', constraint: [IN_CHINA] },
      ],
      prohibition: [{ action: 'distribute' }, { action: 'sell' }, { action: 'civic:reidentify' }],
    }),
  },
  'commercial-derived-redistribution': {
    key: 'commercial-derived-redistribution',
    version: 1,
    title: { zh: '商业许可（可再分发演绎成果）', en: 'Commercial licence, derived results may be redistributed' },
    summary: {
      zh: '被许可方可在中国境内出于商业目的使用、复制和加工数据，并可注明来源后向第三方提供基于数据得出的演绎成果；原始数据不得转售或向第三方提供，不得重新识别个人或组织；许可终止后须删除原始数据的全部副本。',
      en: 'The licensee may use, copy and analyse the data for commercial purposes within China and may supply results derived from it to third parties, crediting the source; the raw data itself may not be resold or passed on, people or organisations may not be re-identified, and every copy is deleted when the licence ends.',
    },
    policy: policy('commercial-derived-redistribution', {
      permission: [
        { action: 'use', constraint: [IN_CHINA], duty: [DELETE_ON_EXPIRY] },
        { action: 'reproduce', constraint: [IN_CHINA] },
        { action: 'derive', constraint: [IN_CHINA] },
        { action: 'distribute', constraint: [DERIVED_ONLY], duty: [ATTRIBUTE] },
      ],
      prohibition: [{ action: 'distribute', constraint: [RAW] }, { action: 'civic:resellRaw' }, { action: 'civic:reidentify' }],
    }),
  },
  'research-noncommercial': {
    key: 'research-noncommercial',
    version: 1,
    title: { zh: '科研许可（非商业）', en: 'Research licence, non-commercial' },
    summary: {
      zh: '仅可出于科学研究目的，在许可生效后一年内使用、复制和分析数据，并可注明来源后发表研究成果；不得出售数据、向第三方提供原始数据或重新识别个人或组织；许可终止后须删除全部副本。',
      en: 'For research only: the data may be used, copied and analysed for one year from the start of the licence, and research results may be published with credit to the source; the data may not be sold, the raw data may not be passed on, people or organisations may not be re-identified, and every copy is deleted when the licence ends.',
    },
    policy: policy('research-noncommercial', {
      permission: [
        { action: 'use', constraint: [RESEARCH, ONE_YEAR], duty: [DELETE_ON_EXPIRY] },
        { action: 'reproduce', constraint: [RESEARCH, ONE_YEAR] },
        { action: 'derive', constraint: [RESEARCH, ONE_YEAR] },
        { action: 'distribute', constraint: [RESEARCH, DERIVED_ONLY], duty: [ATTRIBUTE] },
      ],
      prohibition: [{ action: 'sell' }, { action: 'distribute', constraint: [RAW] }, { action: 'civic:reidentify' }],
    }),
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** A standard template by key and version (licensing.unknown_template otherwise). */
export function getLicenceTemplate(key: string, version = 1): LicenceTemplate {
  const template = (STANDARD_LICENSE_TEMPLATES as Record<string, LicenceTemplate | undefined>)[key];
  if (!template || template.version !== version) {
    throw new DomainError('licensing.unknown_template', `No standard licence template ${key} version ${version}`, { key, version, known: LICENCE_TEMPLATE_KEYS });
  }
  return template;
}

/** The standard template whose policy has this uid, if any. */
export function templateForUid(uid: string): LicenceTemplate | undefined {
  return Object.values(STANDARD_LICENSE_TEMPLATES).find((template) => template.policy.uid === uid);
}
