/**
 * Errors raised by services and workers carry a stable code. The HTTP edge maps each
 * code's kind to a status; nothing below the edge knows about HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'gone'
  | 'unavailable'
  | 'internal';

/** Every error code the platform emits, with its kind. Later contexts add theirs here. */
export const ERROR_CODES = {
  'request.invalid': 'validation',
  'request.malformed_json': 'validation',
  'request.too_large': 'payload_too_large',
  'request.unsupported_media_type': 'unsupported_media_type',
  'request.not_found': 'not_found',
  rate_limited: 'rate_limited',
  'auth.unauthenticated': 'unauthenticated',
  'auth.invalid_credentials': 'unauthenticated',
  'auth.locked': 'locked',
  'auth.refresh_invalid': 'unauthenticated',
  'auth.api_key_invalid': 'unauthenticated',
  'auth.forbidden': 'forbidden',
  'identity.email_taken': 'conflict',
  'identity.weak_password': 'validation',
  'identity.slug_taken': 'conflict',
  'identity.not_found': 'not_found',
  'identity.role_not_allowed': 'validation',
  'identity.last_admin': 'conflict',
  'identity.invitation_invalid': 'not_found',
  'identity.already_member': 'conflict',
  'identity.organization_state': 'conflict',
  'identity.api_key_not_found': 'not_found',
  'audit.not_found': 'not_found',
  'catalog.not_found': 'not_found',
  'catalog.slug_taken': 'conflict',
  'catalog.invalid_state': 'conflict',
  'catalog.no_version': 'conflict',
  'catalog.rows_not_available': 'forbidden',
  'catalog.upload_missing': 'validation',
  'catalog.upload_too_large': 'payload_too_large',
  'catalog.unknown_column': 'validation',
  'catalog.invalid_pseudonym': 'validation',
  'catalog.ingestion_not_found': 'not_found',
  'catalog.ingestion_busy': 'conflict',
  'access.not_found': 'not_found',
  'access.not_conditional': 'conflict',
  'access.already_pending': 'conflict',
  'access.already_granted': 'conflict',
  'access.invalid_state': 'conflict',
  'access.own_dataset': 'conflict',
  'product.not_found': 'not_found',
  'product.invalid_output': 'validation',
  'product.invalid_gate_policy': 'validation',
  'product.invalid_gate_measurements': 'validation',
  'product.invalid_weights': 'validation',
  'product.invalid_shares': 'validation',
  'product.invalid_lineage': 'validation',
  'product.lineage_too_deep': 'validation',
  'product.lineage_cycle': 'conflict',
  'product.invalid_inputs': 'validation',
  'product.kind_not_allowed': 'forbidden',
  'product.input_denied': 'forbidden',
  'product.invalid_transition': 'conflict',
  'product.invalid_review': 'validation',
  'product.slug_taken': 'conflict',
  'product.not_editable': 'conflict',
  'product.input_not_found': 'validation',
  'product.input_unavailable': 'conflict',
  'product.run_not_found': 'not_found',
  'product.run_finished': 'conflict',
  'product.no_version': 'conflict',
  // Buyers read a product's description before they buy: a listing needs one.
  'product.description_required': 'validation',
  'product.already_reviewed': 'conflict',
  // A published product its owner may not sell now (a source withdrawn, a grant revoked…): the storefront says so.
  'product.suspended': 'conflict',
  // The privacy settings of an input are stricter than those a version (or run) was checked under.
  'product.policy_changed': 'conflict',
  // Selling and buying (apps/api licensing and payments).
  'licensing.not_found': 'not_found',
  'licensing.no_license': 'forbidden',
  'licensing.template_not_found': 'not_found',
  'licensing.template_key_reserved': 'conflict',
  'licensing.template_key_taken': 'conflict',
  'licensing.product_retired': 'conflict',
  'licensing.too_many_offers': 'conflict',
  'licensing.offer_not_found': 'not_found',
  'licensing.offer_archived': 'conflict',
  'licensing.terms_changed': 'conflict',
  'licensing.own_product': 'conflict',
  'licensing.purchase_pending': 'conflict',
  'licensing.already_licensed': 'conflict',
  'licensing.already_decided': 'conflict',
  'licensing.not_payable': 'conflict',
  'licensing.not_cancellable': 'conflict',
  'licensing.not_resumable': 'conflict',
  'licensing.provider_mismatch': 'conflict',
  'licensing.payment_processing': 'conflict',
  'pricing.cap_not_found': 'not_found',
  'billing.invalid_amount': 'validation',
  'billing.amount_mismatch': 'validation',
  'billing.overpaid': 'validation',
  'billing.invoice_not_found': 'not_found',
  'billing.invoice_not_open': 'conflict',
  'billing.not_offline': 'conflict',
  'billing.duplicate_reference': 'conflict',
  // Billing, revenue sharing and the ledger (libs/domain/src/billing).
  'billing.invalid_rate': 'validation',
  'billing.invalid_period': 'validation',
  'billing.invalid_split': 'validation',
  'billing.payment_not_found': 'not_found',
  'billing.refund_exceeds_payment': 'conflict',
  'billing.credit_note_not_payable': 'conflict',
  'billing.credit_note_mismatch': 'conflict',
  'billing.credit_exceeds_note': 'conflict',
  'billing.period_closed': 'conflict',
  'billing.period_not_found': 'not_found',
  'billing.settlement_not_found': 'not_found',
  'billing.nothing_to_settle': 'conflict',
  'billing.period_open': 'conflict',
  'billing.unreconciled': 'conflict',
  'ledger.unbalanced': 'internal',
  'payments.invalid_signature': 'validation',
  'payments.unavailable': 'conflict',
  'payments.provider_error': 'unavailable',
  // Money, price plans and caps (libs/domain/src/pricing).
  'pricing.invalid_plan': 'validation',
  'pricing.invalid_money': 'validation',
  'pricing.unsupported_currency': 'validation',
  'pricing.currency_mismatch': 'validation',
  'pricing.amount_out_of_range': 'validation',
  'pricing.invalid_allocation': 'validation',
  'pricing.invalid_usage': 'validation',
  'pricing.invalid_cap': 'validation',
  'pricing.over_cap': 'validation',
  'pricing.cap_currency_mismatch': 'validation',
  // Licences: ODRL policies, terms, lifecycle (libs/domain/src/licensing).
  'licensing.invalid_policy': 'validation',
  'licensing.unknown_template': 'not_found',
  'licensing.invalid_terms': 'validation',
  'licensing.invalid_transition': 'conflict',
  'licensing.invalid_request': 'validation',
  // Why an entitlement check refuses (evaluateEntitlement's reasons; services throw them as 403).
  'licensing.not_active': 'forbidden',
  'licensing.suspended': 'forbidden',
  'licensing.revoked': 'forbidden',
  'licensing.expired': 'forbidden',
  'licensing.grace_expired': 'forbidden',
  'licensing.action_not_permitted': 'forbidden',
  'licensing.prohibited': 'forbidden',
  'licensing.purpose_not_permitted': 'forbidden',
  'licensing.territory_not_permitted': 'forbidden',
  'licensing.asset_form_not_permitted': 'forbidden',
  'licensing.count_exceeded': 'forbidden',
  'licensing.quota_exceeded': 'forbidden',
  'licensing.outside_term': 'forbidden',
  'licensing.constraint_unverifiable': 'forbidden',
  'licensing.policy_conflict': 'forbidden',
  // A derivation's SQL refused before or while running (the vendor's to fix).
  'derive.syntax': 'validation',
  'derive.not_a_query': 'validation',
  'derive.unknown_input': 'validation',
  'derive.unknown_column': 'validation',
  'derive.forbidden_function': 'validation',
  'derive.duplicate_columns': 'validation',
  'derive.no_input_read': 'validation',
  'derive.unused_input': 'validation',
  'derive.unsupported': 'validation',
  'derive.invalid_query': 'validation',
  'derive.permission_denied': 'validation',
  'derive.invalid_input': 'validation',
  'derive.input_modified': 'conflict',
  'derive.timeout': 'validation',
  'derive.out_of_memory': 'validation',
  'derive.runtime': 'validation',
  'derive.cancelled': 'conflict',
  'derive.gate_failed': 'validation',
  'derive.internal': 'internal',
  // Delivery (query API, files) and metering.
  'delivery.invalid_query': 'validation',
  'delivery.not_found': 'not_found',
  'delivery.no_version': 'conflict',
  'delivery.product_unavailable': 'conflict',
  'delivery.query_failed': 'validation',
  'delivery.timeout': 'unavailable',
  'delivery.rate_limited': 'rate_limited',
  'delivery.link_invalid': 'not_found',
  'delivery.range_not_satisfiable': 'range_not_satisfiable',
  'delivery.link_expired': 'gone',
  'delivery.unreadable_file': 'validation',
  'delivery.file_too_large': 'payload_too_large',
  'metering.too_late': 'validation',
  'metering.in_future': 'validation',
  'metering.invalid_event': 'validation',
  // The in-app inbox (another user's notice is a missing one).
  'notifications.not_found': 'not_found',
  'request.conflict': 'conflict',
  'service.unavailable': 'unavailable',
  internal: 'internal',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = ERROR_CODES[code];
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
