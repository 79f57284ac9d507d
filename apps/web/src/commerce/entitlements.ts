import type { TFunction } from 'i18next';
import type { Entitlement, EntitlementAction } from '../api/schema-types';
import { isChinese } from '../catalog/localized-text';

/** The actions delivery asks about, in the order a licence page lists them. */
export const ENTITLEMENT_ACTIONS: readonly EntitlementAction[] = ['query', 'download', 'derive', 'distribute'];

/**
 * Refusal codes of the entitlement check (`licensing.<code>`: libs/domain licensing/entitlement.ts,
 * plus `no_license` from apps/api entitlements.service.ts). Any other code reads as `other`.
 */
export const ENTITLEMENT_REASONS = [
  'not_active',
  'suspended',
  'revoked',
  'expired',
  'grace_expired',
  'action_not_permitted',
  'prohibited',
  'purpose_not_permitted',
  'territory_not_permitted',
  'asset_form_not_permitted',
  'count_exceeded',
  'quota_exceeded',
  'outside_term',
  'constraint_unverifiable',
  'policy_conflict',
  'no_license',
] as const;
export type EntitlementReasonKey = (typeof ENTITLEMENT_REASONS)[number] | 'other';

/** Reasons about the licence as a whole: every action is refused alike. */
const LICENCE_WIDE: readonly EntitlementReasonKey[] = ['not_active', 'suspended', 'revoked', 'expired', 'grace_expired', 'no_license'];

export function entitlementReasonKey(reason: string | null): EntitlementReasonKey {
  const code = reason?.startsWith('licensing.') ? reason.slice('licensing.'.length) : null;
  return code && (ENTITLEMENT_REASONS as readonly string[]).includes(code) ? (code as EntitlementReasonKey) : 'other';
}

/**
 * allowed; conditional: permitted only under a condition that depends on the use itself (what is
 * supplied, how often), which the page cannot know; refused.
 */
export type EntitlementVerdict = 'allowed' | 'conditional' | 'refused';

export function verdictOf(answer: Pick<Entitlement, 'allowed' | 'reason'>): EntitlementVerdict {
  if (answer.allowed) return 'allowed';
  return entitlementReasonKey(answer.reason) === 'constraint_unverifiable' ? 'conditional' : 'refused';
}

/** The one reason every action is refused for, when it is about the licence itself (not in force, suspended…). */
export function licenceWideRefusal(answers: ReadonlyArray<Pick<Entitlement, 'allowed' | 'reason'>>): EntitlementReasonKey | null {
  const keys = [...new Set(answers.map((answer) => (answer.allowed ? null : entitlementReasonKey(answer.reason))))];
  return keys.length === 1 && keys[0] && LICENCE_WIDE.includes(keys[0]) ? keys[0] : null;
}

// ---------------------------------------------------------------------------------------------
// What the licence's ODRL policy says about purpose, place and time (read defensively: the
// terms are stored JSON).

export interface LicenceFacts {
  /** Purposes (catalog keys such as "research", or IRIs) the permissions are limited to / exclude. */
  purposes: { only: string[]; not: string[] };
  /** ISO 3166 codes the permissions are limited to / exclude. */
  territories: { only: string[]; not: string[] };
  /** ISO 8601 durations from the licence's start (elapsedTime). */
  terms: string[];
  /** Instants or dates the permissions end at (dateTime lt / lteq). */
  until: string[];
}

const CIVIC_NAMESPACE = 'https://ns.civic-data.example/odrl#';
const POSITIVE = ['eq', 'isAnyOf', 'isPartOf', 'isA', 'isAllOf'];
const NEGATIVE = ['neq', 'isNoneOf'];

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function values(rightOperand: unknown): string[] {
  const list = Array.isArray(rightOperand) ? rightOperand : [rightOperand];
  return list.flatMap((value) => {
    if (typeof value === 'string' || typeof value === 'number') return [String(value)];
    const item = record(value);
    const raw = item['@id'] ?? item['@value'];
    return typeof raw === 'string' || typeof raw === 'number' ? [String(raw)] : [];
  });
}

function purposeKey(value: string): string {
  if (value.startsWith('civic:')) return value.slice('civic:'.length);
  if (value.startsWith(CIVIC_NAMESPACE)) return value.slice(CIVIC_NAMESPACE.length);
  return value;
}

const unique = (list: string[]) => [...new Set(list)];

export function licenceFactsOf(policy: unknown): LicenceFacts {
  const facts: LicenceFacts = { purposes: { only: [], not: [] }, territories: { only: [], not: [] }, terms: [], until: [] };
  const permissions = Array.isArray(record(policy).permission) ? (record(policy).permission as unknown[]) : [];
  for (const permission of permissions) {
    const constraints = record(permission).constraint;
    for (const constraint of Array.isArray(constraints) ? constraints : []) {
      const { leftOperand, operator, rightOperand } = record(constraint);
      if (typeof leftOperand !== 'string' || typeof operator !== 'string') continue;
      const given = values(rightOperand);
      const side = POSITIVE.includes(operator) ? 'only' : NEGATIVE.includes(operator) ? 'not' : null;
      if (leftOperand === 'purpose' && side) facts.purposes[side].push(...given.map(purposeKey));
      else if (leftOperand === 'spatial' && side) facts.territories[side].push(...given);
      else if (leftOperand === 'elapsedTime' && ['lt', 'lteq', 'eq'].includes(operator)) facts.terms.push(...given);
      else if (leftOperand === 'dateTime' && ['lt', 'lteq'].includes(operator)) facts.until.push(...given);
    }
  }
  return {
    purposes: { only: unique(facts.purposes.only), not: unique(facts.purposes.not) },
    territories: { only: unique(facts.territories.only), not: unique(facts.territories.not) },
    terms: unique(facts.terms),
    until: unique(facts.until),
  };
}

/**
 * When a licence's term ends: the earliest of its expiry, each ISO term counted from its start
 * (ODRL elapsedTime) and each end date (dateTime lt / lteq). Null when it has no term (a
 * subscription runs period by period; a perpetual licence never ends), or a term counted from a
 * start that has not come yet.
 */
export function licenceTermEnd(facts: LicenceFacts, activatedAt: string | null, expiresAt: string | null): string | null {
  const ends = [
    ...(expiresAt ? [Date.parse(expiresAt)] : []),
    ...(activatedAt
      ? facts.terms.flatMap((term) => {
          const duration = parseIsoDuration(term);
          return duration ? [addIsoDuration(new Date(activatedAt), duration).getTime()] : [];
        })
      : []),
    ...facts.until.map((until) => Date.parse(until)),
  ].filter((time) => Number.isFinite(time));
  return ends.length > 0 ? new Date(Math.min(...ends)).toISOString() : null;
}

// ---------------------------------------------------------------------------------------------
// ISO 8601 durations (the whole-number subset ODRL's elapsedTime uses: P1Y, P6M, P2W, P30D, PT12H),
// added in UTC with the day clamped to a shorter month, as libs/domain licensing/duration.ts does.

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseIsoDuration(text: string): IsoDuration | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return { years, months, weeks, days, hours, minutes, seconds };
}

export function addIsoDuration(start: Date, duration: IsoDuration): Date {
  const totalMonths = start.getUTCMonth() + duration.months + 12 * duration.years;
  const year = start.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds());
  const extra = ((((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return new Date(shifted + extra);
}

const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours'] as const;

/** "1 year 6 months" / "1 年 6 个月"; the ISO text itself when it has minutes or seconds (never in practice). */
export function formatIsoDuration(text: string, t: TFunction): string {
  const duration = parseIsoDuration(text);
  if (!duration || duration.minutes > 0 || duration.seconds > 0) return text;
  const parts = DURATION_UNITS.filter((unit) => duration[unit] > 0).map((unit) => t(`commerce.entitlements.duration.${unit}`, { count: duration[unit] }));
  return parts.length > 0 ? parts.join(' ') : t('commerce.entitlements.duration.days', { count: 0 });
}

/** A country or region code in words: "China (CN)" / "中国（CN）"; other codes (CN-SH) as they are. */
export function placeName(code: string, language: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(code);
  } catch {
    name = undefined;
  }
  if (!name || name === code) return code;
  return isChinese(language) ? `${name}（${code}）` : `${name} (${code})`;
}

/** Where the platform assumes data is used when a check does not say (apps/api DEFAULT_TERRITORY). */
export const DEFAULT_TERRITORY = 'CN';
