import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentActor, OptionalPrincipal, Public, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import {
  AcceptOfferDto,
  ApprovalDecisionDto,
  CheckoutDto,
  CreateLicenseTemplateDto,
  CreateOfferDto,
  EntitlementDto,
  EntitlementQueryDto,
  EstimateDto,
  EstimateQueryDto,
  LicenseDto,
  LicenseListDto,
  LicenseReasonDto,
  LicensesQueryDto,
  LicenseTemplateDto,
  LicenseTemplateListDto,
  OfferDto,
  OfferListDto,
  OfferTermsDto,
  PriceCapDto,
  PriceCapListDto,
  UpdateOfferDto,
  UpsertPriceCapDto,
} from './dto/licensing.dto.js';
import { EntitlementsService } from './entitlements.service.js';
import { LicenseTemplatesService } from './license-templates.service.js';
import { LicensesService } from './licenses.service.js';
import { OffersService } from './offers.service.js';
import { PriceCapsService } from './price-caps.service.js';

type Caller = Actor & { principal: Principal };

/** Licence templates, offers, price caps and the storefront's terms and price estimates. */
@ApiTags('licensing')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class OffersController {
  constructor(
    private readonly templates: LicenseTemplatesService,
    private readonly offers: OffersService,
    private readonly caps: PriceCapsService,
  ) {}

  @Get('license-templates')
  @Public()
  @ApiOperation({ summary: 'The standard ODRL licence templates, and a signed-in seller’s own.' })
  @ApiOkResponse({ type: LicenseTemplateListDto })
  async templateList(@OptionalPrincipal() principal: Principal | null): Promise<LicenseTemplateListDto> {
    return { items: await this.templates.list(principal?.organizationId ?? null) };
  }

  @Get('license-templates/:id')
  @Public()
  @ApiOperation({ summary: 'One licence template with its text in Chinese and English.' })
  @ApiOkResponse({ type: LicenseTemplateDto })
  template(@Param('id', uuidPipe) id: string, @OptionalPrincipal() principal: Principal | null): Promise<LicenseTemplateDto> {
    return this.templates.get(id, principal?.organizationId ?? null);
  }

  @Post('license-templates')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Save an ODRL licence template (a key saved again becomes its next version).' })
  @ApiCreatedResponse({ type: LicenseTemplateDto })
  createTemplate(@Body() body: CreateLicenseTemplateDto, @CurrentActor() actor: Caller): Promise<LicenseTemplateDto> {
    return this.templates.create(actor, actor.principal.organizationId, body);
  }

  @Post('license-templates/standard')
  @RequirePermissions('license_templates:manage')
  @ApiOperation({ summary: 'Save a standard licence template for every seller (platform operators; a standard key saved again becomes its next version).' })
  @ApiCreatedResponse({ type: LicenseTemplateDto })
  createStandardTemplate(@Body() body: CreateLicenseTemplateDto, @CurrentActor() actor: Caller): Promise<LicenseTemplateDto> {
    return this.templates.createStandard(actor, body);
  }

  @Get('products/:id/offers')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: "A product's offers (its owner's view: drafts, published, archived)." })
  @ApiOkResponse({ type: OfferListDto })
  async productOffers(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<OfferListDto> {
    return { items: await this.offers.listForOwner(actor.principal.organizationId, id) };
  }

  @Post('products/:id/offers')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Draft an offer: a licence template and a price plan.' })
  @ApiCreatedResponse({ type: OfferDto })
  createOffer(@Param('id', uuidPipe) id: string, @Body() body: CreateOfferDto, @CurrentActor() actor: Caller): Promise<OfferDto> {
    return this.offers.create(actor, actor.principal.organizationId, id, body);
  }

  @Get('offers/:id')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'One of the organization’s offers.' })
  @ApiOkResponse({ type: OfferDto })
  offer(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<OfferDto> {
    return this.offers.getForOwner(actor.principal.organizationId, id);
  }

  @Patch('offers/:id')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Change an offer. A published offer gets a new revision; licences already sold keep theirs.' })
  @ApiOkResponse({ type: OfferDto })
  updateOffer(@Param('id', uuidPipe) id: string, @Body() body: UpdateOfferDto, @CurrentActor() actor: Caller): Promise<OfferDto> {
    return this.offers.update(actor, actor.principal.organizationId, id, body);
  }

  @Post('offers/:id/publish')
  @HttpCode(200)
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Publish an offer (checked against the platform’s price caps).' })
  @ApiOkResponse({ type: OfferDto })
  publish(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<OfferDto> {
    return this.offers.publish(actor, actor.principal.organizationId, id);
  }

  @Post('offers/:id/archive')
  @HttpCode(200)
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Stop selling an offer (licences sold under it continue).' })
  @ApiOkResponse({ type: OfferDto })
  archive(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<OfferDto> {
    return this.offers.archive(actor, actor.principal.organizationId, id);
  }

  @Get('offers/:id/terms')
  @Public()
  @ApiOperation({ summary: 'The exact terms of a published offer as a buyer accepts them, with their sha256.' })
  @ApiOkResponse({ type: OfferTermsDto })
  async terms(@Param('id', uuidPipe) id: string): Promise<OfferTermsDto> {
    const { offerId, revision, terms, termsSha256, text, priceText, approvalNeeded } = await this.offers.terms(id);
    return { offerId, revision, terms, termsSha256, text, priceText, approvalNeeded };
  }

  @Get('catalog/products/:ref/offers')
  @Public()
  @ApiOperation({ summary: 'Published offers of a published product (by id or slug).' })
  @ApiOkResponse({ type: OfferListDto })
  async storefrontOffers(@Param('ref') ref: string): Promise<OfferListDto> {
    return { items: await this.offers.forStorefront(ref) };
  }

  @Get('catalog/products/:ref/price-estimate')
  @Public()
  @ApiOperation({ summary: 'What an expected use would cost under each published offer, cheapest first.' })
  @ApiOkResponse({ type: EstimateDto })
  estimate(@Param('ref') ref: string, @Query() query: EstimateQueryDto): Promise<EstimateDto> {
    return this.offers.estimate(ref, query.months, query.quantityPerMonth);
  }

  @Get('price-caps')
  @Public()
  @ApiOperation({ summary: 'The public-data pricing rules (caps per theme and classification).' })
  @ApiOkResponse({ type: PriceCapListDto })
  async priceCaps(): Promise<PriceCapListDto> {
    return { items: await this.caps.list() };
  }

  @Post('price-caps')
  @RequirePermissions('pricing:manage')
  @ApiOperation({ summary: 'Add a price cap.' })
  @ApiCreatedResponse({ type: PriceCapDto })
  createCap(@Body() body: UpsertPriceCapDto, @CurrentActor() actor: Caller): Promise<PriceCapDto> {
    return this.caps.create(actor, body);
  }

  @Put('price-caps/:id')
  @RequirePermissions('pricing:manage')
  @ApiOperation({ summary: 'Change or deactivate a price cap (offers already published keep their prices).' })
  @ApiOkResponse({ type: PriceCapDto })
  updateCap(@Param('id', uuidPipe) id: string, @Body() body: UpsertPriceCapDto, @CurrentActor() actor: Caller): Promise<PriceCapDto> {
    return this.caps.update(actor, id, body);
  }
}

/** Licences: buying (accept, checkout, cancel), selling (sales, revoke), approving, entitlements. */
@ApiTags('licensing')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class LicensesController {
  constructor(
    private readonly licenses: LicensesService,
    private readonly entitlements: EntitlementsService,
  ) {}

  @Post('licenses')
  @RequirePermissions('licenses:buy')
  @ApiOperation({ summary: 'Accept an offer’s terms for your organization (recorded with their sha256, who, when and from where).' })
  @ApiCreatedResponse({ type: LicenseDto })
  accept(@Body() body: AcceptOfferDto, @CurrentActor() actor: Caller, @Req() request: FastifyRequest): Promise<LicenseDto> {
    const userAgent = request.headers['user-agent'];
    return this.licenses.accept(actor, actor.principal, body, { ip: actor.ip ?? 'unknown', userAgent: typeof userAgent === 'string' ? userAgent : '' });
  }

  @Get('licenses')
  @RequirePermissions('licenses:read')
  @ApiOperation({ summary: "The acting organization's licences, newest first." })
  @ApiOkResponse({ type: LicenseListDto })
  async mine(@Query() query: LicensesQueryDto, @CurrentActor() actor: Caller): Promise<LicenseListDto> {
    return { items: await this.licenses.listForBuyer(actor.principal.organizationId, query) };
  }

  @Get('licenses/:id')
  @RequirePermissions('licenses:read')
  @ApiOperation({ summary: 'One licence: terms, state history, approvals, invoices.' })
  @ApiOkResponse({ type: LicenseDto })
  one(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.getForBuyer(actor.principal.organizationId, id);
  }

  @Post('licenses/:id/checkout')
  @HttpCode(200)
  @RequirePermissions('licenses:buy')
  @ApiOperation({ summary: 'Pay for a licence: a Stripe Checkout page, or an offline invoice for bank transfer.' })
  @ApiOkResponse({ type: CheckoutDto })
  checkout(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<CheckoutDto> {
    return this.licenses.checkout(actor, actor.principal, id);
  }

  @Post('licenses/:id/cancel')
  @HttpCode(200)
  @RequirePermissions('licenses:buy')
  @ApiOperation({ summary: 'Cancel an unfinished purchase, or a subscription at the end of its period.' })
  @ApiOkResponse({ type: LicenseDto })
  cancel(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.cancel(actor, actor.principal, id);
  }

  @Post('licenses/:id/resume')
  @HttpCode(200)
  @RequirePermissions('licenses:buy')
  @ApiOperation({ summary: 'Keep a subscription that was set to end at the end of its period.' })
  @ApiOkResponse({ type: LicenseDto })
  resume(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.resume(actor, actor.principal, id);
  }

  @Get('entitlements')
  @RequirePermissions('licenses:read')
  @ApiOperation({ summary: 'May the acting organization do this action on this product now, and within which quota?' })
  @ApiOkResponse({ type: EntitlementDto })
  entitlement(@Query() query: EntitlementQueryDto, @CurrentActor() actor: Caller): Promise<EntitlementDto> {
    return this.entitlements.check({
      organizationId: actor.principal.organizationId,
      productId: query.productId,
      action: query.action,
      purpose: query.purpose,
      ...(query.licenseId ? { licenseId: query.licenseId } : {}),
    });
  }

  @Get('sales/licenses')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'Licences sold for the organization’s products.' })
  @ApiOkResponse({ type: LicenseListDto })
  async sales(@Query() query: LicensesQueryDto, @CurrentActor() actor: Caller): Promise<LicenseListDto> {
    return { items: await this.licenses.listForSeller(actor.principal.organizationId, query) };
  }

  @Get('sales/licenses/:id')
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'One licence sold for the organization’s products.' })
  @ApiOkResponse({ type: LicenseDto })
  sale(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.getForSeller(actor.principal.organizationId, id);
  }

  @Post('sales/licenses/:id/revoke')
  @HttpCode(200)
  @RequirePermissions('offers:manage')
  @ApiOperation({ summary: 'End a licence for a breach of its terms (the buyer is told the reason).' })
  @ApiOkResponse({ type: LicenseDto })
  revoke(@Param('id', uuidPipe) id: string, @Body() body: LicenseReasonDto, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.revoke(actor, actor.principal, id, body.reason);
  }

  @Get('license-approvals')
  @RequirePermissions('licenses:decide')
  @ApiOperation({ summary: 'Purpose-bound purchases the acting organization must approve (pending first).' })
  @ApiQuery({ name: 'all', required: false, enum: ['true', 'false'], description: 'true: also purchases already decided (by anyone); default: only those awaiting this organization.' })
  @ApiOkResponse({ type: LicenseListDto })
  async approvals(@Query('all') all: string | undefined, @CurrentActor() actor: Caller): Promise<LicenseListDto> {
    return { items: await this.licenses.approvalQueue(actor.principal.organizationId, all !== 'true') };
  }

  @Post('license-approvals/:id/decision')
  @HttpCode(200)
  @RequirePermissions('licenses:decide')
  @ApiOperation({ summary: 'Approve or reject a purpose-bound purchase (a rejection needs a reason).' })
  @ApiOkResponse({ type: LicenseDto })
  decide(@Param('id', uuidPipe) licenseId: string, @Body() body: ApprovalDecisionDto, @CurrentActor() actor: Caller): Promise<LicenseDto> {
    return this.licenses.decide(actor, actor.principal, licenseId, body.decision, body.reason);
  }
}
