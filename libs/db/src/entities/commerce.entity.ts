import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

/**
 * Licensing and commerce records. JSON columns hold the shapes defined in @civic/domain
 * (ODRL policies, price plans, licence terms documents); the services parse them there.
 */
type Json = Record<string, unknown>;

export type LicenseState =
  | 'pending_approval'
  | 'pending_payment'
  | 'active'
  | 'past_due'
  | 'suspended'
  | 'expired'
  | 'revoked'
  | 'cancelled';
export type PaymentProviderName = 'offline' | 'stripe';
export type OfferStatus = 'draft' | 'published' | 'archived';
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
export type InvoiceKind = 'purchase' | 'renewal' | 'usage' | 'adjustment' | 'credit_note';

/** An ODRL licence template. Immutable (a database trigger refuses changes): edits are new versions. */
@Entity('license_templates')
export class LicenseTemplate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'integer' })
  version: number;

  /** One of the platform's standard templates (no owning organization). */
  @Column({ type: 'boolean', default: false })
  standard: boolean;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'title_zh', type: 'text' })
  titleZh: string;

  @Column({ name: 'title_en', type: 'text' })
  titleEn: string;

  @Column({ name: 'summary_zh', type: 'text', default: '' })
  summaryZh: string;

  @Column({ name: 'summary_en', type: 'text', default: '' })
  summaryEn: string;

  @Column({ type: 'jsonb' })
  policy: Json;

  @Column({ name: 'policy_sha256', type: 'text' })
  policySha256: string;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** A public-data pricing rule set by the platform: the most a theme or class may cost. */
@Entity('price_caps')
export class PriceCapRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', nullable: true })
  theme: string | null;

  @Column({ type: 'text', nullable: true })
  classification: 'open' | 'conditional' | 'restricted' | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'max_one_time', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  maxOneTime: number | null;

  @Column({ name: 'max_monthly', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  maxMonthly: number | null;

  @Column({ name: 'max_per_unit', type: 'jsonb', nullable: true })
  maxPerUnit: Json | null;

  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** What a product is sold as: a licence template and a price plan. */
@Entity('offers')
export class Offer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  /** The product's owner (the tenant). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'template_id', type: 'uuid' })
  templateId: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'price_plan', type: 'jsonb' })
  pricePlan: Json;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'requires_approval', type: 'boolean', default: false })
  requiresApproval: boolean;

  @Column({ type: 'text', default: 'draft' })
  status: OfferStatus;

  @Column({ type: 'integer', default: 1 })
  revision: number;

  @Column({ type: 'integer', default: 0 })
  position: number;

  @Column({ name: 'stripe_price_id', type: 'text', nullable: true })
  stripePriceId: string | null;

  @Column({ name: 'stripe_price_revision', type: 'integer', nullable: true })
  stripePriceRevision: number | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}

/** A buyer organization's licence: the exact accepted terms (immutable) and the enforced state. */
@Entity('licenses')
export class License {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The buyer (the tenant). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  /** The product's owner at the time of sale. */
  @Column({ name: 'vendor_id', type: 'uuid' })
  vendorId: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @Column({ name: 'offer_revision', type: 'integer' })
  offerRevision: number;

  @Column({ name: 'template_id', type: 'uuid' })
  templateId: string;

  @Column({ type: 'jsonb' })
  terms: Json;

  @Column({ name: 'terms_sha256', type: 'text' })
  termsSha256: string;

  @Column({ name: 'price_plan', type: 'jsonb' })
  pricePlan: Json;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', nullable: true })
  purpose: string | null;

  @Column({ name: 'purpose_detail', type: 'text', default: '' })
  purposeDetail: string;

  @Column({ name: 'intended_use', type: 'text', default: '' })
  intendedUse: string;

  @Column({ name: 'accepted_by_user_id', type: 'uuid' })
  acceptedByUserId: string;

  @Column({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt: Date;

  @Column({ name: 'accepted_ip', type: 'text' })
  acceptedIp: string;

  @Column({ name: 'accepted_user_agent', type: 'text', default: '' })
  acceptedUserAgent: string;

  @Column({ type: 'text' })
  state: LicenseState;

  @Column({ type: 'text' })
  provider: PaymentProviderName | 'none';

  @Column({ name: 'stripe_checkout_session_id', type: 'text', nullable: true })
  stripeCheckoutSessionId: string | null;

  @Column({ name: 'stripe_subscription_id', type: 'text', nullable: true })
  stripeSubscriptionId: string | null;

  @Column({ name: 'current_period_start', type: 'timestamptz', nullable: true })
  currentPeriodStart: Date | null;

  @Column({ name: 'current_period_end', type: 'timestamptz', nullable: true })
  currentPeriodEnd: Date | null;

  @Column({ name: 'trial_ends_at', type: 'timestamptz', nullable: true })
  trialEndsAt: Date | null;

  @Column({ name: 'cancel_at_period_end', type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean;

  @Column({ name: 'suspension_causes', type: 'text', array: true, default: () => "'{}'" })
  suspensionCauses: string[];

  @Column({ name: 'resume_to', type: 'text', nullable: true })
  resumeTo: 'active' | 'past_due' | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** One state change of a licence (append-only). */
@Entity('license_events')
export class LicenseEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'license_id', type: 'uuid' })
  licenseId: string;

  @Column({ type: 'text' })
  event: string;

  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState: LicenseState | null;

  @Column({ name: 'to_state', type: 'text' })
  toState: LicenseState;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'text' })
  source: 'user' | 'provider' | 'schedule' | 'system';

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Json;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}

/** A required approver of a purpose-bound purchase (the owning agency, the vendor). */
@Entity('license_approvals')
export class LicenseApproval {
  @PrimaryColumn({ name: 'license_id', type: 'uuid' })
  licenseId: string;

  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'approver_kind', type: 'text' })
  approverKind: 'agency' | 'vendor';

  @Column({ type: 'text', nullable: true })
  decision: 'approve' | 'reject' | null;

  @Column({ type: 'text', default: '' })
  reason: string;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}

/** What a buyer owes for a licence and a period. */
@Entity('invoices')
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  number: string;

  /** The buyer (the tenant). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'license_id', type: 'uuid' })
  licenseId: string;

  @Column({ type: 'text' })
  provider: PaymentProviderName;

  @Column({ type: 'text' })
  kind: InvoiceKind;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subtotal: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  tax: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  total: number;

  @Column({ name: 'amount_paid', type: 'bigint', default: 0, transformer: bigintAsNumber })
  amountPaid: number;

  /** The VAT rate the total includes, in basis points (the finance policy's when issued). */
  @Column({ name: 'tax_rate_bp', type: 'integer', default: 0 })
  taxRateBp: number;

  @Column({ name: 'amount_refunded', type: 'bigint', default: 0, transformer: bigintAsNumber })
  amountRefunded: number;

  /**
   * Settled by credit notes rather than money: on an invoice, the credit applied to it (what is
   * due is total − paid − credited); on a credit note, what of it is settled (applied or refunded).
   */
  @Column({ name: 'amount_credited', type: 'bigint', default: 0, transformer: bigintAsNumber })
  amountCredited: number;

  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', nullable: true })
  periodEnd: Date | null;

  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'stripe_invoice_id', type: 'text', nullable: true })
  stripeInvoiceId: string | null;

  /** Stripe's page where the buyer can pay the Stripe invoice (another card or method). */
  @Column({ name: 'stripe_hosted_invoice_url', type: 'text', nullable: true })
  stripeHostedInvoiceUrl: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

@Entity('invoice_lines')
export class InvoiceLine {
  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'description_zh', type: 'text' })
  descriptionZh: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn: string;

  @Column({ type: 'bigint', default: 1, transformer: bigintAsNumber })
  quantity: number;

  @Column({ name: 'unit_amount', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  unitAmount: number | null;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;
}

/** Money received (immutable): a Stripe payment or a bank transfer recorded by finance. */
@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ name: 'license_id', type: 'uuid' })
  licenseId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  provider: PaymentProviderName;

  @Column({ name: 'provider_reference', type: 'text' })
  providerReference: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'recorded_by_user_id', type: 'uuid', nullable: true })
  recordedByUserId: string | null;

  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** A payment provider's webhook event, stored on receipt and processed once. */
@Entity('payment_provider_events')
export class PaymentProviderEvent {
  @PrimaryColumn({ type: 'text' })
  provider: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Column({ name: 'created_at_provider', type: 'timestamptz' })
  createdAtProvider: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'text' })
  source: 'webhook' | 'sweep';
}

@Entity('stripe_customers')
export class StripeCustomer {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

@Entity('stripe_connect_accounts')
export class StripeConnectAccount {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ name: 'charges_enabled', type: 'boolean', default: false })
  chargesEnabled: boolean;

  @Column({ name: 'payouts_enabled', type: 'boolean', default: false })
  payoutsEnabled: boolean;

  @Column({ name: 'details_submitted', type: 'boolean', default: false })
  detailsSubmitted: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
