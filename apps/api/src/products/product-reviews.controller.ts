import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { DomainError } from '@civic/domain';
import { ProductReviewListQueryDto, ProductReviewPageDto } from './dto/product-reviews.dto.js';
import { LineageGraphDto, ProductDto, ProductSampleDto, ReviewDecisionDto } from './dto/products.dto.js';
import { ProductCatalogService } from './product-catalog.service.js';
import { ProductReviewsService } from './product-reviews.service.js';
import { ProductViews } from './product-views.service.js';

type Reviewer = Actor & { principal: Principal };

/**
 * Listing review: the platform operator's queue and each agency's queue, and their decisions.
 * Government supervision reads every review (queue, product, lineage) and decides nothing.
 */
@ApiTags('product-reviews')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/product-reviews')
export class ProductReviewsController {
  constructor(
    private readonly reviews: ProductReviewsService,
    private readonly views: ProductViews,
    private readonly catalog: ProductCatalogService,
  ) {}

  @Get()
  @RequirePermissions('product_reviews:read')
  @ApiOperation({
    summary: 'The reviews the caller may read, a page at a time, filtered by where each product’s latest review round stands.',
    description:
      "`state=in_review` (the default): submitted products still taking decisions, the caller's own undecided ones first (`awaitingYou`), then the oldest submission. " +
      '`decided`: approved or rejected, latest decision first. `all`: every product ever submitted, rounds the owner took back (`cancelled`) too, latest activity first. ' +
      'Each item names every reviewer its round needs (the platform operator, each agency whose conditional or restricted data is in the lineage) with its decision and when, or none yet. ' +
      'The platform operator and supervisors read every review; an agency reads the reviews of products built on its conditional or restricted data, never another agency’s. ' +
      '`counts` says how many reviews each state holds, for the filter.',
  })
  @ApiOkResponse({ type: ProductReviewPageDto })
  async list(@Query() query: ProductReviewListQueryDto, @CurrentActor() actor: Reviewer): Promise<ProductReviewPageDto> {
    const page = await this.reviews.list(actor.principal, query);
    const summaries = await this.views.summaries(page.items.map((item) => item.product));
    return {
      items: page.items.map(({ product: _product, ...review }, index) => ({ ...summaries[index]!, ...review })),
      total: page.total,
      page: page.page,
      pageSize: page.pageSize,
      counts: page.counts,
    };
  }

  @Get(':id')
  @RequirePermissions('product_reviews:read')
  @ApiOperation({
    summary:
      'A product under the caller’s review (for supervisors, any product ever submitted): SQL, inputs, current version with its privacy gate report, review state with every round’s decisions and who made them.',
  })
  @ApiOkResponse({ type: ProductDto })
  async get(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Reviewer): Promise<ProductDto> {
    return this.views.detail(await this.reviews.get(actor.principal, id), { reviewerNames: true });
  }

  @Get(':id/lineage')
  @RequirePermissions('product_reviews:read')
  @ApiOperation({ summary: "The reviewed version's lineage with each agency's share." })
  @ApiOkResponse({ type: LineageGraphDto })
  async lineage(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Reviewer): Promise<LineageGraphDto> {
    const product = await this.reviews.get(actor.principal, id);
    return this.views.lineage(product.currentVersionId!);
  }

  @Get(':id/sample')
  @RequirePermissions('product_reviews:read')
  @ApiOperation({
    summary:
      "The first rows of the reviewed version's output, as buyers would receive them: the output passed the privacy gate, so reviewers see it whatever its inputs' classification. product.no_version (409) before the first version.",
  })
  @ApiOkResponse({ type: ProductSampleDto })
  async sample(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Reviewer): Promise<ProductSampleDto> {
    const product = await this.reviews.get(actor.principal, id);
    if (!product.currentVersionId) throw new DomainError('product.no_version', 'This product has no version yet.', { productId: id });
    return this.catalog.versionSample(product.currentVersionId);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @RequirePermissions('products:review')
  @ApiOperation({ summary: 'Approve, or reject with a reason. Approval needs the platform and every required agency; any rejection sends the product back to draft.' })
  @ApiOkResponse({ type: ProductDto })
  async decide(@Param('id', uuidPipe) id: string, @Body() body: ReviewDecisionDto, @CurrentActor() actor: Reviewer): Promise<ProductDto> {
    return this.views.detail(await this.reviews.decide(actor, actor.principal, id, body), { reviewerNames: true });
  }
}
