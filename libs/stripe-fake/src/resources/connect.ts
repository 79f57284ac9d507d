import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { ApiError, invalid, missingParam, missingReference, notFound } from '../errors.js';
import { inRange, mergeMetadata, type Params } from '../params.js';
import { clone, randomToken } from '../util.js';

const CURRENCY_BY_COUNTRY: Record<string, string> = {
  US: 'usd', GB: 'gbp', CA: 'cad', AU: 'aud', JP: 'jpy', SG: 'sgd', HK: 'hkd', CH: 'chf', NZ: 'nzd', MX: 'mxn', BR: 'brl',
  IN: 'inr', SE: 'sek', NO: 'nok', DK: 'dkk', PL: 'pln', CZ: 'czk', TH: 'thb', MY: 'myr', AE: 'aed',
};
const EURO_COUNTRIES = ['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK'];

/** What Stripe asks a fresh connected account for before charges and payouts are enabled. */
const INITIAL_REQUIREMENTS = [
  'business_profile.mcc', 'business_profile.url', 'business_type', 'external_account', 'representative.first_name',
  'representative.last_name', 'tos_acceptance.date', 'tos_acceptance.ip',
];

/** The platform account itself (GET /v1/account). */
export const PLATFORM_ACCOUNT_ID = 'acct_stripefakeplatform';

export function createAccount(e: Engine, p: Params): Stripe.Account {
  p.check({
    supported: ['type', 'country', 'email', 'metadata', 'business_type', 'capabilities', 'business_profile', 'default_currency', 'controller'],
    ignored: ['settings', 'tos_acceptance', 'company', 'individual', 'external_account', 'documents', 'groups'],
    unsupported: ['account_token', 'bank_account'],
  });
  const type = p.enumOf('type', ['custom', 'express', 'standard'] as const);
  const controllerParams = p.obj('controller');
  if (!type && !controllerParams) {
    throw invalid('You must provide either `type` or `controller` when creating an account.', 'type');
  }
  const country = (p.str('country') ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw invalid(`Invalid country: ${country}`, 'country');
  const requested = readRequestedCapabilities(p);
  const capabilities: Stripe.Account.Capabilities = {};
  for (const name of requested) (capabilities as Record<string, string>)[name] = 'inactive';
  const businessProfile = p.obj('business_profile');
  businessProfile?.check({ supported: ['name', 'url', 'mcc', 'product_description', 'support_email', 'support_phone', 'support_url'] });
  const dashboard = type === 'express' ? 'express' : type === 'standard' ? 'full' : 'none';
  const id = e.id('acct');
  const account: Stripe.Account = {
    id,
    object: 'account',
    business_profile: {
      mcc: businessProfile?.str('mcc') ?? null,
      minority_owned_business_designation: null,
      name: businessProfile?.str('name') ?? null,
      product_description: businessProfile?.str('product_description') ?? null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: businessProfile?.str('support_email') ?? null,
      support_phone: businessProfile?.str('support_phone') ?? null,
      support_url: businessProfile?.str('support_url') ?? null,
      url: businessProfile?.str('url') ?? null,
    },
    business_type: p.enumOf('business_type', ['company', 'government_entity', 'individual', 'non_profit'] as const) ?? null,
    capabilities,
    charges_enabled: false,
    controller: {
      fees: { payer: type === 'standard' ? 'account' : type === 'express' ? 'application_express' : 'application' },
      is_controller: true,
      losses: { payments: type === 'standard' ? 'stripe' : 'application' },
      requirement_collection: type === 'custom' ? 'application' : 'stripe',
      stripe_dashboard: { type: dashboard },
      type: 'application',
    },
    country,
    created: e.now(),
    default_currency: p.str('default_currency')?.toLowerCase() ?? CURRENCY_BY_COUNTRY[country] ?? (EURO_COUNTRIES.includes(country) ? 'eur' : 'usd'),
    details_submitted: false,
    email: p.str('email') ?? null,
    external_accounts: { object: 'list', data: [], has_more: false, url: `/v1/accounts/${id}/external_accounts` },
    future_requirements: emptyRequirements(),
    metadata: mergeMetadata({}, p.metadata()),
    payouts_enabled: false,
    requirements: {
      ...emptyRequirements(),
      currently_due: [...INITIAL_REQUIREMENTS],
      eventually_due: [...INITIAL_REQUIREMENTS],
      past_due: [...INITIAL_REQUIREMENTS],
      disabled_reason: 'requirements.past_due',
    },
    settings: null,
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type: type ?? 'none',
  };
  e.accounts.set(id, account);
  return clone(account);
}

function readRequestedCapabilities(p: Params): string[] {
  const capabilities = p.obj('capabilities');
  if (!capabilities) return ['card_payments', 'transfers'];
  const out: string[] = [];
  for (const name of capabilities.keys()) {
    const capability = capabilities.obj(name);
    capability?.check({ supported: ['requested'] });
    if (capability?.bool('requested')) out.push(name);
  }
  return out;
}

function emptyRequirements(): Stripe.Account.Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [],
    disabled_reason: null,
    errors: [],
    eventually_due: [],
    past_due: [],
    pending_verification: [],
  };
}

/**
 * Money can only move to a connected account whose `transfers` capability is active, as on
 * Stripe: destination charges, `on_behalf_of` and transfers all check this.
 */
export function requireConnectedAccount(e: Engine, id: string, param: string): Stripe.Account {
  const account = e.accounts.get(id);
  if (!account) throw invalid(`No such destination: '${id}'`, param, 'resource_missing');
  if (account.capabilities?.transfers !== 'active') {
    throw invalid(
      'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      param,
      'insufficient_capabilities_for_transfer',
    );
  }
  return account;
}

/** Stripe answers an unknown connected account with 403 (StripePermissionError), not 404. */
function accountNotFound(id: string): ApiError {
  return new ApiError(403, {
    type: 'invalid_request_error',
    code: 'account_invalid',
    message: `The provided key does not have access to account '${id}' (or that account does not exist). Application access may have been revoked.`,
    doc_url: 'https://docs.stripe.com/error-codes/account-invalid',
  });
}

export function retrieveAccount(e: Engine, id: string): Stripe.Account {
  const account = e.accounts.get(id);
  if (!account) throw accountNotFound(id);
  return clone(account);
}

/** GET /v1/account: the platform itself. */
export function retrievePlatformAccount(e: Engine): Stripe.Account {
  return {
    id: PLATFORM_ACCOUNT_ID,
    object: 'account',
    business_profile: null,
    charges_enabled: true,
    country: 'US',
    created: 0,
    default_currency: 'usd',
    details_submitted: true,
    email: 'platform@stripe-fake.invalid',
    payouts_enabled: true,
    settings: { dashboard: { display_name: 'stripe-fake', timezone: 'Etc/UTC' } } as Stripe.Account.Settings,
    type: 'standard',
    metadata: { base_url: e.baseUrl },
  };
}

export function updateAccount(e: Engine, id: string, p: Params): Stripe.Account {
  p.check({
    supported: ['email', 'metadata', 'business_profile', 'default_currency'],
    ignored: ['settings', 'tos_acceptance', 'company', 'individual', 'documents', 'groups', 'capabilities', 'business_type'],
    unsupported: ['external_account', 'account_token'],
  });
  const account = e.accounts.get(id);
  if (!account) throw accountNotFound(id);
  const before = clone(account);
  const email = p.nullableStr('email');
  if (email !== undefined) account.email = email;
  const currency = p.str('default_currency');
  if (currency) account.default_currency = currency.toLowerCase();
  const businessProfile = p.obj('business_profile');
  if (businessProfile && account.business_profile) {
    businessProfile.check({ supported: ['name', 'url', 'mcc', 'product_description', 'support_email', 'support_phone', 'support_url'] });
    for (const field of ['name', 'url', 'mcc', 'product_description', 'support_email', 'support_phone', 'support_url'] as const) {
      const value = businessProfile.nullableStr(field);
      if (value !== undefined) account.business_profile[field] = value;
    }
  }
  if (p.has('metadata')) account.metadata = mergeMetadata(account.metadata, p.metadata());
  if (JSON.stringify(before) !== JSON.stringify(account)) e.record('account.updated', account, { previous: before, account: id });
  return clone(account);
}

export function listAccounts(e: Engine, p: Params): unknown {
  p.check({ supported: ['created', 'limit', 'starting_after', 'ending_before'] });
  const created = p.range('created');
  return e.paginate([...e.accounts.values()].filter((account) => inRange(account.created ?? 0, created)), p, '/v1/accounts');
}

/** POST /v1/account_links */
export function createAccountLink(e: Engine, p: Params): Stripe.AccountLink {
  p.check({ supported: ['account', 'refresh_url', 'return_url', 'type'], ignored: ['collect', 'collection_options'] });
  const accountId = p.reqStr('account');
  if (!e.accounts.has(accountId)) throw missingReference('account', accountId, 'account');
  const type = p.enumOf('type', ['account_onboarding', 'account_update'] as const);
  if (!type) throw missingParam('type');
  const refreshUrl = p.str('refresh_url');
  const returnUrl = p.str('return_url');
  if (!refreshUrl) throw missingParam('refresh_url');
  if (!returnUrl) throw missingParam('return_url');
  const account = e.accounts.get(accountId) as Stripe.Account;
  if (type === 'account_update' && account.type !== 'custom' && account.controller?.requirement_collection !== 'application') {
    throw invalid('You cannot create `account_update` type Account Links for accounts where Stripe collects requirements.', 'type');
  }
  const now = e.now();
  const token = randomToken(24);
  e.accountLinks.set(token, {
    token,
    account: accountId,
    type,
    refresh_url: refreshUrl,
    return_url: returnUrl,
    created: now,
    expires_at: now + 300,
    used: false,
  });
  return { object: 'account_link', created: now, expires_at: now + 300, url: `${e.baseUrl}/connect/onboarding/${token}` };
}

/** POST /v1/accounts/:id/login_links (Express dashboard). */
export function createLoginLink(e: Engine, id: string, p: Params): Stripe.LoginLink {
  p.check({ supported: [] });
  const account = e.accounts.get(id);
  if (!account) throw accountNotFound(id);
  if (account.type !== 'express' && account.controller?.stripe_dashboard?.type !== 'express') {
    throw invalid('Cannot create a login link for an account that is not an Express account.', 'account');
  }
  if (!account.details_submitted) {
    throw invalid('Cannot create a login link for an account that has not completed onboarding.', 'account');
  }
  return { object: 'login_link', created: e.now(), url: `${e.baseUrl}/connect/dashboard/${id}` };
}

export type OnboardingOutcome = 'complete' | 'pending';

/**
 * The seller finishes onboarding. `complete`: details submitted, requested capabilities active,
 * charges and payouts enabled. `pending`: details submitted but verification still pending
 * (charges and payouts stay disabled). Records `account.updated` with previous_attributes.
 */
export function completeOnboarding(e: Engine, accountId: string, outcome: OnboardingOutcome = 'complete'): Stripe.Account {
  const account = e.accounts.get(accountId);
  if (!account) throw notFound('account', accountId);
  if (outcome !== 'complete' && outcome !== 'pending') throw invalid('outcome must be complete or pending', 'outcome');
  const before = clone(account);
  const now = e.now();
  account.details_submitted = true;
  account.tos_acceptance = { date: now, ip: '127.0.0.1', user_agent: 'stripe-fake' };
  if (!account.business_type) account.business_type = 'individual';
  if (outcome === 'complete') {
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.requirements = emptyRequirements();
    for (const name of Object.keys(account.capabilities ?? {})) {
      (account.capabilities as Record<string, string>)[name] = 'active';
    }
  } else {
    account.requirements = {
      ...emptyRequirements(),
      disabled_reason: 'requirements.pending_verification',
      pending_verification: ['representative.verification.document'],
    };
    for (const name of Object.keys(account.capabilities ?? {})) {
      (account.capabilities as Record<string, string>)[name] = 'pending';
    }
  }
  if (JSON.stringify(before) !== JSON.stringify(account)) e.record('account.updated', account, { previous: before, account: accountId });
  return clone(account);
}

/** Where a visit to an account link goes: the onboarding page, or refresh_url when used or expired. */
export function accountLinkState(e: Engine, token: string): { state: 'valid' | 'expired' | 'unknown'; link?: import('../engine.js').AccountLinkState } {
  const link = e.accountLinks.get(token);
  if (!link) return { state: 'unknown' };
  if (link.used || e.now() >= link.expires_at) return { state: 'expired', link };
  return { state: 'valid', link };
}
