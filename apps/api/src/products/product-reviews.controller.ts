import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { DomainError } from '@civic/domain';
import { LineageGraphDto, ProductDto, ProductListDto, ProductSampleDto, ReviewDecisionDto } from './dto/products.dto.js';
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
  @ApiOperation({ summary: "Submitted products awaiting the caller's decision (the platform's, or the agency's), oldest submission first; for supervisors, every submitted product." })
  @ApiOkResponse({ type: ProductListDto })
  async queue(@CurrentActor() actor: Reviewer): Promise<ProductListDto> {
    return { items: await this.views.summaries(await this.reviews.queue(actor.principal)) };
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
