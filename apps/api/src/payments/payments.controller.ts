import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiConfig } from '@civic/config';
import { CurrentActor, Public, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { AccountLinkDto, ConnectAccountDto, InvoiceDto, InvoiceListDto, InvoicesQueryDto, MarkPaidDto, PaymentsConfigDto } from '../licensing/dto/licensing.dto.js';
import { ConnectService } from './connect.service.js';
import { InvoicesService } from './invoices.service.js';
import { PaymentProviders } from './payment-providers.js';

type Caller = Actor & { principal: Principal };

/** Invoices (buyers', and finance's view of all), offline settlement, Stripe Connect onboarding. */
@ApiTags('payments')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class PaymentsController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly connect: ConnectService,
    private readonly providers: PaymentProviders,
    private readonly config: ApiConfig,
  ) {}

  @Get('payments/config')
  @Public()
  @ApiOperation({ summary: 'How purchases are paid on this platform (Stripe Checkout or offline invoices).' })
  @ApiOkResponse({ type: PaymentsConfigDto })
  paymentsConfig(): PaymentsConfigDto {
    return { provider: this.providers.name(), defaultCurrency: this.config.DEFAULT_CURRENCY, invoiceDueDays: this.config.INVOICE_DUE_DAYS };
  }

  @Get('invoices')
  @RequirePermissions('licenses:read')
  @ApiOperation({ summary: "The acting organization's invoices, newest first." })
  @ApiOkResponse({ type: InvoiceListDto })
  async mine(@Query() query: InvoicesQueryDto, @CurrentActor() actor: Caller): Promise<InvoiceListDto> {
    return { items: await this.invoices.list({ organizationId: actor.principal.organizationId }, query) };
  }

  @Get('invoices/:id')
  @RequirePermissions('licenses:read')
  @ApiOperation({ summary: 'One of the acting organization’s invoices.' })
  @ApiOkResponse({ type: InvoiceDto })
  one(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<InvoiceDto> {
    return this.invoices.get({ organizationId: actor.principal.organizationId }, id);
  }

  @Get('finance/invoices')
  @RequirePermissions('invoices:read')
  @ApiOperation({ summary: 'Every invoice of the platform (government finance, supervisors, operators).' })
  @ApiOkResponse({ type: InvoiceListDto })
  async all(@Query() query: InvoicesQueryDto): Promise<InvoiceListDto> {
    return { items: await this.invoices.list('all', query) };
  }

  @Get('finance/invoices/:id')
  @RequirePermissions('invoices:read')
  @ApiOperation({ summary: 'Any invoice.' })
  @ApiOkResponse({ type: InvoiceDto })
  anyOne(@Param('id', uuidPipe) id: string): Promise<InvoiceDto> {
    return this.invoices.get('all', id);
  }

  @Post('finance/invoices/:id/mark-paid')
  @HttpCode(200)
  @RequirePermissions('invoices:settle')
  @ApiOperation({ summary: 'Record the bank transfer that pays an offline invoice; the licence comes into force.' })
  @ApiOkResponse({ type: InvoiceDto })
  markPaid(@Param('id', uuidPipe) id: string, @Body() body: MarkPaidDto, @CurrentActor() actor: Caller): Promise<InvoiceDto> {
    return this.invoices.markPaid(actor, actor.principal, id, body);
  }

  @Get('payouts/stripe/account')
  @RequirePermissions('payouts:manage')
  @ApiOperation({ summary: "The vendor's Stripe Connect account for payouts, if any." })
  @ApiOkResponse({ type: ConnectAccountDto })
  account(@CurrentActor() actor: Caller): Promise<ConnectAccountDto> {
    return this.connect.account(actor.principal.organizationId);
  }

  @Post('payouts/stripe/account-link')
  @HttpCode(200)
  @RequirePermissions('payouts:manage')
  @ApiOperation({ summary: 'A Stripe onboarding link for the vendor (creates its Connect account the first time).' })
  @ApiOkResponse({ type: AccountLinkDto })
  accountLink(@CurrentActor() actor: Caller): Promise<AccountLinkDto> {
    return this.connect.accountLink(actor.principal.organizationId);
  }
}
