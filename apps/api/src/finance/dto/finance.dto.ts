import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const REVENUE_GROUPS = ['period', 'agency', 'dataset', 'product', 'vendor', 'theme'] as const;
export type RevenueGroup = (typeof REVENUE_GROUPS)[number];

export class CollectionAccountDto {
  @ApiProperty({ maxLength: 200, example: '某市公共数据运营有限公司', description: 'The account holder, as the bank knows it.' })
  @IsString()
  @Matches(/\S/, { message: 'payee must not be blank' })
  @MaxLength(200)
  payee: string;
  @ApiProperty({ maxLength: 200, example: '中国工商银行某市分行营业部', description: 'The bank and branch.' })
  @IsString()
  @Matches(/\S/, { message: 'bank must not be blank' })
  @MaxLength(200)
  bank: string;
  @ApiProperty({ maxLength: 40, example: '6222 0210 0100 1234 567', description: 'The account number: digits and letters, spaces or hyphens between groups.' })
  @IsString()
  @Matches(/^[0-9A-Za-z]+(?:[ -][0-9A-Za-z]+)*$/, { message: 'accountNumber holds digits and letters, with single spaces or hyphens between groups' })
  @MaxLength(40)
  accountNumber: string;
}

export class FinancePolicyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The platform fee, in basis points of the net of each payment.' }) platformFeeBp: number;
  @ApiProperty({ description: 'The agencies’ royalty where no agency or dataset rate is set, in basis points.' }) defaultRoyaltyBp: number;
  @ApiProperty({ description: 'The VAT rate prices include, in basis points.' }) vatRateBp: number;
  @ApiProperty() note: string;
  @ApiProperty({ type: CollectionAccountDto, nullable: true, description: 'Where buyers send bank transfers for offline invoices; null until finance sets one.' })
  collectionAccount: CollectionAccountDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RoyaltyRateDto {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) datasetId: string | null;
  @ApiProperty({ type: String, nullable: true }) datasetTitleZh: string | null;
  @ApiProperty({ type: String, nullable: true }) datasetTitleEn: string | null;
  @ApiProperty() royaltyBp: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class FinancePolicyViewDto {
  @ApiProperty({ type: FinancePolicyDto }) policy: FinancePolicyDto;
  @ApiProperty({ type: [RoyaltyRateDto] }) royaltyRates: RoyaltyRateDto[];
}

export class SetFinancePolicyDto {
  @ApiProperty({ minimum: 0, maximum: 10000 }) @Type(() => Number) @IsInt() @Min(0) @Max(10000) platformFeeBp: number;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @Type(() => Number) @IsInt() @Min(0) @Max(10000) defaultRoyaltyBp: number;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @Type(() => Number) @IsInt() @Min(0) @Max(10000) vatRateBp: number;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional({ type: CollectionAccountDto, description: 'The collection account of the new policy; absent: the current one is kept.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CollectionAccountDto)
  collectionAccount?: CollectionAccountDto;
}

export class SetRoyaltyRateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() agencyId: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A rate for one dataset of the agency; absent: the agency’s rate.' }) @IsOptional() @IsUUID() datasetId?: string;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @Type(() => Number) @IsInt() @Min(0) @Max(10000) royaltyBp: number;
}

export class PeriodRangeQueryDto {
  @ApiPropertyOptional({ example: '2026-01', description: 'First accounting period (YYYY-MM, Beijing time), inclusive.' }) @IsOptional() @Matches(PERIOD, { message: 'from is a period written YYYY-MM' }) from?: string;
  @ApiPropertyOptional({ example: '2026-12', description: 'Last accounting period, inclusive.' }) @IsOptional() @Matches(PERIOD, { message: 'to is a period written YYYY-MM' }) to?: string;
}

export class RevenueQueryDto extends PeriodRangeQueryDto {
  @ApiProperty({ enum: REVENUE_GROUPS, description: 'By agency or dataset, the figures are the agencies’ royalties (only royalties belong to an agency or dataset).' })
  @IsIn(REVENUE_GROUPS)
  groupBy: RevenueGroup;
  @ApiPropertyOptional({ description: 'Only revenue of this agency, dataset, product or vendor (drill-down).' }) @IsOptional() @IsUUID() filterId?: string;
  @ApiPropertyOptional({ enum: ['agency', 'dataset', 'product', 'vendor'] }) @IsOptional() @IsIn(['agency', 'dataset', 'product', 'vendor']) filterBy?: 'agency' | 'dataset' | 'product' | 'vendor';
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] }) @IsOptional() @IsIn(['json', 'csv', 'xlsx']) format?: 'json' | 'csv' | 'xlsx';
}

export class RevenueRowDto {
  @ApiProperty({ description: 'The group: a period, or the id of an agency, dataset, product or vendor, or a theme.' }) key: string;
  @ApiProperty() labelZh: string;
  @ApiProperty() labelEn: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Net revenue (payments less refunds, without VAT), minor units.' }) net: number;
  @ApiProperty() platform: number;
  @ApiProperty() agencies: number;
  @ApiProperty() vendors: number;
  @ApiProperty({ description: 'Payments (entries) counted.' }) payments: number;
}

export class RevenueReportDto {
  @ApiProperty({ enum: REVENUE_GROUPS }) groupBy: RevenueGroup;
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty({ type: [RevenueRowDto] }) rows: RevenueRowDto[];
  @ApiProperty({ type: [RevenueRowDto], description: 'Totals per currency.' }) totals: RevenueRowDto[];
}

export class AccountBalanceDto {
  @ApiProperty() account: string;
  @ApiProperty({ enum: ['receivable', 'clearing', 'billed_revenue', 'tax_payable', 'platform_revenue', 'vendor_payable', 'agency_payable', 'refunds'] }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'The organization of a per-organization account.' }) organizationName: string | null;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Debit positive, credit negative, minor units.' }) balance: number;
}

export class AccountListDto {
  @ApiProperty({ type: [AccountBalanceDto] }) items: AccountBalanceDto[];
}

export class JournalQueryDto {
  @ApiPropertyOptional({ example: '2026-03' }) @IsOptional() @Matches(PERIOD, { message: 'period is written YYYY-MM' }) period?: string;
  @ApiPropertyOptional({ description: 'Entries touching this account.' }) @IsOptional() @IsString() @MaxLength(100) account?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Entries of this invoice.' }) @IsOptional() @IsUUID() invoiceId?: string;
  @ApiPropertyOptional({ description: 'Entries before this id (paging, newest first).' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class PostingDto {
  @ApiProperty() account: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Debit positive, credit negative.' }) amount: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) dimensions: Record<string, string>;
}

export class JournalEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['invoice_issued', 'invoice_voided', 'credit_note', 'payment', 'refund', 'chargeback', 'dispute_won', 'payout', 'remittance', 'reversal'] }) kind: string;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty() period: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty() memo: string;
  @ApiProperty({ type: [PostingDto] }) postings: PostingDto[];
}

export class JournalPageDto {
  @ApiProperty({ type: [JournalEntryDto] }) items: JournalEntryDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } }, required: ['zh', 'en'] },
    description: 'Names of the products, datasets, buyers and invoices the postings’ dimensions name, by id.',
  })
  labels: Record<string, { zh: string; en: string }>;
  @ApiProperty({ type: Number, nullable: true }) nextBefore: number | null;
}

export class AgeingBucketDto {
  @ApiProperty({ enum: ['current', '1-30', '31-60', '61-90', '90+'] }) bucket: string;
  @ApiProperty() currency: string;
  @ApiProperty() invoices: number;
  @ApiProperty() outstanding: number;
}

export class AgeingInvoiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty() buyerName: string;
  @ApiProperty() currency: string;
  @ApiProperty() outstanding: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty() daysOverdue: number;
  @ApiProperty() bucket: string;
}

export class OpenCreditDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty() buyerName: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer', description: 'What of the credit note is still to settle (refund), minor units.' }) amount: number;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
}

export class AgeingReportDto {
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ type: [AgeingBucketDto] }) buckets: AgeingBucketDto[];
  @ApiProperty({ type: [AgeingInvoiceDto] }) invoices: AgeingInvoiceDto[];
  @ApiProperty({ type: [OpenCreditDto], description: 'Credit notes not yet settled: owed to buyers until refunded.' }) openCredits: OpenCreditDto[];
}

export class ReconciliationIssueDto {
  @ApiProperty({
    enum: [
      'payment_not_posted', 'posting_without_payment', 'amount_mismatch', 'invoice_not_posted', 'refund_not_posted', 'unbalanced_entry', 'provider_total_mismatch',
      'provider_unreachable', 'provider_movement_unrecorded', 'record_missing_at_provider', 'provider_amount_mismatch',
    ],
  })
  kind: string;
  @ApiProperty() reference: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: String, nullable: true, description: 'The currency of expected and actual, when they are amounts.' }) currency: string | null;
  @ApiProperty({ type: Number, nullable: true }) expected: number | null;
  @ApiProperty({ type: Number, nullable: true }) actual: number | null;
}

export class ProviderTotalDto {
  @ApiProperty() provider: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Received less refunded, by the provider’s records (payments and refunds).' }) providerNet: number;
  @ApiProperty({ description: 'The clearing account’s balance in the ledger, before settlements.' }) ledgerNet: number;
}

export class ProviderMovementTotalDto {
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'The sum of the provider’s movements (charges in, refunds, chargebacks and transfers out), minor units.' }) provider: number;
  @ApiProperty({ description: 'The sum of our records of them, minor units.' }) recorded: number;
}

export class ProviderRecordsDto {
  @ApiProperty({ enum: ['stripe'] }) provider: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the provider’s records could not be read.' }) error: string | null;
  @ApiProperty({ description: 'Balance transactions the provider reported.' }) movements: number;
  @ApiProperty({ description: 'Of them, matched to a record of ours with the same amount.' }) matched: number;
  @ApiProperty({ type: [ProviderMovementTotalDto] }) totals: ProviderMovementTotalDto[];
}

export class ReconciliationReportDto {
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty() matched: boolean;
  @ApiProperty({ type: [ProviderTotalDto] }) providers: ProviderTotalDto[];
  @ApiProperty({ type: ProviderRecordsDto, nullable: true, description: 'Our records against the payment provider’s own (Stripe’s balance transactions); null when Stripe is not configured.' })
  providerRecords: ProviderRecordsDto | null;
  @ApiProperty({ type: [ReconciliationIssueDto] }) issues: ReconciliationIssueDto[];
  @ApiProperty() paymentsChecked: number;
  @ApiProperty() invoicesChecked: number;
}

export class PeriodSummaryDto {
  @ApiProperty() period: string;
  @ApiProperty() entries: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Net revenue per currency.' }) netRevenue: Record<string, number>;
  @ApiProperty() closed: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) closedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

export class PeriodListDto {
  @ApiProperty({ type: [PeriodSummaryDto] }) items: PeriodSummaryDto[];
  @ApiProperty() currentPeriod: string;
}

export class ClosePeriodDto {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class StatementLineDto {
  @ApiProperty() period: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() productTitleZh: string;
  @ApiProperty() productTitleEn: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) datasetId: string | null;
  @ApiProperty({ type: String, nullable: true }) datasetTitleZh: string | null;
  @ApiProperty({ type: String, nullable: true }) datasetTitleEn: string | null;
  @ApiProperty() currency: string;
  @ApiProperty() amount: number;
  @ApiProperty() payments: number;
}

export class SellerStatementDto {
  @ApiProperty({ enum: ['vendor', 'agency'] }) role: 'vendor' | 'agency';
  @ApiProperty({ type: [StatementLineDto] }) lines: StatementLineDto[];
  @ApiProperty({ type: [AccountBalanceDto], description: 'What the platform owes the organization now.' }) balances: AccountBalanceDto[];
}

export class RecordRefundDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Minor units given back (at most what remains of the payment).' }) @Type(() => Number) @IsInt() @Min(1) amount: number;
  @ApiPropertyOptional({ enum: ['refund', 'chargeback'], description: 'A refund the platform gives, or a chargeback the card network took. Default refund.' })
  @IsOptional()
  @IsIn(['refund', 'chargeback'])
  kind?: 'refund' | 'chargeback';
  @ApiPropertyOptional({ maxLength: 200, description: 'The bank transfer’s reference (offline payments; required) or the dispute id (chargebacks). Stripe refunds get Stripe’s id.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
  @ApiProperty({ maxLength: 500 }) @IsString() @MaxLength(500) @Matches(/\S/, { message: 'reason must not be empty' }) reason: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The credit note this refund pays out (one of the same licence, with at least the amount left).' })
  @IsOptional()
  @IsUUID()
  creditNoteId?: string;
}

export class RefundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) paymentId: string;
  @ApiProperty({ format: 'uuid' }) invoiceId: string;
  @ApiProperty({ enum: ['refund', 'chargeback'] }) kind: string;
  @ApiProperty() provider: string;
  @ApiProperty() reference: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export class SettlementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['payout', 'remittance'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty() period: string;
  @ApiProperty() currency: string;
  @ApiProperty() amount: number;
  @ApiProperty({ enum: ['stripe_transfer', 'bank_instruction', 'remittance_statement'] }) method: string;
  @ApiProperty({ enum: ['pending', 'paid', 'failed'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) providerReference: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: string | null;
}

export class SettlementListDto {
  @ApiProperty({ type: [SettlementDto] }) items: SettlementDto[];
}

export class SettlementsQueryDto {
  @ApiPropertyOptional({ example: '2026-10' }) @IsOptional() @Matches(PERIOD, { message: 'period is written YYYY-MM' }) period?: string;
}

export class RunSettlementsDto {
  @ApiProperty({ example: '2026-10', description: 'An ended accounting period.' }) @Matches(PERIOD, { message: 'period is written YYYY-MM' }) period: string;
}

export class MarkSettlementPaidDto {
  @ApiProperty({ maxLength: 200, description: 'The bank transfer’s or treasury receipt’s reference.' }) @IsString() @MaxLength(200) @Matches(/\S/, { message: 'reference must not be empty' }) reference: string;
  @ApiProperty({ format: 'date-time' }) @IsString() paidAt: string;
}

export class StatementQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'pdf'] }) @IsOptional() @IsIn(['csv', 'pdf']) format?: 'csv' | 'pdf';
}

export class DisclosureAgencyDto {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Royalties earned in the year (payments less refunds), minor units.' }) royalties: number;
  @ApiProperty() datasets: number;
}

export class DisclosureDatasetDto {
  @ApiProperty({ format: 'uuid' }) datasetId: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() classification: string;
  @ApiProperty() currency: string;
  @ApiProperty() royalties: number;
  @ApiProperty({ description: 'Products sold in the year whose lineage includes the dataset.' }) products: number;
}

export class DisclosurePriceDto {
  @ApiProperty() productSlug: string;
  @ApiProperty() productTitleZh: string;
  @ApiProperty() productTitleEn: string;
  @ApiProperty() sellerName: string;
  @ApiProperty() offerNameZh: string;
  @ApiProperty() offerNameEn: string;
  @ApiProperty() priceZh: string;
  @ApiProperty() priceEn: string;
  @ApiProperty({ description: 'Organizations that held a licence under this offer during the year.' }) licensees: number;
}

export class DisclosureReportDto {
  @ApiProperty() year: number;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Net revenue of the year per currency (without VAT).' }) netRevenue: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Paid to agencies’ accounts (government non-tax revenue) per currency.' }) agencyRoyalties: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) platformFees: Record<string, number>;
  @ApiProperty({ description: 'Organizations that held a licence during the year.' }) licensees: number;
  @ApiProperty({ type: [DisclosureAgencyDto] }) agencies: DisclosureAgencyDto[];
  @ApiProperty({ type: [DisclosureDatasetDto] }) datasets: DisclosureDatasetDto[];
  @ApiProperty({ type: [DisclosurePriceDto], description: "The offers on sale during the year (published before its end, not withdrawn before its start), at their current terms." }) prices: DisclosurePriceDto[];
}
