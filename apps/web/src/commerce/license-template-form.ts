import { ApiError } from '../api/api-error';
import type { LicenseTemplate } from '../api/schema-types';

/** A template key as the API accepts it (apps/api CreateLicenseTemplateDto, the license_templates check). */
export const TEMPLATE_KEY = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

/** Problem codes of an ODRL policy (libs/domain licensing/odrl.ts PolicyProblemCode); others read as `other`. */
export const POLICY_PROBLEM_CODES = [
  'not_object',
  'not_array',
  'required',
  'unknown_property',
  'invalid_context',
  'invalid_type',
  'invalid_iri',
  'invalid_conflict',
  'empty_policy',
  'missing_party',
  'unknown_action',
  'unknown_left_operand',
  'unknown_operator',
  'unknown_term',
  'undeclared_prefix',
  'invalid_right_operand',
  'invalid_text',
] as const;
export type PolicyProblemCode = (typeof POLICY_PROBLEM_CODES)[number] | 'other';

export interface PolicyProblem {
  /** Where in the policy ("permission[0].action"); empty for the policy itself. */
  path: string;
  code: PolicyProblemCode;
  /** The API's own words (English), naming the offending value. */
  message: string;
}

/** The problems of a `licensing.invalid_policy` refusal (details.problems), read defensively; null for any other error. */
export function policyProblemsOf(error: unknown): PolicyProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'licensing.invalid_policy') return null;
  const details = typeof error.details === 'object' && error.details !== null ? (error.details as { problems?: unknown }) : {};
  const problems = Array.isArray(details.problems) ? details.problems : [];
  return problems.flatMap((raw): PolicyProblem[] => {
    if (typeof raw !== 'object' || raw === null) return [];
    const { path, code, message } = raw as Record<string, unknown>;
    return [
      {
        path: typeof path === 'string' ? path : '',
        code: typeof code === 'string' && (POLICY_PROBLEM_CODES as readonly string[]).includes(code) ? (code as PolicyProblemCode) : 'other',
        message: typeof message === 'string' ? message : '',
      },
    ];
  });
}

/** The policy text as typed: a JSON object, or why not (the parser's message). */
export function parsePolicyText(text: string): { policy: Record<string, unknown> } | { error: 'json'; message: string } | { error: 'not_object' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: 'json', message: error instanceof Error ? error.message : String(error) };
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { policy: value as Record<string, unknown> } : { error: 'not_object' };
}

/** The version a key saved now gets: one after its latest, or 1 for a new key. */
export function nextVersionOf(templates: readonly Pick<LicenseTemplate, 'key' | 'version'>[], key: string): number {
  return templates.filter((template) => template.key === key).reduce((latest, template) => Math.max(latest, template.version), 0) + 1;
}

/** The latest version of each key, newest keys' order kept. */
export function latestVersions<T extends Pick<LicenseTemplate, 'key' | 'version'>>(templates: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const template of templates) {
    const current = latest.get(template.key);
    if (!current || template.version > current.version) latest.set(template.key, template);
  }
  return [...latest.values()];
}

const UID = /^(https:\/\/ns\.civic-data\.example\/licences\/)[a-z0-9-]+\/\d+$/;

/** A policy's uid for a key and version, as the standard templates name theirs. */
export function templateUid(key: string, version: number): string {
  return `https://ns.civic-data.example/licences/${key}/${version}`;
}

// Stored policies come back with their keys in the database's order (jsonb: shortest first);
// a person reads them in ODRL's: context and type, then each rule's action, conditions, duties.
const KEY_ORDER = ['@context', '@type', '@id', '@value', '@language', 'uid', 'profile', 'conflict', 'assigner', 'assignee', 'target', 'action', 'leftOperand', 'operator', 'rightOperand', 'unit', 'constraint', 'duty', 'permission', 'prohibition', 'obligation'];

function rank(key: string): number {
  const index = KEY_ORDER.indexOf(key);
  return index < 0 ? KEY_ORDER.length : index;
}

/** A JSON value with every object's keys in reading order (known ODRL keys first, others alphabetically). */
export function inReadingOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inReadingOrder);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(entries.map(([key, item]) => [key, inReadingOrder(item)]));
}

/**
 * The policy text a new version starts from: the template's policy in reading order,
 * pretty-printed, its uid moved to the new key and version when it follows the platform's pattern.
 */
export function policyDraft(policy: unknown, key: string, version: number): string {
  const copy = { ...(inReadingOrder(policy) as Record<string, unknown>) };
  if (typeof copy.uid === 'string' && UID.test(copy.uid)) copy.uid = templateUid(key, version);
  return JSON.stringify(copy, null, 2);
}

/** A minimal valid policy to start a template from nothing. */
export function emptyPolicyDraft(key: string): string {
  return JSON.stringify(
    {
      '@context': ['http://www.w3.org/ns/odrl.jsonld', { civic: 'https://ns.civic-data.example/odrl#' }],
      '@type': 'Offer',
      uid: templateUid(key || 'new-template', 1),
      profile: 'https://ns.civic-data.example/odrl',
      conflict: 'prohibit',
      permission: [{ action: 'use' }],
      prohibition: [{ action: 'civic:reidentify' }],
    },
    null,
    2,
  );
}
