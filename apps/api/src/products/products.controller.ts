import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { DerivationSandboxService } from './derivation-sandbox.service.js';
import {
  CreateProductDto,
  DryRunDto,
  DryRunResultDto,
  InputCandidateListDto,
  LineageGraphDto,
  ProductDto,
  ProductListDto,
  ProductsQueryDto,
  ProductVersionListDto,
  RunDto,
  RunListDto,
  UpdateProductDto,
} from './dto/products.dto.js';
import { ProductViews } from './product-views.service.js';
import { ProductsService, type OwnerAction } from './products.service.js';

type Owner = Actor & { principal: Principal };

/** A product owner's workspace: vendors' derived products and agencies' base products. */
@ApiTags('products')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly views: ProductViews,
    private readonly sandbox: DerivationSandboxService,
  ) {}

  @Get()
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: "The organization's own products in every state." })
  @ApiOkResponse({ type: ProductListDto })
  async list(@Query() query: ProductsQueryDto, @CurrentActor() actor: Owner): Promise<ProductListDto> {
    return { items: await this.views.summaries(await this.products.list(actor.principal, query.status)) };
  }

  @Get('input-candidates')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Datasets and products the organization may derive from, with how (free, owner, granted, gated).' })
  @ApiOkResponse({ type: InputCandidateListDto })
  async candidates(@CurrentActor() actor: Owner): Promise<InputCandidateListDto> {
    return { items: await this.products.inputCandidates(actor.principal) };
  }

  @Post()
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Create a product (draft): a base product over an own dataset, or a derived product (SQL over inputs).' })
  @ApiCreatedResponse({ type: ProductDto })
  async create(@Body() body: CreateProductDto, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.views.detail(await this.products.create(actor, actor.principal, body));
  }

  @Get(':id')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'One own product: inputs, current version, latest run, review.' })
  @ApiOkResponse({ type: ProductDto })
  async get(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.views.detail(await this.products.get(actor.principal, id));
  }

  @Patch(':id')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Edit metadata (any state but retired); SQL and inputs only in draft.' })
  @ApiOkResponse({ type: ProductDto })
  async update(@Param('id', uuidPipe) id: string, @Body() body: UpdateProductDto, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.views.detail(await this.products.update(actor, actor.principal, id, body));
  }

  @Post(':id/dry-run')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Validate the SQL and run it on a sample of each input: preview rows, output schema and what the privacy gate will check. Saves nothing.' })
  @ApiOkResponse({ type: DryRunResultDto })
  async dryRun(@Param('id', uuidPipe) id: string, @Body() body: DryRunDto, @CurrentActor() actor: Owner): Promise<DryRunResultDto> {
    return this.sandbox.dryRun(actor.principal, await this.products.get(actor.principal, id), body);
  }

  @Post(':id/runs')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: "Run the derive flow over the inputs' current versions (idempotent: the same SQL and versions make no new version)." })
  @ApiCreatedResponse({ type: RunDto })
  async run(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<RunDto> {
    return this.views.run(await this.products.startRun(actor, actor.principal, id));
  }

  @Get(':id/runs')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Runs of the product, newest first (the last 50).' })
  @ApiOkResponse({ type: RunListDto })
  async runs(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<RunListDto> {
    const runs = await this.products.runs(actor.principal, id);
    return { items: await Promise.all(runs.map((run) => this.views.run(run))) };
  }

  @Get(':id/runs/:runId')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'One run: stage, progress, outcome, the privacy gate report or the reason it failed.' })
  @ApiOkResponse({ type: RunDto })
  async getRun(@Param('id', uuidPipe) id: string, @Param('runId', uuidPipe) runId: string, @CurrentActor() actor: Owner): Promise<RunDto> {
    return this.views.run(await this.products.run(actor.principal, id, runId));
  }

  @Post(':id/runs/:runId/cancel')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Cancel a queued or running run.' })
  @ApiOkResponse({ type: RunDto })
  async cancel(@Param('id', uuidPipe) id: string, @Param('runId', uuidPipe) runId: string, @CurrentActor() actor: Owner): Promise<RunDto> {
    return this.views.run(await this.products.cancelRun(actor, actor.principal, id, runId));
  }

  @Get(':id/versions')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Versions of the product, newest first, each with its privacy gate report and exact inputs.' })
  @ApiOkResponse({ type: ProductVersionListDto })
  async versions(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductVersionListDto> {
    const versions = await this.products.versions(actor.principal, id);
    return { items: await Promise.all(versions.map((version) => this.views.versionDto(version))) };
  }

  @Get(':id/lineage')
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: "The current version's lineage down to government datasets, with each agency's share." })
  @ApiOkResponse({ type: LineageGraphDto })
  async lineage(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<LineageGraphDto> {
    const product = await this.products.get(actor.principal, id);
    return product.currentVersionId ? this.views.lineage(product.currentVersionId) : { nodes: [], edges: [], agencies: [] };
  }

  @Post(':id/submit')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Submit the current version for review (platform operator, and each agency with conditional or restricted data in its lineage).' })
  @ApiOkResponse({ type: ProductDto })
  submit(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.act(id, actor, 'submit');
  }

  @Post(':id/cancel-submission')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Take a submission back to draft.' })
  @ApiOkResponse({ type: ProductDto })
  cancelSubmission(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.act(id, actor, 'cancel_submission');
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'List an approved product in the storefront.' })
  @ApiOkResponse({ type: ProductDto })
  publish(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.act(id, actor, 'publish');
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Retire the product for good (its versions stay for the record).' })
  @ApiOkResponse({ type: ProductDto })
  retire(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.act(id, actor, 'retire');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermissions('products:manage')
  @ApiOperation({ summary: 'Resume a suspended product once every input is usable again.' })
  @ApiOkResponse({ type: ProductDto })
  resume(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Owner): Promise<ProductDto> {
    return this.act(id, actor, 'resume');
  }

  private async act(id: string, actor: Owner, action: OwnerAction): Promise<ProductDto> {
    return this.views.detail(await this.products.act(actor, actor.principal, id, action));
  }
}
