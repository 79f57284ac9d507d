import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACCESS_PURPOSE_KEYS, THEME_KEYS, type AccessPurpose, type Theme } from '@civic/domain';
import { OrganizationRefDto } from '../../access/dto/access.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const PLAN_KINDS = ['free', 'one_time', 'subscription', 'metered', 'hybrid'] as const;
export const METERED_UNITS = ['api_call', 'row', 'byte'] as const;
export const TIER_MODES = ['per_unit', 'graduated', 'volume'] as const;
export const LICENSE_STATES = ['pending_approval', 'pending_payment', 'active', 'past_due', 'suspended', 'expired', 'revoked', 'cancelled'] as const;
export const OFFER_STATUSES = ['draft', 'published', 'archived'] as const;
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export const INVOICE_KINDS = ['purchase', 'renewal', 'usage', 'adjustment', 'credit_note'] as const;
export const CLASSIFICATIONS = ['open', 'conditional', 'restricted'] as const;

/** Shapes only; the domain's parsePricePlan checks the meaning (tiers, amounts, currency). */
export class PriceTierDto {
  @ApiProperty({ nullable: true, type: 'integer', description: 'Inclusive upper bound in units; null on the last tier (no bound).' })
  @IsOptional()
  @IsInt()
  upTo: number | null;

  @ApiProperty({ type: 'integer', description: 'Minor units per block of `per` units.' })
  @IsInt()
  unitAmount: number;

  @ApiPropertyOptional({ type: 'integer', description: 'A flat fee in minor units for reaching this tier.' })
  @IsOptional()
  @IsInt()
  flatAmount?: number;
}

export class MeteredPricingDto {
  @ApiProperty({ enum: METERED_UNITS })
  @IsIn(METERED_UNITS)
  unit: (typeof METERED_UNITS)[number];

  @ApiProperty({ enum: TIER_MODES })
  @IsIn(TIER_MODES)
  mode: (typeof TIER_MODES)[number];

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Units per priced block, e.g. 1000 rows.' })
  @IsInt()
  per: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Free units per billing period.' })
  @IsInt()
  includedQuantity: number;

  @ApiPropertyOptional({ type: 'integer', description: 'per_unit mode: minor units per block.' })
  @IsOptional()
  @IsInt()
  unitAmount?: number;

  @ApiPropertyOptional({ type: [PriceTierDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PriceTierDto)
  tiers?: PriceTierDto[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'A hard limit per billing period: use beyond it is refused (not billed).' })
  @IsOptional()
  @IsInt()
  maxQuantity?: number;
}

export class PricePlanDto {
  @ApiProperty({ enum: PLAN_KINDS })
  @IsIn(PLAN_KINDS)
  kind: (typeof PLAN_KINDS)[number];

  @ApiProperty({ example: 'CNY', description: 'ISO 4217.' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  currency: string;

  @ApiPropertyOptional({ type: 'integer', description: 'one_time, subscription, hybrid: the fee in minor units.' })
  @IsOptional()
  @IsInt()
  amount?: number;

  @ApiPropertyOptional({ enum: ['month', 'year'] })
  @IsOptional()
  @IsIn(['month', 'year'])
  interval?: 'month' | 'year';

  @ApiPropertyOptional({ type: MeteredPricingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeteredPricingDto)
  metered?: MeteredPricingDto;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  trialDays?: number;
}

export class LocalizedTextDto {
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class LicenceSectionDto {
  @ApiProperty() heading: string;
  @ApiProperty({ type: [String] }) items: string[];
}

export class RenderedLicenceDto {
  @ApiProperty({ type: [LicenceSectionDto] }) zh: LicenceSectionDto[];
  @ApiProperty({ type: [LicenceSectionDto] }) en: LicenceSectionDto[];
}

export class LicenseTemplateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty() standard: boolean;
  @ApiProperty({ type: OrganizationRefDto, nullable: true }) organization: OrganizationRefDto | null;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() summaryZh: string;
  @ApiProperty() summaryEn: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The ODRL 2.2 policy (JSON-LD).' }) policy: Record<string, unknown>;
  @ApiProperty() policySha256: string;
  @ApiProperty({ type: RenderedLicenceDto }) text: RenderedLicenceDto;
  @ApiProperty({ description: 'Whether any offer uses this template version.' }) used: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class LicenseTemplateListDto {
  @ApiProperty({ type: [LicenseTemplateDto] }) items: LicenseTemplateDto[];
}

export class CreateLicenseTemplateDto {
  @ApiProperty({ description: 'Stable key; a key your organization already used gets a new version.', example: 'city-mobility-research' })
  @IsString()
  @Matches(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'key must be lower-case letters, digits and hyphens' })
  key: string;

  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) titleZh: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) titleEn: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) summaryZh?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) summaryEn?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'An ODRL 2.2 policy (JSON-LD).' })
  @IsObject()
  policy: Record<string, unknown>;
}

export class CreateOfferDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() templateId: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 120) nameZh: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 120) nameEn: string;

  @ApiProperty({ type: PricePlanDto })
  @ValidateNested()
  @Type(() => PricePlanDto)
  pricePlan: PricePlanDto;

  @ApiPropertyOptional({ description: 'Buyers need the seller’s approval before paying (always so when the product has conditional or restricted inputs).' })
  @IsOptional()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  position?: number;
}

export class UpdateOfferDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() templateId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 120) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 120) nameEn?: string;

  @ApiPropertyOptional({ type: PricePlanDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PricePlanDto)
  pricePlan?: PricePlanDto;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100 }) @IsOptional() @IsInt() @Min(0) @Max(100) position?: number;
}

export class ProductRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
}

export class OfferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ProductRefDto }) product: ProductRefDto;
  @ApiProperty({ type: OrganizationRefDto }) seller: OrganizationRefDto;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ type: PricePlanDto }) pricePlan: PricePlanDto;
  @ApiProperty({ type: LocalizedTextDto, description: 'The plan in words.' }) priceText: LocalizedTextDto;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Set by the seller.' }) requiresApproval: boolean;
  @ApiProperty({ description: 'Whether buying needs approval (the seller’s choice, or conditional/restricted data in the lineage).' }) approvalNeeded: boolean;
  @ApiProperty({ enum: OFFER_STATUSES }) status: (typeof OFFER_STATUSES)[number];
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ type: LicenseTemplateDto }) template: LicenseTemplateDto;
  @ApiProperty({ type: 'integer', description: 'Licences sold under this offer (all states).' }) licenseCount: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) publishedAt: string | null;
}

export class OfferListDto {
  @ApiProperty({ type: [OfferDto] }) items: OfferDto[];
}

export class OfferTermsDto {
  @ApiProperty({ format: 'uuid' }) offerId: string;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The exact terms a buyer accepts (canonical JSON).' }) terms: Record<string, unknown>;
  @ApiProperty({ description: 'sha256 of the canonical terms; send it back when accepting.' }) termsSha256: string;
  @ApiProperty({ type: RenderedLicenceDto }) text: RenderedLicenceDto;
  @ApiProperty({ type: LocalizedTextDto }) priceText: LocalizedTextDto;
  @ApiProperty() approvalNeeded: boolean;
}

export class EstimateQueryDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60, description: 'Billing periods (months) to estimate.' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  months: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Expected metered units per month (API calls, rows or bytes as each offer meters).' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  quantityPerMonth: number;
}

export class EstimateLineDto {
  @ApiProperty() kind: string;
  @ApiProperty({ type: LocalizedTextDto }) description: LocalizedTextDto;
  @ApiProperty({ type: 'integer' }) amount: number;
}

export class OfferEstimateDto {
  @ApiProperty({ format: 'uuid' }) offerId: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer', description: 'Total over the months, minor units.' }) total: number;
  @ApiProperty({ type: 'integer', description: 'The one-time fee, minor units.' }) oneTime: number;
  @ApiProperty({ type: 'integer', description: 'One paid billing period at the expected use (after any free trial), minor units.' }) perPeriod: number;
  @ApiProperty({ enum: ['month', 'year'], nullable: true }) interval: 'month' | 'year' | null;
  @ApiProperty({ type: 'integer', description: 'Billing periods paid within the months: the whole periods that cover them after any free trial (yearly plans: whole years).' })
  periods: number;
  @ApiProperty({ type: 'integer', description: 'Free trial: the first days cost nothing; the paid periods follow (a month counts 30 days, a year 360).' }) trialDays: number;
  @ApiProperty({ type: 'integer', description: 'What the free trial takes off the total over the months (periods it spares × perPeriod), minor units.' }) trialSavings: number;
  @ApiProperty({ type: [EstimateLineDto], description: 'The one-time fee and one paid period, line by line.' }) lines: EstimateLineDto[];
  @ApiProperty({ enum: [...METERED_UNITS, 'none'] }) unit: string;
}

export class EstimateDto {
  @ApiProperty({ type: 'integer' }) months: number;
  @ApiProperty({ type: 'integer' }) quantityPerMonth: number;
  @ApiProperty({ type: [OfferEstimateDto], description: 'Cheapest first.' }) items: OfferEstimateDto[];
}

export class PriceCapDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: THEME_KEYS, nullable: true }) theme: Theme | null;
  @ApiProperty({ enum: CLASSIFICATIONS, nullable: true }) classification: (typeof CLASSIFICATIONS)[number] | null;
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer', nullable: true }) maxOneTime: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) maxMonthly: number | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '{ unit, per, amount }' }) maxPerUnit: Record<string, unknown> | null;
  @ApiProperty() note: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PriceCapListDto {
  @ApiProperty({ type: [PriceCapDto] }) items: PriceCapDto[];
}

export class MaxPerUnitDto {
  @ApiProperty({ enum: METERED_UNITS }) @IsIn(METERED_UNITS) unit: (typeof METERED_UNITS)[number];
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) per: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) @IsInt() @Min(0) amount: number;
}

export class UpsertPriceCapDto {
  @ApiPropertyOptional({ enum: THEME_KEYS }) @IsOptional() @IsIn(THEME_KEYS) theme?: Theme;
  @ApiPropertyOptional({ enum: CLASSIFICATIONS }) @IsOptional() @IsIn(CLASSIFICATIONS) classification?: (typeof CLASSIFICATIONS)[number];
  @ApiProperty({ example: 'CNY' }) @IsString() @Matches(/^[A-Z]{3}$/) currency: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) @IsOptional() @IsInt() @Min(0) maxOneTime?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) @IsOptional() @IsInt() @Min(0) maxMonthly?: number;
  @ApiPropertyOptional({ type: MaxPerUnitDto }) @IsOptional() @ValidateNested() @Type(() => MaxPerUnitDto) maxPerUnit?: MaxPerUnitDto;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class AcceptOfferDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() offerId: string;

  @ApiProperty({ description: 'The sha256 of the terms you read (from GET /offers/{id}/terms); accepting other terms is refused.' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  termsSha256: string;

  @ApiProperty({ description: 'Must be true: you accept the terms on behalf of your organization.' })
  @Equals(true, { message: 'acceptTerms must be true' })
  acceptTerms: boolean;

  @ApiPropertyOptional({ enum: ACCESS_PURPOSE_KEYS, description: 'Required when the purchase needs approval.' })
  @IsOptional()
  @IsIn(ACCESS_PURPOSE_KEYS)
  purpose?: AccessPurpose;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) purposeDetail?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(4000) intendedUse?: string;
}

export class LicenseEventDto {
  @ApiProperty() event: string;
  @ApiProperty({ enum: LICENSE_STATES, nullable: true }) fromState: string | null;
  @ApiProperty({ enum: LICENSE_STATES }) toState: string;
  @ApiProperty({ enum: ['user', 'provider', 'schedule', 'system'] }) source: string;
  @ApiProperty({ type: String, nullable: true }) actorEmail: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export class LicenseApprovalDto {
  @ApiProperty({ enum: ['agency', 'vendor'] }) approverKind: 'agency' | 'vendor';
  @ApiProperty({ type: OrganizationRefDto }) organization: OrganizationRefDto;
  @ApiProperty({ enum: ['approve', 'reject'], nullable: true }) decision: 'approve' | 'reject' | null;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class InvoiceLineDto {
  @ApiProperty() kind: string;
  @ApiProperty() descriptionZh: string;
  @ApiProperty() descriptionEn: string;
  @ApiProperty({ type: 'integer' }) quantity: number;
  @ApiProperty({ type: 'integer', nullable: true }) unitAmount: number | null;
  @ApiProperty({ type: 'integer' }) amount: number;
}

export class InvoicePaymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['offline', 'stripe'] }) provider: string;
  @ApiProperty() reference: string;
  @ApiProperty({ type: 'integer' }) amount: number;
  @ApiProperty({ type: 'integer', description: 'Given back so far (refunds and chargebacks).' }) refunded: number;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

export class CreditApplicationDto {
  @ApiProperty({ format: 'uuid' }) creditNoteId: string;
  @ApiProperty() creditNoteNumber: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The invoice the credit was set against (null when it was refunded).' }) invoiceId: string | null;
  @ApiProperty({ nullable: true }) invoiceNumber: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The refund that paid the credit out (null when it was set against an invoice).' }) refundId: string | null;
  @ApiProperty({ type: 'integer' }) amount: number;
  @ApiProperty({ format: 'date-time' }) appliedAt: string;
}

export class PaymentInstructionsDto {
  @ApiProperty({ enum: ['bank_transfer'] }) method: 'bank_transfer';
  @ApiProperty({ description: 'The reference to quote on the transfer (the invoice number).' }) reference: string;
  @ApiProperty({ type: 'integer', description: 'What is left to pay, in minor units.' }) amount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: String, nullable: true, description: 'The collection account’s holder; null (with bank and account number) until finance sets the account.' }) payee: string | null;
  @ApiProperty({ type: String, nullable: true }) bank: string | null;
  @ApiProperty({ type: String, nullable: true }) accountNumber: string | null;
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ type: OrganizationRefDto }) buyer: OrganizationRefDto;
  @ApiProperty({ format: 'uuid' }) licenseId: string;
  @ApiProperty({ type: ProductRefDto }) product: ProductRefDto;
  @ApiProperty({ enum: ['offline', 'stripe'] }) provider: 'offline' | 'stripe';
  @ApiProperty({ enum: INVOICE_KINDS, description: 'A credit note gives money back: its amounts are the credit, its lines the negative correction.' }) kind: string;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: (typeof INVOICE_STATUSES)[number];
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer', description: 'What the buyer pays, VAT included.' }) total: number;
  @ApiProperty({ type: 'integer', description: 'The total without VAT.' }) subtotal: number;
  @ApiProperty({ type: 'integer', description: 'The VAT the total includes.' }) tax: number;
  @ApiProperty({ type: 'integer', description: 'The VAT rate, in basis points.' }) taxRateBp: number;
  @ApiProperty({ type: 'integer' }) amountPaid: number;
  @ApiProperty({ type: 'integer' }) amountRefunded: number;
  @ApiProperty({ type: 'integer', description: 'An invoice: credit notes set against it. A credit note: what of it is settled (set against invoices or refunded).' }) amountCredited: number;
  @ApiProperty({ type: 'integer', description: 'An invoice: what is still to pay. A credit note: what is still to settle.' }) amountDue: number;
  @ApiProperty({ type: [InvoicePaymentDto] }) payments: InvoicePaymentDto[];
  @ApiProperty({ type: [CreditApplicationDto], description: 'Credit notes set against this invoice, or how this credit note was settled.' }) credits: CreditApplicationDto[];
  @ApiProperty({ format: 'date-time', nullable: true }) periodStart: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) periodEnd: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) issuedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) paidAt: string | null;
  @ApiProperty({ description: 'Due date passed and not paid.' }) overdue: boolean;
  @ApiProperty({ type: [InvoiceLineDto] }) lines: InvoiceLineDto[];
  @ApiProperty({ type: () => PaymentInstructionsDto, nullable: true, description: 'How to pay an open offline invoice: the bank transfer’s account and the reference to quote.' })
  paymentInstructions: PaymentInstructionsDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'An open Stripe invoice: Stripe’s page where the buyer can pay it with another card or method.' })
  payOnlineUrl: string | null;
}

export class InvoiceListDto {
  @ApiProperty({ type: [InvoiceDto] }) items: InvoiceDto[];
}

export class LicenseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: OrganizationRefDto }) buyer: OrganizationRefDto;
  @ApiProperty({ type: OrganizationRefDto }) seller: OrganizationRefDto;
  @ApiProperty({ type: ProductRefDto }) product: ProductRefDto;
  @ApiProperty({ format: 'uuid' }) offerId: string;
  @ApiProperty() offerNameZh: string;
  @ApiProperty() offerNameEn: string;
  @ApiProperty({ type: 'integer' }) offerRevision: number;
  @ApiProperty({ enum: LICENSE_STATES }) state: (typeof LICENSE_STATES)[number];
  @ApiProperty({ enum: ['none', 'offline', 'stripe'] }) provider: string;
  @ApiProperty({ type: PricePlanDto }) pricePlan: PricePlanDto;
  @ApiProperty({ type: LocalizedTextDto }) priceText: LocalizedTextDto;
  @ApiProperty({ type: 'object', additionalProperties: true }) terms: Record<string, unknown>;
  @ApiProperty() termsSha256: string;
  @ApiProperty({ type: RenderedLicenceDto }) text: RenderedLicenceDto;
  @ApiProperty({ type: String, nullable: true }) purpose: string | null;
  @ApiProperty() purposeDetail: string;
  @ApiProperty() intendedUse: string;
  @ApiProperty({ type: String, nullable: true }) acceptedByEmail: string | null;
  @ApiProperty({ format: 'date-time' }) acceptedAt: string;
  @ApiProperty() acceptedIp: string;
  @ApiProperty({ format: 'date-time', nullable: true }) currentPeriodStart: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) currentPeriodEnd: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'The end of the free trial: nothing of the plan is charged before it (use included).' }) trialEndsAt: string | null;
  @ApiProperty() cancelAtPeriodEnd: boolean;
  @ApiProperty({ format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) activatedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) endedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason: string | null;
  @ApiProperty({ type: [LicenseApprovalDto] }) approvals: LicenseApprovalDto[];
  @ApiProperty({ type: [LicenseEventDto] }) events: LicenseEventDto[];
  @ApiProperty({ type: [InvoiceDto] }) invoices: InvoiceDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class LicenseListDto {
  @ApiProperty({ type: [LicenseDto] }) items: LicenseDto[];
}

export class LicensesQueryDto {
  @ApiPropertyOptional({ enum: LICENSE_STATES }) @IsOptional() @IsIn(LICENSE_STATES) state?: (typeof LICENSE_STATES)[number];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() productId?: string;
}

export class CheckoutDto {
  @ApiProperty({ enum: ['offline', 'stripe'] }) provider: 'offline' | 'stripe';
  @ApiProperty({ type: String, nullable: true, description: 'Stripe: the hosted checkout page to send the buyer to.' }) url: string | null;
  @ApiProperty({ type: InvoiceDto, nullable: true, description: 'Offline: the invoice to pay by bank transfer; null when the plan starts with a free trial instead (the licence is then active at once, and the first fixed fee is invoiced when the trial ends).' }) invoice: InvoiceDto | null;
  @ApiProperty({ type: LicenseDto }) license: LicenseDto;
}

export class ApprovalDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject']) decision: 'approve' | 'reject';
  @ApiPropertyOptional({ description: 'Required when rejecting; shown to the buyer.' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) reason?: string;
}

export class LicenseReasonDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(3, 1000) reason: string;
}

export class EntitlementQueryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId: string;
  @ApiProperty({ enum: ['query', 'download', 'derive', 'distribute'] }) @IsIn(['query', 'download', 'derive', 'distribute']) action: 'query' | 'download' | 'derive' | 'distribute';
  @ApiPropertyOptional({ enum: ACCESS_PURPOSE_KEYS }) @IsOptional() @IsIn(ACCESS_PURPOSE_KEYS) purpose?: AccessPurpose;
  @ApiPropertyOptional({ format: 'uuid', description: 'Ask about this one licence of the organization (its page) instead of any licence it holds for the product.' })
  @IsOptional()
  @IsUUID()
  licenseId?: string;
}

export class QuotaDto {
  @ApiProperty() unit: string;
  @ApiProperty({ type: 'integer' }) included: number;
  @ApiProperty({ type: 'integer' }) used: number;
  @ApiProperty({ type: 'integer', nullable: true }) remaining: number | null;
  @ApiProperty() overageBilled: boolean;
}

export class EntitlementDto {
  @ApiProperty() allowed: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why not (a stable code).' }) reason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true }) licenseId: string | null;
  @ApiProperty({ type: QuotaDto, nullable: true }) quota: QuotaDto | null;
}

export class MarkPaidDto {
  @ApiProperty({ description: 'The bank transfer reference.' }) @Transform(trim) @IsString() @Length(3, 200) reference: string;
  @ApiProperty({ type: 'integer', description: 'Amount received in minor units (must equal what is due).' }) @IsInt() @Min(1) amount: number;
  @ApiProperty({ format: 'date-time' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/) receivedAt: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) note?: string;
}

export class InvoicesQueryDto {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES }) @IsOptional() @IsIn(INVOICE_STATUSES) status?: (typeof INVOICE_STATUSES)[number];
  @ApiPropertyOptional({ enum: ['offline', 'stripe'] }) @IsOptional() @IsIn(['offline', 'stripe']) provider?: 'offline' | 'stripe';
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the invoices (and credit notes) of this licence.' }) @IsOptional() @IsUUID() licenseId?: string;
  @ApiPropertyOptional({ enum: INVOICE_KINDS, description: 'Only invoices of this kind (credit_note: the credit notes).' }) @IsOptional() @IsIn(INVOICE_KINDS) kind?: (typeof INVOICE_KINDS)[number];
}

export class ConnectAccountDto {
  @ApiProperty() configured: boolean;
  @ApiProperty({ type: String, nullable: true }) accountId: string | null;
  @ApiProperty() chargesEnabled: boolean;
  @ApiProperty() payoutsEnabled: boolean;
  @ApiProperty() detailsSubmitted: boolean;
}

export class AccountLinkDto {
  @ApiProperty() url: string;
}

export class PaymentsConfigDto {
  @ApiProperty({ enum: ['offline', 'stripe'] }) provider: 'offline' | 'stripe';
  @ApiProperty() defaultCurrency: string;
  @ApiProperty({ type: 'integer' }) invoiceDueDays: number;
}
