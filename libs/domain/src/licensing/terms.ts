/**
 * The licence terms a buyer accepts, as one canonical JSON document (RFC 8785 JSON
 * Canonicalization Scheme, via `canonicalize`) and its sha256: the template and version, the
 * exact ODRL policy, the price plan, and which product and offer they belong to. The hash is
 * stored with the acceptance and shown on the licence; the same terms always hash the same,
 * whatever the key order of the input, and any change of wording, rule or price changes it.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DomainError } from '../errors/domain-error.js';
import { parsePricePlan, type PricePlan } from '../pricing/price-plan.js';
import { parseOdrlPolicy, type OdrlPolicy } from './odrl.js';

export const LICENCE_TERMS_SCHEMA = 'civic.licence-terms/1';

export interface LicenceTermsInput {
  template: { key: string; version: number; policy: unknown };
  plan: unknown;
  product: { id: string; versionId?: string };
  offer: { id: string; version?: number };
  seller?: { organizationId: string };
  buyer?: { organizationId: string };
}

export interface LicenceTermsDocument {
  schema: typeof LICENCE_TERMS_SCHEMA;
  template: { key: string; version: number };
  policy: OdrlPolicy;
  plan: PricePlan;
  product: { id: string; versionId?: string };
  offer: { id: string; version?: number };
  seller?: { organizationId: string };
  buyer?: { organizationId: string };
}

export interface LicenceTerms {
  document: LicenceTermsDocument;
  /** RFC 8785 canonical JSON of the document. */
  canonicalJson: string;
  /** sha256 of the canonical JSON (UTF-8), lower-case hex. */
  sha256: string;
}

const ID = /^[\w.:@/-]{1,200}$/;

function problem(path: string, message: string) {
  return { path, code: 'invalid_value', message };
}

/**
 * Builds the terms document from untrusted parts: the policy and the plan are validated (and
 * normalized) by parseOdrlPolicy / parsePricePlan, whose errors pass through; references are
 * checked here (licensing.invalid_terms with `details.problems`).
 */
export function licenceTermsDocument(input: LicenceTermsInput): LicenceTerms {
  const problems: Array<{ path: string; code: string; message: string }> = [];
  const id = (value: unknown, path: string) => {
    if (typeof value !== 'string' || !ID.test(value)) problems.push(problem(path, 'An id of 1 to 200 letters, digits and . : @ / - _'));
  };
  const version = (value: unknown, path: string, required: boolean) => {
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) problems.push(problem(path, 'A version is a positive integer'));
  };
  const template = input?.template;
  if (typeof template?.key !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(template.key)) problems.push(problem('template.key', 'A template key is lower-case letters, digits and dashes'));
  version(template?.version, 'template.version', true);
  id(input?.product?.id, 'product.id');
  if (input?.product?.versionId !== undefined) id(input.product.versionId, 'product.versionId');
  id(input?.offer?.id, 'offer.id');
  version(input?.offer?.version, 'offer.version', false);
  if (input?.seller !== undefined) id(input.seller?.organizationId, 'seller.organizationId');
  if (input?.buyer !== undefined) id(input.buyer?.organizationId, 'buyer.organizationId');
  if (problems.length > 0) throw new DomainError('licensing.invalid_terms', `Invalid licence terms: ${problems[0].message} at ${problems[0].path}`, { problems });
  const document: LicenceTermsDocument = {
    schema: LICENCE_TERMS_SCHEMA,
    template: { key: template.key, version: template.version },
    policy: parseOdrlPolicy(template.policy),
    plan: parsePricePlan(input.plan),
    product: input.product.versionId === undefined ? { id: input.product.id } : { id: input.product.id, versionId: input.product.versionId },
    offer: input.offer.version === undefined ? { id: input.offer.id } : { id: input.offer.id, version: input.offer.version },
  };
  if (input.seller) document.seller = { organizationId: input.seller.organizationId };
  if (input.buyer) document.buyer = { organizationId: input.buyer.organizationId };
  return { document, ...hashLicenceTerms(document) };
}

/** Canonical JSON and sha256 of a terms document (e.g. one read back from storage, to verify it). */
export function hashLicenceTerms(document: LicenceTermsDocument): { canonicalJson: string; sha256: string } {
  const canonicalJson = canonicalize(document);
  if (canonicalJson === undefined) throw new DomainError('licensing.invalid_terms', 'The terms cannot be canonicalized', {});
  return { canonicalJson, sha256: createHash('sha256').update(canonicalJson, 'utf8').digest('hex') };
}

/** Whether a stored document still has the hash the buyer accepted. */
export function verifyLicenceTerms(document: LicenceTermsDocument, sha256: string): boolean {
  return hashLicenceTerms(document).sha256 === sha256.toLowerCase();
}
