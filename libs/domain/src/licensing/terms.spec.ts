import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { PricePlan } from '../pricing/price-plan.js';
import { expectDomainError } from '../pricing/test-support.js';
import { STANDARD_LICENSE_TEMPLATES } from './templates.js';
import { hashLicenceTerms, LICENCE_TERMS_SCHEMA, licenceTermsDocument, verifyLicenceTerms, type LicenceTermsInput } from './terms.js';

const plan: PricePlan = {
  kind: 'hybrid',
  currency: 'CNY',
  interval: 'month',
  amount: 120_000,
  metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: 5 },
};
const template = STANDARD_LICENSE_TEMPLATES['commercial-internal'];
const input: LicenceTermsInput = {
  template: { key: template.key, version: template.version, policy: template.policy },
  plan,
  product: { id: 'prod_123', versionId: 'pv_7' },
  offer: { id: 'offer_9', version: 2 },
  seller: { organizationId: 'org_vendor' },
  buyer: { organizationId: 'org_buyer' },
};

/** The same JSON with every object's keys in a random order. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, shuffleKeys(item, random)] as const);
  for (let i = entries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries);
}

describe('licenceTermsDocument', () => {
  it('builds the document and hashes its RFC 8785 canonical JSON', () => {
    const terms = licenceTermsDocument(input);
    expect(terms.document).toEqual({
      schema: LICENCE_TERMS_SCHEMA,
      template: { key: 'commercial-internal', version: 1 },
      policy: template.policy,
      plan,
      product: { id: 'prod_123', versionId: 'pv_7' },
      offer: { id: 'offer_9', version: 2 },
      seller: { organizationId: 'org_vendor' },
      buyer: { organizationId: 'org_buyer' },
    });
    expect(terms.canonicalJson.startsWith('{"buyer":{"organizationId":"org_buyer"},"offer":{"id":"offer_9","version":2},"plan":{"amount":120000,')).toBe(true);
    expect(terms.sha256).toBe(createHash('sha256').update(terms.canonicalJson, 'utf8').digest('hex'));
    expect(terms.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyLicenceTerms(terms.document, terms.sha256)).toBe(true);
    expect(verifyLicenceTerms(terms.document, terms.sha256.toUpperCase())).toBe(true);
    expect(hashLicenceTerms(terms.document)).toEqual({ canonicalJson: terms.canonicalJson, sha256: terms.sha256 });
  });

  it('hashes the same whatever the key order of the input', () => {
    const expected = licenceTermsDocument(input).sha256;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let state = seed >>> 0 || 1;
        const random = () => {
          state = (state * 1_103_515_245 + 12_345) >>> 0;
          return state / 2 ** 32;
        };
        expect(licenceTermsDocument(shuffleKeys(input, random) as LicenceTermsInput).sha256).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('changes the hash when any term changes', () => {
    const original = licenceTermsDocument(input).sha256;
    const variants: LicenceTermsInput[] = [
      { ...input, plan: { ...plan, amount: 120_001 } },
      { ...input, template: { ...input.template, key: 'commercial-derived-redistribution', policy: STANDARD_LICENSE_TEMPLATES['commercial-derived-redistribution'].policy } },
      { ...input, template: { ...input.template, version: 2 } },
      { ...input, product: { id: 'prod_123', versionId: 'pv_8' } },
      { ...input, offer: { id: 'offer_9' } },
      { ...input, buyer: undefined },
      { ...input, template: { ...input.template, policy: { ...template.policy, prohibition: template.policy.prohibition?.slice(1) } } },
    ];
    const hashes = variants.map((variant) => licenceTermsDocument(variant).sha256);
    expect(new Set([original, ...hashes]).size).toBe(variants.length + 1);
    const tampered = licenceTermsDocument(input).document;
    tampered.plan = { ...plan, amount: 1 };
    expect(verifyLicenceTerms(tampered, original)).toBe(false);
  });

  it('normalizes the plan and policy before hashing', () => {
    const withDefaults = licenceTermsDocument({ ...input, plan: { ...plan, metered: { unit: 'row', mode: 'per_unit', unitAmount: 5, per: 1000, includedQuantity: 100_000 } } });
    expect(withDefaults.sha256).toBe(licenceTermsDocument(input).sha256);
  });

  it('refuses invalid parts', () => {
    expectDomainError(() => licenceTermsDocument({ ...input, plan: { kind: 'free' } }), 'pricing.invalid_plan');
    expectDomainError(() => licenceTermsDocument({ ...input, template: { ...input.template, policy: { uid: 'x' } } }), 'licensing.invalid_policy');
    const error = expectDomainError(
      () => licenceTermsDocument({ ...input, template: { ...input.template, key: 'Open Licence', version: 0 }, product: { id: '' }, offer: { id: 'o', version: 1.5 }, buyer: { organizationId: 'a b' } }),
      'licensing.invalid_terms',
    );
    expect((error.details as { problems: Array<{ path: string }> }).problems.map((problem) => problem.path)).toEqual([
      'template.key',
      'template.version',
      'product.id',
      'offer.version',
      'buyer.organizationId',
    ]);
  });
});
