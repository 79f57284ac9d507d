import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@civic/domain';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Public, RequirePermissions } from '../common/access.decorators.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import {
  AccountListDto,
  AgeingReportDto,
  ClosePeriodDto,
  DisclosureReportDto,
  FinancePolicyViewDto,
  JournalPageDto,
  JournalQueryDto,
  MarkSettlementPaidDto,
  PeriodListDto,
  RecordRefundDto,
  RefundDto,
  RunSettlementsDto,
  SettlementDto,
  SettlementListDto,
  SettlementsQueryDto,
  StatementQueryDto,
  PeriodRangeQueryDto,
  ReconciliationReportDto,
  RevenueQueryDto,
  RevenueReportDto,
  SellerStatementDto,
  SetFinancePolicyDto,
  SetRoyaltyRateDto,
} from './dto/finance.dto.js';
import { FinanceService } from './finance.service.js';
import { DisclosureService } from './disclosure.service.js';
import { SettlementsService } from './settlements.service.js';

type Caller = Actor & { principal: Principal };

/** Government finance's console (finance_analyst manages, supervisors and operators read) and sellers' statements. */
@ApiTags('finance')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class FinanceController {
  constructor(
    private readonly finance: FinanceService,
    private readonly settlements: SettlementsService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Get('public/disclosure/:year')
  @Public()
  @ApiOperation({ summary: 'The annual public disclosure: revenue from government data by agency and dataset, the price list and the number of licensees.' })
  @ApiOkResponse({ type: DisclosureReportDto })
  disclosureReport(@Param('year') year: string): Promise<DisclosureReportDto> {
    if (!/^\d{4}$/.test(year)) throw new DomainError('request.invalid', 'A year is written YYYY.', [{ field: 'year', messages: ['YYYY'] }]);
    return this.disclosure.report(Number(year));
  }

  @Get('finance/policy')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'The revenue-sharing policy in force (platform fee, default royalty, VAT) and the royalty rates per agency or dataset.' })
  @ApiOkResponse({ type: FinancePolicyViewDto })
  policy(): Promise<FinancePolicyViewDto> {
    return this.finance.policy();
  }

  @Post('finance/policy')
  @HttpCode(200)
  @RequirePermissions('finance:manage')
  @ApiOperation({ summary: 'Sets a new revenue-sharing policy; it applies to payments from now on (earlier splits keep their rates).' })
  @ApiOkResponse({ type: FinancePolicyViewDto })
  setPolicy(@Body() body: SetFinancePolicyDto, @CurrentActor() actor: Caller): Promise<FinancePolicyViewDto> {
    return this.finance.setPolicy(actor, actor.principal, body);
  }

  @Put('finance/royalty-rates')
  @RequirePermissions('finance:manage')
  @ApiOperation({ summary: 'Sets the royalty rate of an agency, or of one of its datasets.' })
  @ApiOkResponse({ type: FinancePolicyViewDto })
  setRoyaltyRate(@Body() body: SetRoyaltyRateDto, @CurrentActor() actor: Caller): Promise<FinancePolicyViewDto> {
    return this.finance.setRoyaltyRate(actor, actor.principal, body);
  }

  @Get('finance/revenue')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Net revenue and its shares by period, agency, dataset, product, vendor or theme, from the ledger; `format=csv` or `format=xlsx` to export.' })
  @ApiOkResponse({ type: RevenueReportDto })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async revenue(@Query() query: RevenueQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RevenueReportDto | string | Buffer> {
    const report = await this.finance.revenue(query);
    if (!query.format || query.format === 'json') return report;
    const name = `revenue-by-${query.groupBy}${query.from ? `-${query.from}` : ''}${query.to ? `-${query.to}` : ''}.${query.format}`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    if (query.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8');
      return this.finance.revenueCsv(report);
    }
    reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return this.finance.revenueXlsx(report);
  }

  @Get('finance/accounts')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Every ledger account’s balance, derived from the journal (optionally through a period).' })
  @ApiOkResponse({ type: AccountListDto })
  async accounts(@Query() query: PeriodRangeQueryDto): Promise<AccountListDto> {
    return { items: await this.finance.accounts(query.to) };
  }

  @Get('finance/journal')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Journal entries with their postings, newest first (by period, account or invoice).' })
  @ApiOkResponse({ type: JournalPageDto })
  journal(@Query() query: JournalQueryDto): Promise<JournalPageDto> {
    return this.finance.journal(query);
  }

  @Get('finance/receivables/ageing')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Open invoices by days past due.' })
  @ApiOkResponse({ type: AgeingReportDto })
  ageing(): Promise<AgeingReportDto> {
    return this.finance.ageing();
  }

  @Get('finance/reconciliation')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'The ledger compared with the payment and refund records; every mismatch listed.' })
  @ApiOkResponse({ type: ReconciliationReportDto })
  reconciliation(): Promise<ReconciliationReportDto> {
    return this.finance.reconciliation();
  }

  @Get('finance/periods')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Accounting periods with their activity and close status.' })
  @ApiOkResponse({ type: PeriodListDto })
  periods(): Promise<PeriodListDto> {
    return this.finance.periods();
  }

  @Post('finance/periods/:period/close')
  @HttpCode(200)
  @RequirePermissions('finance:manage')
  @ApiOperation({ summary: 'Signs off an ended period after reconciliation; nothing can be posted into it afterwards.' })
  @ApiOkResponse({ type: PeriodListDto })
  closePeriod(@Param('period') period: string, @Body() body: ClosePeriodDto, @CurrentActor() actor: Caller): Promise<PeriodListDto> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new DomainError('request.invalid', 'A period is written YYYY-MM.', [{ field: 'period', messages: ['YYYY-MM'] }]);
    return this.finance.closePeriod(actor, actor.principal, period, body.note);
  }

  @Get('revenue/statement')
  @RequirePermissions('revenue:read')
  @ApiOperation({ summary: 'The acting vendor’s sales or agency’s royalties: its shares of payments by period and product (and dataset), and what it is owed.' })
  @ApiOkResponse({ type: SellerStatementDto })
  statement(@Query() query: PeriodRangeQueryDto, @CurrentActor() actor: Caller): Promise<SellerStatementDto> {
    return this.finance.statement(actor.principal, query);
  }

  @Post('finance/payments/:id/refunds')
  @RequirePermissions('finance:manage')
  @ApiOperation({
    summary: 'Gives money back on a payment (Stripe refunds it; offline, state the transfer’s reference) or records a chargeback; every revenue share is reversed in proportion.',
  })
  @ApiCreatedResponse({ type: RefundDto })
  refund(@Param('id', uuidPipe) id: string, @Body() body: RecordRefundDto, @CurrentActor() actor: Caller): Promise<RefundDto> {
    return this.settlements.refund(actor, actor.principal, id, body);
  }

  @Get('finance/settlements')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'Vendor payouts and agency remittances, by period.' })
  @ApiOkResponse({ type: SettlementListDto })
  async listSettlements(@Query() query: SettlementsQueryDto): Promise<SettlementListDto> {
    return { items: await this.settlements.list({ period: query.period }) };
  }

  @Post('finance/settlements/run')
  @HttpCode(200)
  @RequirePermissions('finance:manage')
  @ApiOperation({ summary: 'Prepares an ended period’s settlements (what each vendor and agency is owed and not yet paid) and queues the Stripe payouts. Safe to repeat.' })
  @ApiOkResponse({ type: SettlementListDto })
  async runSettlements(@Body() body: RunSettlementsDto, @CurrentActor() actor: Caller): Promise<SettlementListDto> {
    return { items: await this.settlements.run(actor, body.period) };
  }

  @Post('finance/settlements/:id/mark-paid')
  @HttpCode(200)
  @RequirePermissions('finance:manage')
  @ApiOperation({ summary: 'Records a bank payout or a remittance received by the treasury, and posts it. Repeating it with the same reference changes nothing.' })
  @ApiOkResponse({ type: SettlementDto })
  markSettlementPaid(@Param('id', uuidPipe) id: string, @Body() body: MarkSettlementPaidDto, @CurrentActor() actor: Caller): Promise<SettlementDto> {
    return this.settlements.markPaid(actor, id, body);
  }

  @Get('finance/settlements/:id/statement')
  @RequirePermissions('finance:read')
  @ApiOperation({ summary: 'A settlement’s statement as PDF (default) or CSV.' })
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOkResponse({ description: 'The statement file.' })
  async settlementStatement(@Param('id', uuidPipe) id: string, @Query() query: StatementQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | string> {
    return this.sendStatement(reply, await this.settlements.statement(id, query.format ?? 'pdf'));
  }

  @Get('revenue/settlements')
  @RequirePermissions('revenue:read')
  @ApiOperation({ summary: 'The acting vendor’s payouts or agency’s remittances.' })
  @ApiOkResponse({ type: SettlementListDto })
  async ownSettlements(@CurrentActor() actor: Caller): Promise<SettlementListDto> {
    return { items: await this.settlements.list({ organizationId: actor.principal.organizationId }) };
  }

  @Get('revenue/settlements/:id/statement')
  @RequirePermissions('revenue:read')
  @ApiOperation({ summary: 'One of the acting organization’s statements as PDF (default) or CSV.' })
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOkResponse({ description: 'The statement file.' })
  async ownStatement(@Param('id', uuidPipe) id: string, @Query() query: StatementQueryDto, @CurrentActor() actor: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | string> {
    return this.sendStatement(reply, await this.settlements.statement(id, query.format ?? 'pdf', actor.principal.organizationId));
  }

  private sendStatement(reply: FastifyReply, file: { body: Buffer | string; filename: string; contentType: string }): Buffer | string {
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }
}
