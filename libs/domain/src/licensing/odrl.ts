/**
 * ODRL 2.2 policies as JSON-LD: the subset the platform uses for licences.
 *
 * Compact JSON-LD with the ODRL context (`http://www.w3.org/ns/odrl.jsonld`), so ODRL terms
 * are bare words (`use`, `purpose`, `isAnyOf`). Our own terms live in the `civic:` namespace,
 * declared in the context next to it, and the policies name our profile:
 *
 *   { "@context": ["http://www.w3.org/ns/odrl.jsonld", { "civic": CIVIC_NAMESPACE }],
 *     "@type": "Offer", "uid": "…", "profile": CIVIC_PROFILE, "conflict": "prohibit",
 *     "permission": [{ "action": "use", "constraint": [{ "leftOperand": "spatial",
 *       "operator": "isAnyOf", "rightOperand": ["CN"] }], "duty": [ … ] }],
 *     "prohibition": [{ "action": "civic:reidentify" }] }
 *
 * Profile terms (civic:):
 * - actions `civic:reidentify` (re-identify people or organisations) and `civic:resellRaw`
 *   (resell or pass on the raw data);
 * - left operand `civic:assetForm` with values `civic:raw` / `civic:derived` (what is being
 *   distributed: the licensed data itself, or results derived from it);
 * - purposes `civic:<key>` for each catalog access purpose (`civic:research`, …);
 * - `civic:attributionText` on an `attribute` duty: language-tagged texts to credit.
 * Values of `spatial` are ISO 3166-1 alpha-2 or ISO 3166-2 codes ("CN", "CN-SH"), as the
 * note of odrl:spatial suggests; `dateTime` values are xsd:dateTime with a time zone or
 * xsd:date (a date is a whole day in China Standard Time, UTC+08:00).
 *
 * An Offer may omit its assigner (the standard templates do; `instantiatePolicy` fills it
 * in); an Agreement names both assigner and assignee, as ODRL requires.
 */
import { ACCESS_PURPOSE_KEYS } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import { parseIsoDuration } from './duration.js';

export const ODRL_CONTEXT_URL = 'http://www.w3.org/ns/odrl.jsonld';
/** The namespace of our ODRL profile's terms. An identifier, never fetched; part of every terms hash, so never changed. */
export const CIVIC_NAMESPACE = 'https://ns.civic-data.example/odrl#';
/** The profile every platform policy declares. */
export const CIVIC_PROFILE = 'https://ns.civic-data.example/odrl';
export const ODRL_NAMESPACE = 'http://www.w3.org/ns/odrl/2/';
/** The @context of platform policies. */
export const CIVIC_POLICY_CONTEXT: [typeof ODRL_CONTEXT_URL, { civic: typeof CIVIC_NAMESPACE }] = [ODRL_CONTEXT_URL, { civic: CIVIC_NAMESPACE }];
/** The platform's legal time zone, for xsd:date values. */
export const LEGAL_TIME_ZONE_OFFSET = '+08:00';
const LEGAL_OFFSET_MS = 8 * 3_600_000;

export type OdrlContext = string | Array<string | Record<string, string>>;
export type OdrlPolicyType = 'Offer' | 'Agreement';
export type OdrlConflict = 'perm' | 'prohibit' | 'invalid';

/** ODRL 2.2 constraint operators (logical constraints are not supported). */
export const ODRL_OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'isA', 'hasPart', 'isPartOf', 'isAllOf', 'isAnyOf', 'isNoneOf'] as const;
export type OdrlOperator = (typeof ODRL_OPERATORS)[number];
const LIST_OPERATORS: readonly OdrlOperator[] = ['isAllOf', 'isAnyOf', 'isNoneOf'];

/** ODRL 2.2 actions (core and common vocabulary, deprecated terms excluded). */
export const ODRL_ACTIONS = [
  'use',
  'transfer',
  'acceptTracking',
  'aggregate',
  'annotate',
  'anonymize',
  'archive',
  'attribute',
  'compensate',
  'concurrentUse',
  'delete',
  'derive',
  'digitize',
  'display',
  'distribute',
  'ensureExclusivity',
  'execute',
  'extract',
  'give',
  'grantUse',
  'include',
  'index',
  'inform',
  'install',
  'modify',
  'move',
  'nextPolicy',
  'obtainConsent',
  'play',
  'present',
  'print',
  'read',
  'reproduce',
  'reviewPolicy',
  'sell',
  'stream',
  'synchronize',
  'textToSpeech',
  'transform',
  'translate',
  'uninstall',
  'watermark',
] as const;

/** ODRL 2.2 left operands of the common vocabulary. */
export const ODRL_LEFT_OPERANDS = [
  'absolutePosition',
  'absoluteSpatialPosition',
  'absoluteTemporalPosition',
  'absoluteSize',
  'count',
  'dateTime',
  'delayPeriod',
  'deliveryChannel',
  'elapsedTime',
  'event',
  'fileFormat',
  'industry',
  'language',
  'media',
  'meteredTime',
  'payAmount',
  'percentage',
  'product',
  'purpose',
  'recipient',
  'relativePosition',
  'relativeSpatialPosition',
  'relativeTemporalPosition',
  'relativeSize',
  'resolution',
  'spatial',
  'spatialCoordinates',
  'systemDevice',
  'timeInterval',
  'unitOfCount',
  'version',
  'virtualLocation',
] as const;

/**
 * includedIn of the ODRL 2.2 vocabulary: every common action is included in `use`, except
 * `give` and `sell` (in `transfer`) and `extract` (in `reproduce`). A permission of an action
 * covers the actions included in it; a prohibition likewise.
 */
export const ODRL_INCLUDED_IN: Readonly<Record<string, string>> = Object.fromEntries(
  ODRL_ACTIONS.filter((action) => action !== 'use' && action !== 'transfer').map((action) => [
    action,
    action === 'give' || action === 'sell' ? 'transfer' : action === 'extract' ? 'reproduce' : 'use',
  ]),
);

export const CIVIC_ACTIONS = ['civic:reidentify', 'civic:resellRaw'] as const;
export const CIVIC_LEFT_OPERANDS = ['civic:assetForm'] as const;
export const CIVIC_ASSET_FORMS = ['civic:raw', 'civic:derived'] as const;
export const CIVIC_PURPOSES = ACCESS_PURPOSE_KEYS.map((key) => `civic:${key}`);
const CIVIC_TERMS = new Set<string>([...CIVIC_ACTIONS, ...CIVIC_LEFT_OPERANDS, ...CIVIC_ASSET_FORMS, ...CIVIC_PURPOSES, 'civic:attributionText']);

export type OdrlIri = { '@id': string };
export type OdrlLiteral = { '@value': string | number; '@type'?: string };
export type OdrlValue = string | number | OdrlIri | OdrlLiteral;
export type OdrlText = { '@value': string; '@language': string };

export interface OdrlConstraint {
  leftOperand: string;
  operator: OdrlOperator;
  rightOperand: OdrlValue | OdrlValue[];
  unit?: string;
  dataType?: string;
}

export interface OdrlDuty {
  action: string;
  constraint?: OdrlConstraint[];
  /** attribute duties: the credit line, in zh-CN and/or en. */
  'civic:attributionText'?: OdrlText[];
  attributedParty?: string;
}

export interface OdrlPermission {
  action: string;
  target?: string;
  constraint?: OdrlConstraint[];
  duty?: OdrlDuty[];
}

export interface OdrlProhibition {
  action: string;
  target?: string;
  constraint?: OdrlConstraint[];
}

export interface OdrlPolicy {
  '@context': OdrlContext;
  '@type': OdrlPolicyType;
  uid: string;
  profile?: string;
  conflict?: OdrlConflict;
  assigner?: string;
  assignee?: string;
  target?: string;
  permission?: OdrlPermission[];
  prohibition?: OdrlProhibition[];
  /** Duties of the policy as a whole (ODRL's `obligation`). */
  obligation?: OdrlDuty[];
}

export type PolicyProblemCode =
  | 'not_object'
  | 'not_array'
  | 'required'
  | 'unknown_property'
  | 'invalid_context'
  | 'invalid_type'
  | 'invalid_iri'
  | 'invalid_conflict'
  | 'empty_policy'
  | 'missing_party'
  | 'unknown_action'
  | 'unknown_left_operand'
  | 'unknown_operator'
  | 'unknown_term'
  | 'undeclared_prefix'
  | 'invalid_right_operand'
  | 'invalid_text';

export interface PolicyProblem {
  path: string;
  code: PolicyProblemCode;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Terms

export type TermKind = 'odrl' | 'civic' | 'external';

/**
 * What a term in an action, left operand or value position refers to: an ODRL term (bare or
 * `odrl:`-prefixed), one of our profile's `civic:` terms, or another vocabulary's IRI (a
 * compact IRI with a prefix the context declares, or an absolute IRI).
 */
export function classifyTerm(term: string, context: OdrlContext, odrlTerms: readonly string[]): { kind: TermKind; name: string } | { error: PolicyProblemCode } {
  const bare = term.startsWith('odrl:') ? term.slice(5) : term;
  if (odrlTerms.includes(bare)) return { kind: 'odrl', name: bare };
  if (term.startsWith('civic:')) {
    if (!declaredPrefixes(context).has('civic')) return { error: 'undeclared_prefix' };
    return CIVIC_TERMS.has(term) ? { kind: 'civic', name: term } : { error: 'unknown_term' };
  }
  if (term.startsWith(CIVIC_NAMESPACE)) {
    const compact = `civic:${term.slice(CIVIC_NAMESPACE.length)}`;
    return CIVIC_TERMS.has(compact) ? { kind: 'civic', name: compact } : { error: 'unknown_term' };
  }
  if (isAbsoluteIri(term)) return { kind: 'external', name: term };
  const prefix = /^([A-Za-z][\w.-]*):\S+$/.exec(term)?.[1];
  if (prefix && declaredPrefixes(context).has(prefix)) return { kind: 'external', name: term };
  if (prefix) return { error: 'undeclared_prefix' };
  return { error: 'unknown_term' };
}

function isAbsoluteIri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value) || /^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(value);
}

/** An IRI for uid, profile, parties and targets: absolute, or compact with a declared prefix. */
function isIri(value: unknown, context: OdrlContext): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return false;
  if (isAbsoluteIri(value)) return true;
  const prefix = /^([A-Za-z][\w.-]*):\S+$/.exec(value)?.[1];
  return prefix !== undefined && (declaredPrefixes(context).has(prefix) || prefix === 'odrl');
}

function declaredPrefixes(context: OdrlContext): Set<string> {
  const prefixes = new Set<string>(['odrl', 'xsd', 'dct', 'rdf', 'rdfs', 'owl', 'skos', 'foaf', 'vcard', 'cc']);
  if (Array.isArray(context)) {
    for (const entry of context) if (typeof entry === 'object') for (const key of Object.keys(entry)) prefixes.add(key);
  }
  return prefixes;
}

/** The id or literal of a right-operand value: `{ "@id": "civic:raw" }` → "civic:raw", `{ "@value": 5 }` → 5. */
export function operandValue(value: OdrlValue): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('@id' in value) return value['@id'].startsWith(CIVIC_NAMESPACE) ? `civic:${value['@id'].slice(CIVIC_NAMESPACE.length)}` : value['@id'];
  return value['@value'];
}

export function operandValues(rightOperand: OdrlValue | OdrlValue[]): Array<string | number> {
  return (Array.isArray(rightOperand) ? rightOperand : [rightOperand]).map(operandValue);
}

// ---------------------------------------------------------------------------------------------
// Parsing

const POLICY_KEYS = ['@context', '@type', 'uid', 'profile', 'conflict', 'assigner', 'assignee', 'target', 'permission', 'prohibition', 'obligation'];
const PERMISSION_KEYS = ['action', 'target', 'constraint', 'duty'];
const PROHIBITION_KEYS = ['action', 'target', 'constraint'];
const DUTY_KEYS = ['action', 'constraint', 'civic:attributionText', 'attributedParty'];
const CONSTRAINT_KEYS = ['leftOperand', 'operator', 'rightOperand', 'unit', 'dataType'];
const TEXT_LANGUAGES = ['zh-CN', 'en'];
const DURATION_OPERANDS = ['elapsedTime', 'delayPeriod', 'meteredTime', 'timeInterval'];
const TERRITORY = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

class PolicyReader {
  readonly problems: PolicyProblem[] = [];
  context: OdrlContext = ODRL_CONTEXT_URL;

  add(path: string, code: PolicyProblemCode, message: string): void {
    this.problems.push({ path, code, message });
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'not_object', 'Expected an object');
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  keys(record: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.add(at(path, key), 'unknown_property', `"${key}" is not part of the supported ODRL subset`);
    }
  }

  list(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.add(path, 'not_array', 'Expected a list');
      return undefined;
    }
    return value;
  }

  iri(value: unknown, path: string, required: boolean): string | undefined {
    if (value === undefined) {
      if (required) this.add(path, 'required', 'Required');
      return undefined;
    }
    if (!isIri(value, this.context)) {
      this.add(path, 'invalid_iri', 'Expected an IRI (absolute, urn:, or a compact IRI with a declared prefix)');
      return undefined;
    }
    return value;
  }

  action(value: unknown, path: string): string | undefined {
    if (typeof value !== 'string') {
      this.add(path, value === undefined ? 'required' : 'unknown_action', 'An action is one ODRL action term or a namespaced term');
      return undefined;
    }
    const term = classifyTerm(value, this.context, ODRL_ACTIONS);
    if ('error' in term) {
      this.add(path, term.error === 'unknown_term' ? 'unknown_action' : term.error, `Unknown action "${value}"`);
      return undefined;
    }
    if (term.kind === 'civic' && !(CIVIC_ACTIONS as readonly string[]).includes(term.name)) {
      this.add(path, 'unknown_action', `"${value}" is not an action`);
      return undefined;
    }
    return term.name;
  }

  constraints(value: unknown, path: string): OdrlConstraint[] | undefined {
    const items = this.list(value, path);
    if (!items) return undefined;
    return items.map((item, index) => this.constraint(item, at(path, index))).filter((item): item is OdrlConstraint => item !== undefined);
  }

  constraint(value: unknown, path: string): OdrlConstraint | undefined {
    const record = this.object(value, path);
    if (!record) return undefined;
    this.keys(record, path, CONSTRAINT_KEYS);
    let leftOperand: string | undefined;
    if (typeof record.leftOperand !== 'string') {
      this.add(at(path, 'leftOperand'), record.leftOperand === undefined ? 'required' : 'unknown_left_operand', 'A left operand is an ODRL term or a namespaced term');
    } else {
      const term = classifyTerm(record.leftOperand, this.context, ODRL_LEFT_OPERANDS);
      if ('error' in term) this.add(at(path, 'leftOperand'), term.error === 'unknown_term' ? 'unknown_left_operand' : term.error, `Unknown left operand "${record.leftOperand}"`);
      else if (term.kind === 'civic' && !(CIVIC_LEFT_OPERANDS as readonly string[]).includes(term.name)) this.add(at(path, 'leftOperand'), 'unknown_left_operand', `"${record.leftOperand}" is not a left operand`);
      else leftOperand = term.name;
    }
    let operator: OdrlOperator | undefined;
    const rawOperator = typeof record.operator === 'string' && record.operator.startsWith('odrl:') ? record.operator.slice(5) : record.operator;
    if (typeof rawOperator === 'string' && (ODRL_OPERATORS as readonly string[]).includes(rawOperator)) operator = rawOperator as OdrlOperator;
    else this.add(at(path, 'operator'), record.operator === undefined ? 'required' : 'unknown_operator', `The operator is one of ${ODRL_OPERATORS.join(', ')}`);
    const rightOperand = this.rightOperand(record.rightOperand, at(path, 'rightOperand'), leftOperand, operator);
    for (const key of ['unit', 'dataType'] as const) if (record[key] !== undefined) this.iri(record[key], at(path, key), false);
    if (!leftOperand || !operator || rightOperand === undefined) return undefined;
    const constraint: OdrlConstraint = { leftOperand, operator, rightOperand };
    if (typeof record.unit === 'string') constraint.unit = record.unit;
    if (typeof record.dataType === 'string') constraint.dataType = record.dataType;
    return constraint;
  }

  rightOperand(value: unknown, path: string, leftOperand: string | undefined, operator: OdrlOperator | undefined): OdrlValue | OdrlValue[] | undefined {
    if (value === undefined) {
      this.add(path, 'required', 'A right operand is required');
      return undefined;
    }
    const list = Array.isArray(value);
    if (operator && LIST_OPERATORS.includes(operator) !== list) {
      this.add(path, 'invalid_right_operand', list ? `${operator} compares with one value` : `${operator} compares with a list of values`);
      return undefined;
    }
    const values = list ? (value as unknown[]) : [value];
    if (values.length === 0 || values.length > 100) {
      this.add(path, 'invalid_right_operand', 'A list of 1 to 100 values');
      return undefined;
    }
    const parsed: OdrlValue[] = [];
    values.forEach((item, index) => {
      const itemPath = list ? at(path, index) : path;
      const one = this.value(item, itemPath);
      if (one === undefined) return;
      const problem = leftOperand ? checkOperandValue(leftOperand, one, this.context) : null;
      if (problem) this.add(itemPath, problem.code, problem.message);
      else parsed.push(one);
    });
    if (parsed.length !== values.length) return undefined;
    return list ? parsed : parsed[0];
  }

  value(item: unknown, path: string): OdrlValue | undefined {
    if (typeof item === 'string' && item.length > 0 && item.length <= 2000) return item;
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).sort().join();
      if (keys === '@id' && typeof record['@id'] === 'string' && record['@id'].length > 0) return { '@id': record['@id'] };
      if ((keys === '@value' || keys === '@type,@value') && (typeof record['@value'] === 'string' || (typeof record['@value'] === 'number' && Number.isFinite(record['@value'])))) {
        if (record['@type'] !== undefined && !isIri(record['@type'], this.context)) {
          this.add(at(path, '@type'), 'invalid_iri', 'A literal type is an IRI such as xsd:duration');
          return undefined;
        }
        return record['@type'] === undefined ? { '@value': record['@value'] as string | number } : { '@value': record['@value'] as string | number, '@type': record['@type'] as string };
      }
    }
    this.add(path, 'invalid_right_operand', 'A value is a string, a number, {"@id": …} or {"@value": …, "@type": …}');
    return undefined;
  }

  duties(value: unknown, path: string): OdrlDuty[] | undefined {
    const items = this.list(value, path);
    if (!items) return undefined;
    return items.map((item, index) => this.duty(item, at(path, index))).filter((item): item is OdrlDuty => item !== undefined);
  }

  duty(value: unknown, path: string): OdrlDuty | undefined {
    const record = this.object(value, path);
    if (!record) return undefined;
    this.keys(record, path, DUTY_KEYS);
    const action = this.action(record.action, at(path, 'action'));
    const constraint = this.constraints(record.constraint, at(path, 'constraint'));
    const texts = this.texts(record['civic:attributionText'], at(path, 'civic:attributionText'));
    const attributedParty = this.iri(record.attributedParty, at(path, 'attributedParty'), false);
    if (!action) return undefined;
    const duty: OdrlDuty = { action };
    if (constraint) duty.constraint = constraint;
    if (texts) duty['civic:attributionText'] = texts;
    if (attributedParty) duty.attributedParty = attributedParty;
    return duty;
  }

  texts(value: unknown, path: string): OdrlText[] | undefined {
    if (value === undefined) return undefined;
    if (!declaredPrefixes(this.context).has('civic')) this.add(path, 'undeclared_prefix', 'The civic: prefix is not declared in @context');
    const items = this.list(value, path);
    if (!items) return undefined;
    const texts: OdrlText[] = [];
    items.forEach((item, index) => {
      const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      const valid =
        Object.keys(record).sort().join() === '@language,@value' &&
        typeof record['@value'] === 'string' &&
        record['@value'].trim().length > 0 &&
        record['@value'].length <= 1000 &&
        TEXT_LANGUAGES.includes(record['@language'] as string);
      if (valid) texts.push({ '@value': record['@value'] as string, '@language': record['@language'] as string });
      else this.add(at(path, index), 'invalid_text', 'A text is {"@value": non-empty text, "@language": "zh-CN" | "en"}');
    });
    if (new Set(texts.map((text) => text['@language'])).size !== texts.length) this.add(path, 'invalid_text', 'One text per language');
    return texts.length === items.length ? texts : undefined;
  }
}

/** A problem with a right-operand value for its left operand, or null. */
function checkOperandValue(leftOperand: string, value: OdrlValue, context: OdrlContext): { code: PolicyProblemCode; message: string } | null {
  const invalid = (message: string) => ({ code: 'invalid_right_operand' as const, message });
  const raw = operandValue(value);
  const text = typeof raw === 'string' ? raw : String(raw);
  const isId = typeof value === 'object' && '@id' in value;
  if (isId) {
    const term = classifyTerm(value['@id'], context, ['policyUsage']);
    if ('error' in term) return { code: term.error, message: term.error === 'undeclared_prefix' ? `Undeclared prefix in "${value['@id']}"` : `Unknown term "${value['@id']}"` };
  }
  switch (leftOperand) {
    case 'count':
    case 'payAmount':
    case 'percentage':
      return typeof raw === 'number' && raw >= 0 && (leftOperand !== 'count' || Number.isSafeInteger(raw)) ? null : invalid(`${leftOperand} compares with a non-negative number`);
    case 'dateTime':
      return typeof raw === 'string' && parseOdrlDateTime(raw) !== null ? null : invalid('dateTime compares with an xsd:dateTime with a time zone or an xsd:date');
    case 'spatial':
      return isId || TERRITORY.test(text) ? null : invalid('spatial compares with ISO 3166 codes such as "CN" or "CN-SH", or an IRI');
    case 'purpose':
      return text.startsWith('civic:') && !CIVIC_PURPOSES.includes(text) ? { code: 'unknown_term', message: `Unknown purpose "${text}"` } : null;
    case 'civic:assetForm':
      return isId && (CIVIC_ASSET_FORMS as readonly string[]).includes(text) ? null : invalid('civic:assetForm compares with {"@id": "civic:raw"} or {"@id": "civic:derived"}');
    case 'event':
      return isId ? null : invalid('event compares with an event IRI such as {"@id": "odrl:policyUsage"}');
    default:
      if (DURATION_OPERANDS.includes(leftOperand)) return typeof raw === 'string' && parseIsoDuration(raw) ? null : invalid(`${leftOperand} compares with an ISO 8601 duration such as "P1Y"`);
      return null;
  }
}

/**
 * The instants of a dateTime right operand: an xsd:dateTime (with a time zone) is one
 * instant; an xsd:date is the whole day in the platform's legal time zone (UTC+08:00).
 */
export function parseOdrlDateTime(text: string): { start: number; end: number } | null {
  if (DATE.test(text)) {
    const start = Date.parse(`${text}T00:00:00${LEGAL_TIME_ZONE_OFFSET}`);
    if (Number.isNaN(start) || new Date(start + LEGAL_OFFSET_MS).toISOString().slice(0, 10) !== text) return null;
    return { start, end: start + 86_400_000 };
  }
  if (!DATE_TIME.test(text)) return null;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? null : { start: instant, end: instant };
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function readContext(value: unknown, reader: PolicyReader): OdrlContext | undefined {
  const valid =
    value === ODRL_CONTEXT_URL ||
    (Array.isArray(value) &&
      value.length >= 1 &&
      value.includes(ODRL_CONTEXT_URL) &&
      value.every(
        (entry) =>
          entry === ODRL_CONTEXT_URL ||
          (typeof entry === 'object' &&
            entry !== null &&
            !Array.isArray(entry) &&
            Object.entries(entry).every(([key, iri]) => /^[A-Za-z][\w.-]*$/.test(key) && typeof iri === 'string' && isAbsoluteIri(iri) && (key !== 'civic' || iri === CIVIC_NAMESPACE))),
      ));
  if (!valid) {
    reader.add('@context', value === undefined ? 'required' : 'invalid_context', `@context is "${ODRL_CONTEXT_URL}", or a list of it and prefix declarations (civic: ${CIVIC_NAMESPACE})`);
    return undefined;
  }
  return structuredClone(value) as OdrlContext;
}

/**
 * Validates untrusted input as a platform ODRL policy; throws `licensing.invalid_policy` with
 * `details.problems` ({ path, code, message }) listing every problem. Returns a fresh copy
 * with terms normalized (`odrl:use` → `use`, full civic IRIs → `civic:` compact IRIs).
 */
export function parseOdrlPolicy(input: unknown): OdrlPolicy {
  const reader = new PolicyReader();
  const policy = readPolicy(input, reader);
  if (reader.problems.length > 0 || !policy) {
    const first = reader.problems[0];
    throw new DomainError(
      'licensing.invalid_policy',
      `Invalid ODRL policy${first ? `: ${first.message}${first.path ? ` at ${first.path}` : ''}` : ''}${reader.problems.length > 1 ? ` (and ${reader.problems.length - 1} more)` : ''}`,
      { problems: reader.problems },
    );
  }
  return policy;
}

/** The problems `parseOdrlPolicy` would report; empty when valid. */
export function validateOdrlPolicy(input: unknown): PolicyProblem[] {
  const reader = new PolicyReader();
  readPolicy(input, reader);
  return reader.problems;
}

function readPolicy(input: unknown, reader: PolicyReader): OdrlPolicy | undefined {
  const record = reader.object(input, '');
  if (!record) return undefined;
  reader.keys(record, '', POLICY_KEYS);
  const context = readContext(record['@context'], reader);
  if (context) reader.context = context;
  const type = record['@type'];
  if (type !== 'Offer' && type !== 'Agreement') reader.add('@type', type === undefined ? 'required' : 'invalid_type', '@type is "Offer" or "Agreement"');
  const uid = reader.iri(record.uid, 'uid', true);
  const profile = reader.iri(record.profile, 'profile', false);
  const conflict = record.conflict;
  if (conflict !== undefined && conflict !== 'perm' && conflict !== 'prohibit' && conflict !== 'invalid') reader.add('conflict', 'invalid_conflict', 'conflict is "perm", "prohibit" or "invalid"');
  const assigner = reader.iri(record.assigner, 'assigner', false);
  const assignee = reader.iri(record.assignee, 'assignee', false);
  const target = reader.iri(record.target, 'target', false);
  if (type === 'Agreement') {
    if (record.assigner === undefined) reader.add('assigner', 'missing_party', 'An Agreement names its assigner');
    if (record.assignee === undefined) reader.add('assignee', 'missing_party', 'An Agreement names its assignee');
  }
  const permission = reader.list(record.permission, 'permission')?.map((item, index) => {
    const path = at('permission', index);
    const rule = reader.object(item, path);
    if (!rule) return undefined;
    reader.keys(rule, path, PERMISSION_KEYS);
    const action = reader.action(rule.action, at(path, 'action'));
    const ruleTarget = reader.iri(rule.target, at(path, 'target'), false);
    const constraint = reader.constraints(rule.constraint, at(path, 'constraint'));
    const duty = reader.duties(rule.duty, at(path, 'duty'));
    if (!action) return undefined;
    const result: OdrlPermission = { action };
    if (ruleTarget) result.target = ruleTarget;
    if (constraint) result.constraint = constraint;
    if (duty) result.duty = duty;
    return result;
  });
  const prohibition = reader.list(record.prohibition, 'prohibition')?.map((item, index) => {
    const path = at('prohibition', index);
    const rule = reader.object(item, path);
    if (!rule) return undefined;
    reader.keys(rule, path, PROHIBITION_KEYS);
    const action = reader.action(rule.action, at(path, 'action'));
    const ruleTarget = reader.iri(rule.target, at(path, 'target'), false);
    const constraint = reader.constraints(rule.constraint, at(path, 'constraint'));
    if (!action) return undefined;
    const result: OdrlProhibition = { action };
    if (ruleTarget) result.target = ruleTarget;
    if (constraint) result.constraint = constraint;
    return result;
  });
  const obligation = reader.duties(record.obligation, 'obligation');
  if ((permission?.length ?? 0) + (prohibition?.length ?? 0) + (obligation?.length ?? 0) === 0) {
    reader.add('', 'empty_policy', 'A policy has at least one permission, prohibition or obligation');
  }
  if (!context || (type !== 'Offer' && type !== 'Agreement') || !uid) return undefined;
  const policy: OdrlPolicy = { '@context': context, '@type': type, uid };
  if (profile) policy.profile = profile;
  if (conflict === 'perm' || conflict === 'prohibit' || conflict === 'invalid') policy.conflict = conflict;
  if (assigner) policy.assigner = assigner;
  if (assignee) policy.assignee = assignee;
  if (target) policy.target = target;
  if (permission) policy.permission = permission.filter((rule): rule is OdrlPermission => rule !== undefined);
  if (prohibition) policy.prohibition = prohibition.filter((rule): rule is OdrlProhibition => rule !== undefined);
  if (obligation) policy.obligation = obligation;
  return policy;
}

/** Whether permitting (or prohibiting) `ruleAction` covers `requested`, by ODRL's includedIn. */
export function actionCovers(ruleAction: string, requested: string): boolean {
  for (let action: string | undefined = requested; action !== undefined; action = ODRL_INCLUDED_IN[action]) {
    if (action === ruleAction) return true;
  }
  return false;
}

export interface PolicyInstance {
  uid: string;
  type?: OdrlPolicyType;
  assigner: string;
  assignee?: string;
  target: string;
  /** Replaces the credit line of every attribute duty. */
  attribution?: { zh?: string; en?: string };
}

/**
 * A concrete Offer or Agreement from a template policy: its own uid, the parties and the
 * target asset; optionally the credit line of attribute duties. Validated like any policy.
 */
export function instantiatePolicy(template: OdrlPolicy, instance: PolicyInstance): OdrlPolicy {
  const copy = structuredClone(template) as OdrlPolicy & Record<string, unknown>;
  copy.uid = instance.uid;
  copy['@type'] = instance.type ?? 'Offer';
  copy.assigner = instance.assigner;
  if (instance.assignee !== undefined) copy.assignee = instance.assignee;
  copy.target = instance.target;
  const attribution = instance.attribution;
  if (attribution) {
    const texts: OdrlText[] = [];
    if (attribution.zh !== undefined) texts.push({ '@value': attribution.zh, '@language': 'zh-CN' });
    if (attribution.en !== undefined) texts.push({ '@value': attribution.en, '@language': 'en' });
    const duties = [...(copy.permission ?? []).flatMap((rule) => rule.duty ?? []), ...(copy.obligation ?? [])];
    for (const duty of duties) if (duty.action === 'attribute') duty['civic:attributionText'] = texts;
  }
  return parseOdrlPolicy(copy);
}
