/**
 * Licences as readable text in zh-CN and English: what is permitted (with its conditions),
 * what is prohibited, what the licensee must do, and what the policy is. Every term of the
 * ODRL vocabulary and of our profile has words in both languages; a term that has none (a
 * third party's namespace) is shown as itself, marked as unrecognised, never dropped.
 */
import { ACCESS_PURPOSES, type AccessPurpose } from '../catalog/vocabulary.js';
import { formatIsoDuration, parseIsoDuration } from './duration.js';
import { operandValue, type OdrlConstraint, type OdrlDuty, type OdrlPolicy, type OdrlValue } from './odrl.js';
import { templateForUid } from './templates.js';
import {
  ODRL_ACTION_LABELS,
  ODRL_CONFLICT_LABELS,
  ODRL_LEFT_OPERAND_LABELS,
  ODRL_OPERATOR_LABELS,
  ODRL_POLICY_TYPES,
  ODRL_TIME_OPERATOR_LABELS,
  ODRL_VALUE_LABELS,
} from './vocabulary.js';

export type LicenceLocale = 'zh-CN' | 'en';
export type LicenceSectionKey = 'permissions' | 'prohibitions' | 'duties' | 'about';

export interface LicenceSection {
  key: LicenceSectionKey;
  heading: string;
  items: string[];
}

export interface RenderedLicence {
  title?: string;
  sections: LicenceSection[];
}

const HEADINGS: Record<LicenceSectionKey, { zh: string; en: string }> = {
  permissions: { zh: '允许', en: 'You may' },
  prohibitions: { zh: '禁止', en: 'You may not' },
  duties: { zh: '义务', en: 'You must' },
  about: { zh: '关于本许可', en: 'About this licence' },
};

type Words = { zh: string; en: string };
const pick = (words: Words, locale: LicenceLocale) => (locale === 'zh-CN' ? words.zh : words.en);
const lookup = <T extends Record<string, Words>>(table: T, key: string): Words | undefined => (Object.hasOwn(table, key) ? table[key as keyof T] : undefined);

function unknown(kind: { zh: string; en: string }, term: string, locale: LicenceLocale): string {
  return locale === 'zh-CN' ? `[未识别的${kind.zh}：${term}]` : `[unrecognised ${kind.en}: ${term}]`;
}

export function renderAction(action: string, locale: LicenceLocale): string {
  const words = lookup(ODRL_ACTION_LABELS, action);
  return words ? pick(words, locale) : unknown({ zh: '行为', en: 'action' }, action, locale);
}

function renderLeftOperand(leftOperand: string, locale: LicenceLocale): string {
  const words = lookup(ODRL_LEFT_OPERAND_LABELS, leftOperand);
  return words ? pick(words, locale) : unknown({ zh: '条件', en: 'condition' }, leftOperand, locale);
}

const regionNames = new Map<LicenceLocale, Intl.DisplayNames>();

function renderValue(value: OdrlValue, leftOperand: string, locale: LicenceLocale): string {
  const raw = operandValue(value);
  if (typeof raw === 'number') return new Intl.NumberFormat(locale).format(raw);
  const known = lookup(ODRL_VALUE_LABELS, raw) ?? lookup(ODRL_VALUE_LABELS, raw.replace(/^policyUsage$/, 'odrl:policyUsage'));
  if (known) return pick(known, locale);
  if (raw.startsWith('civic:') && Object.hasOwn(ACCESS_PURPOSES, raw.slice(6))) return pick(ACCESS_PURPOSES[raw.slice(6) as AccessPurpose], locale);
  if (leftOperand === 'purpose' && Object.hasOwn(ACCESS_PURPOSES, raw)) return pick(ACCESS_PURPOSES[raw as AccessPurpose], locale);
  if (leftOperand === 'spatial' && /^[A-Z]{2}$/.test(raw)) {
    let names = regionNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
      regionNames.set(locale, names);
    }
    const name = names.of(raw) ?? raw;
    return name === raw ? raw : locale === 'zh-CN' ? `${name}（${raw}）` : `${name} (${raw})`;
  }
  const duration = parseIsoDuration(raw);
  if (duration && ['elapsedTime', 'delayPeriod', 'meteredTime', 'timeInterval'].includes(leftOperand)) return formatIsoDuration(duration, locale);
  return raw;
}

/** One constraint as a phrase: "territory of use is one of: China (CN)" / "使用地域为以下之一：中国（CN）". */
export function renderConstraint(constraint: OdrlConstraint, locale: LicenceLocale): string {
  const zh = locale === 'zh-CN';
  const values = (Array.isArray(constraint.rightOperand) ? constraint.rightOperand : [constraint.rightOperand]).map((value) =>
    renderValue(value, constraint.leftOperand, locale),
  );
  const list = values.join(zh ? '、' : ', ');
  const time = constraint.leftOperand === 'dateTime' || constraint.leftOperand === 'event' ? lookup(ODRL_TIME_OPERATOR_LABELS, constraint.operator) : undefined;
  if (constraint.leftOperand === 'event' && time) {
    // "after the period of use under this licence" / "本许可的使用期结束后"
    if (zh) return constraint.operator === 'gt' || constraint.operator === 'gteq' ? `${list}结束后` : constraint.operator === 'lt' || constraint.operator === 'lteq' ? `${list}开始前` : `${list}期间`;
    return `${time.en} ${list}`;
  }
  const left = renderLeftOperand(constraint.leftOperand, locale);
  const operatorWords = time ?? lookup(ODRL_OPERATOR_LABELS, constraint.operator);
  const operator = operatorWords ? pick(operatorWords, locale) : unknown({ zh: '运算符', en: 'operator' }, constraint.operator, locale);
  if (zh) return `${left}${operator}${list}`;
  return `${left} ${operator} ${list}`;
}

function conditions(constraints: readonly OdrlConstraint[] | undefined, locale: LicenceLocale): string {
  return (constraints ?? []).map((constraint) => renderConstraint(constraint, locale)).join(locale === 'zh-CN' ? '；且' : '; and ');
}

function attributionText(duty: OdrlDuty, locale: LicenceLocale): string | undefined {
  const texts = duty['civic:attributionText'] ?? [];
  return (texts.find((text) => text['@language'] === locale) ?? texts[0])?.['@value'];
}

function renderDuty(duty: OdrlDuty, locale: LicenceLocale): string {
  const zh = locale === 'zh-CN';
  const when = conditions(duty.constraint, locale);
  const text = attributionText(duty, locale);
  const party = duty.attributedParty;
  let item = renderAction(duty.action, locale);
  if (text) item += zh ? `：“${text}”` : `: “${text}”`;
  if (party) item += zh ? `（被署名方：${party}）` : ` (credit: ${party})`;
  if (when) item += zh ? `；时间或条件：${when}` : ` — when: ${when}`;
  return item;
}

/** Duties of permissions, the same duty once with every permission it comes with; then the policy's obligations. */
function renderDuties(policy: OdrlPolicy, locale: LicenceLocale): string[] {
  const zh = locale === 'zh-CN';
  const byDuty = new Map<string, string[]>();
  for (const rule of policy.permission ?? []) {
    for (const duty of rule.duty ?? []) {
      const text = renderDuty(duty, locale);
      const appliesTo = byDuty.get(text) ?? [];
      const action = renderAction(rule.action, locale);
      if (!appliesTo.includes(action)) appliesTo.push(action);
      byDuty.set(text, appliesTo);
    }
  }
  const items = [...byDuty].map(([text, appliesTo]) => (zh ? `${text}；适用于：${appliesTo.join('、')}` : `${text} — applies to: ${appliesTo.join('; ')}`));
  for (const duty of policy.obligation ?? []) items.push(renderDuty(duty, locale));
  return items;
}

export interface RenderLicenceOptions {
  /** Title to show; default: the standard template's title when the policy is one. */
  title?: string;
}

/**
 * The licence as sections of readable items. Sections without items are left out, except
 * "About this licence", which always says what the policy is.
 */
export function renderLicence(policy: OdrlPolicy, locale: LicenceLocale, options: RenderLicenceOptions = {}): RenderedLicence {
  const zh = locale === 'zh-CN';
  const permissions = (policy.permission ?? []).map((rule) => {
    const when = conditions(rule.constraint, locale);
    const target = rule.target ? (zh ? `（对象：${rule.target}）` : ` (asset: ${rule.target})`) : '';
    return `${renderAction(rule.action, locale)}${target}${when ? (zh ? `；条件：${when}` : ` — only if ${when}`) : ''}`;
  });
  const prohibitions = (policy.prohibition ?? []).map((rule) => {
    const when = conditions(rule.constraint, locale);
    const target = rule.target ? (zh ? `（对象：${rule.target}）` : ` (asset: ${rule.target})`) : '';
    return `${renderAction(rule.action, locale)}${target}${when ? (zh ? `；条件：${when}` : ` — where ${when}`) : ''}`;
  });
  const duties = renderDuties(policy, locale);
  const about = [
    `${zh ? '类型' : 'Type'}${zh ? '：' : ': '}${pick(ODRL_POLICY_TYPES[policy['@type']], locale)}${zh ? '，' : ', '}ODRL 2.2`,
    `${zh ? '标识' : 'Identifier'}${zh ? '：' : ': '}${policy.uid}`,
  ];
  if (policy.assigner) about.push(`${zh ? '许可方' : 'Licensor'}${zh ? '：' : ': '}${policy.assigner}`);
  if (policy.assignee) about.push(`${zh ? '被许可方' : 'Licensee'}${zh ? '：' : ': '}${policy.assignee}`);
  if (policy.target) about.push(`${zh ? '许可对象' : 'Licensed asset'}${zh ? '：' : ': '}${policy.target}`);
  if (policy.profile) about.push(`${zh ? '规则配置' : 'Profile'}${zh ? '：' : ': '}${policy.profile}`);
  if (policy.conflict) about.push(pick(ODRL_CONFLICT_LABELS[policy.conflict], locale));
  const sections: LicenceSection[] = [];
  const push = (key: LicenceSectionKey, items: string[]) => {
    if (items.length > 0 || key === 'about') sections.push({ key, heading: pick(HEADINGS[key], locale), items });
  };
  push('permissions', permissions);
  push('prohibitions', prohibitions);
  push('duties', duties);
  push('about', about);
  const template = templateForUid(policy.uid);
  const title = options.title ?? (template ? pick(template.title, locale) : undefined);
  return title === undefined ? { sections } : { title, sections };
}

/** The same as plain text: the title, then each section's heading and its items as "- " lines. */
export function renderLicenceText(policy: OdrlPolicy, locale: LicenceLocale, options: RenderLicenceOptions = {}): string {
  const rendered = renderLicence(policy, locale, options);
  const blocks = rendered.sections.map((section) => [section.heading, ...section.items.map((item) => `- ${item}`)].join('\n'));
  return [...(rendered.title ? [rendered.title] : []), ...blocks].join('\n\n') + '\n';
}
